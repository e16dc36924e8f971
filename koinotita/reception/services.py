"""Writes of the front desk: contacts, appointments, and the public requests for an
appointment with reception's answers. One transaction and one audit event per call.

A public request (from the citizens' pages) holds only what the citizen typed, creates no
Person, and is audited (the received event names the request, never its words). Reception
confirms it (it becomes an ordinary Appointment, with a person linked or registered first),
proposes another time, or declines; the citizen is told by e-mail when they gave one."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from koinotita.accounts.models import User
from koinotita.accounts.scoping import Capability, scope_for
from koinotita.audit.services import audit_record
from koinotita.lib import phones
from koinotita.organisations.models import Site
from koinotita.people.models import Consent, Person
from koinotita.people.selectors import consent_in_force
from koinotita.reception.models import (
    Appointment,
    AppointmentRequest,
    Channel,
    Contact,
    ContactPerson,
    RequestRefusal,
    Service,
)

MAX_MINUTES = 8 * 60


def _check_site(actor, site: Site) -> None:
    if not scope_for(actor).allows(Capability.PERSONAL_DATA, site.centre_id):
        raise PermissionDenied(_("You cannot log contacts at this site."))
    if not site.is_active:
        raise ValidationError({"site": [_("This site is closed.")]})


def _validate(*, at: datetime, channel: str, minutes: int, services: list[Service]) -> None:
    errors: dict[str, list[str]] = {}
    if at > timezone.now() + timezone.timedelta(minutes=5):
        errors["at"] = [_("A contact cannot be in the future.")]
    if channel not in Channel.values:
        errors["channel"] = [_("Choose a channel.")]
    if not 0 <= minutes <= MAX_MINUTES:
        errors["minutes"] = [_("Minutes must be between 0 and %(n)d.") % {"n": MAX_MINUTES}]
    if any(not s.is_active for s in services):
        errors["services"] = [_("A chosen service is no longer in the catalogue.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def contact_log(
    *,
    actor,
    site: Site,
    persons: list[Person],
    at: datetime,
    channel: str,
    services: list[Service] = (),
    request_text: str = "",
    minutes: int = 0,
    note: str = "",
    request=None,
) -> Contact:
    """Log a contact with one or more registered persons of the site's centre.

    A person without consent to registration and support can only be counted through an
    anonymous contact (`contact_log_anonymous`).
    """
    _check_site(actor, site)
    services = list(services)
    _validate(at=at, channel=channel, minutes=minutes, services=services)
    if not persons:
        raise ValidationError({"persons": [_("Choose the person served.")]})
    for person in persons:
        if person.centre_id != site.centre_id or not person.is_active:
            raise ValidationError({"persons": [_("This person is not a record of this centre.")]})
        if not consent_in_force(person, Consent.Purpose.REGISTRATION):
            message = _("%(name)s has not consented to registration; log an anonymous contact.")
            raise ValidationError({"persons": [message % {"name": person}]})
    contact = Contact(
        centre_id=site.centre_id,
        site=site,
        at=at,
        channel=channel,
        staff=actor,
        request=request_text.strip(),
        minutes=minutes,
        note=note.strip(),
    )
    # The centre and the site come from the scoped site checked above: no need to look
    # them up again (two queries less at the front desk).
    contact.full_clean(exclude=["staff", "centre", "site"])
    contact.save()
    ContactPerson.objects.bulk_create(
        ContactPerson(centre_id=site.centre_id, contact=contact, person=p) for p in persons
    )
    _add_services(contact, services)
    for person in persons:
        audit_record(
            action="contact.created",
            actor=actor,
            obj=person,
            request=request,
            detail={"contact": contact.pk},
        )
    return contact


def _add_services(contact: Contact, services: list[Service]) -> None:
    """The services of a new contact, in one INSERT (the contact has none yet)."""
    through = Contact.services.through
    through.objects.bulk_create(
        through(contact_id=contact.pk, service_id=service.pk) for service in dict.fromkeys(services)
    )


@transaction.atomic
def contact_log_anonymous(
    *,
    actor,
    site: Site,
    at: datetime,
    channel: str,
    services: list[Service] = (),
    minutes: int = 0,
    request=None,
) -> Contact:
    """A contact counted in statistics with no personal data (no consent to register)."""
    _check_site(actor, site)
    services = list(services)
    _validate(at=at, channel=channel, minutes=minutes, services=services)
    contact = Contact.objects.create(
        centre_id=site.centre_id,
        site=site,
        at=at,
        channel=channel,
        staff=actor,
        is_anonymous=True,
        minutes=minutes,
    )
    _add_services(contact, services)
    audit_record(action="contact.anonymous", actor=actor, obj=contact, request=request)
    return contact


# --- Appointments -----------------------------------------------------------------------------
#
# A staff member, and a person, can be in one place at a time: two appointments that are not
# cancelled (nor marked as a no-show, which frees the rest of the slot) may not overlap for
# either of them. Two receptionists booking the same slot at the same moment must end with one
# appointment, so the check and the insert run under a lock on the staff member's and the
# person's calendars (see `_lock_calendars`).

APPOINTMENT_MINUTES = 30  # when neither an end nor a duration is given
APPOINTMENT_MAX_MINUTES = MAX_MINUTES
APPOINTMENT_PAST_GRACE = timedelta(minutes=5)  # "now", typed a moment late
APPOINTMENT_MAX_AHEAD = timedelta(days=366)
APPOINTMENT_OPENING_HOUR = 7  # appointments are booked between 07:00 and 21:00, local time
APPOINTMENT_CLOSING_HOUR = 21
OCCUPYING = (Appointment.Status.BOOKED, Appointment.Status.ARRIVED)

# Namespaces of the PostgreSQL advisory locks (two-integer form), so that they cannot collide
# with locks taken by other parts of the application.
_LOCK_STAFF_CALENDAR = 0x4B0A
_LOCK_PERSON_CALENDAR = 0x4B0B


def _staff_name(user) -> str:
    return user.get_full_name() or user.get_username()


def _hhmm(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def _lock_calendars(*, staff_id: int, person_id: int) -> None:
    """Serialise the bookings of one staff member and of one person until the transaction ends.

    PostgreSQL: transaction-level advisory locks (always staff first, then person, so two
    bookings cannot deadlock). The overlap check that follows runs in READ COMMITTED, so it
    sees an appointment committed by the writer that held the lock before us.
    SQLite: every transaction begins IMMEDIATE (settings), which already serialises writers.
    Any other backend: row locks on the staff member and the person.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s::integer, %s::integer),"
                " pg_advisory_xact_lock(%s::integer, %s::integer)",
                [
                    _LOCK_STAFF_CALENDAR,
                    staff_id % 2**31,
                    _LOCK_PERSON_CALENDAR,
                    person_id % 2**31,
                ],
            )
    elif connection.features.has_select_for_update:
        list(User.objects.select_for_update().filter(pk=staff_id).values_list("pk"))
        list(Person.objects.select_for_update().filter(pk=person_id).values_list("pk"))


def _appointment_end(starts_at: datetime, ends_at, duration) -> datetime:
    if ends_at is not None:
        return timezone.make_aware(ends_at) if timezone.is_naive(ends_at) else ends_at
    if duration is None:
        duration = APPOINTMENT_MINUTES
    if not isinstance(duration, timedelta):
        duration = timedelta(minutes=int(duration))
    return starts_at + duration


def _appointment_time_errors(starts_at: datetime, ends_at: datetime) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    now = timezone.now()
    if ends_at <= starts_at:
        errors["ends_at"] = [_("The appointment must end after it starts.")]
    elif ends_at - starts_at > timedelta(minutes=APPOINTMENT_MAX_MINUTES):
        errors["ends_at"] = [
            _("An appointment can last at most %(n)d hours.") % {"n": APPOINTMENT_MAX_MINUTES // 60}
        ]
    if starts_at < now - APPOINTMENT_PAST_GRACE:
        errors["starts_at"] = [_("An appointment cannot be booked in the past.")]
    elif starts_at > now + APPOINTMENT_MAX_AHEAD:
        errors["starts_at"] = [_("An appointment can be booked at most a year ahead.")]
    else:
        start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
        closing = start.replace(hour=APPOINTMENT_CLOSING_HOUR, minute=0, second=0, microsecond=0)
        if start.hour < APPOINTMENT_OPENING_HOUR or end > closing:
            errors["starts_at"] = [
                _("Appointments are booked between %(open)02d:00 and %(close)02d:00.")
                % {"open": APPOINTMENT_OPENING_HOUR, "close": APPOINTMENT_CLOSING_HOUR}
            ]
    return errors


@transaction.atomic
def appointment_book(
    *,
    actor,
    person: Person,
    staff,
    site: Site,
    starts_at: datetime,
    ends_at: datetime | None = None,
    duration: timedelta | int | None = None,
    purpose: str = "",
    request=None,
) -> Appointment:
    """Book `person` with `staff` at `site`, from `starts_at` to `ends_at` (or for `duration`,
    minutes or a timedelta; 30 minutes by default).

    Refused (ValidationError, by field) when the person or the staff member do not belong to
    the site's centre, the times are impossible, or either of them is already booked then.
    """
    scope = scope_for(actor)
    if not (
        scope.allows(Capability.PERSONAL_DATA, site.centre_id)
        and scope.allows(Capability.PERSONAL_DATA, person.centre_id)
    ):
        raise PermissionDenied(_("You cannot book appointments in this centre."))
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    ends_at = _appointment_end(starts_at, ends_at, duration)
    purpose = " ".join((purpose or "").split())

    errors = _appointment_time_errors(starts_at, ends_at)
    if not site.is_active:
        errors["site"] = [_("This site is closed.")]
    if person.centre_id != site.centre_id or not person.is_active:
        errors["person"] = [_("This person is not a record of this centre.")]
    if staff is None or not staff.is_active:
        errors["staff"] = [_("Choose a staff member.")]
    elif not scope_for(staff).allows(Capability.PERSONAL_DATA, site.centre_id):
        errors["staff"] = [
            _("%(name)s does not work at this centre.") % {"name": _staff_name(staff)}
        ]
    if len(purpose) > 300:
        errors["purpose"] = [_("The purpose can be at most 300 characters.")]
    if errors:
        raise ValidationError(errors)

    _lock_calendars(staff_id=staff.pk, person_id=person.pk)
    # Deliberately not filtered by centre: a staff member may work in two centres, and their
    # time is one. It is an index lookup on (staff, starts_at) / person, never a listing.
    clashes = list(
        Appointment.objects.filter(
            status__in=OCCUPYING, starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        .filter(Q(staff_id=staff.pk) | Q(person_id=person.pk))
        .order_by("starts_at")
        .values("staff_id", "person_id", "starts_at", "ends_at")[:10]
    )
    for clash in clashes:
        if clash["staff_id"] == staff.pk and "staff" not in errors:
            errors["staff"] = [
                _("%(name)s already has an appointment from %(start)s to %(end)s.")
                % {
                    "name": _staff_name(staff),
                    "start": _hhmm(clash["starts_at"]),
                    "end": _hhmm(clash["ends_at"]),
                }
            ]
        if clash["person_id"] == person.pk and "person" not in errors:
            errors["person"] = [
                _("%(name)s already has an appointment from %(start)s to %(end)s.")
                % {
                    "name": person,
                    "start": _hhmm(clash["starts_at"]),
                    "end": _hhmm(clash["ends_at"]),
                }
            ]
    if errors:
        raise ValidationError(errors)

    appointment = Appointment.objects.create(
        centre_id=site.centre_id,
        site=site,
        person=person,
        staff=staff,
        starts_at=starts_at,
        ends_at=ends_at,
        purpose=purpose,
        booked_by=actor,
    )
    audit_record(
        action="appointment.booked",
        actor=actor,
        obj=person,
        request=request,
        detail={
            "appointment": appointment.pk,
            "staff": staff.pk,
            "site": site.pk,
            "starts_at": starts_at.isoformat(),
            "ends_at": ends_at.isoformat(),
        },
    )
    return appointment


def _appointment_locked(actor, appointment: Appointment) -> Appointment:
    """The appointment re-read under a row lock, after checking the actor may act on it."""
    if not scope_for(actor).allows(Capability.PERSONAL_DATA, appointment.centre_id):
        raise PermissionDenied(_("You cannot change appointments of this centre."))
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("person", "site", "staff")
        .get(pk=appointment.pk)
    )


def _require_booked(appointment: Appointment, message: str) -> None:
    if appointment.status != Appointment.Status.BOOKED:
        raise ValidationError(
            message % {"status": appointment.get_status_display()}, code="not_booked"
        )


def _audit_appointment(action: str, *, actor, appointment: Appointment, request, **detail):
    """Appointment events are recorded against the person, so they show in their trail."""
    audit_record(
        action=action,
        actor=actor,
        object_type="people.person",
        object_id=appointment.person_id,
        centre=appointment.centre_id,
        request=request,
        detail={"appointment": appointment.pk, **detail},
    )


@transaction.atomic
def appointment_cancel(
    *, actor, appointment: Appointment, reason: str = "", request=None
) -> Appointment:
    appointment = _appointment_locked(actor, appointment)
    _require_booked(
        appointment, _("Only a booked appointment can be cancelled; this one is: %(status)s.")
    )
    appointment.status = Appointment.Status.CANCELLED
    appointment.save(update_fields=["status"])
    _audit_appointment(
        "appointment.cancelled", actor=actor, appointment=appointment, request=request
    )
    return appointment


@transaction.atomic
def appointment_mark_no_show(*, actor, appointment: Appointment, request=None) -> Appointment:
    appointment = _appointment_locked(actor, appointment)
    _require_booked(
        appointment,
        _("Only a booked appointment can be marked as missed; this one is: %(status)s."),
    )
    if timezone.now() < appointment.starts_at:
        raise ValidationError(
            _("The appointment has not started yet; it cannot be marked as missed."),
            code="not_started",
        )
    appointment.status = Appointment.Status.NO_SHOW
    appointment.save(update_fields=["status"])
    _audit_appointment("appointment.no_show", actor=actor, appointment=appointment, request=request)
    return appointment


@transaction.atomic
def appointment_check_in(
    *,
    actor,
    appointment: Appointment,
    services: list[Service] = (),
    request_text: str | None = None,
    minutes: int | None = None,
    note: str = "",
    request=None,
) -> Appointment:
    """The person has arrived: mark the appointment and log the contact it becomes.

    The contact is in person, at the appointment's site, now, credited to the staff member
    the person came to see; what was asked defaults to the appointment's purpose and the
    minutes to its length. The person must have consented to registration (`contact_log`).
    """
    appointment = _appointment_locked(actor, appointment)
    _require_booked(
        appointment, _("Only a booked appointment can be checked in; this one is: %(status)s.")
    )
    now = timezone.now()
    if timezone.localdate(now) != timezone.localdate(appointment.starts_at):
        raise ValidationError(
            _("Arrival can be recorded on the day of the appointment only (%(day)s).")
            % {"day": timezone.localtime(appointment.starts_at).strftime("%d/%m/%Y")},
            code="not_today",
        )
    if minutes is None:
        length = (appointment.ends_at - appointment.starts_at).total_seconds() // 60
        minutes = int(min(length, MAX_MINUTES))
    contact = contact_log(
        actor=actor,
        site=appointment.site,
        persons=[appointment.person],
        at=now,
        channel=Channel.IN_PERSON,
        services=services,
        request_text=appointment.purpose if request_text is None else request_text,
        minutes=minutes,
        note=note,
        request=request,
    )
    if contact.staff_id != appointment.staff_id:
        contact.staff = appointment.staff
        contact.save(update_fields=["staff"])
    appointment.status = Appointment.Status.ARRIVED
    appointment.contact = contact
    appointment.save(update_fields=["status", "contact"])
    _audit_appointment(
        "appointment.arrived",
        actor=actor,
        appointment=appointment,
        request=request,
        contact=contact.pk,
    )
    return appointment


# --- Public requests for an appointment ------------------------------------------------

NAME_MAX, REASON_MAX, TIMES_MAX, NOTE_MAX = 200, 1000, 200, 500
# How long an answered request is kept before it is erased (the privacy notice says it).
KEEP_ANSWERED_DAYS = 90


class DailyCapReached(ValidationError):
    pass


def _one_line(text: str) -> str:
    return " ".join((text or "").split())


def appointment_request_validate(
    *, site: Site | None, name: str, phone: str, email: str, reason: str, consent: bool
) -> dict:
    """The request's fields normalised, or ValidationError with every field's message."""
    errors: dict[str, list[str]] = {}
    name, reason, email = _one_line(name), (reason or "").strip(), (email or "").strip()
    if site is None or not site.is_active or not site.centre.is_active:
        errors["site"] = [_("Choose one of the sites in the list.")]
    if not name:
        errors["name"] = [_("Write your name.")]
    elif len(name) > NAME_MAX:
        errors["name"] = [_("The name can be at most %(n)d characters.") % {"n": NAME_MAX}]
    if not reason:
        errors["reason"] = [_("Write briefly what you would like to discuss.")]
    elif len(reason) > REASON_MAX:
        errors["reason"] = [_("At most %(n)d characters, please.") % {"n": REASON_MAX}]
    try:
        phone = phones.validate(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("This is not a valid e-mail address.")]
    if not phone and not email and "phone" not in errors and "email" not in errors:
        errors["phone"] = [_("Give a phone number or an e-mail address, so we can answer you.")]
    if not consent:
        errors["consent"] = [_("We can answer only if you agree to be contacted.")]
    if errors:
        raise ValidationError(errors)
    return {"name": name, "phone": phone, "email": email, "reason": reason}


def refusal_count(*, why: str, centre_id: int | None = None) -> None:
    """Count one refused public request (today, by reason and centre), in its own
    transaction: the request itself is not saved, the count is."""
    today = timezone.localdate()
    with transaction.atomic():
        updated = RequestRefusal.objects.filter(day=today, centre_id=centre_id, why=why).update(
            count=F("count") + 1
        )
        if not updated:
            RequestRefusal.objects.create(day=today, centre_id=centre_id, why=why, count=1)


@transaction.atomic
def appointment_request_submit(
    *,
    site: Site | None,
    name: str,
    phone: str = "",
    email: str = "",
    reason: str,
    preferred_times: str = "",
    consent: bool,
    language: str = "el",
    request=None,
) -> AppointmentRequest:
    """Receive a citizen's request at `site`: validated whole, saved whole, audited (the
    event names the request and the site, never what was typed). A site that has taken
    settings.PUBLIC_REQUESTS_PER_SITE_PER_DAY requests today refuses more (DailyCapReached):
    a bot that passes every other check still cannot fill a centre's inbox."""
    data = appointment_request_validate(
        site=site, name=name, phone=phone, email=email, reason=reason, consent=consent
    )
    start = timezone.make_aware(datetime.combine(timezone.localdate(), datetime.min.time()))
    if (
        AppointmentRequest.objects.filter(site=site, created_at__gte=start).count()
        >= settings.PUBLIC_REQUESTS_PER_SITE_PER_DAY
    ):
        raise DailyCapReached(
            _("This site has received as many requests as it can answer today. Please call it.")
        )
    found = AppointmentRequest.objects.create(
        centre_id=site.centre_id,
        site=site,
        phone_digits=phones.digits_for_search(data["phone"]),
        preferred_times=_one_line(preferred_times)[:TIMES_MAX],
        language="en" if (language or "").startswith("en") else "el",
        consented_at=timezone.now(),
        **data,
    )
    audit_record(
        action="appointment_request.received",
        obj=found,
        request=request,
        detail={"site": site.pk},
    )
    return found


def _answerable(actor, found: AppointmentRequest) -> AppointmentRequest:
    if not scope_for(actor).allows(Capability.PERSONAL_DATA, found.centre_id):
        raise PermissionDenied(_("You cannot answer requests of this centre."))
    locked = (
        AppointmentRequest.objects.select_for_update(of=("self",))
        .select_related("site", "centre")
        .get(pk=found.pk)
    )
    if locked.status not in (AppointmentRequest.Status.PENDING, AppointmentRequest.Status.PROPOSED):
        raise ValidationError(
            _("This request has already been answered (%(status)s).")
            % {"status": locked.get_status_display()},
            code="answered",
        )
    return locked


def _tell(found: AppointmentRequest, template: str, **context) -> None:
    """E-mail the citizen the answer in the language they wrote in (nothing without an
    e-mail address). The mail names the site and the time, not the reason."""
    if not found.email:
        return
    with translation.override(found.language):
        context = {"request": found, "site": found.site, **context}
        subject = _("Your appointment request at %(site)s") % {"site": found.site.label}
        body = render_to_string(f"reception/mail/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [found.email])


def _answered(found: AppointmentRequest, *, actor, status: str, note: str) -> None:
    found.status = status
    found.answered_at = timezone.now()
    found.answered_by = actor
    found.answer_note = _one_line(note)[:NOTE_MAX]


@transaction.atomic
def appointment_request_confirm(
    *,
    actor,
    appointment_request: AppointmentRequest,
    person: Person,
    staff,
    starts_at: datetime,
    duration: timedelta | int | None = None,
    note: str = "",
    request=None,
) -> Appointment:
    """Book the request as an ordinary appointment of `person` (a record of the centre,
    linked or just registered by reception) and tell the citizen."""
    found = _answerable(actor, appointment_request)
    appointment = appointment_book(
        actor=actor,
        person=person,
        staff=staff,
        site=found.site,
        starts_at=starts_at,
        duration=duration,
        purpose=_one_line(found.reason)[:300],
        request=request,
    )
    _answered(found, actor=actor, status=AppointmentRequest.Status.CONFIRMED, note=note)
    found.appointment = appointment
    found.save()
    audit_record(
        action="appointment_request.confirmed",
        actor=actor,
        obj=found,
        request=request,
        detail={"appointment": appointment.pk, "person": person.pk},
    )
    transaction.on_commit(lambda: _tell(found, "confirmed", appointment=appointment))
    return appointment


@transaction.atomic
def appointment_request_propose(
    *, actor, appointment_request: AppointmentRequest, at: datetime, note: str = "", request=None
) -> AppointmentRequest:
    """Propose another time; the request stays open until it is confirmed or declined."""
    found = _answerable(actor, appointment_request)
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    if at < timezone.now():
        raise ValidationError({"at": [_("The time proposed is in the past.")]})
    _answered(found, actor=actor, status=AppointmentRequest.Status.PROPOSED, note=note)
    found.proposed_at = at
    found.save()
    audit_record(
        action="appointment_request.proposed",
        actor=actor,
        obj=found,
        request=request,
        detail={"at": at.isoformat()},
    )
    transaction.on_commit(lambda: _tell(found, "proposed", at=timezone.localtime(at)))
    return found


@transaction.atomic
def appointment_request_decline(
    *, actor, appointment_request: AppointmentRequest, note: str = "", request=None
) -> AppointmentRequest:
    found = _answerable(actor, appointment_request)
    _answered(found, actor=actor, status=AppointmentRequest.Status.DECLINED, note=note)
    found.save()
    audit_record(action="appointment_request.declined", actor=actor, obj=found, request=request)
    transaction.on_commit(lambda: _tell(found, "declined"))
    return found


@transaction.atomic
def appointment_request_purge(*, now: datetime | None = None) -> int:
    """Erase answered requests older than KEEP_ANSWERED_DAYS, and unanswered ones twice as
    old (what the privacy notice promises). Returns how many were erased."""
    now = now or timezone.now()
    answered = AppointmentRequest.objects.filter(
        answered_at__lt=now - timedelta(days=KEEP_ANSWERED_DAYS)
    ).exclude(status=AppointmentRequest.Status.PENDING)
    stale = AppointmentRequest.objects.filter(
        status=AppointmentRequest.Status.PENDING,
        created_at__lt=now - timedelta(days=2 * KEEP_ANSWERED_DAYS),
    )
    erased = answered.delete()[0] + stale.delete()[0]
    return erased
