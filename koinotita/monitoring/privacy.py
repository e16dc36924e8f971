"""The participation records' part in a person's privacy actions (koinotita.people.privacy):
the subject-access export lists every answer recorded for the ESF indicators, and an
anonymisation erases the records' free-text note (the coded answers stay: they are what the
indicators count, and without the person they identify nobody)."""

from django.utils.translation import gettext_lazy

from koinotita.lib.dates import local_iso
from koinotita.monitoring.models import Participation
from koinotita.monitoring.summary import summary_persons_moved
from koinotita.people.personal_data import ExportPart, PersonalData

EXPORT_SECTION_TITLE = gettext_lazy("Participation records (ESF indicators)")
_SKIPPED = {"id", "centre", "person", "created_by", "created_at", "updated_at"}


def _fields():
    return [f for f in Participation._meta.concrete_fields if f.name not in _SKIPPED]


def participations_export_person(*, centre_id: int, person_ids: list[int]) -> list[dict]:
    records = []
    for p in Participation.objects.filter(centre_id=centre_id, person_id__in=person_ids).order_by(
        "entry_date", "pk"
    ):
        record = {"id": p.pk}
        for f in _fields():
            value = getattr(p, f.attname)
            record[f.name] = local_iso(value) if hasattr(value, "isoformat") else value
        records.append(record)
    return records


def participations_describe(record: dict) -> list[tuple[str, str]]:
    """The PDF's lines for one record: each answer under its label, coded answers in words."""
    lines = []
    for f in _fields():
        value = record.get(f.name)
        if value in (None, "", False):
            continue
        if f.choices:
            value = dict(f.flatchoices).get(value, value)
        elif value is True:
            value = "✓"
        lines.append((str(f.verbose_name), str(value)))
    return lines


def participations_erase_person(*, centre_id: int, person_ids: list[int], actor) -> dict:
    erased = (
        Participation.objects.filter(centre_id=centre_id, person_id__in=person_ids)
        .exclude(note="")
        .update(note="")
    )
    return {"participation_notes_erased": erased}


def participations_after_merge(*, centre_id: int, person_ids: list[int], moved: list[str]):
    """Records moved between the two persons: their rows of the summary again."""
    if "monitoring.participation" in moved:
        summary_persons_moved(centre_id=centre_id, person_ids=person_ids)


PERSONAL_DATA = PersonalData(
    app="monitoring",
    exports=(
        ExportPart(
            "participations",
            EXPORT_SECTION_TITLE,
            participations_export_person,
            participations_describe,
        ),
    ),
    erase=participations_erase_person,
    after_merge=participations_after_merge,
)
