"""Reads of the front desk, scoped by centre."""

from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from koinotita.accounts.models import User
from koinotita.accounts.scoping import Capability, restrict, scope_for
from koinotita.accounts.selectors import staff_holding
from koinotita.audit.services import audit_record
from koinotita.organisations.models import Site
from koinotita.people.models import Person
from koinotita.reception.models import (
    Appointment,
    AppointmentRequest,
    Contact,
    RequestRefusal,
    Service,
)


def site_list_for(user) -> QuerySet[Site]:
    return restrict(
        Site.objects.filter(is_active=True), user, Capability.PERSONAL_DATA, about_persons=False
    ).select_related("centre", "serves_municipality")


def service_catalogue() -> QuerySet[Service]:
    return Service.objects.filter(is_active=True).order_by("axis", "order")


def contact_list_for_person(user, person: Person) -> QuerySet[Contact]:
    """The person's timeline of contacts, newest first (person already scope-checked)."""
    return (
        restrict(
            Contact.objects.filter(persons=person),
            user,
            Capability.PERSONAL_DATA,
            person_field="persons",
        )
        .select_related("site", "staff")
        .prefetch_related(Prefetch("services", queryset=Service.objects.order_by("axis", "order")))
        .order_by("-at")
    )


def contact_list_for(user) -> QuerySet[Contact]:
    return restrict(Contact.objects.all(), user, Capability.PERSONAL_DATA, person_field="persons")


# --- Appointments -----------------------------------------------------------------------------


def appointment_list_for(user) -> QuerySet[Appointment]:
    """Appointments of the centres where the user may see personal data."""
    return restrict(
        Appointment.objects.all(), user, Capability.PERSONAL_DATA, person_field="person"
    )


def appointment_get_for(user, pk: int, *, request=None, audit: bool = False) -> Appointment:
    """One appointment in scope (404 otherwise); reading it (`audit`) is recorded against
    the person."""
    appointment = (
        appointment_list_for(user)
        .select_related("person", "site", "staff", "booked_by", "contact")
        .filter(pk=pk)
        .first()
    )
    if appointment is None:
        raise Http404
    if audit:
        audit_record(
            action="appointment.read",
            actor=user,
            obj=appointment.person,
            request=request,
            detail={"appointment": appointment.pk},
        )
    return appointment


def week_start(day: date) -> date:
    """The Monday of `day`'s week (Greek calendars start on Monday)."""
    return day - timedelta(days=day.weekday())


def _local_bounds(first: date, days: int) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(datetime.combine(first + timedelta(days=days), time.min))
    return start, end


def _calendar(
    user, *, first: date, days: int, staff=None, site=None, request=None
) -> list[Appointment]:
    """The appointments of a staff member or a site over `days` days; the listing is audited
    as a query, with the persons it showed."""
    if staff is None and site is None:
        raise ValueError("A calendar is of one staff member or of one site.")
    start, end = _local_bounds(first, days)
    appointments = appointment_list_for(user).filter(starts_at__gte=start, starts_at__lt=end)
    if staff is not None:
        appointments = appointments.filter(staff=staff)
    if site is not None:
        appointments = appointments.filter(site=site)
    result = list(
        appointments.select_related("person", "site", "staff").order_by("starts_at", "pk")
    )
    centres = scope_for(user).centre_ids(Capability.PERSONAL_DATA)
    audit_record(
        action="appointment.list",
        actor=user,
        request=request,
        centre=site.centre_id if site is not None else (min(centres) if centres else None),
        detail={
            "from": first.isoformat(),
            "days": days,
            "staff": staff.pk if staff is not None else None,
            "site": site.pk if site is not None else None,
            "persons": sorted({a.person_id for a in result}),
        },
    )
    return result


def appointment_day_for(
    user, *, day: date, staff=None, site=None, request=None
) -> list[Appointment]:
    """The appointments of one day (local time) of a staff member or of a site, by time."""
    return _calendar(user, first=day, days=1, staff=staff, site=site, request=request)


def appointment_week_for(
    user, *, day: date, staff=None, site=None, request=None
) -> list[tuple[date, list[Appointment]]]:
    """Monday to Sunday of `day`'s week, each day with its appointments by time."""
    first = week_start(day)
    by_day: dict[date, list[Appointment]] = {first + timedelta(days=n): [] for n in range(7)}
    for appointment in _calendar(
        user, first=first, days=7, staff=staff, site=site, request=request
    ):
        by_day[timezone.localdate(appointment.starts_at)].append(appointment)
    return list(by_day.items())


def staff_list_for(user, centre_ids=None) -> QuerySet[User]:
    """Active staff holding a role with personal data in the user's centres (or in those of
    `centre_ids` that the user may see): whom an appointment can be booked with."""
    ids = scope_for(user).centre_ids(Capability.PERSONAL_DATA)
    if centre_ids is not None:
        ids = ids & frozenset(centre_ids)
    if not ids:
        return User.objects.none()
    return staff_holding(ids, Capability.PERSONAL_DATA)


def staff_get_for(user, pk: int) -> User:
    """A staff member who works in one of the user's centres (404 otherwise)."""
    staff = staff_list_for(user).filter(pk=pk).first()
    if staff is None:
        raise Http404
    return staff


def site_get_for(user, pk: int) -> Site:
    """An open site of one of the user's centres (404 otherwise)."""
    site = site_list_for(user).filter(pk=pk).first()
    if site is None:
        raise Http404
    return site


# --- Public requests for an appointment ---------------------------------------------------

OPEN_REQUESTS = (AppointmentRequest.Status.PENDING, AppointmentRequest.Status.PROPOSED)


def appointment_request_list_for(user, *, request=None) -> list[AppointmentRequest]:
    """The open public requests of the user's centres, oldest first; the listing is audited
    with the requests it showed (a request is about no Person yet)."""
    found = list(
        restrict(AppointmentRequest.objects.all(), user, Capability.PERSONAL_DATA)
        .filter(status__in=OPEN_REQUESTS)
        .select_related("site")
        .order_by("created_at", "pk")[:200]
    )
    centres = scope_for(user).centre_ids(Capability.PERSONAL_DATA)
    audit_record(
        action="appointment_request.list",
        actor=user,
        request=request,
        centre=found[0].centre_id if found else (min(centres) if centres else None),
        detail={"requests": [r.pk for r in found]},
    )
    return found


def appointment_request_get_for(
    user, pk: int, *, request=None, audit: bool = True
) -> AppointmentRequest:
    """One public request of the user's centres (404 otherwise), its reading audited."""
    found = (
        restrict(AppointmentRequest.objects.all(), user, Capability.PERSONAL_DATA)
        .select_related("site", "centre", "answered_by", "appointment")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    if audit:
        audit_record(action="appointment_request.read", actor=user, obj=found, request=request)
    return found


def appointment_request_candidates(user, found: AppointmentRequest) -> list[Person]:
    """Persons of the request's centre with the same phone or e-mail: whom reception may
    link it to (reading them is part of the audited request page)."""
    match = Q(pk__in=[])
    if found.phone_digits:
        match |= Q(phone_digits=found.phone_digits)
    if found.email:
        match |= Q(email__iexact=found.email)
    return list(
        restrict(Person.objects.all(), user, Capability.PERSONAL_DATA)
        .filter(match, centre_id=found.centre_id, merged_into__isnull=True)
        .filter(anonymised_at__isnull=True)
        .order_by("family_name", "given_name")[:10]
    )


def request_refusals_for(user, day: date) -> dict[str, int]:
    """Refused public requests on `day` by reason: at the user's centres, and (counted
    before a site is known) at no centre."""
    centres = scope_for(user).centre_ids(Capability.PERSONAL_DATA)
    rows = (
        RequestRefusal.objects.filter(day=day)
        .filter(Q(centre_id__in=centres) | Q(centre__isnull=True))
        .values("why")
        .annotate(total=Sum("count"))
    )
    labels = dict(RequestRefusal.Why.choices)
    return {str(labels.get(r["why"], r["why"])): r["total"] for r in rows}
