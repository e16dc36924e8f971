from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from koinotita.accounts.services import api_token_create
from koinotita.audit.models import AuditEvent
from koinotita.people.models import Person
from koinotita.people.services import consent_record, person_register
from koinotita.testing.identifiers import make_amka


def api(user):
    _token, key = api_token_create(user=user)
    client = Client(headers={"Authorization": f"Bearer {key}", "Accept-Language": "en"})
    return client


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
}


@pytest.fixture
def person(alice, network):
    p = person_register(
        actor=alice,
        centre=network["kastoria"],
        fields={"family_name": "Ζήση", "given_name": "Μαρία"},
    )
    consent_record(actor=alice, person=p, purpose="registration", given_on=date.today())
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
