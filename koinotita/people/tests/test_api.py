from datetime import date, timedelta

import pytest
from django.utils import timezone

from koinotita.audit.models import AuditEvent
from koinotita.people.models import Person
from koinotita.testing.clients import api_client as api
from koinotita.testing.identifiers import make_amka
from koinotita.testing.people import person_make


def post(client, path, data):
    return client.post(path, data, content_type="application/json")


def patch(client, path, data):
    return client.patch(path, data, content_type="application/json")


BORN = date(1970, 6, 1)
GOOD = {
    "family_name": "Γεωργίου",
    "given_name": "Νίκος",
    "sex": "M",
    "birth_date": "1970-06-01",
    "amka": make_amka(BORN, "M"),
    "residence_municipality": "kastoria",
    "consent_given_on": date.today().isoformat(),
}


@pytest.fixture
def person(alice, network):
    p = person_make(
        actor=alice,
        centre=network["kastoria"],
        fields={"family_name": "Ζήση", "given_name": "Μαρία"},
    )
    return p


def test_register_read_and_patch(alice):
    client = api(alice)
    created = post(client, "/api/v1/people", GOOD)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["family_name_latin"] == "Georgiou" and body["centre"] == "kastoria"
    assert body["residence_municipality"] == "kastoria"
    read = client.get(f"/api/v1/people/{body['id']}")
    assert read.status_code == 200
    assert AuditEvent.objects.filter(action="person.read", object_id=str(body["id"])).exists()
    changed = patch(client, f"/api/v1/people/{body['id']}", {"phone": "697 000 1111"})
    assert changed.status_code == 200 and changed.json()["phone"] == "697 000 1111"
    assert changed.json()["amka"] == GOOD["amka"]  # untouched by a partial update


def test_validation_errors_answer_422_with_each_fields_messages(alice):
    response = post(
        api(alice), "/api/v1/people", {**GOOD, "amka": "123", "given_name": "", "email": "x"}
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) >= {"amka", "given_name", "email"}
    assert not Person.objects.exists()


def test_wrong_types_answer_422(alice):
    response = post(api(alice), "/api/v1/people", {**GOOD, "birth_date": "yesterday"})
    assert response.status_code == 422


def test_duplicate_answers_409_with_the_existing_id(alice):
    client = api(alice)
    first = post(client, "/api/v1/people", GOOD).json()
    second = post(client, "/api/v1/people", {**GOOD, "given_name": "Νικόλαος"})
    assert second.status_code == 409
    assert second.json()["existing_id"] == first["id"]


def test_warnings_need_confirm(alice):
    client = api(alice)
    data = {**GOOD, "birth_date": "1971-06-01"}
    assert post(client, "/api/v1/people", data).status_code == 422
    assert post(client, "/api/v1/people", {**data, "confirm": True}).status_code == 201


def test_search_is_scoped_and_ranked(alice, charlie, person):
    assert [h["id"] for h in api(alice).get("/api/v1/people/search", {"q": "zisi"}).json()] == [
        person.pk
    ]
    assert api(charlie).get("/api/v1/people/search", {"q": "zisi"}).json() == []


def test_out_of_scope_ids_answer_404(charlie, person):
    client = api(charlie)
    assert client.get(f"/api/v1/people/{person.pk}").status_code == 404
    assert patch(client, f"/api/v1/people/{person.pk}", {"phone": "6970000000"}).status_code == 404
    assert client.get(f"/api/v1/people/{person.pk}/contacts").status_code == 404
    response = post(
        client,
        "/api/v1/contacts",
        {
            "site": "florina-main",
            "persons": [person.pk],
            "at": timezone.now().isoformat(),
            "channel": "phone",
        },
    )
    assert response.status_code == 404
    assert post(client, "/api/v1/people", {**GOOD, "centre": "kastoria"}).status_code == 404


def test_log_contact_and_read_timeline(alice, person):
    client = api(alice)
    response = post(
        client,
        "/api/v1/contacts",
        {
            "site": "kastoria-antenna-nestorio",
            "persons": [person.pk],
            "at": (timezone.now() - timedelta(hours=1)).isoformat(),
            "channel": "antenna",
            "services": ["information"],
            "minutes": 10,
            "request": "Επίδομα",
        },
    )
    assert response.status_code == 201, response.json()
    timeline = client.get(f"/api/v1/people/{person.pk}/contacts").json()
    assert [c["services"] for c in timeline] == [["information"]]


def test_contact_with_bad_values_answers_422(alice, person):
    response = post(
        api(alice),
        "/api/v1/contacts",
        {
            "site": "kastoria-main",
            "persons": [person.pk],
            "at": timezone.now().isoformat(),
            "channel": "pigeon",
            "services": ["nope"],
        },
    )
    assert response.status_code == 422
    assert "services" in response.json()["errors"]


def test_list_is_paginated_and_scoped(alice, charlie, person):
    assert api(alice).get("/api/v1/people").json()["count"] == 1
    assert api(charlie).get("/api/v1/people").json()["count"] == 0


def test_monitor_cannot_register(mona):
    response = post(api(mona), "/api/v1/people", {**GOOD, "centre": "kastoria"})
    assert response.status_code == 404


def _contact(client, person_id):
    return post(
        client,
        "/api/v1/contacts",
        {
            "site": "kastoria-main",
            "persons": [person_id],
            "at": (timezone.now() - timedelta(minutes=5)).isoformat(),
            "channel": "in_person",
            "services": ["information"],
        },
    )


def test_a_client_registers_a_person_with_consent_and_logs_a_contact_for_them(alice):
    client = api(alice)
    created = post(client, "/api/v1/people", GOOD)
    assert created.status_code == 201, created.json()
    person_id = created.json()["id"]
    consents = client.get(f"/api/v1/people/{person_id}/consents").json()
    assert [(c["purpose"], c["in_force"], c["taken_by"]) for c in consents] == [
        ("registration", True, "alice")
    ]
    assert _contact(client, person_id).status_code == 201
    assert AuditEvent.objects.filter(action="consent.given", detail__person=person_id).exists()


def test_registration_without_consent_is_refused_and_writes_nothing(alice):
    client = api(alice)
    without = {k: v for k, v in GOOD.items() if k != "consent_given_on"}
    response = post(client, "/api/v1/people", without)
    assert response.status_code == 422
    assert "consent_given_on" in response.json()["errors"]
    future = {**GOOD, "consent_given_on": (date.today() + timedelta(days=1)).isoformat()}
    assert post(client, "/api/v1/people", future).status_code == 422
    assert not Person.objects.exists()


def test_registration_without_consent_is_answered_in_greek(alice):
    client = api(alice)
    without = {k: v for k, v in GOOD.items() if k != "consent_given_on"}
    response = client.post(
        "/api/v1/people",
        without,
        content_type="application/json",
        headers={"Accept-Language": "el"},
    )
    assert "συγκατάθεσ" in response.json()["errors"]["consent_given_on"][0]


def test_consents_recorded_and_withdrawn_through_the_api(alice, person):
    client = api(alice)
    sms = post(
        client,
        f"/api/v1/people/{person.pk}/consents",
        {"purpose": "sms", "given_on": date.today().isoformat()},
    )
    assert sms.status_code == 201, sms.json()
    registration = next(
        c
        for c in client.get(f"/api/v1/people/{person.pk}/consents").json()
        if c["purpose"] == "registration"
    )
    path = f"/api/v1/people/{person.pk}/consents/{registration['id']}/withdraw"
    assert post(client, path, {"reason": "  "}).status_code == 422  # a reason is required
    withdrawn = post(client, path, {"reason": "Το ζήτησε γραπτώς"})
    assert withdrawn.status_code == 200
    assert withdrawn.json()["in_force"] is False
    assert withdrawn.json()["withdrawn_reason"] == "Το ζήτησε γραπτώς"
    assert _contact(client, person.pk).status_code == 422  # no consent in force any more
    assert AuditEvent.objects.filter(action="consent.withdrawn").count() == 1


def test_consent_bad_inputs_answer_422(alice, person):
    client = api(alice)
    path = f"/api/v1/people/{person.pk}/consents"
    assert post(client, path, {"purpose": "tattoo", "given_on": "2026-01-01"}).status_code == 422
    assert post(client, path, {"purpose": "referral", "given_on": "2026-01-01"}).status_code == 422
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    assert post(client, path, {"purpose": "sms", "given_on": tomorrow}).status_code == 422
    assert person.consents.count() == 1


def test_consents_of_another_centre_answer_404(alice, charlie, person):
    client = api(charlie)
    consent = person.consents.get()
    assert client.get(f"/api/v1/people/{person.pk}/consents").status_code == 404
    body = {"purpose": "sms", "given_on": date.today().isoformat()}
    assert post(client, f"/api/v1/people/{person.pk}/consents", body).status_code == 404
    path = f"/api/v1/people/{person.pk}/consents/{consent.pk}/withdraw"
    assert post(client, path, {"reason": "x"}).status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_another_persons_consent_cannot_be_withdrawn_through_this_person(alice, network, person):
    other = person_make(
        actor=alice, centre=network["kastoria"], fields={"family_name": "Άλλη", "given_name": "Ιώ"}
    )
    path = f"/api/v1/people/{other.pk}/consents/{person.consents.get().pk}/withdraw"
    assert post(api(alice), path, {"reason": "x"}).status_code == 404


def test_reading_consents_is_audited(alice, person):
    api(alice).get(f"/api/v1/people/{person.pk}/consents")
    assert AuditEvent.objects.filter(action="person.read", object_id=str(person.pk)).exists()
