import pytest
from hypothesis import given
from hypothesis import strategies as st

from koinotita.lib.greek import elot743, fold, has_mixed_scripts, phonetic


def test_fold_removes_accents_diaeresis_case_and_final_sigma():
    assert fold("ΠΑΠΑΔΟΠΟΎΛΟΥ Ελένης") == "παπαδοπουλου ελενησ"
    assert fold("Αϊβαλιώτης") == "αιβαλιωτησ"
    assert fold("Ξενοφών") == fold("ξενοφων")


@pytest.mark.parametrize(
    ("greek", "latin"),
    [
        ("Παπαδόπουλος", "Papadopoulos"),
        ("Γεώργιος", "Georgios"),
        ("Χρήστος", "Christos"),
        ("Ευάγγελος", "Evangelos"),
        ("Θεοδώρου", "Theodorou"),
        ("Ψαρρός", "Psarros"),
        ("ΚΩΝΣΤΑΝΤΙΝΟΣ", "KONSTANTINOS"),
        ("Αλέξανδρος", "Alexandros"),
    ],
)
def test_elot743_transliterates_names(greek, latin):
    assert elot743(greek) == latin


SAME_NAME = [
    ["Χρήστος", "Christos", "Xristos", "Hristos", "Xrhstos", "CHRISTOS", "χρηστος"],
    ["Ευάγγελος", "Evangelos", "Euaggelos", "Evaggelos", "Efaggelos"],
    ["Παπαδόπουλος", "Papadopoulos", "Papadopulos", "papadopoylos", "ΠΑΠΑΔΟΠΟΥΛΟΣ"],
    ["Θεοδώρου", "Theodorou", "8eodorou", "Theodorou"],
    ["Δημήτρης", "Dimitris", "Dhmhtrhs", "Dimitrhs"],
    ["Ελένη", "Eleni", "Elenh"],
    ["Μιχάλης", "Michalis", "Mihalis", "Mixalis"],
    ["Κωνσταντίνος", "Konstantinos", "Constantinos", "Kwnstantinos"],
    ["Αλέξανδρος", "Alexandros", "Aleksandros"],
    ["Στέφανος", "Stefanos", "Stephanos"],
    ["Ιωάννης", "Ioannis", "Iwannis"],
    ["Μπάμπης", "Mpampis", "Babis"],
    ["Αϊβαλιώτης", "Aivaliotis", "Αιβαλιώτης"],
    ["Κυριάκος", "Kyriakos", "Kiriakos"],
    ["Ψαρρός", "Psarros", "Psaros"],
    ["Papaδόπουλος", "Παπαδόπουλος"],  # mixed scripts typed by mistake
]


@pytest.mark.parametrize("spellings", SAME_NAME, ids=lambda s: s[0])
def test_spellings_of_one_name_share_a_phonetic_form(spellings):
    forms = {phonetic(s) for s in spellings}
    assert len(forms) == 1, forms


def test_different_names_stay_different():
    names = ["Μαρία", "Μαρίνα", "Ελένη", "Ειρήνη", "Γιώργος", "Γιάννης", "Νίκος", "Νίκη"]
    assert len({phonetic(n) for n in names}) == len(names)


def test_phonetic_keeps_words_apart():
    assert phonetic("Παπαδοπούλου  Ελένη-Μαρία") == "papadopulu eleni maria"


def test_mixed_scripts_are_detected():
    assert has_mixed_scripts("Pαπας")
    assert not has_mixed_scripts("Παπάς")
    assert not has_mixed_scripts("Papas")


@given(st.text())
def test_phonetic_is_total_and_ascii(text):
    key = phonetic(text)
    assert key == key.strip()
    assert all(c.isascii() for c in key)


@given(st.text(alphabet="αβγδεζηθικλμνξοπρστυφχψωάέήίόύώϊϋΐΰς ", max_size=30))
def test_greek_and_its_elot_transliteration_share_a_phonetic_form(text):
    assert phonetic(text) == phonetic(elot743(text))
