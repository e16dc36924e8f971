"""The cases' part in a person's anonymisation (koinotita.people.privacy.person_anonymise).

Also the cases' part in a subject-access export (people.privacy.person_export).

A case file is the most identifying record a centre holds: its free text names the person,
their family and their circumstances. When a supervisor anonymises a person, their cases
keep what the figures and the supervision need — status and its history (who, when, from,
to), priority, dates, team, domains and ratings of the assessments, goals' domains, dates
and statuses, sessions' kinds, modes, dates and durations, tasks' dates and statuses,
closure reasons — and lose every free text and every document. The append-only history
keeps its rows; only their notes are emptied (erasure outranks "never updated").
"""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koinotita.cases.models import (
    Assessment,
    AssessmentItem,
    Attachment,
    Case,
    CaseEvent,
    ClosureRequest,
    Goal,
    GoalAction,
    Note,
    NoteAccess,
    Session,
    Task,
    Transfer,
)
from koinotita.lib.dates import local_iso
from koinotita.people.personal_data import ExportPart, PersonalData

ERASED = "—"  # required texts keep a mark, not the words


def cases_erase_person(*, centre_id: int, person_ids: list[int], actor) -> dict:
    """Erase the free text and documents of the cases of `person_ids` at `centre_id`, in
    the anonymisation's transaction; returns counts for its audit event."""
    cases = Case.objects.filter(centre_id=centre_id, person_id__in=person_ids)
    ids = list(cases.values_list("pk", flat=True))
    if not ids:
        return {"cases_erased": 0}
    mine = {"centre_id": centre_id, "case_id__in": ids}
    cases.update(reason=ERASED, closure_note="")
    CaseEvent.objects.filter(**mine).exclude(note="").update(note="")
    assessments = Assessment.objects.filter(**mine)
    assessments.exclude(summary="").update(summary="")
    AssessmentItem.objects.filter(centre_id=centre_id, assessment__in=assessments).update(note="")
    goals = Goal.objects.filter(**mine)
    goals.update(title=ERASED, outcome="")
    GoalAction.objects.filter(centre_id=centre_id, goal__in=goals).update(
        text=ERASED, responsible=""
    )
    Session.objects.filter(**mine).update(other_participants="", summary="")
    notes = Note.objects.filter(**mine)
    NoteAccess.objects.filter(centre_id=centre_id, note__in=notes).update(reason=ERASED)
    notes_erased = notes.update(text=ERASED)
    Task.objects.filter(**mine).update(title=ERASED)
    ClosureRequest.objects.filter(**mine).update(note="", decision_note="")
    Transfer.objects.filter(**mine).update(consent_note="", reason=ERASED)
    attachments = Attachment.objects.filter(**mine)
    paths = [settings.DOCUMENTS_DIR / a.storage_name for a in attachments]
    removed = attachments.delete()[0]
    # The files go once the erasure is committed: a rollback keeps them with their rows.
    transaction.on_commit(lambda: [path.unlink(missing_ok=True) for path in paths])
    return {
        "cases_erased": len(ids),
        "case_notes_erased": notes_erased,
        "case_documents_removed": removed,
    }


# --- Subject-access export ------------------------------------------------------------------


def _day(value) -> str | None:
    return value.isoformat() if value else None


def _worker(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def cases_export_person(*, centre_id: int, person_ids: list[int]) -> list[dict]:
    """The cases of `person_ids` for their subject-access export. Notes of the team level
    are given in full; a restricted or clinical note is listed (date, author, level) but its
    words are withheld: professional secrecy, its author decides on disclosure."""
    cases = list(
        Case.objects.filter(centre_id=centre_id, person_id__in=person_ids)
        .select_related("lead_worker")
        .prefetch_related(
            "assessments__items",
            "goals__actions",
            "sessions",
            "notes__author",
            "tasks",
            "attachments",
        )
        .order_by("opened_on", "pk")
    )
    records = []
    for case in cases:
        records.append(
            {
                "id": case.pk,
                "opened_on": _day(case.opened_on),
                "closed_on": _day(case.closed_on),
                "status": case.status,
                "priority": case.priority,
                "reason": case.reason,
                "lead_worker": _worker(case.lead_worker),
                "closure_reason": case.closure_reason,
                "closure_note": case.closure_note,
                "plan_agreed_on": _day(case.plan_agreed_on),
                "assessments": [
                    {
                        "assessed_on": _day(a.assessed_on),
                        "summary": a.summary,
                        "domains": [
                            {"domain": i.domain, "rating": i.rating, "note": i.note}
                            for i in a.items.all()
                        ],
                    }
                    for a in case.assessments.all()
                ],
                "goals": [
                    {
                        "domain": g.domain,
                        "goal": g.title,
                        "status": g.status,
                        "target_date": _day(g.target_date),
                        "outcome": g.outcome,
                        "actions": [a.text for a in g.actions.all()],
                    }
                    for g in case.goals.all()
                ],
                "sessions": [
                    {
                        "held_at": local_iso(s.held_at),
                        "kind": s.kind,
                        "mode": s.mode,
                        "minutes": s.minutes,
                        "topic": s.summary,
                    }
                    for s in case.sessions.all()
                ],
                "notes": [
                    {
                        "written_at": local_iso(n.created_at),
                        "author": _worker(n.author),
                        "level": n.level,
                        "text": n.text if n.level == Note.Level.TEAM else None,
                        "withheld": n.level != Note.Level.TEAM,
                    }
                    for n in case.notes.all()
                ],
                "tasks": [
                    {"task": t.title, "due_on": _day(t.due_on), "status": t.status}
                    for t in case.tasks.all()
                ],
                "documents": [
                    {"title": d.title, "file": d.filename, "uploaded_at": local_iso(d.uploaded_at)}
                    for d in case.attachments.all()
                ],
            }
        )
    return records


def cases_describe(record: dict) -> list[tuple[str, str]]:
    """The PDF's lines for one case of the export."""
    lines = [
        (_("Case"), f"#{record['id']} · {record['status']} · {record['priority']}"),
        (_("Opened on"), record["opened_on"] or ""),
        (_("Closed on"), record["closed_on"] or "—"),
        (_("Lead worker"), record["lead_worker"]),
        (_("Reason for opening"), record["reason"]),
    ]
    if record["closure_reason"]:
        lines.append((_("Closure"), f"{record['closure_reason']} {record['closure_note']}"))
    for a in record["assessments"]:
        ratings = ", ".join(f"{d['domain']} {d['rating']}/5 {d['note']}" for d in a["domains"])
        lines.append(
            (_("Assessment %(date)s") % {"date": a["assessed_on"]}, f"{ratings}\n{a['summary']}")
        )
    for g in record["goals"]:
        lines.append((_("Goal"), f"{g['goal']} ({g['domain']}, {g['status']}) {g['outcome']}"))
    if record["sessions"]:
        lines.append(
            (
                _("Sessions"),
                "\n".join(
                    f"{s['held_at'][:16].replace('T', ' ')} "
                    f"{s['kind']} {s['mode']} {s['minutes']}′ {s['topic']}"
                    for s in record["sessions"]
                ),
            )
        )
    for n in record["notes"]:
        text = n["text"] if not n["withheld"] else _("(withheld: %(level)s note)") % n
        lines.append(
            (
                _("Note %(date)s, %(author)s")
                % {"date": n["written_at"][:10], "author": n["author"]},
                text,
            )
        )
    for t in record["tasks"]:
        lines.append((_("Task"), f"{t['task']} ({t['due_on']}, {t['status']})"))
    for d in record["documents"]:
        lines.append((_("Document"), f"{d['title']} ({d['file']})"))
    return lines


EXPORT_SECTION_TITLE = gettext_lazy("Case files")


PERSONAL_DATA = PersonalData(
    app="cases",
    exports=(ExportPart("cases", EXPORT_SECTION_TITLE, cases_export_person, cases_describe),),
    erase=cases_erase_person,
)
