"""The referrals' part in a person's subject-access export (koinotita.people.privacy):
every referral of the person, its steps and its documents (listed, not attached). Their
erasure on anonymisation is `services.referrals_erase_person`."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koinotita.lib.dates import local_iso
from koinotita.people.personal_data import ExportPart, PersonalData
from koinotita.referrals.models import Direction, Referral, State, Urgency
from koinotita.referrals.services import referrals_erase_person

EXPORT_SECTION_TITLE = gettext_lazy("Referrals")


def _iso(value):
    return local_iso(value) if value else None


def referrals_export_person(*, centre_id: int, person_ids: list[int]) -> list[dict]:
    referrals = (
        Referral.objects.filter(centre_id=centre_id, person_id__in=person_ids)
        .select_related("service", "organization")
        .prefetch_related("events", "attachments")
        .order_by("created_at", "pk")
    )
    return [
        {
            "id": r.pk,
            "protocol_number": r.protocol_number,
            "direction": r.direction,
            "to": str(r.organization) if r.organization_id else "",
            "service": str(r.service) if r.service_id else "",
            "from_body": r.from_body,
            "case": r.case_id,
            "reason": r.reason,
            "urgency": r.urgency,
            "shared_fields": list(r.shared_fields or []),
            "state": r.state,
            "response_due": _iso(r.response_due),
            "decline_reason": r.decline_reason,
            "outcome": r.outcome,
            "created_at": _iso(r.created_at),
            "sent_at": _iso(r.sent_at),
            "closed_at": _iso(r.closed_at),
            "steps": [
                {
                    "at": _iso(e.at),
                    "by": e.actor_label,
                    "from": e.from_state,
                    "to": e.to_state,
                    "note": e.note,
                }
                for e in sorted(r.events.all(), key=lambda e: (e.at, e.pk))
            ],
            "documents": [
                {"file": a.original_name, "uploaded_at": _iso(a.uploaded_at)}
                for a in r.attachments.all()
            ],
        }
        for r in referrals
    ]


def referrals_describe(record: dict) -> list[tuple[str, str]]:
    """The PDF's lines for one referral of the export."""
    states = dict(State.choices)
    lines = [
        (
            _("Referral"),
            f"#{record['id']} {record['protocol_number']} · "
            f"{dict(Direction.choices).get(record['direction'], record['direction'])}",
        ),
        (_("To"), " · ".join(x for x in (record["to"], record["service"]) if x) or "—"),
        (_("State"), states.get(record["state"], record["state"])),
        (_("Urgency"), dict(Urgency.choices).get(record["urgency"], record["urgency"])),
        (_("Reason"), record["reason"]),
    ]
    if record["from_body"]:
        lines.append((_("Referred by"), record["from_body"]))
    if record["shared_fields"]:
        lines.append((_("Shared"), ", ".join(map(str, record["shared_fields"]))))
    if record["decline_reason"]:
        lines.append((_("Reason for declining"), record["decline_reason"]))
    if record["outcome"]:
        lines.append((_("Outcome"), record["outcome"]))
    for step in record["steps"]:
        lines.append(
            (
                (step["at"] or "")[:16].replace("T", " "),
                f"{states.get(step['to'], step['to'])} · {step['by']} {step['note']}".strip(),
            )
        )
    for document in record["documents"]:
        lines.append((_("Document"), document["file"]))
    return lines


PERSONAL_DATA = PersonalData(
    app="referrals",
    exports=(
        ExportPart("referrals", EXPORT_SECTION_TITLE, referrals_export_person, referrals_describe),
    ),
    erase=referrals_erase_person,
)
