"""Counts in Greek agree with their number (issue 14): one «γραμμή», two «γραμμές»."""

import pytest
from django.utils import translation

from koinotita.referrals.reminders import _summary

# (singular msgid, plural msgid, Greek for 1, Greek for 3), as the code calls ngettext
CASES = [
    (
        "Nothing was imported: %(n)d row was rejected.",
        "Nothing was imported: %(n)d rows were rejected.",
        "απορρίφθηκε 1 γραμμή.",
        "απορρίφθηκαν 3 γραμμές.",
    ),
    (
        "Nothing was imported: %(n)d row was rejected. Correct it, or import only the valid rows.",
        "Nothing was imported: %(n)d rows were rejected. Correct them, or import only the valid "
        "rows.",
        "απορρίφθηκε 1 γραμμή. Διορθώστε την",
        "απορρίφθηκαν 3 γραμμές. Διορθώστε τις",
    ),
    (
        "%(n)d person was imported.",
        "%(n)d persons were imported.",
        "Εισήχθη 1 ωφελούμενος/η.",
        "Εισήχθησαν 3 ωφελούμενοι.",
    ),
    (
        "The operation ends in %(n)d day with %(left)s of the budget (%(amount)s) not yet spent.",
        "The operation ends in %(n)d days with %(left)s of the budget (%(amount)s) not yet spent.",
        "σε 1 ημέρα και",
        "σε 3 ημέρες και",
    ),
]


@pytest.mark.parametrize(("one", "many", "el_one", "el_many"), CASES)
def test_greek_singular_and_plural(one, many, el_one, el_many):
    values = {"n": 0, "left": "40%", "amount": "1.000,00 €"}
    with translation.override("el"):
        if "%(n)d day" in one:  # the funding message names its count "days"
            one, many = (s.replace("%(n)d", "%(days)d") for s in (one, many))
            values["days"] = 0
        for n, expected in ((1, el_one), (3, el_many)):
            values.update(n=n, days=n)
            assert expected in translation.ngettext(one, many, n) % values


def test_overdue_referrals_reminder_counts_in_greek():
    with translation.override("el"):
        assert _summary([object()]) == "1 καθυστερημένη παραπομπή"
        assert _summary([object()] * 2) == "2 καθυστερημένες παραπομπές"
