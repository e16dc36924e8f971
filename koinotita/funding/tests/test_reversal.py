"""Reversing a wrong expenditure: it stays listed, counts nowhere, frees its document
reference, and only the supervisors and admins of the municipality may do it — in the
service, on the page and in the API."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from koinotita.audit.models import AuditEvent
from koinotita.funding import services
from koinotita.funding.models import Expenditure
from koinotita.funding.selectors import operation_figures, with_current
from koinotita.funding.tests.test_api import BASE, api
from koinotita.funding.tests.test_services import messages_of, spend
from koinotita.testing.clients import logged_in

D = Decimal


@pytest.fixture
def two(sam, operation):
    """Two expenditures of Kastoria's operation: 1,000.00 € (INV-1) and 250.50 € (INV-2)."""
    first = spend(sam, operation, "1000.00", ref="INV-1")
    spend(sam, operation, "250.50", ref="INV-2", day=dt.date(2023, 5, 2))
    return first


def reverse_(actor, operation, expenditure, reason="Καταχωρίστηκε δύο φορές"):
    return services.expenditure_reverse(
        actor=actor, operation=operation, expenditure_id=expenditure.pk, reason=reason
    )


def test_a_reversed_expenditure_counts_nowhere_and_is_audited(sam, operation, two):
    assert operation_figures(operation).spent == D("1250.50")
    reversed_ = reverse_(sam, operation, two)
    assert reversed_.reversed_by == sam and reversed_.reversal_reason == "Καταχωρίστηκε δύο φορές"
    assert operation_figures(operation).spent == D("250.50")
    assert with_current(type(operation).objects.filter(pk=operation.pk)).get().spent == D("250.50")
    assert Expenditure.objects.count() == 2  # nothing deleted
    event = AuditEvent.objects.get(action="funding.expenditure.reversed")
    assert event.reason == "Καταχωρίστηκε δύο φορές" and event.detail["amount"] == "1000.00"


def test_the_document_reference_is_free_again_after_a_reversal(sam, operation, two):
    with pytest.raises(ValidationError):
        spend(sam, operation, "100.00", ref="INV-1")
    reverse_(sam, operation, two)
    right = spend(sam, operation, "100.00", ref="INV-1")
    assert right.reversed_at is None
    assert operation_figures(operation).spent == D("350.50")


def test_a_reversed_expenditure_no_longer_blocks_a_budget_cut(sam, operation, two):
    reverse_(sam, operation, two)
    services.amendment_record(
        actor=sam,
        operation=operation,
        date=dt.date(2023, 6, 1),
        decision_ref="ΑΔΑ: 9",
        reason="Περικοπή",
        new_budget="500.00",
    )
    assert operation_figures(operation).budget == D("500.00")


@pytest.mark.parametrize(
    "reason, message",
    [("   ", "Say why the expenditure is reversed."), ("x" * 301, "longer than 300")],
)
def test_a_reversal_needs_a_reason(sam, operation, two, reason, message):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        reverse_(sam, operation, two, reason=reason)
    assert message in messages_of(exc)
    two.refresh_from_db()
    assert two.reversed_at is None
    assert not AuditEvent.objects.filter(action="funding.expenditure.reversed").exists()


def test_reversing_twice_is_refused_in_greek(sam, operation, two):
    reverse_(sam, operation, two)
    with pytest.raises(ValidationError) as exc:
        reverse_(sam, operation, two, reason="ξανά")
    assert "έχει ήδη αντιλογιστεί" in messages_of(exc)
    two.refresh_from_db()
    assert two.reversal_reason == "Καταχωρίστηκε δύο φορές"


def test_only_supervisors_and_admins_reverse(operation, two, mona, alice, fiona):
    for user in (mona, alice, fiona):
        with pytest.raises(PermissionDenied):
            reverse_(user, operation, two)
    two.refresh_from_db()
    assert two.reversed_at is None


def test_page_lists_the_reversal_and_the_totals_agree(sam, operation, two):
    client = logged_in(sam)
    url = reverse("funding-expenditure-reverse", args=[operation.pk, two.pk])
    detail = reverse("funding-operation-detail", args=[operation.pk])
    assert url in client.get(detail).content.decode()
    form = client.get(url)
    assert form.status_code == 200 and "1.000,00 €" in form.content.decode()
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200 and "Πείτε γιατί" in refused.content.decode()
    assert client.post(url, {"reason": "Λάθος ποσό"}).status_code == 302
    html = client.get(detail).content.decode()
    assert "<del>1.000,00 €</del>" in html and "Λάθος ποσό" in html
    assert 'id="spent-total">250,50 €' in html
    again = client.post(url, {"reason": "ξανά"})
    assert again.status_code == 200 and "έχει ήδη αντιλογιστεί" in again.content.decode()


def test_xlsx_keeps_reversed_expenditures_apart_and_its_total_agrees(sam, operation, two):
    from openpyxl import load_workbook

    reverse_(sam, operation, two)
    response = logged_in(sam).get(reverse("funding-operation-export", args=[operation.pk, "xlsx"]))
    book = load_workbook(io.BytesIO(response.getvalue()))
    spending = book["Δαπάνες"]
    amounts = [r[2] for r in spending.iter_rows(min_row=2, values_only=True)]
    assert [round(float(a), 2) for a in amounts] == [250.5, 250.5]  # the row, then the total
    reversed_sheet = book["Αντιλογισμοί"]
    rows = list(reversed_sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1 and rows[0][3] == "INV-1" and rows[0][5] == "Καταχωρίστηκε δύο φορές"


@pytest.mark.parametrize("who", ["charlie", "fiona", "alice", "tina"])
def test_page_and_api_answer_404_outside_the_scope(request, operation, two, who):
    user = request.getfixturevalue(who)
    url = reverse("funding-expenditure-reverse", args=[operation.pk, two.pk])
    assert logged_in(user).get(url).status_code == 404
    assert logged_in(user).post(url, {"reason": "x"}).status_code == 404
    response = api(user).post(
        f"{BASE}/{operation.pk}/expenditures/{two.pk}/reverse",
        {"reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404
    two.refresh_from_db()
    assert two.reversed_at is None


def test_monitor_gets_403_on_the_page_and_in_the_api(mona, operation, two):
    url = reverse("funding-expenditure-reverse", args=[operation.pk, two.pk])
    assert logged_in(mona).post(url, {"reason": "x"}).status_code == 403
    response = api(mona).post(
        f"{BASE}/{operation.pk}/expenditures/{two.pk}/reverse",
        {"reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403
    two.refresh_from_db()
    assert two.reversed_at is None


def test_api_reverses_and_lists_the_reversal(sam, operation, two):
    path = f"{BASE}/{operation.pk}/expenditures/{two.pk}/reverse"
    bad = api(sam).post(path, {"reason": " "}, content_type="application/json")
    assert bad.status_code == 422
    assert "Say why the expenditure is reversed." in bad.json()["errors"]["reason"]
    greek = api(sam, "el").post(path, {"reason": " "}, content_type="application/json")
    assert "Πείτε γιατί" in greek.json()["errors"]["reason"][0]
    done = api(sam).post(path, {"reason": "Διπλή καταχώριση"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["reversed"] is True
    listing = api(sam).get(f"{BASE}/{operation.pk}/expenditures").json()
    assert [(e["document_ref"], e["reversed"]) for e in listing] == [
        ("INV-1", True),
        ("INV-2", False),
    ]
    assert api(sam).get(f"{BASE}/{operation.pk}").json()["figures"]["spent"] == "250.50"
    missing = api(sam).post(
        f"{BASE}/{operation.pk}/expenditures/999999/reverse",
        {"reason": "x"},
        content_type="application/json",
    )
    assert missing.status_code == 404
