"""A draft can be changed by its centre before it is sent, on its page and through the API;
a referral once sent cannot."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from koinotita.audit.models import AuditEvent
from koinotita.referrals.models import State
from koinotita.referrals.services import StepNotAllowed, referral_create, referral_update
from koinotita.referrals.tests.test_api import api


def _form(service, **extra):
    return {
        "service": str(service.pk),
        "reason": "Χρειάζεται συμβουλευτική απασχόλησης.",
        "urgency": "urgent",
        "shared_fields": ["name", "email"],
        "response_due": (timezone.localdate() + timedelta(days=20)).isoformat(),
        **extra,
    }


def test_caseworker_changes_a_draft_on_its_page(alice, client_for, draft, other_service):
    client = client_for(alice)
    detail = client.get(reverse("referrals-referral-detail", args=[draft.pk])).content.decode()
    url = reverse("referrals-referral-edit", args=[draft.pk])
    assert f'href="{url}"' in detail
    page = client.get(url)
    assert page.status_code == 200 and draft.reason in page.content.decode()
    assert AuditEvent.objects.filter(action="referral.read", object_id=str(draft.pk)).exists()
    response = client.post(url, _form(other_service))
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals-referral-detail", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.service_id == other_service.pk
    assert draft.organization_id == other_service.organization_id
    assert draft.reason == "Χρειάζεται συμβουλευτική απασχόλησης."
    assert draft.urgency == "urgent" and draft.shared_fields == ["name", "email"]
    assert draft.response_due == timezone.localdate() + timedelta(days=20)
    assert draft.state == State.DRAFT
    event = AuditEvent.objects.get(action="referral.updated", object_id=str(draft.pk))
    assert set(event.detail["changed"]) >= {"service", "reason", "urgency", "shared_fields"}


def test_a_colleague_of_the_centre_may_change_the_draft(bob, client_for, draft, service):
    response = client_for(bob).post(
        reverse("referrals-referral-edit", args=[draft.pk]), _form(service, reason="Άλλος λόγος.")
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.reason == "Άλλος λόγος."


def test_a_sent_referral_cannot_be_changed_on_its_page(alice, client_for, sent, other_service):
    client = client_for(alice)
    url = reverse("referrals-referral-edit", args=[sent.pk])
    detail = client.get(reverse("referrals-referral-detail", args=[sent.pk])).content.decode()
    assert f'href="{url}"' not in detail
    refused = client.get(url, follow=True)
    assert "αλλάζει μόνο όσο είναι πρόχειρη" in refused.content.decode()
    posted = client.post(url, _form(other_service), follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "can no longer be changed: only a draft can" in posted.content.decode()
    before = sent.reason
    sent.refresh_from_db()
    assert sent.service_id != other_service.pk and sent.reason == before
    assert not AuditEvent.objects.filter(action="referral.updated").exists()


def test_bad_input_on_the_draft_form_saves_nothing(alice, client_for, draft, service):
    response = client_for(alice).post(
        reverse("referrals-referral-edit", args=[draft.pk]),
        _form(service, reason="", shared_fields=["name", "categories"]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"reason", "shared_fields"}
    before = draft.reason
    draft.refresh_from_db()
    assert draft.reason == before and draft.shared_fields == ["name", "phone"]


def test_other_centre_gets_404_for_the_edit_page(charlie, client_for, draft, service):
    url = reverse("referrals-referral-edit", args=[draft.pk])
    assert client_for(charlie).get(url).status_code == 404
    assert client_for(charlie).post(url, _form(service)).status_code == 404
    draft.refresh_from_db()
    assert draft.urgency == "priority"


def test_the_service_refuses_a_sent_referral_and_a_past_deadline(alice, sent, person, service):
    draft = referral_create(actor=alice, person=person, service=service, reason="Λόγος.")
    with translation.override("en"), pytest.raises(StepNotAllowed, match="only a draft"):
        referral_update(actor=alice, referral=sent, reason="Άλλος λόγος.")
    with pytest.raises(StepNotAllowed, match="αλλάζει μόνο όσο είναι πρόχειρη"):
        referral_update(actor=alice, referral=sent, reason="Άλλος λόγος.")
    with pytest.raises(ValidationError) as caught:
        referral_update(
            actor=alice, referral=draft, response_due=timezone.localdate() - timedelta(days=1)
        )
    assert "response_due" in caught.value.message_dict


# --- the API -------------------------------------------------------------------------------


def patch(client, path, data):
    return client.patch(path, json.dumps(data), content_type="application/json")


def test_api_changes_a_draft_only_the_fields_given(alice, draft, other_service):
    client = api(alice)
    response = patch(
        client,
        f"/api/v1/referrals/{draft.pk}",
        {"service_id": str(other_service.pk), "shared_fields": ["name"], "response_due": None},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["service_id"] == str(other_service.pk) and body["shared_fields"] == ["name"]
    assert body["response_due"] is None and body["urgency"] == "priority"
    draft.refresh_from_db()
    assert draft.organization_id == other_service.organization_id


def test_api_refuses_to_change_a_sent_referral_with_409(alice, sent):
    response = patch(api(alice), f"/api/v1/referrals/{sent.pk}", {"reason": "Άλλος λόγος."})
    assert response.status_code == 409
    assert response.json()["state"] == "sent"
    assert "only a draft can" in response.json()["detail"]
    sent.refresh_from_db()
    assert sent.reason != "Άλλος λόγος."


def test_api_bad_input_answers_422_and_saves_nothing(alice, draft):
    client = api(alice)
    bad = patch(client, f"/api/v1/referrals/{draft.pk}", {"reason": " ", "urgency": "soon"})
    assert bad.status_code == 422 and bad.json()["errors"].keys() >= {"reason", "urgency"}
    nowhere = {"service_id": "00000000-0000-0000-0000-000000000000"}
    unknown = patch(client, f"/api/v1/referrals/{draft.pk}", nowhere)
    assert unknown.status_code == 422
    draft.refresh_from_db()
    assert draft.urgency == "priority" and draft.reason.startswith("Χρειάζεται")


def test_api_other_centre_gets_404_for_the_change(charlie, draft):
    response = patch(api(charlie), f"/api/v1/referrals/{draft.pk}", {"reason": "Άλλος λόγος."})
    assert response.status_code == 404
