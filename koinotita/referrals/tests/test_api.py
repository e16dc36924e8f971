"""The referral API: create, take a step, read; 409, 422, 404 as the pages."""

import json
from datetime import timedelta

from django.utils import timezone

from koinotita.audit.models import AuditEvent
from koinotita.referrals.models import Referral, State
from koinotita.testing.clients import api_client as api


def post(client, path, data):
    return client.post(path, data, content_type="application/json")


def _payload(person, service, **extra):
    return {
        "person_id": person.pk,
        "service_id": str(service.pk),
        "reason": "Ανάγκη ψυχολογικής στήριξης.",
        "urgency": "urgent",
        "shared_fields": ["name", "birth_date"],
        "response_due": (timezone.localdate() + timedelta(days=5)).isoformat(),
        **extra,
    }


def test_create_send_read_and_step(alice, person, service, consent):
    client = api(alice)
    created = post(client, "/api/v1/referrals", _payload(person, service, send=True))
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["state"] == "sent" and body["protocol_number"]
    assert [s["to_state"] for s in body["steps"]] == ["draft", "sent"]
    read = client.get(f"/api/v1/referrals/{body['id']}")
    assert read.status_code == 200 and read.json()["shared_fields"] == ["name", "birth_date"]
    assert AuditEvent.objects.filter(action="referral.read", object_id=str(body["id"])).exists()
    step = post(client, f"/api/v1/referrals/{body['id']}/transitions", {"to_state": "accepted"})
    assert step.status_code == 200 and step.json()["state"] == "accepted"
    listing = client.get("/api/v1/referrals")
    assert listing.status_code == 200 and listing.json()["items"][0]["id"] == body["id"]


def test_a_step_not_allowed_answers_409(alice, sent):
    response = post(
        api(alice), f"/api/v1/referrals/{sent.pk}/transitions", {"to_state": "completed"}
    )
    assert response.status_code == 409
    assert response.json()["state"] == "sent"
    sent.refresh_from_db()
    assert sent.state == State.SENT


def test_invalid_input_answers_422_and_saves_nothing(alice, person, service):
    client = api(alice)
    bad = post(
        client,
        "/api/v1/referrals",
        _payload(person, service, reason="", urgency="later", shared_fields=["religion"]),
    )
    assert bad.status_code == 422
    assert set(bad.json()["errors"]) >= {"reason", "urgency", "shared_fields"}
    wrong_type = post(client, "/api/v1/referrals", _payload(person, service, response_due="soon"))
    assert wrong_type.status_code == 422
    unknown = post(
        client,
        "/api/v1/referrals",
        _payload(person, service, service_id="00000000-0000-0000-0000-000000000000"),
    )
    assert unknown.status_code == 422 and "service_id" in unknown.json()["errors"]
    declined = post(client, "/api/v1/referrals", _payload(person, service))
    step = post(client, f"/api/v1/referrals/{declined.json()['id']}/transitions", {"to_state": "x"})
    assert step.status_code == 422
    assert Referral.objects.count() == 1


def test_send_without_consent_answers_422_and_saves_nothing(alice, person, service):
    response = post(api(alice), "/api/v1/referrals", _payload(person, service, send=True))
    assert response.status_code == 422 and "consent" in response.json()["errors"]
    assert not Referral.objects.exists()


def test_other_centre_gets_404_for_every_endpoint(charlie, sent, person, service):
    client = api(charlie)
    assert client.get(f"/api/v1/referrals/{sent.pk}").status_code == 404
    response = post(client, f"/api/v1/referrals/{sent.pk}/transitions", {"to_state": "withdrawn"})
    assert response.status_code == 404
    assert post(client, "/api/v1/referrals", _payload(person, service)).status_code == 404
    assert client.get(f"/api/v1/referrals/inbox/{sent.pk}").status_code == 404
    response = post(
        client, f"/api/v1/referrals/inbox/{sent.pk}/transitions", {"to_state": "accepted"}
    )
    assert response.status_code == 404
    assert client.get("/api/v1/referrals").json()["count"] == 0
    sent.refresh_from_db()
    assert sent.state == State.SENT


def test_partner_reads_only_shared_fields_and_answers(pat_member, sent, person):
    client = api(pat_member)
    inbox = client.get("/api/v1/referrals/inbox")
    assert inbox.status_code == 200 and inbox.json()["items"][0]["id"] == sent.pk
    detail = client.get(f"/api/v1/referrals/inbox/{sent.pk}")
    text = json.dumps(detail.json(), ensure_ascii=False)
    assert detail.status_code == 200 and "Ζήση Μαρία" in text
    assert person.amka not in text and person.email not in text and "person_id" not in text
    assert client.get(f"/api/v1/referrals/{sent.pk}").status_code == 404  # not the staff view
    answer = post(
        client, f"/api/v1/referrals/inbox/{sent.pk}/transitions", {"to_state": "accepted"}
    )
    assert answer.status_code == 200 and answer.json()["state"] == "accepted"
    again = post(
        client,
        f"/api/v1/referrals/inbox/{sent.pk}/transitions",
        {"to_state": "declined", "reason": "x"},
    )
    assert again.status_code == 409
    withdraw = post(
        client, f"/api/v1/referrals/inbox/{sent.pk}/transitions", {"to_state": "withdrawn"}
    )
    assert withdraw.status_code == 403


def test_partner_cannot_reach_another_organisations_referral(pat_member, alice, person,
                                                             other_service):  # fmt: skip
    from datetime import date

    from koinotita.people.services import consent_record
    from koinotita.referrals.services import referral_create, referral_send

    consent_record(actor=alice, person=person, purpose="referral", partner="ΔΥΠΑ Καστοριάς",
                   given_on=date.today())  # fmt: skip
    elsewhere = referral_create(actor=alice, person=person, service=other_service, reason="x")
    referral_send(actor=alice, referral=elsewhere)
    client = api(pat_member)
    assert client.get(f"/api/v1/referrals/inbox/{elsewhere.pk}").status_code == 404
    assert client.get("/api/v1/referrals/inbox").json()["count"] == 0
