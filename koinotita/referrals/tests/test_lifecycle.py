"""The referral's life through the services: consent, steps, history, concurrency."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from koinotita.audit.models import AuditEvent
from koinotita.people.services import consent_record, consent_withdraw
from koinotita.referrals.models import Referral, ReferralEvent, State, Via
from koinotita.referrals.services import (
    AnsweredMeanwhile,
    StepNotAllowed,
    referral_create,
    referral_record_incoming,
    referral_send,
    referral_step,
)


def test_a_draft_is_created_with_its_first_step_and_audited(draft, alice):
    assert draft.state == State.DRAFT and draft.centre_id == draft.person.centre_id
    assert draft.organization_id == draft.service.organization_id
    assert draft.shared_fields == ["name", "phone"]
    step = ReferralEvent.objects.get(referral=draft)
    assert step.to_state == State.DRAFT and step.actor == alice
    assert AuditEvent.objects.filter(action="referral.created", object_id=str(draft.pk)).exists()


def test_a_referral_without_consent_for_that_recipient_cannot_be_sent(
    draft, alice, person, other_org
):
    consent_record(
        actor=alice,
        person=person,
        purpose="referral",
        recipient_key=str(other_org.pk),
        given_on=date.today(),
    )
    with pytest.raises(ValidationError) as caught:
        referral_send(actor=alice, referral=draft)
    assert "consent" in caught.value.message_dict
    draft.refresh_from_db()
    assert draft.state == State.DRAFT and draft.protocol_number == ""
    assert not AuditEvent.objects.filter(action="referral.sent").exists()


def test_a_withdrawn_consent_does_not_count(draft, alice, consent):
    consent_withdraw(actor=alice, consent=consent, reason="Το ζήτησε")
    with pytest.raises(ValidationError):
        referral_send(actor=alice, referral=draft)


def test_consent_by_the_alternate_name_counts(draft, alice, person):
    consent_record(
        actor=alice,
        person=person,
        purpose="referral",
        partner="ΚΨΥ ΚΑΣΤΟΡΙΑΣ",
        given_on=date.today(),
    )
    assert referral_send(actor=alice, referral=draft).state == State.SENT


def test_sending_gives_a_protocol_number_and_records_the_consent(sent, consent):
    year = timezone.localdate().year
    assert sent.state == State.SENT and sent.sent_at is not None
    assert sent.protocol_number == f"KASTORIA-{year}-00001"
    assert Referral.objects.get(pk=sent.pk).consent_id == consent.pk


def test_the_whole_loop_keeps_an_append_only_history(sent, pat_member):
    referral_step(actor=pat_member, referral=sent, to_state=State.RECEIVED, via=Via.PARTNER)
    referral_step(actor=pat_member, referral=sent, to_state=State.ACCEPTED, via=Via.PARTNER)
    referral_step(
        actor=pat_member,
        referral=sent,
        to_state=State.COMPLETED,
        outcome="Ξεκίνησε συνεδρίες.",
        via=Via.PARTNER,
    )
    sent.refresh_from_db()
    assert sent.state == State.COMPLETED and sent.outcome == "Ξεκίνησε συνεδρίες."
    assert sent.accepted_at and sent.answered_at and sent.closed_at and sent.received_at
    steps = list(ReferralEvent.objects.filter(referral=sent).values_list("to_state", "via"))
    assert steps == [
        ("draft", "centre"),
        ("sent", "centre"),
        ("received", "partner"),
        ("accepted", "partner"),
        ("completed", "partner"),
    ]


def test_a_step_not_allowed_from_the_current_state_is_refused(sent, alice):
    with pytest.raises(StepNotAllowed):
        referral_step(actor=alice, referral=sent, to_state=State.COMPLETED, outcome="x")
    with pytest.raises(StepNotAllowed):
        referral_send(actor=alice, referral=sent)
    sent.refresh_from_db()
    assert sent.state == State.SENT


def test_declining_needs_a_reason_and_not_completed_an_outcome(sent, alice):
    with pytest.raises(ValidationError) as caught:
        referral_step(actor=alice, referral=sent, to_state=State.DECLINED)
    assert "reason" in caught.value.message_dict
    referral_step(actor=alice, referral=sent, to_state=State.ACCEPTED)
    with pytest.raises(ValidationError) as caught:
        referral_step(actor=alice, referral=sent, to_state=State.NOT_COMPLETED, outcome=" ")
    assert "outcome" in caught.value.message_dict
    sent.refresh_from_db()
    assert sent.state == State.ACCEPTED


def test_two_answers_at_once_one_wins_the_other_is_told(sent, alice, pat_member):
    first = Referral.objects.get(pk=sent.pk)
    second = Referral.objects.get(pk=sent.pk)  # read by the other partner at the same time
    referral_step(actor=pat_member, referral=first, to_state=State.ACCEPTED, via=Via.PARTNER)
    with pytest.raises(AnsweredMeanwhile) as caught:
        referral_step(
            actor=alice, referral=second, to_state=State.DECLINED, reason="Δεν υπάρχει θέση."
        )
    assert caught.value.state == State.ACCEPTED
    sent.refresh_from_db()
    assert sent.state == State.ACCEPTED and sent.decline_reason == ""
    assert ReferralEvent.objects.filter(referral=sent, to_state=State.DECLINED).count() == 0


def test_a_partner_cannot_send_or_withdraw_nor_answer_for_another_organisation(
    sent, pat, other_org, pat_member
):
    with pytest.raises(PermissionDenied):
        referral_step(actor=pat_member, referral=sent, to_state=State.WITHDRAWN, via=Via.PARTNER)
    sent.organization = other_org  # as if addressed elsewhere
    with pytest.raises(PermissionDenied):
        referral_step(actor=pat_member, referral=sent, to_state=State.ACCEPTED, via=Via.PARTNER)


def test_another_centre_cannot_touch_the_referral(sent, charlie):
    with pytest.raises(PermissionDenied):
        referral_step(actor=charlie, referral=sent, to_state=State.WITHDRAWN)


def test_reception_cannot_refer(rita, person, service):
    with pytest.raises(PermissionDenied):
        referral_create(actor=rita, person=person, service=service, reason="x")


def test_bad_input_is_reported_per_field_and_nothing_is_saved(alice, person, service):
    service.accepting_referrals = False
    service.save()
    with pytest.raises(ValidationError) as caught:
        referral_create(
            actor=alice,
            person=person,
            service=service,
            reason="  ",
            urgency="whenever",
            shared_fields=["name", "religion"],
            response_due=timezone.localdate() - timedelta(days=1),
        )
    assert set(caught.value.message_dict) == {
        "service",
        "reason",
        "urgency",
        "shared_fields",
        "response_due",
    }
    assert not Referral.objects.exists()


def test_withdrawing_revokes_the_links(sent, alice):
    from koinotita.referrals.services import link_create

    link, _url = link_create(actor=alice, referral=sent, email="kpsy@example.org")
    referral_step(actor=alice, referral=sent, to_state=State.WITHDRAWN, note="Λάθος υπηρεσία.")
    link.refresh_from_db()
    assert link.revoked_at is not None


def test_an_incoming_referral_is_recorded_as_received_and_then_answered(alice, person):
    referral = referral_record_incoming(
        actor=alice,
        person=person,
        from_body="Κέντρο Υγείας Άργους Ορεστικού",
        reason="Οικονομική δυσκολία, χρειάζεται τρόφιμα.",
        received_on=timezone.localdate() - timedelta(days=2),
    )
    assert referral.direction == "incoming" and referral.state == State.RECEIVED
    referral_step(actor=alice, referral=referral, to_state=State.ACCEPTED)
    referral_step(actor=alice, referral=referral, to_state=State.COMPLETED, outcome="Ένταξη.")
    assert referral.state == State.COMPLETED


def test_an_incoming_referral_needs_its_body(alice, person):
    with pytest.raises(ValidationError) as caught:
        referral_record_incoming(actor=alice, person=person, from_body=" ", reason="x")
    assert "from_body" in caught.value.message_dict
