"""Reminders to citizens: an appointment reminder, or the documents to bring, by SMS or
e-mail, only to a person whose consent to that channel is in force, through the configured
backend (koinotita.lib.messaging). Every message is logged (Reminder) without its content
and audited; a backend failure leaves it `failed` and audited, for `reminder_retry` (which the
job queue schedules) — never lost silently."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from koinotita.accounts.scoping import Capability, scope_for
from koinotita.audit.services import audit_record
from koinotita.lib.messaging import MessagingError, message_backend
from koinotita.people.models import Consent
from koinotita.people.selectors import consent_in_force
from koinotita.reception.models import Appointment, Reminder

PURPOSE = {
    Reminder.Channel.SMS: Consent.Purpose.CONTACT_SMS,
    Reminder.Channel.EMAIL: Consent.Purpose.CONTACT_EMAIL,
}
TEMPLATES = {
    Reminder.Kind.APPOINTMENT: "reception/messages/appointment.txt",
    Reminder.Kind.DOCUMENTS: "reception/messages/documents.txt",
}
LANGUAGES = {"el", "en"}  # the languages the messages are written in


def _address(reminder: Reminder) -> str:
    person = reminder.person
    return person.phone if reminder.channel == Reminder.Channel.SMS else person.email


def _text(reminder: Reminder) -> str:
    appointment = reminder.appointment
    language = reminder.person.preferred_language
    with translation.override(language if language in LANGUAGES else "el"):
        return render_to_string(
            TEMPLATES[reminder.kind],
            {
                "appointment": appointment,
                "starts_at": timezone.localtime(appointment.starts_at),
                "documents": reminder.documents,
                "site": appointment.site,
            },
        ).strip()


def _deliver(reminder: Reminder, *, actor, request=None) -> Reminder:
    reminder.attempts += 1
    try:
        reminder.gateway_id = message_backend().send(
            channel=reminder.channel, to=_address(reminder), text=_text(reminder)
        )
    except MessagingError as exc:
        reminder.status, reminder.error = Reminder.Status.FAILED, str(exc)[:100]
    else:
        reminder.status, reminder.error, reminder.sent_at = Reminder.Status.SENT, "", timezone.now()
    reminder.save()
    audit_record(
        action="reminder.sent" if reminder.status == Reminder.Status.SENT else "reminder.failed",
        actor=actor,
        obj=reminder.person,
        request=request,
        detail={
            "reminder": reminder.pk,
            "kind": reminder.kind,
            "channel": reminder.channel,
            "attempt": reminder.attempts,
            "error": reminder.error,
        },
    )
    return reminder


@transaction.atomic
def reminder_send(
    *,
    actor,
    appointment: Appointment,
    kind: str = Reminder.Kind.APPOINTMENT,
    channel: str = Reminder.Channel.SMS,
    documents: list[str] | tuple = (),
    request=None,
) -> Reminder:
    """Send one reminder of `appointment` to its person. Refused without the person's
    consent to the channel, or without a phone / e-mail; a failure of the backend is kept as
    a `failed` reminder (see `reminder_retry`)."""
    if actor is not None and not scope_for(actor).allows(
        Capability.PERSONAL_DATA, appointment.centre_id
    ):
        raise PermissionDenied(_("You cannot send messages for this centre."))
    person = appointment.person
    if channel not in PURPOSE or kind not in TEMPLATES:
        raise ValidationError(_("Unknown kind or channel of message."))
    if not consent_in_force(person, PURPOSE[channel]):
        raise ValidationError(
            _("%(name)s has not consented to messages by this channel / Δεν υπάρχει συγκατάθεση.")
            % {"name": person}
        )
    reminder = Reminder(
        centre_id=appointment.centre_id,
        person=person,
        appointment=appointment,
        kind=kind,
        channel=channel,
        documents=[str(d)[:100] for d in documents],
        status=Reminder.Status.FAILED,
        created_by=actor,
    )
    if not _address(reminder):
        raise ValidationError(_("The person has no phone or e-mail for this channel."))
    reminder.save()
    return _deliver(reminder, actor=actor, request=request)


@transaction.atomic
def reminder_retry(*, reminder: Reminder, actor=None) -> Reminder:
    """Try a failed reminder again (the job queue calls this); a withdrawn consent ends it."""
    reminder = Reminder.objects.select_for_update().get(pk=reminder.pk)
    if reminder.status != Reminder.Status.FAILED:
        return reminder
    if not consent_in_force(reminder.person, PURPOSE[reminder.channel]):
        reminder.error = "consent withdrawn"
        reminder.save(update_fields=["error"])
        return reminder
    return _deliver(reminder, actor=actor)


def reminders_failed(centre_ids):
    """The reminders still failed, for the report to staff and the retry job."""
    return Reminder.objects.filter(
        centre_id__in=sorted(centre_ids), status=Reminder.Status.FAILED
    ).exclude(error="consent withdrawn")
