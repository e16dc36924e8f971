"""A list read is audited once, naming the persons of the page it answered and no others."""

from django.test import Client

from koinotita.accounts.services import api_token_create
from koinotita.audit.models import AuditEvent
from koinotita.testing.people import person_make


def test_the_people_endpoint_audits_the_persons_of_its_page_only(alice, network):
    persons = [
        person_make(
            actor=alice,
            centre=network["kastoria"],
            fields={"family_name": name, "given_name": "Ελένη", "sex": "F"},
        )
        for name in ("Άλφα", "Βήτα", "Γάμμα")
    ]
    _token, key = api_token_create(user=alice)
    client = Client(headers={"Authorization": f"Bearer {key}"})
    answer = client.get("/api/v1/people?page=2&page_size=2")
    assert answer.status_code == 200
    assert [p["id"] for p in answer.json()["items"]] == [persons[2].pk]
    event = AuditEvent.objects.get(action="person.list")
    assert event.detail["persons"] == [persons[2].pk] and event.actor == alice
    assert event.centre_id == network["kastoria"].pk
