"""The pages: catalogue, pre-screening from a person's record, saved pre-screenings and
their PDF, applications — each works for the centre's staff, answers 404 to another
centre's worker, and is audited."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from koinotita.audit.models import AuditEvent
from koinotita.programmes.conftest import AFTER, family
from koinotita.programmes.models import Application, Parameter, Prescreening
from koinotita.programmes.services import (
    application_create,
    application_decide,
    application_submit,
    parameter_save,
    prescreening_save,
)

pytestmark = pytest.mark.django_db


def prescreen_data(on="2023-12-01", income="600", **extra):
    data = {
        "on": on,
        "income_6m": income,
        "deposits": "1000",
        "real_estate": "0",
        "single_parent": "no",
        "renting": "yes",
        "members-TOTAL_FORMS": "4",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "20",
    }
    for n, (age, rel) in enumerate([(38, "head"), (36, "partner"), (9, "child"), (6, "child")]):
        data[f"members-{n}-age"] = str(age)
        data[f"members-{n}-relationship"] = rel
    data.update(extra)
    return data


def test_the_catalogue_lists_the_programmes(catalogue, alice, client_for):
    page = client_for(alice).get("/programmes/")
    assert page.status_code == 200
    assert "Ελάχιστο Εγγυημένο Εισόδημα" in page.content.decode()
    detail = client_for(alice).get("/programmes/catalogue/minimum-income/")
    assert "ΦΕΚ Β΄ 6456/2023" in detail.content.decode()


def test_the_prescreening_is_prefilled_from_the_household(catalogue, household, alice, client_for):
    page = client_for(alice).get(f"/programmes/prescreen/{household.pk}/")
    assert page.status_code == 200
    members = page.context["members"]
    ages = [f.initial.get("age") for f in members.forms if f.initial]
    today = timezone.localdate()
    assert len(ages) == 4
    assert ages[0] == today.year - 1985 - ((today.month, today.day) < (4, 2))
    assert [f.initial["relationship"] for f in members.forms if f.initial][2:] == ["child"] * 2


def test_checking_shows_the_amounts_and_saves_nothing(catalogue, household, alice, client_for):
    client = client_for(alice)
    before = client.post(
        f"/programmes/prescreen/{household.pk}/", prescreen_data("2023-11-30", action="check")
    )
    after = client.post(
        f"/programmes/prescreen/{household.pk}/", prescreen_data("2023-12-01", action="check")
    )
    assert {r["code"]: r["amount"] for r in before.context["results"]}["minimum-income"] == Decimal(
        "300.00"
    )
    assert {r["code"]: r["amount"] for r in after.context["results"]}["minimum-income"] == Decimal(
        "332.00"
    )
    assert "332,00 €" in after.content.decode() or "332.00 €" in after.content.decode()
    assert not Prescreening.objects.exists()


def test_saving_keeps_it_on_the_timeline_and_is_audited(catalogue, household, alice, client_for):
    client = client_for(alice)
    response = client.post(f"/programmes/prescreen/{household.pk}/", prescreen_data(action="save"))
    saved = Prescreening.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/programmes/prescreenings/{saved.pk}/"
    assert saved.on == date(2023, 12, 1)
    assert AuditEvent.objects.filter(
        action="prescreening.created", object_id=str(household.pk)
    ).exists()
    person_page = client.get(f"/people/{household.pk}/").content.decode()
    assert f"/programmes/person/{household.pk}/" in person_page  # loaded after the page
    section = client.get(f"/programmes/person/{household.pk}/", HTTP_HX_REQUEST="true")
    assert f"/programmes/prescreenings/{saved.pk}/" in section.content.decode()
    assert "<html" not in section.content.decode()
    detail = client.get(f"/programmes/prescreenings/{saved.pk}/")
    assert detail.status_code == 200
    assert AuditEvent.objects.filter(action="prescreening.read", actor=alice).exists()


def test_a_negative_income_is_refused_in_greek(catalogue, household, alice, client_for):
    response = client_for(alice).post(
        f"/programmes/prescreen/{household.pk}/", prescreen_data(income="-5", action="save")
    )
    assert response.status_code == 200
    assert "Το εισόδημα δεν μπορεί να είναι αρνητικό." in response.content.decode()
    assert not Prescreening.objects.exists()


def test_changing_a_parameter_never_changes_a_saved_prescreening(catalogue, household, alice, ada):
    saved = prescreening_save(actor=alice, person=household, facts=family(), on=AFTER)
    amount = Parameter.objects.get(key="amount_applicant", valid_to=None)
    amount.value = Decimal("999")
    parameter_save(parameter=amount, actor=ada)
    saved.refresh_from_db()
    minimum = next(r for r in saved.results if r["programme"] == "minimum-income")
    assert minimum["amount"] == "332.00"
    assert minimum["parameters"]["amount_applicant"]["value"] == "216.00"
    assert minimum["rule_version"] == "2023-12.1"


def test_the_prescreening_prints_as_a_greek_pdf(catalogue, household, alice, client_for):
    saved = prescreening_save(actor=alice, person=household, facts=family(), on=AFTER)
    response = client_for(alice).get(f"/programmes/prescreenings/{saved.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="prescreening.printed").exists()


@pytest.mark.parametrize(
    "url",
    [
        "/programmes/prescreen/{person}/",
        "/programmes/person/{person}/",
        "/programmes/prescreenings/{prescreening}/",
        "/programmes/prescreenings/{prescreening}/pdf/",
        "/programmes/applications/new/{person}/",
        "/programmes/applications/{application}/",
    ],
)
def test_another_centres_worker_gets_404(catalogue, household, alice, charlie, client_for, url):
    saved = prescreening_save(actor=alice, person=household, facts=family(), on=AFTER)
    application = application_create(
        actor=alice, person=household, programme=catalogue["minimum-income"]
    )
    target = url.format(person=household.pk, prescreening=saved.pk, application=application.pk)
    assert client_for(charlie).get(target).status_code == 404


@pytest.mark.parametrize("step", ["documents", "submit", "decide", "end"])
def test_another_centres_worker_cannot_step_an_application(catalogue, household, alice, charlie,
                                                           client_for, step):  # fmt: skip
    application = application_create(
        actor=alice, person=household, programme=catalogue["minimum-income"]
    )
    response = client_for(charlie).post(f"/programmes/applications/{application.pk}/{step}/", {})
    assert response.status_code == 404


def test_the_application_journey_by_the_pages(catalogue, household, alice, client_for):
    client = client_for(alice)
    response = client.post(
        f"/programmes/applications/new/{household.pk}/",
        {"programme": catalogue["minimum-income"].pk},
    )
    application = Application.objects.get()
    assert response["Location"] == f"/programmes/applications/{application.pk}/"
    client.post(
        f"/programmes/applications/{application.pk}/documents/", {"documents": ["id", "iban"]}
    )
    today = timezone.localdate()
    client.post(
        f"/programmes/applications/{application.pk}/submit/",
        {"submitted_on": today.isoformat(), "reference_number": "ΕΕΕ-2026-000123"},
    )
    client.post(
        f"/programmes/applications/{application.pk}/decide/",
        {"step": "approve", "decision_on": today.isoformat(), "amount": "332"},
    )
    application.refresh_from_db()
    assert application.documents == ["iban", "id"]
    assert application.state == Application.State.APPROVED
    assert application.reference_number == "ΕΕΕ-2026-000123"
    assert application.submitted_by == alice
    assert application.amount == Decimal("332")
    # Six months of approval: the new application is due in the month the approval expires.
    assert application.renewal_on == date(today.year + (today.month + 5) // 12,
                                          (today.month + 5) % 12 + 1, 1)  # fmt: skip
    actions = set(
        AuditEvent.objects.filter(object_id=str(household.pk)).values_list("action", flat=True)
    )
    assert {"application.created", "application.documents", "application.submitted",
            "application.approve"} <= actions  # fmt: skip
    assert [s.action for s in application.steps.all()] == [
        "create", "documents", "submit", "approve",
    ]  # fmt: skip


def test_a_reference_number_of_another_persons_application_is_refused(
    catalogue, household, alice, client_for
):
    from koinotita.programmes.conftest import register

    other = register(alice, household.centre, "Άλλος", "Κώστας", date(1960, 1, 1), sex="M")
    first = application_create(actor=alice, person=household, programme=catalogue["minimum-income"])
    application_submit(
        actor=alice, application=first, submitted_on=timezone.localdate(), reference_number="R-1"
    )
    second = application_create(actor=alice, person=other, programme=catalogue["minimum-income"])
    response = client_for(alice).post(
        f"/programmes/applications/{second.pk}/submit/",
        {"submitted_on": timezone.localdate().isoformat(), "reference_number": "R-1"},
    )
    assert response.status_code == 400
    assert "έχει ήδη καταχωριστεί σε άλλη αίτηση" in response.content.decode()
    second.refresh_from_db()
    assert second.state == Application.State.PREPARATION


def test_a_step_out_of_order_is_refused(catalogue, household, alice):
    from django.core.exceptions import ValidationError

    application = application_create(
        actor=alice, person=household, programme=catalogue["minimum-income"]
    )
    with pytest.raises(ValidationError):
        application_decide(
            actor=alice, application=application, step="approve", decision_on=timezone.localdate()
        )


def test_applications_needing_action_lists_preparation_and_renewals_due(
    catalogue, household, alice, bob, client_for
):
    today = timezone.localdate()
    waiting = application_create(actor=alice, person=household, programme=catalogue["food-aid"])
    renewal = application_create(
        actor=alice, person=household, programme=catalogue["minimum-income"]
    )
    application_submit(
        actor=alice, application=renewal, submitted_on=today - timedelta(days=200),
        reference_number="R-9",
    )  # fmt: skip
    application_decide(
        actor=alice, application=renewal, step="approve", decision_on=today - timedelta(days=180),
        amount=Decimal("300"), renewal_on=today + timedelta(days=10),
    )  # fmt: skip
    page = client_for(alice).get("/programmes/applications/")
    rows = page.context["rows"]
    assert {a.pk for a, _ in rows} == {waiting.pk, renewal.pk}
    assert dict((a.pk, due) for a, due in rows)[renewal.pk] is True
    assert AuditEvent.objects.filter(action="application.list", actor=alice).exists()
    assert client_for(bob).get("/programmes/applications/").context["rows"] == []


def test_english_pages(catalogue, household, alice, client_for):
    client = client_for(alice)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.post(f"/programmes/prescreen/{household.pk}/", prescreen_data(action="check"))
    text = page.content.decode()
    assert "Probably eligible" in text
    assert "Guaranteed amount for 2 adult(s) and 2 minor(s)" in text
