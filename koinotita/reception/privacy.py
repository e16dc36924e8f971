"""Reception's personal-data contract (koinotita.people.personal_data): a person's contacts
and appointments in their subject-access export, and what anonymisation erases of them.

Anonymisation keeps every contact's date, site, channel, services, minutes and staff member
and every appointment's date, site, staff member and status (the figures count them), and
erases their free text: what was asked and the note of each contact the person took part
in (the whole contact's, also when it was a family's), and each appointment's purpose."""

from datetime import date, datetime

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koinotita.people.personal_data import ExportPart, PersonalData
from koinotita.reception.models import Appointment, Channel, Contact, ContactPerson, Service


def _iso(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _staff(user) -> dict | None:
    if user is None:
        return None
    return {"username": user.get_username(), "name": user.get_full_name()}


def _contacts_of(centre_id: int, person_ids: list[int]):
    contact_ids = ContactPerson.objects.filter(
        centre_id=centre_id, person_id__in=person_ids
    ).values("contact_id")
    return Contact.objects.filter(centre_id=centre_id, pk__in=contact_ids)


def contacts_collect(*, centre_id: int, person_ids: list[int]) -> list[dict]:
    contacts = (
        _contacts_of(centre_id, person_ids)
        .select_related("site", "staff")
        .annotate(persons_count=Count("persons", distinct=True))
        .prefetch_related(
            Prefetch("services", queryset=Service.objects.order_by("axis", "order", "code"))
        )
        .order_by("at", "pk")
    )
    return [
        {
            "id": c.pk,
            "at": _iso(c.at),
            "site": {"code": c.site.code, "name": c.site.name},
            "channel": c.channel,
            "staff": _staff(c.staff),
            "other_persons": max(c.persons_count - 1, 0),
            "request": c.request,
            "services": [{"code": s.code, "name": s.name} for s in c.services.all()],
            "minutes": c.minutes,
            "note": c.note,
        }
        for c in contacts
    ]


def _when(value: str, fmt: str = "%d/%m/%Y %H:%M") -> str:
    return datetime.fromisoformat(value).strftime(fmt) if value else "—"


def _who(staff: dict | None) -> str:
    return (staff or {}).get("name") or (staff or {}).get("username") or "—"


def contacts_describe(record: dict) -> list[tuple[str, str]]:
    asked = record["request"] or "—"
    if record["note"]:
        asked += f" — {record['note']}"
    return [
        (str(_("Date and time")), _when(record["at"])),
        (
            str(_("Site and channel")),
            f"{record['site']['name']} · {dict(Channel.choices).get(record['channel'], '')}",
        ),
        (str(_("Staff member")), _who(record["staff"])),
        (str(_("What was asked")), asked),
        (str(_("Services given")), "; ".join(s["name"] for s in record["services"]) or "—"),
        (str(_("Minutes")), str(record["minutes"])),
    ]


def appointments_collect(*, centre_id: int, person_ids: list[int]) -> list[dict]:
    appointments = (
        Appointment.objects.filter(centre_id=centre_id, person_id__in=person_ids)
        .select_related("site", "staff", "booked_by")
        .order_by("starts_at", "pk")
    )
    return [
        {
            "id": a.pk,
            "starts_at": _iso(a.starts_at),
            "ends_at": _iso(a.ends_at),
            "site": {"code": a.site.code, "name": a.site.name},
            "staff": _staff(a.staff),
            "status": a.status,
            "purpose": a.purpose,
            "contact": a.contact_id,
            "booked_by": _staff(a.booked_by),
        }
        for a in appointments
    ]


def appointments_describe(record: dict) -> list[tuple[str, str]]:
    return [
        (
            str(_("Starts")),
            f"{_when(record['starts_at'])}–{_when(record['ends_at'], '%H:%M')}",
        ),
        (str(_("Site")), record["site"]["name"]),
        (str(_("Staff member")), _who(record["staff"])),
        (str(_("Status")), str(dict(Appointment.Status.choices).get(record["status"], ""))),
        (str(_("Purpose")), record["purpose"] or "—"),
    ]


def reception_erase_person(*, centre_id: int, person_ids: list[int], actor) -> dict:
    contacts = _contacts_of(centre_id, person_ids)
    erased = contacts.filter(~Q(request="") | ~Q(note="")).update(request="", note="")
    appointments = Appointment.objects.filter(centre_id=centre_id, person_id__in=person_ids)
    appointments.exclude(purpose="").update(purpose="")
    return {"contacts_erased": erased}


PERSONAL_DATA = PersonalData(
    app="reception",
    exports=(
        ExportPart("contacts", _("Contacts"), contacts_collect, contacts_describe, table=True),
        ExportPart(
            "appointments",
            _("Appointments"),
            appointments_collect,
            appointments_describe,
            table=True,
        ),
    ),
    erase=reception_erase_person,
    link_tables={"reception.contactperson": "contact"},
)
