"""One corpus, both databases (SQLite and PostgreSQL run this file alike): one-edit typos of
family + given name find the intended person in the top 20, and the everyday short forms of
given names (lib.greek_names) find the registered full form, while an exact name still
ranks first. Recall is counted over findable queries only: the corpus has no name shared
by more than 20 persons. Figures and timings are in bench/search.py, not here."""

import random

import pytest

from koinotita.people.models import Person
from koinotita.people.search import person_find_unaudited
from koinotita.people.services import person_search_key


def _words(text: str) -> list[str]:
    return text.split()


FAMILIES = _words("""Παπαδόπουλος Παπαδάκης Παπανικολάου Γεωργίου Δημητρίου Νικολάου Οικονόμου
Ιωαννίδης Καραγιάννης Βασιλείου Αθανασίου Κωνσταντινίδης Μακρής Αντωνίου Χατζηδάκης
Σταυρόπουλος Αλεξίου Μιχαηλίδης Πετρόπουλος Κυριακίδης Ζαχαρίου Τσολάκης Μαυρίδης
Λαμπράκης Ευαγγέλου Σαββίδης Θεοδωρίδης Χριστοδούλου Ηλιόπουλος Ραφαηλίδης""")
MEN = _words("""Ιωάννης Γεώργιος Κωνσταντίνος Δημήτριος Νικόλαος Βασίλειος Αθανάσιος Χρήστος
Ευάγγελος Μιχαήλ Παναγιώτης Αντώνιος Ελευθέριος Στυλιανός Σπυρίδων""")
WOMEN = _words("""Μαρία Ελένη Αικατερίνη Βασιλική Σοφία Αγγελική Ειρήνη Γεωργία Δήμητρα Ευαγγελία
Παναγιώτα Κωνσταντίνα Αναστασία Παρασκευή Ιωάννα""")
FEMININE = {"ος": "ου", "ης": "η", "ας": "α"}
PERSONS = 900
TYPOS = 200


def _feminine(family: str) -> str:
    for ending, female in FEMININE.items():
        if family.endswith(ending) and not family.endswith("ου"):
            return family[: -len(ending)] + female
    return family


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word))
    kind = rng.choice(["replace", "delete", "insert", "swap"])
    letter = rng.choice("αβγδεζηθικλμνξοπρστυφχψω")
    if kind == "replace":
        return word[:i] + letter + word[i + 1 :]
    if kind == "delete":
        return word[:i] + word[i + 1 :]
    if kind == "insert":
        return word[:i] + letter + word[i:]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


@pytest.fixture
def corpus(rita, network):
    rng = random.Random(18)
    rows = []
    for _ in range(PERSONS):
        family = rng.choice(FAMILIES)
        if rng.random() < 0.5:
            given, sex, family = rng.choice(MEN), "M", family
        else:
            given, sex, family = rng.choice(WOMEN), "F", _feminine(family)
        person = Person(centre=network["kastoria"], family_name=family, given_name=given, sex=sex)
        person.search_key = person_search_key(person)
        rows.append(person)
    return Person.objects.bulk_create(rows)


def _found(user, query, person) -> bool:
    return person.pk in [p.pk for p in person_find_unaudited(user, query).persons]


def test_one_edit_typos_of_family_and_given_name_find_the_person(corpus, rita):
    rng = random.Random(7)
    names = {}
    for p in corpus:
        names.setdefault((p.family_name, p.given_name), []).append(p)
    assert max(len(v) for v in names.values()) <= 20  # every query is findable
    hits, misses = 0, []
    for person in rng.sample(corpus, TYPOS):
        family, given = person.family_name, person.given_name
        if rng.random() < 0.6:
            family = _typo(family, rng)
        else:
            given = _typo(given, rng)
        query = f"{family} {given}" if rng.random() < 0.7 else f"{given} {family}"
        if _found(rita, query, person):
            hits += 1
        else:
            misses.append(query)
    assert hits / TYPOS >= 0.95, misses


SHORT_FORM_QUERIES = [
    # (registered given name, as given at the desk)
    ("Ιωάννης", "Γιάννης"),
    ("Γεώργιος", "Γιώργος"),
    ("Κωνσταντίνος", "Κώστας"),
    ("Δημήτριος", "Δημήτρης"),
    ("Νικόλαος", "Νίκος"),
    ("Ελευθέριος", "Λευτέρης"),
    ("Μαρία", "Μαίρη"),
    ("Αικατερίνη", "Κατερίνα"),
    ("Ειρήνη", "Ρένα"),
    ("Βασιλική", "Βάσω"),
]


@pytest.mark.parametrize("registered,short", SHORT_FORM_QUERIES)
def test_a_short_given_name_finds_the_registered_full_form(corpus, rita, registered, short):
    person = next(p for p in corpus if p.given_name == registered)
    assert _found(rita, f"{person.family_name} {short}", person)
    assert _found(rita, f"{short} {person.family_name}", person)


def test_a_person_registered_by_the_short_form_still_ranks_first(corpus, rita, network):
    full = next(p for p in corpus if p.given_name == "Ιωάννης")
    short = Person(
        centre=network["kastoria"], family_name=full.family_name, given_name="Γιάννης", sex="M"
    )
    short.search_key = person_search_key(short)
    short.save()
    persons = person_find_unaudited(rita, f"{full.family_name} Γιάννης ").persons
    assert persons[0].pk == short.pk
    assert any(p.given_name == "Ιωάννης" for p in persons[1:])
