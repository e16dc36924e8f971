"""The figures of the help with programmes: aggregates of the centres in scope, small cells
suppressed, medians from the first contact, XLSX/CSV formula-neutralised, within twelve
queries; caseworkers get 403."""

import io
from datetime import date, datetime

from django.utils import timezone
from openpyxl import load_workbook

from koinotita.lib.suppression import MARK
from koinotita.programmes.models import Application, Prescreening, Programme
from koinotita.programmes.reference import programmes_load_reference
from koinotita.reception.models import Contact, ContactPerson
from koinotita.testing.clients import logged_in
from koinotita.testing.people import person_make

S = Application.State


def _world(alice, network, n=12):
    programmes_load_reference()
    kastoria = network["kastoria"]
    site = kastoria.sites.first()
    income = Programme.objects.get(code="minimum-income")
    today = timezone.localdate()
    for i in range(n):
        fields = {"family_name": "Παππά" + "α" * i, "given_name": "Α", "sex": "F"}
        person = person_make(actor=alice, centre=kastoria, fields=fields)
        contact = Contact.objects.create(
            centre=kastoria, site=site, channel="in_person", staff=alice,
            at=timezone.make_aware(datetime(2025, 1, 1, 10)),
        )  # fmt: skip
        ContactPerson.objects.create(centre=kastoria, contact=contact, person=person)
        Application.objects.create(
            centre=kastoria, person=person, programme=income, staff=alice,
            state=S.APPROVED if i % 2 else S.SUBMITTED,
            submitted_on=date(2025, 1, 11), decision_on=date(2025, 2, 10) if i % 2 else None,
            reference_number=f"R-{i}",
        )  # fmt: skip
        Prescreening.objects.create(
            centre=kastoria, person=person, on=today, created_by=alice,
            results=[{"programme": "minimum-income", "verdict": "probably" if i < 9
                      else "probably_not"}],
        )  # fmt: skip
    return income


def _table(page, key):
    return next(t for t in page.context["figures"].tables if t.key == key)


def test_a_supervisor_sees_the_counts_suppressed_and_the_medians(
    alice, sam, network, django_assert_max_num_queries
):
    income = _world(alice, network)
    client = logged_in(sam)
    client.get("/monitoring/programmes/")
    with django_assert_max_num_queries(12):
        page = client.get("/monitoring/programmes/")
    assert page.status_code == 200
    screenings = dict(_table(page, "prescreenings").shown_rows())
    # 9 probably, 3 probably not: the 3 is suppressed, and the smallest other cell with it.
    row = screenings[income.label]
    assert row[0] == 9 and row[1] == MARK and row[-1] == 12
    applications = dict(_table(page, "applications").shown_rows())[income.label]
    assert applications[1] == 6 and applications[2] == 6  # submitted, approved
    medians = dict(_table(page, "medians").shown_rows())[income.label]
    assert medians == [12, 10, 40]  # 1/1 → 11/1 and → 10/2
    assert "Παππά" not in page.content.decode()


def test_a_caseworker_cannot_read_them(alice):
    assert logged_in(alice).get("/monitoring/programmes/").status_code == 403


def test_the_exports_are_formula_neutral(alice, sam, network):
    _world(alice, network, n=6)
    client = logged_in(sam)
    csv = client.get("/monitoring/programmes/figures.csv")
    assert csv.status_code == 200 and csv.content.startswith("\ufeff".encode())
    xlsx = client.get("/monitoring/programmes/figures.xlsx")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert all(c.data_type != "f" for row in book.active.iter_rows() for c in row)
    assert client.get("/monitoring/programmes/figures.pdf").status_code == 404


def test_a_monitor_reads_the_region(alice, mona, network):
    _world(alice, network, n=6)
    page = logged_in(mona).get("/monitoring/programmes/")
    assert page.status_code == 200
    assert page.context["figures"].centres > 1
