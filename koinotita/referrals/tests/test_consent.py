"""What may be shared is limited by the person's consent: the people app records consent per
recipient (no fields), so a referral goes only to an organisation the person consented to,
and carries only fields of the fixed list of koinotita.referrals.rules.SHAREABLE."""

import json

from django.urls import reverse

from koinotita.referrals.models import Referral, State
from koinotita.referrals.rules import SHAREABLE_KEYS
from koinotita.referrals.services import referral_update
from koinotita.referrals.tests.test_api import api


def test_the_form_shows_the_consents_and_marks_the_services_they_cover(
    alice, client_for, person, consent, org, service, other_service
):
    page = client_for(alice).get(reverse("referrals-referral-new", args=[person.pk]))
    body = page.content.decode()
    assert org.name in body  # the consent's recipient, as the directory names it
    options = {o.split('"')[1]: o for o in body.split("<option value=")[1:] if '"' in o}
    assert "συγκατάθεση" in options[str(service.pk)]
    assert "συγκατάθεση" not in options[str(other_service.pk)]


def test_the_form_says_when_no_consent_is_recorded(alice, client_for, person, service):
    page = client_for(alice).get(
        reverse("referrals-referral-new", args=[person.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "No consent to share with a partner is recorded for this person." in (
        page.content.decode()
    )


def test_a_draft_moved_to_a_recipient_without_consent_cannot_be_sent(
    alice, client_for, draft, consent, other_service
):
    referral_update(actor=alice, referral=draft, service=other_service)
    response = client_for(alice).post(
        reverse("referrals-referral-send", args=[draft.pk]), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "has not consented to sharing with «ΔΥΠΑ Καστοριάς»" in response.content.decode()
    refused = api(alice).post(
        f"/api/v1/referrals/{draft.pk}/transitions",
        json.dumps({"to_state": "sent"}),
        content_type="application/json",
    )
    assert refused.status_code == 422 and "consent" in refused.json()["errors"]
    draft.refresh_from_db()
    assert draft.state == State.DRAFT and draft.protocol_number == "" and draft.consent is None


def test_only_the_fixed_list_of_safe_fields_can_be_shared(alice, person, service, consent):
    assert "categories" not in SHAREABLE_KEYS and "id_document_number" not in SHAREABLE_KEYS
    response = api(alice).post(
        "/api/v1/referrals",
        json.dumps(
            {
                "person_id": person.pk,
                "service_id": str(service.pk),
                "reason": "Λόγος.",
                "shared_fields": ["name", "categories", "id_document_number"],
                "send": True,
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "categories, id_document_number" in response.json()["errors"]["shared_fields"][0]
    assert not Referral.objects.exists()
