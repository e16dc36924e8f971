"""The programmes API: the public catalogue, the pre-screening (saved only when asked), and
the application journey — with the pages' rules (404 out of scope, 422 with a message)."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from koinotita.audit.models import AuditEvent
from koinotita.lib.dates import add_months
from koinotita.programmes.models import Application, Parameter, Prescreening
from koinotita.testing.clients import api_client

JSON = "application/json"

FAMILY = {
    "members": [
        {"age": 40, "relationship": "head"},
        {"age": 38, "relationship": "partner"},
        {"age": 10, "relationship": "child"},
        {"age": 7, "relationship": "child"},
    ],
    "income_6m": "600",
    "deposits": "1000",
    "real_estate": "0",
    "single_parent": False,
    "renting": True,
}


def post(client, path, data):
    return client.post(f"/api/v1{path}", data=data, content_type=JSON)


def minimum_income(answer) -> dict:
    return next(r for r in answer.json()["results"] if r["programme"] == "minimum-income")


def test_the_catalogue_is_public(catalogue):
    answer = Client().get("/api/v1/programmes")
    assert answer.status_code == 200
    codes = [p["code"] for p in answer.json()]
    assert "minimum-income" in codes
    one = Client().get("/api/v1/programmes/minimum-income").json()
    assert one["legal_source"] and one["documents"]
    assert Client().get("/api/v1/programmes/no-such").status_code == 404


def test_prescreening_stores_nothing_unless_asked(catalogue, household, alice):
    client = api_client(alice)
    before = post(client, "/prescreenings", {**FAMILY, "on": "2023-11-30"})
    after = post(client, "/prescreenings", {**FAMILY, "on": "2023-12-01"})
    assert before.status_code == after.status_code == 200
    # 200 + 100 + 50 + 50 = 400 a month guaranteed, less the 100 of monthly income.
    assert minimum_income(before)["amount"] == "300.00"
    # 216 + 108 + 54 + 54 = 432, less 100.
    assert minimum_income(after)["amount"] == "332.00"
    assert minimum_income(after)["verdict"] == "probably"
    assert not Prescreening.objects.exists()
    saved = post(client, "/prescreenings", {**FAMILY, "person_id": household.pk, "save": True})
    assert saved.status_code == 201
    stored = Prescreening.objects.get()
    assert saved.json()["id"] == stored.pk and stored.person == household
    assert client.get(f"/api/v1/prescreenings/{stored.pk}").json()["results"]


def test_a_saved_prescreening_keeps_its_parameters(catalogue, household, alice, ada):
    client = api_client(alice)
    saved = post(
        client,
        "/prescreenings",
        {**FAMILY, "person_id": household.pk, "save": True, "on": "2024-01-10"},
    ).json()
    Parameter.objects.filter(key="applicant", valid_from="2023-12-01").update(value="999")
    again = client.get(f"/api/v1/prescreenings/{saved['id']}")
    assert minimum_income(again)["amount"] == "332.00"


def test_incomplete_facts_cannot_tell_and_say_what_is_missing(catalogue, alice):
    facts = {**FAMILY, "income_6m": None}
    result = minimum_income(post(api_client(alice), "/prescreenings", facts))
    assert result["verdict"] == "cannot_tell"
    assert "income_6m" in result["missing"]
    assert result["amount"] is None


def test_a_negative_income_is_refused_in_both_languages(catalogue, alice):
    facts = {**FAMILY, "income_6m": "-5"}
    english = post(api_client(alice), "/prescreenings", facts)
    greek = post(api_client(alice, "el"), "/prescreenings", facts)
    assert english.status_code == greek.status_code == 422
    assert english.json()["errors"]["income_6m"] == ["Income cannot be negative."]
    assert greek.json()["errors"]["income_6m"] == ["Το εισόδημα δεν μπορεί να είναι αρνητικό."]


def test_saving_needs_the_person(catalogue, alice):
    answer = post(api_client(alice), "/prescreenings", {**FAMILY, "save": True})
    assert answer.status_code == 422
    assert "person_id" in answer.json()["errors"]


def test_the_application_journey(catalogue, household, alice):
    client = api_client(alice)
    today = timezone.localdate()
    created = post(client, "/applications", {"person_id": household.pk,
                                              "programme": "minimum-income"})  # fmt: skip
    assert created.status_code == 201
    pk = created.json()["id"]
    documents = post(client, f"/applications/{pk}/documents", {"documents": ["id", "iban"]})
    assert documents.json()["documents"] == ["iban", "id"]
    submitted = post(
        client,
        f"/applications/{pk}/submit",
        {"submitted_on": (today - timedelta(days=3)).isoformat(), "reference_number": "A-77"},
    )
    assert submitted.json()["state"] == "submitted"
    decided = post(
        client,
        f"/applications/{pk}/decision",
        {"step": "approve", "decision_on": today.isoformat(), "amount": "332"},
    )
    body = decided.json()
    assert body["state"] == "approved"
    assert body["renewal_on"] == add_months(today, 6).isoformat()
    assert [s["action"] for s in body["steps"]] == ["create", "documents", "submit", "approve"]
    listed = client.get("/api/v1/applications", {"person_id": household.pk}).json()
    assert [a["id"] for a in listed["items"]] == [pk]
    assert AuditEvent.objects.filter(action="application.list", actor=alice).exists()
    ended = post(client, f"/applications/{pk}/end", {})
    assert ended.json()["state"] == "ended"


def test_a_reference_number_of_another_person_is_refused(catalogue, household, alice):
    client = api_client(alice)
    today = timezone.localdate().isoformat()
    first = Application.objects.create(
        centre_id=household.centre_id, person=household, programme=catalogue["minimum-income"],
        staff=alice, state="submitted", reference_number="R-5", submitted_on=today,
    )  # fmt: skip
    other = household.household.members.exclude(pk=household.pk).first()
    second = post(client, "/applications", {"person_id": other.pk,
                                            "programme": "minimum-income"}).json()  # fmt: skip
    answer = post(
        client,
        f"/applications/{second['id']}/submit",
        {"submitted_on": today, "reference_number": "R-5"},
    )
    assert answer.status_code == 422
    assert "reference_number" in answer.json()["errors"]
    assert first.reference_number == "R-5"


def test_a_step_out_of_order_is_422(catalogue, household, alice):
    client = api_client(alice)
    pk = post(client, "/applications", {"person_id": household.pk,
                                        "programme": "food-aid"}).json()["id"]  # fmt: skip
    answer = post(
        client,
        f"/applications/{pk}/decision",
        {"step": "approve", "decision_on": timezone.localdate().isoformat()},
    )
    assert answer.status_code == 422


def test_another_centre_gets_404(catalogue, household, alice, charlie):
    client = api_client(alice)
    pk = post(client, "/applications", {"person_id": household.pk,
                                        "programme": "minimum-income"}).json()["id"]  # fmt: skip
    other = api_client(charlie)
    assert other.get(f"/api/v1/applications/{pk}").status_code == 404
    assert post(other, f"/applications/{pk}/end", {}).status_code == 404
    assert other.get("/api/v1/applications").json()["items"] == []
    saving = {**FAMILY, "person_id": household.pk, "save": True}
    assert post(other, "/prescreenings", saving).status_code == 404
    assert not Prescreening.objects.exists()
