"""Everyday short forms of Greek given names, and the registered full forms they stand for.

At a desk people give the name they are called by («Γιάννης», «Κώστας», «Μαίρη») while the
register holds the formal one («Ιωάννης», «Κωνσταντίνος», «Μαρία»). Search tries the full
forms of a short form after the name as typed (people/search.py), so that the person is
found without the typo fallback, on PostgreSQL and SQLite alike.

Source: the Greek Wiktionary (el.wiktionary.org), where each short form below has an entry
defining it as a short, everyday or hypocoristic form («υποκοριστικό», «χαϊδευτικό»,
«καθομιλουμένη μορφή») of the full form(s) given, e.g.
https://el.wiktionary.org/wiki/Γιάννης («υποκοριστικό του Ιωάννης»),
https://el.wiktionary.org/wiki/Κώστας («υποκοριστικό του Κωνσταντίνος»); and its category
https://el.wiktionary.org/wiki/Κατηγορία:Υποκοριστικά_ονόματα_(νέα_ελληνικά). Only short
forms in everyday use as a given name are listed, not every diminutive (-άκης, -ούλα of
any name); a short form of several names lists them all (Τάκης). The table was written
from that source, not from the benchmark's or the tests' queries.
"""

from koinotita.lib.greek import phonetic_word

# short form: registered full forms
SHORT_FORMS: dict[str, tuple[str, ...]] = {
    # men
    "Γιάννης": ("Ιωάννης",),
    "Γιώργος": ("Γεώργιος",),
    "Κώστας": ("Κωνσταντίνος",),
    "Ντίνος": ("Κωνσταντίνος",),
    "Δημήτρης": ("Δημήτριος",),
    "Μήτσος": ("Δημήτριος",),
    "Τάκης": ("Παναγιώτης", "Κωνσταντίνος", "Δημήτριος"),
    "Νίκος": ("Νικόλαος",),
    "Βασίλης": ("Βασίλειος",),
    "Πάνος": ("Παναγιώτης",),
    "Θανάσης": ("Αθανάσιος",),
    "Σάκης": ("Αθανάσιος",),
    "Τάσος": ("Αναστάσιος",),
    "Λευτέρης": ("Ελευθέριος",),
    "Μανώλης": ("Εμμανουήλ",),
    "Μανόλης": ("Εμμανουήλ",),
    "Μιχάλης": ("Μιχαήλ",),
    "Σωτήρης": ("Σωτήριος",),
    "Αντώνης": ("Αντώνιος",),
    "Αποστόλης": ("Απόστολος",),
    "Στέλιος": ("Στυλιανός",),
    "Θοδωρής": ("Θεόδωρος",),
    "Θόδωρος": ("Θεόδωρος",),
    "Βαγγέλης": ("Ευάγγελος",),
    "Σπύρος": ("Σπυρίδων",),
    "Μπάμπης": ("Χαράλαμπος",),
    "Χάρης": ("Χαράλαμπος",),
    "Στάθης": ("Ευστάθιος",),
    "Γρηγόρης": ("Γρηγόριος",),
    "Θύμιος": ("Ευθύμιος",),
    "Στρατής": ("Ευστράτιος",),
    "Αλέκος": ("Αλέξανδρος",),
    "Αλέξης": ("Αλέξιος", "Αλέξανδρος"),
    "Μάκης": ("Σταμάτιος", "Πρόδρομος"),
    "Γιαννάκης": ("Ιωάννης",),
    "Γιωργάκης": ("Γεώργιος",),
    "Φώτης": ("Φώτιος",),
    "Ζήσης": ("Ζήσιμος",),
    "Τόλης": ("Απόστολος",),
    "Νάσος": ("Αθανάσιος",),
    # women
    "Μαίρη": ("Μαρία",),
    "Μαρούλα": ("Μαρία",),
    "Μαριώ": ("Μαρία",),
    "Κατερίνα": ("Αικατερίνη",),
    "Κατίνα": ("Αικατερίνη",),
    "Ρένα": ("Ειρήνη",),
    "Λένα": ("Ελένη",),
    "Κική": ("Κυριακή",),
    "Βίκυ": ("Βασιλική",),
    "Βάσω": ("Βασιλική",),
    "Ντίνα": ("Κωνσταντίνα",),
    "Γιώτα": ("Παναγιώτα",),
    "Τασούλα": ("Αναστασία",),
    "Τασία": ("Αναστασία",),
    "Βούλα": ("Παρασκευή", "Βασιλική"),
    "Βιβή": ("Παρασκευή",),
    "Γιάννα": ("Ιωάννα",),
    "Τζένη": ("Ευγενία",),
    "Ντόρα": ("Θεοδώρα",),
    "Πόπη": ("Καλλιόπη", "Πηνελόπη"),
    "Φανή": ("Θεοφανία", "Στεφανία"),
    "Σούλα": ("Αθανασία", "Σταυρούλα"),
    "Λίτσα": ("Ευαγγελία", "Αγγελική"),
    "Βαγγελιώ": ("Ευαγγελία",),
    "Ρούλα": ("Χαρίκλεια", "Σταυρούλα"),
    "Νίτσα": ("Ελένη", "Αικατερίνη"),
    "Φρόσω": ("Ευφροσύνη",),
    "Λευτερία": ("Ελευθερία",),
    "Μίνα": ("Ερμιόνη", "Φιλομήλα"),
    "Κούλα": ("Βασιλική", "Αικατερίνη"),
    "Χρύσα": ("Χρυσούλα", "Χρυσάνθη"),
    "Σοφούλα": ("Σοφία",),
    "Ελενίτσα": ("Ελένη",),
}


def _stem(form: str) -> str:
    # the nominative's final σ falls in the genitive and vocative (Γιάννη, Κώστα)
    return form[:-1] if form.endswith("s") and len(form) > 3 else form


def _index() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for short, fulls in SHORT_FORMS.items():
        key = _stem(phonetic_word(short))
        for full in fulls:
            form = phonetic_word(full)
            if form != phonetic_word(short) and form not in index.setdefault(key, []):
                index[key].append(form)
    return {k: tuple(v) for k, v in index.items() if v}


_FULL_FORMS = _index()


def full_forms(phonetic: str) -> tuple[str, ...]:
    """The phonetic forms of the registered names a short form stands for (the phonetic
    form of a whole typed word, nominative or not), or () when it is no short form."""
    return _FULL_FORMS.get(_stem(phonetic), ())
