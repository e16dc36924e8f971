"""Record-level validation: each check of koinotita.monitoring.checks fails on a record
built to fail it and passes on the same record put right; warnings are kept as flags on
the record (service and import alike), errors refuse it (the import rejects the row with
the check's code); every message has its Greek form."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from openpyxl import Workbook

from koinotita.monitoring import services
from koinotita.monitoring.checks import BY_CODE, CHECKS, ERROR, record_checks
from koinotita.monitoring.conftest import enter, follow, leave
from koinotita.monitoring.imports import participation_import
from koinotita.monitoring.models import Participation

D = dt.date
GOOD = {
    "entry_date": D(2025, 1, 10),
    "sex": "F",
    "age_at_entry": 40,
    "labour_status": "employed",
    "isced": "3-4",
    "exit_date": D(2025, 3, 1),
    "exit_status": "employed",
    "exit_observed_on": D(2025, 3, 10),
    "followup_on": D(2025, 9, 1),
    "followup_status": "employed",
    "improved_situation": True,
}
# code: (what makes the GOOD record fail it)
FAILING = {
    "R01": {"labour_status": ""},
    "R02": {"unemployed_months": 5},
    "R04": {"in_education": True},
    "R05": {"single_adult": True, "dependent_children": False},
    "R06": {"exit_date": D(2025, 1, 1), "exit_observed_on": None, "followup_on": None},
    "R07": {"followup_status": "unemployed"},
    "R08": {"age_at_entry": 111},
    "R09": {"age_at_entry": 121},
    "R10": {"exit_observed_on": D(2025, 3, 30)},
    "R11": {"followup_on": D(2025, 5, 1)},
}


def test_every_check_is_tested_and_has_a_unique_code():
    assert set(FAILING) == {c.code for c in CHECKS}
    assert len(BY_CODE) == len(CHECKS)


def test_the_good_record_passes_every_check():
    assert record_checks(Participation(**GOOD)) == []


@pytest.mark.parametrize("code", sorted(FAILING))
def test_each_check_fails_only_on_what_it_checks(code):
    record = Participation(**{**GOOD, **FAILING[code]})
    assert [c.code for c in record_checks(record)] == [code]


def test_r07_also_flags_an_improvement_of_someone_not_employed_at_entry():
    record = Participation(**{**GOOD, "labour_status": "inactive"})
    assert [c.code for c in record_checks(record)] == ["R07"]


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.code)
def test_each_message_has_its_code_in_greek_and_english(check):
    with translation.override("en"):
        english = str(check.message)
    with translation.override("el"):
        greek = str(check.message)
    assert english.startswith(check.code + ":") and greek.startswith(check.code + ":")
    assert greek != english


def test_the_service_keeps_a_warning_as_a_flag(alice, person_factory):
    person = person_factory()
    record = enter(
        alice, person, D(2025, 1, 10), labour_status="employed", in_education=True,
        single_adult=True,
    )  # fmt: skip
    record.refresh_from_db()
    assert record.flags == "R04,R05"
    assert record.in_education is True  # kept as typed, not "corrected"
    services.participation_update_entry(
        actor=alice, record=record, fields={"in_education": False, "dependent_children": True}
    )
    record.refresh_from_db()
    assert record.flags == ""


def test_the_service_refuses_an_error_with_its_code(alice, person_factory):
    with pytest.raises(ValidationError) as caught:
        enter(alice, person_factory(), D(2025, 1, 10), age_at_entry=130, sex="F")
    # The age comes from the person's birth date when it holds one; this one has none.
    assert any("R09" in m for m in caught.value.message_dict["age_at_entry"])


def test_flags_follow_the_exit_and_the_follow_up(alice, person_factory):
    record = enter(alice, person_factory(), D(2025, 1, 10), labour_status="employed")
    leave(alice, record, D(2025, 2, 1), "employed", exit_observed_on=D(2025, 3, 15))
    record.refresh_from_db()
    assert record.flags == "R10"
    follow(alice, record, D(2025, 3, 20), "employed")
    record.refresh_from_db()
    assert record.flags == "R10,R11"


def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Ημερομηνία εισόδου", "Φύλο", "Ημερομηνία γέννησης",
                  "Κατάσταση στην αγορά εργασίας", "Μήνες ανεργίας", "ISCED",
                  "Σε εκπαίδευση ή κατάρτιση", "Ημερομηνία εξόδου",
                  "Κατάσταση κατά την έξοδο"])  # fmt: skip
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_import_keeps_warnings_with_their_codes_and_refuses_the_impossible(sam, network):
    k = network["kastoria"]
    flagged = ["01/02/2025", "Γ", "01/01/1990", "employed", "", "3-4", "ναι", "", ""]
    impossible = ["01/02/2025", "Α", "01/01/1990", "employed", "", "3-4", "", "01/01/2025",
                  "employed"]  # fmt: skip
    report = participation_import(
        actor=sam, centre=k, name="a.xlsx", data=_xlsx([flagged, impossible])
    )
    assert [r.line for r in report.rejected] == [3]
    assert "R06" in report.rejected[0].reason
    assert not report.written  # all or nothing
    report = participation_import(actor=sam, centre=k, name="a.xlsx", data=_xlsx([flagged]))
    assert report.written == 1
    assert [(w.line, w.message[:3]) for w in report.warnings] == [(2, "R04")]
    assert Participation.objects.get(centre=k).flags == "R04"


def test_errors_are_the_impossible_records_only():
    assert {c.code for c in CHECKS if c.severity == ERROR} == {"R06", "R09"}
