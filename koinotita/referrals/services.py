"""Writes about referrals: create, send, every later step, attachments, signed links, the
letter. One transaction and one audit event per call; the web pages, the partner inbox, the
signed-link page and the API all go through here.

Two answers at once: a step is written with a conditional UPDATE on the state the caller
saw (`UPDATE … WHERE id = %s AND state = %s`). The first one wins; the second updates no
row and is told that the referral was answered meanwhile (`AnsweredMeanwhile`)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from koinotita.accounts.models import Role
from koinotita.accounts.scoping import (
    Capability,
    administered_centre_ids,
    administers_user,
    scope_for,
)
from koinotita.audit.services import audit_record
from koinotita.lib import uploads
from koinotita.lib.errors import Conflict
from koinotita.referrals.models import (
    Attachment,
    Direction,
    PartnerMembership,
    Referral,
    ReferralEvent,
    ReferralLink,
    State,
    Urgency,
    Via,
)
from koinotita.referrals.rules import (
    ALL_SHAREABLE_KEYS,
    ANSWERABLE,
    ASKS_OUTCOME,
    ASKS_REASON,
    ATTACHMENTS,
    CENTRE_ONLY_STEPS,
    FINAL,
    OUTCOME_REQUIRED,
    PARTNER_STEPS,
    TRANSITIONS,
)
from koinotita.referrals.selectors import (
    consent_for_recipient,
    partner_reaches,
    shared_view,
)

LINK_SALT = "koinotita.referrals.link.respond"
REASON_MAX = 4000
NOTE_MAX = 4000


class StepNotAllowed(Conflict):
    """The step cannot follow the referral's current state (HTTP 409)."""

    def __init__(self, message: str, *, state: str):
        super().__init__(message)
        self.message = message
        self.state = state

    def problem(self) -> dict:
        return {"detail": self.message, "state": self.state}


class AnsweredMeanwhile(StepNotAllowed):
    """Someone else took a step on the referral after the caller read it (HTTP 409)."""


# --- helpers ----------------------------------------------------------------------------------


def _centre_staff(actor, referral_or_centre_id) -> bool:
    centre_id = getattr(referral_or_centre_id, "centre_id", referral_or_centre_id)
    return scope_for(actor).allows(Capability.CASE_FILES, centre_id)


def _require_centre_staff(actor, centre_id: int) -> None:
    if not _centre_staff(actor, centre_id):
        raise PermissionDenied(_("You cannot work with the referrals of this centre."))


def _state_label(state: str) -> str:
    return str(State(state).label) if state in State.values else state


def _step_refused(referral: Referral, to_state: str) -> StepNotAllowed:
    return StepNotAllowed(
        _("A referral that is «%(state)s» cannot become «%(to)s».")
        % {"state": _state_label(referral.state), "to": _state_label(to_state)},
        state=referral.state,
    )


def _clean_common(
    *,
    reason: str,
    urgency: str,
    shared_fields: list[str],
    response_due: date | None,
    errors: dict,
) -> tuple[str, list[str]]:
    reason = (reason or "").strip()
    if not reason:
        errors.setdefault("reason", []).append(_("Say why the person is referred."))
    elif len(reason) > REASON_MAX:
        errors.setdefault("reason", []).append(_("At most %(n)d characters.") % {"n": REASON_MAX})
    if urgency not in Urgency.values:
        errors.setdefault("urgency", []).append(_("Choose the urgency."))
    unknown = [f for f in shared_fields if f not in ALL_SHAREABLE_KEYS]
    if unknown:
        errors.setdefault("shared_fields", []).append(
            _("These fields cannot be shared: %(fields)s.") % {"fields": ", ".join(unknown)}
        )
    if response_due is not None and response_due < timezone.localdate():
        errors.setdefault("response_due", []).append(_("The deadline is in the past."))
    ordered = [f for f in ALL_SHAREABLE_KEYS if f in set(shared_fields)]
    return reason, ordered


def _event(
    referral: Referral,
    *,
    at: datetime,
    actor,
    via: str,
    from_state: str,
    to_state: str,
    note: str = "",
    actor_label: str = "",
) -> ReferralEvent:
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return ReferralEvent.objects.create(
        centre_id=referral.centre_id,
        referral=referral,
        at=at,
        actor=actor,
        actor_label=actor_label or (actor.get_full_name() or actor.get_username() if actor else ""),
        via=via,
        from_state=from_state,
        to_state=to_state,
        note=note,
    )


# --- create --------------------------------------------------------------------------------


def referral_create(
    *,
    actor,
    person,
    service,
    reason: str,
    urgency: str = Urgency.ROUTINE,
    shared_fields: list[str] | None = None,
    response_due: date | None = None,
    case=None,
    request=None,
) -> Referral:
    """A draft referral of `person` to `service` (a directory service). Sending it is a
    separate step, which needs the person's consent to share with the recipient."""
    _require_centre_staff(actor, person.centre_id)
    errors: dict[str, list[str]] = {}
    if not person.is_active:
        errors.setdefault("person", []).append(_("This record was merged or anonymised."))
    if service is None:
        errors.setdefault("service", []).append(_("Choose the service to refer to."))
    elif getattr(service, "status", "active") != "active" or not service.accepting_referrals:
        errors.setdefault("service", []).append(
            _("This service does not accept referrals at the moment.")
        )
    if case is not None and (case.centre_id != person.centre_id or case.person_id != person.pk):
        errors.setdefault("case", []).append(_("The case is not this person's."))
    reason, shared = _clean_common(
        reason=reason,
        urgency=urgency,
        shared_fields=list(shared_fields or []),
        response_due=response_due,
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    referral = Referral(
        centre_id=person.centre_id,
        person=person,
        direction=Direction.OUTGOING,
        service=service,
        organization_id=service.organization_id,
        reason=reason,
        urgency=urgency,
        shared_fields=shared,
        response_due=response_due,
        state=State.DRAFT,
        created_by=actor,
    )
    if case is not None:
        referral.case = case
    referral.full_clean(exclude=["consent"], validate_constraints=False)
    with transaction.atomic():
        referral.save()
        _event(
            referral,
            at=timezone.now(),
            actor=actor,
            via=Via.CENTRE,
            from_state="",
            to_state=State.DRAFT,
        )
        audit_record(
            action="referral.created",
            actor=actor,
            obj=referral,
            request=request,
            detail={"person": person.pk, "service": service.pk, "shared_fields": shared},
        )
    return referral


def referral_record_incoming(
    *,
    actor,
    person,
    from_body: str,
    reason: str,
    organization=None,
    urgency: str = Urgency.ROUTINE,
    received_on: date | None = None,
    response_due: date | None = None,
    note: str = "",
    request=None,
) -> Referral:
    """A referral of `person` received by the centre from another body, recorded as
    received; the centre then accepts or declines it and reports its outcome."""
    _require_centre_staff(actor, person.centre_id)
    errors: dict[str, list[str]] = {}
    from_body = " ".join((from_body or "").split())
    if not from_body and organization is None:
        errors.setdefault("from_body", []).append(_("Say which body referred the person."))
    today = timezone.localdate()
    if received_on is not None and received_on > today:
        errors.setdefault("received_on", []).append(_("The date is in the future."))
    reason, _shared = _clean_common(
        reason=reason, urgency=urgency, shared_fields=[], response_due=response_due, errors=errors
    )
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    at = now
    if received_on is not None and received_on != today:
        at = timezone.make_aware(datetime.combine(received_on, datetime.min.time()))
    referral = Referral(
        centre_id=person.centre_id,
        person=person,
        direction=Direction.INCOMING,
        organization=organization,
        from_body=from_body or str(getattr(organization, "name", "")),
        reason=reason,
        urgency=urgency,
        response_due=response_due,
        state=State.RECEIVED,
        created_by=actor,
        sent_at=at,
        received_at=at,
    )
    referral.full_clean(exclude=["consent", "service"], validate_constraints=False)
    with transaction.atomic():
        referral.save()
        _event(
            referral,
            at=at,
            actor=actor,
            via=Via.CENTRE,
            from_state="",
            to_state=State.RECEIVED,
            note=note.strip(),
        )
        audit_record(
            action="referral.incoming_recorded",
            actor=actor,
            obj=referral,
            request=request,
            detail={"person": person.pk, "from": referral.from_body},
        )
    return referral


EDITABLE = ("service", "reason", "urgency", "shared_fields", "response_due")


def referral_update(
    *,
    actor,
    referral: Referral,
    service=None,
    reason: str | None = None,
    urgency: str | None = None,
    shared_fields: list[str] | None = None,
    response_due: date | None = None,
    clear_response_due: bool = False,
    request=None,
) -> Referral:
    """Change a draft before it is sent: recipient service, reason, urgency, shared fields,
    deadline (None leaves a value as it is; `clear_response_due` removes the deadline). Only
    staff of the referring centre, and only while the referral is a draft: once sent, what
    the recipient was given is not rewritten (StepNotAllowed, HTTP 409)."""
    _require_centre_staff(actor, referral.centre_id)
    if referral.direction != Direction.OUTGOING or referral.state != State.DRAFT:
        raise StepNotAllowed(
            _("A referral that is «%(state)s» can no longer be changed: only a draft can.")
            % {"state": _state_label(referral.state)},
            state=referral.state,
        )
    errors: dict[str, list[str]] = {}
    moved = service is not None and service.pk != referral.service_id
    if moved and (
        getattr(service, "status", "active") != "active" or not service.accepting_referrals
    ):
        errors.setdefault("service", []).append(
            _("This service does not accept referrals at the moment.")
        )
    new_service = service if service is not None else referral.service
    new_due = None if clear_response_due else (response_due or referral.response_due)
    due_to_check = response_due if response_due != referral.response_due else None
    reason, shared = _clean_common(
        reason=referral.reason if reason is None else reason,
        urgency=referral.urgency if urgency is None else urgency,
        shared_fields=list(referral.shared_fields if shared_fields is None else shared_fields),
        response_due=due_to_check,
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    changes = {
        "service_id": new_service.pk,
        "organization_id": new_service.organization_id,
        "reason": reason,
        "urgency": referral.urgency if urgency is None else urgency,
        "shared_fields": shared,
        "response_due": new_due,
    }
    changed = sorted(
        name.removesuffix("_id")
        for name, value in changes.items()
        if name != "organization_id" and getattr(referral, name) != value
    )
    if not changed:
        return referral
    with transaction.atomic():
        # Conditional, like a step: if the draft was sent meanwhile, nothing is changed.
        updated = Referral.objects.filter(
            pk=referral.pk, centre_id=referral.centre_id, state=State.DRAFT
        ).update(updated_at=timezone.now(), **changes)
        if updated != 1:
            current = Referral.objects.filter(pk=referral.pk).values_list("state", flat=True)
            state = current.first() or referral.state
            raise StepNotAllowed(
                _("A referral that is «%(state)s» can no longer be changed: only a draft can.")
                % {"state": _state_label(state)},
                state=state,
            )
        for name, value in changes.items():
            setattr(referral, name, value)
        if service is not None:
            referral.service = new_service
        audit_record(
            action="referral.updated",
            actor=actor,
            obj=referral,
            request=request,
            detail={"changed": changed, "service": str(new_service.pk), "shared_fields": shared},
        )
    return referral


# --- the steps ------------------------------------------------------------------------------


def _next_protocol_number(referral: Referral, now: datetime) -> str:
    year = timezone.localtime(now).year
    prefix = f"{referral.centre.code.upper()}-{year}-"
    taken = Referral.objects.filter(
        centre_id=referral.centre_id, protocol_number__startswith=prefix
    ).count()
    return f"{prefix}{taken + 1:05d}"


def _write_step(
    referral: Referral,
    *,
    to_state: str,
    actor,
    via: str,
    note: str,
    actor_label: str = "",
    extra: dict | None = None,
) -> Referral:
    """The conditional UPDATE: from the state the caller saw to `to_state`, or nothing."""
    now = timezone.now()
    seen = referral.state
    changes: dict = {"state": to_state, "updated_at": now, **(extra or {})}
    if to_state == State.SENT:
        changes["sent_at"] = now
    elif to_state == State.RECEIVED:
        changes["received_at"] = now
    elif to_state in (State.ACCEPTED, State.DECLINED):
        changes["answered_at"] = now
        if referral.received_at is None:
            changes["received_at"] = now
        if to_state == State.ACCEPTED:
            changes["accepted_at"] = now
    if to_state in FINAL:
        changes["closed_at"] = now
    updated = Referral.objects.filter(
        pk=referral.pk, centre_id=referral.centre_id, state=seen
    ).update(**changes)
    if updated != 1:
        current = Referral.objects.filter(pk=referral.pk).values_list("state", flat=True).first()
        raise AnsweredMeanwhile(
            _(
                "Someone else answered this referral first: it is now «%(state)s». "
                "Nothing was changed; reload the page to see the answer."
            )
            % {"state": _state_label(current or seen)},
            state=current or seen,
        )
    for name, value in changes.items():
        setattr(referral, name, value)
    _event(
        referral,
        at=now,
        actor=actor,
        via=via,
        from_state=seen,
        to_state=to_state,
        note=note,
        actor_label=actor_label,
    )
    return referral


def _check_seen(referral: Referral, seen_state: str) -> None:
    """The caller answered a page that showed `seen_state`: if the referral moved on since,
    someone else answered first, and this answer is not taken."""
    if seen_state and seen_state != referral.state:
        raise AnsweredMeanwhile(
            _(
                "Someone else answered this referral first: it is now «%(state)s». "
                "Nothing was changed; reload the page to see the answer."
            )
            % {"state": _state_label(referral.state)},
            state=referral.state,
        )


def _clean_step(referral: Referral, to_state: str, note: str, reason: str, outcome: str):
    if to_state not in State.values:
        raise ValidationError({"to_state": [_("Unknown step.")]})
    if to_state not in TRANSITIONS.get(referral.state, frozenset()):
        raise _step_refused(referral, to_state)
    errors: dict[str, list[str]] = {}
    note, reason, outcome = (note or "").strip(), (reason or "").strip(), (outcome or "").strip()
    if len(note) > NOTE_MAX:
        errors.setdefault("note", []).append(_("At most %(n)d characters.") % {"n": NOTE_MAX})
    if to_state in ASKS_REASON and not reason:
        errors.setdefault("reason", []).append(_("Say why the referral is declined."))
    if to_state in OUTCOME_REQUIRED and not outcome:
        errors.setdefault("outcome", []).append(_("Say what the outcome was."))
    if len(reason) > 1000:
        errors.setdefault("reason", []).append(_("At most %(n)d characters.") % {"n": 1000})
    if len(outcome) > REASON_MAX:
        errors.setdefault("outcome", []).append(_("At most %(n)d characters.") % {"n": REASON_MAX})
    if errors:
        raise ValidationError(errors)
    extra = {}
    if to_state in ASKS_REASON:
        extra["decline_reason"] = reason
    if to_state in ASKS_OUTCOME:
        extra["outcome"] = outcome
    return note, extra


def referral_send(*, actor, referral: Referral, request=None, via: str = Via.CENTRE) -> Referral:
    """Send a draft: only with the person's consent in force to share with the recipient.
    Gives the referral its protocol number."""
    _require_centre_staff(actor, referral.centre_id)
    if referral.state != State.DRAFT:
        raise _step_refused(referral, State.SENT)
    consent = consent_for_recipient(referral.person, referral.organization)
    if consent is None:
        raise ValidationError(
            {
                "consent": [
                    _(
                        "The person has not consented to sharing with «%(org)s»: record the "
                        "consent (purpose: sharing with a partner for a referral, naming "
                        "this organisation) before sending."
                    )
                    % {"org": getattr(referral.organization, "name", "")}
                ]
            }
        )
    for _attempt in range(3):
        try:
            with transaction.atomic():
                now = timezone.now()
                number = _next_protocol_number(referral, now)
                _write_step(
                    referral,
                    to_state=State.SENT,
                    actor=actor,
                    via=via,
                    note="",
                    extra={"protocol_number": number, "consent_id": consent.pk},
                )
                audit_record(
                    action="referral.sent",
                    actor=actor,
                    obj=referral,
                    request=request,
                    detail={"protocol_number": number, "consent": consent.pk},
                )
            return referral
        except IntegrityError:  # another referral took the number a moment ago
            referral.state = State.DRAFT
            continue
    raise ValidationError(_("Not sent: please try again."))


def referral_step(
    *,
    actor,
    referral: Referral,
    to_state: str,
    note: str = "",
    reason: str = "",
    outcome: str = "",
    via: str = Via.CENTRE,
    seen_state: str = "",
    request=None,
) -> Referral:
    """A later step taken by staff of the referring centre (recording a partner's answer
    received on paper or by phone, or withdrawing) or by a partner user of the recipient
    organisation (`via=Via.PARTNER`)."""
    if to_state == State.SENT:
        return referral_send(actor=actor, referral=referral, request=request, via=via)
    partner_side = via == Via.PARTNER
    if partner_side:
        if not partner_reaches(actor, referral):
            raise PermissionDenied(_("This referral is not addressed to your organisation."))
        if to_state in CENTRE_ONLY_STEPS:
            raise PermissionDenied(_("Only the referring centre can do this."))
    else:
        _require_centre_staff(actor, referral.centre_id)
    _check_seen(referral, seen_state)
    note, extra = _clean_step(referral, to_state, note, reason, outcome)
    with transaction.atomic():
        _write_step(referral, to_state=to_state, actor=actor, via=via, note=note, extra=extra)
        if to_state == State.WITHDRAWN:
            ReferralLink.objects.filter(
                centre_id=referral.centre_id, referral=referral, revoked_at__isnull=True
            ).update(revoked_at=timezone.now(), revoked_by=actor)
        audit_record(
            action=f"referral.{to_state}",
            actor=actor,
            obj=referral,
            request=request,
            detail={"via": via},
        )
    return referral


# --- attachments ----------------------------------------------------------------------------


def _documents_dir() -> Path:
    return Path(settings.DOCUMENTS_DIR) / "referrals"


def attachment_path(attachment: Attachment) -> Path:
    path = (_documents_dir() / attachment.stored_name).resolve()
    if _documents_dir().resolve() not in path.parents:  # never outside the documents folder
        raise PermissionDenied
    return path


def attachment_add(*, actor, referral: Referral, upload, request=None) -> Attachment:
    """Store an uploaded document with a referral: PDF, PNG or JPEG, at most
    DOCUMENTS_MAX_BYTES, recognised by its content (koinotita.lib.uploads)."""
    _require_centre_staff(actor, referral.centre_id)
    if referral.state in FINAL:
        raise ValidationError({"file": [_("The referral is closed: nothing can be attached.")]})
    checked = uploads.check_upload(
        upload,
        kinds=uploads.REFERRAL_DOCUMENTS,
        max_bytes=settings.DOCUMENTS_MAX_BYTES,
        field="file",
    )
    content, content_type, suffix = checked.data, checked.content_type, f".{checked.extension}"
    name = Path(upload.name or "document").name[:150] or "document"
    stored = f"{referral.centre_id}/{uuid.uuid4().hex}{suffix}"
    attachment = Attachment(
        centre_id=referral.centre_id,
        referral=referral,
        original_name=name,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        stored_name=stored,
        uploaded_by=actor,
    )
    path = _documents_dir() / stored
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    try:
        with transaction.atomic():
            attachment.save()
            audit_record(
                action="referral.attachment_added",
                actor=actor,
                obj=attachment,
                request=request,
                detail={"referral": referral.pk, "bytes": len(content), "type": content_type},
            )
    except Exception:
        path.unlink(missing_ok=True)  # nothing half-saved
        raise
    return attachment


# --- signed links ---------------------------------------------------------------------------


def _link_token(link: ReferralLink) -> str:
    return signing.dumps(
        {"l": link.pk, "r": link.referral_id, "n": link.nonce, "p": link.purpose},
        salt=LINK_SALT,
    )


def link_url(link: ReferralLink) -> str:
    return settings.SITE_URL + reverse("referrals-link", args=[_link_token(link)])


def link_create(
    *, actor, referral: Referral, email: str, days: int | None = None, request=None
) -> tuple[ReferralLink, str]:
    """A signed, single-purpose, expiring link for the recipient to answer this referral
    without an account; e-mailed to `email`. Returns the link and its address."""
    from django.core.validators import validate_email

    _require_centre_staff(actor, referral.centre_id)
    if referral.direction != Direction.OUTGOING or referral.state not in ANSWERABLE:
        raise ValidationError(
            _("A link can be sent only for an outgoing referral that was sent and is open.")
        )
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": [_("Enter a valid e-mail address.")]}) from None
    days = days or settings.REFERRALS_LINK_DAYS
    if not 1 <= days <= 90:
        raise ValidationError({"days": [_("Between 1 and 90 days.")]})
    with transaction.atomic():
        link = ReferralLink.objects.create(
            centre_id=referral.centre_id,
            referral=referral,
            nonce=secrets.token_urlsafe(32),
            email=email,
            created_by=actor,
            expires_at=timezone.now() + timedelta(days=days),
        )
        url = link_url(link)
        audit_record(
            action="referral.link_created",
            actor=actor,
            obj=link,
            request=request,
            detail={"referral": referral.pk, "email": email, "days": days},
        )
        with translation.override("el"):
            subject = _("Referral %(number)s from %(centre)s") % {
                "number": referral.protocol_number,
                "centre": referral.centre.name,
            }
            body = render_to_string(
                "referrals/link_email.txt",
                {"referral": referral, "url": url, "link": link, "centre": referral.centre},
            )
        # In the transaction: if the mail cannot be handed over, no link exists.
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
    return link, url


def link_revoke(*, actor, link: ReferralLink, request=None) -> ReferralLink:
    _require_centre_staff(actor, link.centre_id)
    if link.revoked_at is None:
        with transaction.atomic():
            link.revoked_at = timezone.now()
            link.revoked_by = actor
            link.save(update_fields=["revoked_at", "revoked_by"])
            audit_record(
                action="referral.link_revoked",
                actor=actor,
                obj=link,
                request=request,
                detail={"referral": link.referral_id},
            )
    return link


class LinkRefused(Exception):
    """A link that is tampered with, foreign, expired or revoked. Always audited."""

    def __init__(self, why: str):
        super().__init__(why)
        self.why = why


def _refuse(why: str, *, link: ReferralLink | None, request, detail=None) -> LinkRefused:
    audit_record(
        action="referral.link_refused",
        obj=link,
        object_type="referrals.referrallink",
        object_id=link.pk if link else "",
        request=request,
        detail={"why": why, "referral": link.referral_id if link else None, **(detail or {})},
    )
    return LinkRefused(why)


def link_resolve(token: str, *, request=None, purpose: str = ReferralLink.Purpose.RESPOND):
    """The link a token stands for, if it is genuine, ours, unexpired and not revoked;
    otherwise LinkRefused (audited). Does not record a use."""
    try:
        payload = signing.loads(token, salt=LINK_SALT)
    except signing.BadSignature:
        raise _refuse("tampered", link=None, request=request) from None
    if not isinstance(payload, dict) or not {"l", "r", "n", "p"} <= set(payload):
        raise _refuse("foreign", link=None, request=request)
    link = (
        ReferralLink.objects.select_related(
            "referral__centre", "referral__person", "referral__service", "referral__organization"
        )
        .filter(pk=payload["l"])
        .first()
    )
    if (
        link is None
        or link.referral_id != payload["r"]
        or not secrets.compare_digest(link.nonce, str(payload["n"]))
    ):
        raise _refuse("foreign", link=link, request=request)
    if payload["p"] != purpose or link.purpose != purpose:
        raise _refuse("wrong_purpose", link=link, request=request)
    if link.revoked_at is not None:
        raise _refuse("revoked", link=link, request=request)
    if link.expires_at <= timezone.now():
        raise _refuse("expired", link=link, request=request)
    if link.referral.state == State.WITHDRAWN:
        raise _refuse("withdrawn", link=link, request=request)
    return link


def link_open(*, token: str, request=None) -> ReferralLink:
    """The recipient opens the link: resolved, counted and audited."""
    link = link_resolve(token, request=request)
    with transaction.atomic():
        now = timezone.now()
        ReferralLink.objects.filter(pk=link.pk).update(last_used_at=now, uses=F("uses") + 1)
        audit_record(
            action="referral.link_opened",
            obj=link.referral,
            request=request,
            detail={"link": link.pk},
        )
    return link


def link_answer(
    *,
    token: str,
    to_state: str,
    note: str = "",
    reason: str = "",
    outcome: str = "",
    seen_state: str = "",
    request=None,
) -> Referral:
    """The recipient answers through the link: acknowledge, accept, decline or report the
    outcome. Nothing else."""
    link = link_resolve(token, request=request)
    referral = link.referral
    if to_state not in PARTNER_STEPS:
        raise _refuse("wrong_step", link=link, request=request)
    _check_seen(referral, seen_state)
    note, extra = _clean_step(referral, to_state, note, reason, outcome)
    with transaction.atomic():
        _write_step(
            referral,
            to_state=to_state,
            actor=None,
            via=Via.LINK,
            note=note,
            actor_label=link.email,
            extra=extra,
        )
        ReferralLink.objects.filter(pk=link.pk).update(
            last_used_at=timezone.now(), uses=F("uses") + 1
        )
        audit_record(
            action=f"referral.{to_state}",
            obj=referral,
            request=request,
            detail={"via": Via.LINK, "link": link.pk, "email": link.email},
        )
    return referral


# --- the letter -----------------------------------------------------------------------------


@dataclass
class Letter:
    filename: str
    content: bytes
    content_type: str = "application/pdf"


def referral_letter(*, actor, referral: Referral, request=None) -> Letter:
    """The printable referral letter (PDF, Greek): the centre's details, the protocol number
    and the shared fields only. Audited."""
    from weasyprint import HTML  # imported on use: it loads Pango, which takes a moment
    from weasyprint.urls import URLFetcher

    _require_centre_staff(actor, referral.centre_id)
    if referral.direction != Direction.OUTGOING or not referral.protocol_number:
        raise ValidationError(_("Send the referral first: the letter carries its protocol number."))
    with translation.override("el"):
        html = render_to_string(
            "referrals/letter_pdf.html",
            {
                "view": shared_view(referral),
                "centre": referral.centre,
                "actor": actor,
                "worker": referral.created_by or actor,
                "today": timezone.localdate(),
            },
        )
    content = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
    with transaction.atomic():
        audit_record(
            action="referral.letter_printed",
            actor=actor,
            obj=referral,
            request=request,
            detail={"bytes": len(content), "person": referral.person_id},
        )
    safe = referral.protocol_number.replace("/", "-")
    return Letter(filename=f"referral-{safe}.pdf", content=content)


def link_attachment(*, token: str, pk: int, request=None) -> Attachment:
    """A document of the referral, for the holder of its link, if documents are shared."""
    from django.http import Http404

    link = link_resolve(token, request=request)
    referral = link.referral
    attachment = None
    if ATTACHMENTS in referral.shared_fields:
        attachment = Attachment.objects.filter(
            centre_id=referral.centre_id, referral=referral, pk=pk
        ).first()
    if attachment is None:
        # Another referral's document, or documents not shared: refused, and audited.
        why = "other_document" if ATTACHMENTS in referral.shared_fields else "not_shared"
        _refuse(why, link=link, request=request, detail={"attachment": pk})
        raise Http404
    with transaction.atomic():
        audit_record(
            action="referral.attachment_read",
            obj=attachment,
            request=request,
            detail={
                "referral": referral.pk,
                "via": Via.LINK,
                "link": link.pk,
                "person": referral.person_id,
            },
        )
    return attachment


# --- anonymisation --------------------------------------------------------------------------


def referrals_erase_person(*, centre_id: int, person_ids: list[int], actor) -> dict:
    """Part of a person's anonymisation (koinotita.people.privacy.person_anonymise, in its
    transaction): their referrals keep what the figures need — state, direction, dates,
    service and organisation, urgency, protocol number, which fields were shared (their
    keys), the steps with their dates and actors — and lose every free text that could
    identify the person: the reason, the reason for declining, the outcome, the notes of
    every step, and the attached documents (rows and files). Their links stop opening. The
    letter is never stored: printed again, it carries the anonymised record."""
    referrals = Referral.objects.filter(centre_id=centre_id, person_id__in=person_ids)
    ids = list(referrals.values_list("pk", flat=True))
    if not ids:
        return {"referrals_erased": 0}
    now = timezone.now()
    referrals.update(reason="", decline_reason="", outcome="", updated_at=now)
    events = ReferralEvent.objects.filter(centre_id=centre_id, referral_id__in=ids)
    events.exclude(note="").update(note="")
    attachments = Attachment.objects.filter(centre_id=centre_id, referral_id__in=ids)
    paths = [attachment_path(a) for a in attachments]
    removed = attachments.delete()[0]
    # The files go once the erasure is committed: a rollback keeps them with their rows.
    transaction.on_commit(lambda: [path.unlink(missing_ok=True) for path in paths])
    revoked = ReferralLink.objects.filter(
        centre_id=centre_id, referral_id__in=ids, revoked_at__isnull=True
    ).update(revoked_at=now, revoked_by=actor)
    return {
        "referrals_erased": len(ids),
        "referral_documents_removed": removed,
        "referral_links_revoked": revoked,
    }


# --- partner memberships ---------------------------------------------------------------------


def partner_membership_check(*, user, organization, centre, actor=None) -> None:
    """Would `partner_membership_grant` accept this? Raises ValidationError or
    PermissionDenied if not (the admin form shows the answer; the service checks again).

    A membership opens to `user` the referrals `centre` sends to `organisation` (names,
    phones, what each person agreed to share), so an administrator grants it only for a
    centre they administer, to an account they administer, never to their own; `actor`
    None is the system (the demo)."""
    if user is None or organization is None or centre is None:
        raise ValidationError(_("Choose the partner account, the organisation and the centre."))
    if Role.PARTNER not in scope_for(user).roles:
        raise ValidationError(
            {"user": _("Give this account the partner role first; then link it.")}
        )
    if actor is None:
        return
    if actor.pk == user.pk and not actor.is_superuser:
        raise PermissionDenied(
            _("You cannot change your own access: another administrator has to.")
        )
    if not administers_user(actor, user):
        raise PermissionDenied(_("This account is outside the scope you administer."))
    if centre.pk not in administered_centre_ids(actor):
        raise PermissionDenied(
            _("You may link partners only to the referrals of centres you administer.")
        )


@transaction.atomic
def partner_membership_grant(
    *, user, organization, centre, actor=None, request=None
) -> PartnerMembership:
    """Link a partner user to an organisation for the referrals `centre` sends it (or link
    them again after a revocation). Audited in the centre's chain."""
    partner_membership_check(user=user, organization=organization, centre=centre, actor=actor)
    membership = PartnerMembership.objects.filter(
        user=user, organization=organization, centre=centre
    ).first()
    if membership is not None and membership.is_active:
        raise ValidationError(
            _("This account is already linked to this organisation for this centre.")
        )
    if membership is None:
        membership = PartnerMembership(user=user, organization=organization, centre=centre)
    membership.is_active = True
    membership.full_clean()
    membership.save()
    user.__dict__.pop("_koinotita_partner_memberships", None)  # the cache of the selectors
    audit_record(
        action="partner_membership.granted",
        actor=actor,
        obj=membership,
        request=request,
        detail={"user": user.get_username(), "organization": organization.pk},
    )
    return membership


@transaction.atomic
def partner_membership_revoke(*, membership: PartnerMembership, actor=None, request=None):
    """End a membership (kept, inactive): the partner no longer sees that centre's referrals
    to the organisation. An administrator of the centre, or the system. Audited."""
    if actor is not None and membership.centre_id not in administered_centre_ids(actor):
        raise PermissionDenied(
            _("You may link partners only to the referrals of centres you administer.")
        )
    if membership.is_active:
        membership.is_active = False
        membership.save(update_fields=["is_active"])
        audit_record(
            action="partner_membership.revoked",
            actor=actor,
            obj=membership,
            request=request,
            detail={
                "user": membership.user.get_username(),
                "organization": membership.organization_id,
            },
        )
    return membership
