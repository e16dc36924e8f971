"""Activities' part of a person's subject-access export (koinotita.people.privacy): the
activities they attended and what their household received. Anonymisation keeps both (no
free text about the person is held here): the figures count them."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koinotita.activities.models import Attendance, Handout
from koinotita.people.personal_data import ExportPart, PersonalData


def _attendances(*, centre_id: int, person_ids: list[int]) -> list[dict]:
    rows = (
        Attendance.objects.filter(centre_id=centre_id, person_id__in=person_ids)
        .select_related("activity")
        .order_by("activity__date", "pk")
    )
    return [
        {
            "activity": a.activity_id,
            "title": a.activity.title,
            "kind": a.activity.kind,
            "date": a.activity.date.isoformat(),
        }
        for a in rows
    ]


def _handouts(*, centre_id: int, person_ids: list[int]) -> list[dict]:
    rows = (
        Handout.objects.filter(centre_id=centre_id, received_by_id__in=person_ids)
        .select_related("distribution")
        .prefetch_related("lines__item")
        .order_by("recorded_at", "pk")
    )
    return [
        {
            "distribution": h.distribution.title,
            "date": h.distribution.date.isoformat(),
            "items": {line.item.name: line.quantity for line in h.lines.all()},
            "acknowledged": h.acknowledged,
        }
        for h in rows
    ]


def _describe_attendance(record: dict) -> list[tuple[str, str]]:
    return [(_("Activity"), f"{record['date']} {record['title']}")]


def _describe_handout(record: dict) -> list[tuple[str, str]]:
    items = ", ".join(f"{k} × {v}" for k, v in record["items"].items())
    return [(_("Aid distribution"), f"{record['date']} {record['distribution']}: {items}")]


def _erase(*, centre_id: int, person_ids: list[int], actor=None) -> dict:
    return {}  # nothing free about the person: kept for the figures


PERSONAL_DATA = PersonalData(
    app="activities",
    exports=(
        ExportPart(
            "activities", gettext_lazy("Activities attended"), _attendances, _describe_attendance
        ),
        ExportPart("aid", gettext_lazy("Aid received"), _handouts, _describe_handout),
    ),
    erase=_erase,
    link_tables={"activities.attendance": "activity"},
)
