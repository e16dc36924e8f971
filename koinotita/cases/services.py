"""Writes of case files. Each service: keyword-only arguments, a permission check,
validation (nothing partial is saved), one transaction, one audit event, the object back.

Every change of a case writes a row of its append-only history (`CaseEvent`), from which
the timeline is drawn.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koinotita.accounts.scoping import Capability, scope_for
from koinotita.audit.services import audit_record
from koinotita.cases import selectors
from koinotita.cases.models import (
    Assessment,
    AssessmentItem,
    Attachment,
    Case,
    CaseEvent,
    CaseMember,
    ClosureRequest,
    Domain,
    Goal,
    GoalAction,
    Note,
    NoteAccess,
    Session,
    SessionParticipant,
    Task,
    Transfer,
)
from koinotita.cases.models import AssessmentItem as AI
from koinotita.lib import uploads
from koinotita.lib.errors import Conflict
from koinotita.people.models import Person
from koinotita.people.services import person_transfer

S = Case.Status
# The status lifecycle: open → active → (suspended) → closed; closing goes through a
# supervisor-approved closure request, reopening through `case_reopen`.
TRANSITIONS = {
    S.OPEN: {S.ACTIVE, S.SUSPENDED},
    S.ACTIVE: {S.SUSPENDED},
    S.SUSPENDED: {S.ACTIVE},
    S.CLOSED: set(),
}
MAX_SESSION_MINUTES = 8 * 60


def _event(case: Case, actor, kind: str, *, note: str = "", frm: str = "", to: str = "", **d):
    return CaseEvent.objects.create(
        centre_id=case.centre_id,
        case=case,
        at=timezone.now(),
        actor=actor,
        kind=kind,
        from_status=frm,
        to_status=to,
        note=(note or "")[:2000],
        detail=d,
    )


def _audit(action: str, *, actor, case: Case, request=None, reason: str = "", **detail):
    audit_record(
        action=action,
        actor=actor,
        obj=case,
        request=request,
        reason=reason,
        detail={"person": case.person_id, **detail},
    )


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _require_edit(actor, case: Case) -> None:
    if not selectors.case_can_edit(actor, case):
        if case.is_stub:
            raise ValidationError(
                _("This case was transferred to another centre; the record here is read-only."),
                code="stub",
            )
        raise PermissionDenied(_("You cannot change this case."))
    if case.is_closed:
        raise ValidationError(
            _("This case is closed; reopen it before changing it."), code="closed"
        )


def _require_supervisor(actor, centre_id: int) -> None:
    if not scope_for(actor).allows(Capability.SUPERVISE, centre_id):
        raise PermissionDenied(_("Only a supervisor of this centre can do this."))


def _require_worker(user, centre_id: int, field: str) -> None:
    if user is None or not user.is_active:
        raise ValidationError({field: [_("Choose a worker.")]})
    if not scope_for(user).allows(Capability.CASE_FILES, centre_id):
        raise ValidationError(
            {field: [_("%(name)s does not keep case files at this centre.") % {"name": user}]}
        )


def _clean_text(value: str) -> str:
    return (value or "").strip()


# --- The case --------------------------------------------------------------------------------


@transaction.atomic
def case_open(
    *,
    actor,
    person: Person,
    reason: str,
    priority: str = Case.Priority.NORMAL,
    lead_worker=None,
    team=(),
    opened_on: date | None = None,
    with_household: bool = False,
    request=None,
) -> Case:
    """Open a case for `person` at their centre; the actor leads it unless told otherwise."""
    scope = scope_for(actor)
    if not scope.allows(Capability.CONFIDENTIAL_NOTES, person.centre_id):
        raise PermissionDenied(_("You cannot open cases in this centre."))
    lead_worker = lead_worker or actor
    today = timezone.localdate()
    opened_on = opened_on or today
    errors: dict[str, list[str]] = {}
    if not person.is_active:
        errors["person"] = [_("This person's record is no longer active.")]
    if opened_on > today:
        errors["opened_on"] = [_("A case cannot be opened in the future.")]
    if not _clean_text(reason):
        errors["reason"] = [_("Write why the case is opened.")]
    try:
        _require_worker(lead_worker, person.centre_id, "lead_worker")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    for member in team:
        if not scope_for(member).allows(Capability.CASE_FILES, person.centre_id):
            errors["team"] = [
                _("%(name)s does not keep case files at this centre.") % {"name": member}
            ]
    if errors:
        raise ValidationError(errors)
    case = Case(
        centre_id=person.centre_id,
        person=person,
        household_id=person.household_id if with_household else None,
        lead_worker=lead_worker,
        reason=_clean_text(reason),
        priority=priority,
        opened_on=opened_on,
        created_by=actor,
    )
    case.full_clean(exclude=["lead_worker", "created_by", "person", "centre"])
    case.save()
    CaseMember.objects.bulk_create(
        CaseMember(centre_id=case.centre_id, case=case, user=m)
        for m in {m.pk: m for m in team if m.pk != lead_worker.pk}.values()
    )
    _event(case, actor, CaseEvent.Kind.OPENED, to=S.OPEN, note=case.reason[:300])
    _audit("case.opened", actor=actor, case=case, request=request)
    return case


@transaction.atomic
def case_set_status(*, actor, case: Case, status: str, note: str = "", request=None) -> Case:
    """Move along the lifecycle (closing goes through a closure request)."""
    case = _locked(case)
    _require_edit(actor, case)
    if status == S.CLOSED:
        raise ValidationError(
            _("A case is closed through a closure request approved by a supervisor."),
            code="closure",
        )
    if status not in TRANSITIONS.get(case.status, set()):
        raise ValidationError(
            _("A case cannot go from %(from)s to %(to)s.")
            % {"from": case.get_status_display(), "to": dict(S.choices).get(status, status)},
            code="transition",
        )
    if status == S.SUSPENDED and not _clean_text(note):
        raise ValidationError({"note": [_("Write why the case is suspended.")]})
    old = case.status
    case.status = status
    case.save(update_fields=["status", "updated_at"])
    _event(case, actor, CaseEvent.Kind.STATUS, frm=old, to=status, note=note)
    _audit("case.status", actor=actor, case=case, request=request, old=old, new=status)
    return case


@transaction.atomic
def case_reassign(*, actor, case: Case, lead_worker, note: str = "", request=None) -> Case:
    """A supervisor gives the case to another worker; the former lead stays on the team."""
    _require_supervisor(actor, case.centre_id)
    case = _locked(case)
    if case.is_stub or case.is_closed:
        raise ValidationError(_("Only an open case can be reassigned."), code="closed")
    _require_worker(lead_worker, case.centre_id, "lead_worker")
    if lead_worker.pk == case.lead_worker_id:
        raise ValidationError({"lead_worker": [_("This worker already leads the case.")]})
    old = case.lead_worker_id
    CaseMember.objects.get_or_create(case=case, user_id=old, defaults={"centre_id": case.centre_id})
    CaseMember.objects.filter(case=case, user=lead_worker).delete()
    case.lead_worker = lead_worker
    case.save(update_fields=["lead_worker", "updated_at"])
    _event(case, actor, CaseEvent.Kind.REASSIGNED, note=note, old=old, new=lead_worker.pk)
    _audit("case.reassigned", actor=actor, case=case, request=request, old=old, new=lead_worker.pk)
    return case


@transaction.atomic
def case_member_add(*, actor, case: Case, user, request=None) -> Case:
    case = _locked(case)
    _require_edit(actor, case)
    _require_worker(user, case.centre_id, "user")
    if user.pk == case.lead_worker_id or CaseMember.objects.filter(case=case, user=user).exists():
        raise ValidationError({"user": [_("This worker is already on the team.")]})
    CaseMember.objects.create(centre_id=case.centre_id, case=case, user=user)
    _event(case, actor, CaseEvent.Kind.TEAM, added=user.pk)
    _audit("case.team", actor=actor, case=case, request=request, added=user.pk)
    return case


@transaction.atomic
def case_member_remove(*, actor, case: Case, user, request=None) -> Case:
    case = _locked(case)
    _require_edit(actor, case)
    CaseMember.objects.filter(case=case, user=user).delete()
    _event(case, actor, CaseEvent.Kind.TEAM, removed=user.pk)
    _audit("case.team", actor=actor, case=case, request=request, removed=user.pk)
    return case


# --- Assessment ------------------------------------------------------------------------------


@transaction.atomic
def assessment_record(
    *,
    actor,
    case: Case,
    assessed_on: date,
    ratings: dict[str, tuple[int, str]],
    summary: str = "",
    request=None,
) -> Assessment:
    """A new assessment: `ratings` maps domains to (rating 1–5, note). At least one domain."""
    case = _locked(case)
    _require_edit(actor, case)
    errors: dict[str, list[str]] = {}
    if assessed_on > timezone.localdate():
        errors["assessed_on"] = [_("An assessment cannot be in the future.")]
    elif assessed_on < case.opened_on:
        errors["assessed_on"] = [_("An assessment cannot be before the case was opened.")]
    clean = {}
    for domain, (rating, note) in ratings.items():
        if domain not in Domain.values:
            errors.setdefault("ratings", []).append(_("Unknown domain: %(d)s") % {"d": domain})
        elif rating is None or rating == "":
            continue
        elif not 1 <= int(rating) <= 5:
            errors[domain] = [_("The rating must be from 1 to 5.")]
        else:
            clean[domain] = (int(rating), _clean_text(note)[:1000])
    if not clean and "ratings" not in errors:
        errors["ratings"] = [_("Rate at least one domain.")]
    if errors:
        raise ValidationError(errors)
    assessment = Assessment.objects.create(
        centre_id=case.centre_id,
        case=case,
        assessed_on=assessed_on,
        assessed_by=actor,
        summary=_clean_text(summary),
    )
    AssessmentItem.objects.bulk_create(
        AssessmentItem(centre_id=case.centre_id, assessment=assessment, domain=d, rating=r, note=n)
        for d, (r, n) in clean.items()
    )
    if case.status == S.OPEN:
        case.status = S.ACTIVE
        case.save(update_fields=["status", "updated_at"])
        _event(case, actor, CaseEvent.Kind.STATUS, frm=S.OPEN, to=S.ACTIVE)
    _event(case, actor, CaseEvent.Kind.ASSESSMENT, assessment=assessment.pk)
    _audit("case.assessment", actor=actor, case=case, request=request, assessment=assessment.pk)
    return assessment


# --- Plan (optimistic locking) ---------------------------------------------------------------


class StalePlan(Conflict, ValidationError):
    """Someone else changed the plan since it was read (HTTP 409)."""


def _plan_lock(actor, case: Case, plan_version: int) -> Case:
    """Lock the case, check the plan version the writer read, and bump it."""
    case = _locked(case)
    _require_edit(actor, case)
    if int(plan_version) != case.plan_version:
        raise StalePlan(
            _(
                "Someone else changed this plan while you were editing it. Your change was not "
                "saved: reload the plan, check their change and try again."
            ),
            code="stale",
        )
    case.plan_version += 1
    case.save(update_fields=["plan_version", "updated_at"])
    return case


def _goal_errors(case: Case, *, domain, title, target_date, responsible) -> dict:
    errors: dict[str, list[str]] = {}
    if domain not in Domain.values:
        errors["domain"] = [_("Choose the domain of the goal.")]
    if not _clean_text(title):
        errors["title"] = [_("Write the goal.")]
    if target_date is not None and target_date < case.opened_on:
        errors["target_date"] = [
            _("The target date cannot be before the case was opened (%(d)s).")
            % {"d": case.opened_on.strftime("%d/%m/%Y")}
        ]
    if responsible is not None and not scope_for(responsible).allows(
        Capability.CASE_FILES, case.centre_id
    ):
        errors["responsible"] = [_("This worker does not keep case files at this centre.")]
    return errors


@transaction.atomic
def goal_add(
    *,
    actor,
    case: Case,
    plan_version: int,
    domain: str,
    title: str,
    responsible=None,
    target_date: date | None = None,
    actions: list[str] = (),
    request=None,
) -> Goal:
    case = _plan_lock(actor, case, plan_version)
    errors = _goal_errors(
        case, domain=domain, title=title, target_date=target_date, responsible=responsible
    )
    if errors:
        raise ValidationError(errors)
    goal = Goal(
        centre_id=case.centre_id,
        case=case,
        domain=domain,
        title=_clean_text(title),
        responsible=responsible,
        target_date=target_date,
        created_by=actor,
        order=Goal.objects.filter(case=case).count(),
    )
    goal.full_clean(exclude=["case", "centre", "created_by", "responsible"])
    goal.save()
    GoalAction.objects.bulk_create(
        GoalAction(centre_id=case.centre_id, goal=goal, text=t.strip()[:500])
        for t in actions
        if t and t.strip()
    )
    _event(case, actor, CaseEvent.Kind.PLAN, goal=goal.pk, change="goal_added")
    _audit("case.plan", actor=actor, case=case, request=request, goal=goal.pk, change="added")
    return goal


@transaction.atomic
def goal_update(
    *,
    actor,
    goal: Goal,
    plan_version: int,
    status: str,
    title: str | None = None,
    target_date: date | None = None,
    responsible=None,
    request=None,
) -> Goal:
    case = _plan_lock(actor, goal.case, plan_version)
    goal = Goal.objects.select_for_update().get(pk=goal.pk, centre_id=case.centre_id)
    title = goal.title if title is None else title
    errors = _goal_errors(
        case, domain=goal.domain, title=title, target_date=target_date, responsible=responsible
    )
    if status not in Goal.Status.values:
        errors["status"] = [_("Choose a status.")]
    if errors:
        raise ValidationError(errors)
    old = goal.status
    goal.status, goal.title = status, _clean_text(title)
    goal.target_date, goal.responsible = target_date, responsible
    goal.save()
    _event(case, actor, CaseEvent.Kind.PLAN, goal=goal.pk, change="goal_updated", old=old)
    _audit("case.plan", actor=actor, case=case, request=request, goal=goal.pk, change="updated")
    return goal


@transaction.atomic
def action_add(
    *,
    actor,
    goal: Goal,
    plan_version: int,
    text: str,
    responsible: str = "",
    target_date: date | None = None,
    request=None,
) -> GoalAction:
    case = _plan_lock(actor, goal.case, plan_version)
    errors = {}
    if not _clean_text(text):
        errors["text"] = [_("Write the action.")]
    if target_date is not None and target_date < case.opened_on:
        errors["target_date"] = [_("The target date cannot be before the case was opened.")]
    if errors:
        raise ValidationError(errors)
    action = GoalAction.objects.create(
        centre_id=case.centre_id,
        goal=goal,
        text=_clean_text(text)[:500],
        responsible=_clean_text(responsible)[:200],
        target_date=target_date,
    )
    _event(case, actor, CaseEvent.Kind.PLAN, goal=goal.pk, action=action.pk, change="action")
    _audit("case.plan", actor=actor, case=case, request=request, goal_action=action.pk)
    return action


@transaction.atomic
def action_set_status(
    *, actor, action: GoalAction, plan_version: int, status: str, request=None
) -> GoalAction:
    case = _plan_lock(actor, action.goal.case, plan_version)
    if status not in GoalAction.Status.values:
        raise ValidationError({"status": [_("Choose a status.")]})
    action.status = status
    action.save(update_fields=["status"])
    _event(case, actor, CaseEvent.Kind.PLAN, action=action.pk, change="action_status")
    _audit("case.plan", actor=actor, case=case, request=request, goal_action=action.pk)
    return action


@transaction.atomic
def plan_agree(*, actor, case: Case, plan_version: int, agreed_on: date, request=None) -> Case:
    """Record the date the person agreed the plan."""
    case = _plan_lock(actor, case, plan_version)
    if agreed_on > timezone.localdate() or agreed_on < case.opened_on:
        raise ValidationError(
            {"agreed_on": [_("The date must be between the opening of the case and today.")]}
        )
    if not Goal.objects.filter(case=case).exists():
        raise ValidationError(_("Add at least one goal before recording the agreement."))
    case.plan_agreed_on = agreed_on
    case.save(update_fields=["plan_agreed_on", "updated_at"])
    _event(case, actor, CaseEvent.Kind.PLAN, change="agreed", on=agreed_on.isoformat())
    _audit("case.plan", actor=actor, case=case, request=request, change="agreed")
    return case


# --- Sessions and notes ----------------------------------------------------------------------


@transaction.atomic
def session_log(
    *,
    actor,
    case: Case,
    held_at: datetime,
    kind: str,
    mode: str,
    minutes: int,
    persons: list[Person] = (),
    other_participants: str = "",
    summary: str = "",
    note_text: str = "",
    note_level: str = Note.Level.TEAM,
    request=None,
) -> Session:
    """A session with its participants (at least one person), and optionally its note."""
    case = _locked(case)
    _require_edit(actor, case)
    persons = list(persons)
    errors: dict[str, list[str]] = {}
    if timezone.is_naive(held_at):
        held_at = timezone.make_aware(held_at)
    if held_at > timezone.now() + timezone.timedelta(minutes=5):
        errors["held_at"] = [_("A session cannot be logged in the future.")]
    elif timezone.localdate(held_at) < case.opened_on:
        errors["held_at"] = [_("A session cannot be before the case was opened.")]
    if kind not in Session.Kind.values:
        errors["kind"] = [_("Choose the kind of session.")]
    if mode not in Session.Mode.values:
        errors["mode"] = [_("Choose how the session was held.")]
    if minutes is None or not 1 <= int(minutes) <= MAX_SESSION_MINUTES:
        errors["minutes"] = [
            _("The duration must be between 1 and %(n)d minutes.") % {"n": MAX_SESSION_MINUTES}
        ]
    if not persons:
        errors["persons"] = [_("Choose who took part in the session.")]
    for person in persons:
        if person.centre_id != case.centre_id or not person.is_active:
            errors["persons"] = [_("A participant is not a record of this centre.")]
    if note_text.strip() and note_level not in Note.Level.values:
        errors["note_level"] = [_("Choose the confidentiality of the note.")]
    if errors:
        raise ValidationError(errors)
    session = Session.objects.create(
        centre_id=case.centre_id,
        case=case,
        held_at=held_at,
        kind=kind,
        mode=mode,
        minutes=int(minutes),
        worker=actor,
        other_participants=_clean_text(other_participants)[:300],
        summary=_clean_text(summary)[:300],
    )
    SessionParticipant.objects.bulk_create(
        SessionParticipant(centre_id=case.centre_id, session=session, person=p)
        for p in {p.pk: p for p in persons}.values()
    )
    if note_text.strip():
        Note.objects.create(
            centre_id=case.centre_id,
            case=case,
            session=session,
            author=actor,
            level=note_level,
            text=note_text.strip(),
        )
    fields = ["updated_at"]
    if case.last_contact_at is None or held_at > case.last_contact_at:
        case.last_contact_at = held_at
        fields.append("last_contact_at")
    if case.status == S.OPEN:
        case.status = S.ACTIVE
        fields.append("status")
        _event(case, actor, CaseEvent.Kind.STATUS, frm=S.OPEN, to=S.ACTIVE)
    case.save(update_fields=fields)
    _event(case, actor, CaseEvent.Kind.SESSION, session=session.pk)
    _audit("case.session", actor=actor, case=case, request=request, session=session.pk)
    return session


@transaction.atomic
def note_add(*, actor, case: Case, text: str, level: str = Note.Level.TEAM, request=None) -> Note:
    case = _locked(case)
    _require_edit(actor, case)
    if not scope_for(actor).allows(Capability.CONFIDENTIAL_NOTES, case.centre_id):
        raise PermissionDenied(_("You cannot write notes on cases."))
    errors = {}
    if not _clean_text(text):
        errors["text"] = [_("Write the note.")]
    if level not in Note.Level.values:
        errors["level"] = [_("Choose the confidentiality of the note.")]
    if errors:
        raise ValidationError(errors)
    note = Note.objects.create(
        centre_id=case.centre_id, case=case, author=actor, level=level, text=text.strip()
    )
    _event(case, actor, CaseEvent.Kind.NOTE, note_id=note.pk, level=level)
    _audit("case.note", actor=actor, case=case, request=request, note=note.pk, level=level)
    return note


@transaction.atomic
def note_break_glass(*, actor, note: Note, reason: str, request=None) -> NoteAccess:
    """A supervisor opens a restricted or clinical note with a written reason; audited, and
    shown to the note's author on the case page."""
    _require_supervisor(actor, note.centre_id)
    case = note.case
    opened = selectors.note_opened_by(actor, [note.pk])  # opened once: no reason needed again
    if selectors.note_access(actor, note, team_ids=frozenset(), opened=opened) != (
        selectors.NoteAccessLevel.BREAK_GLASS
    ):
        raise ValidationError(_("This note does not need a reason to be read."), code="no_need")
    reason = _clean_text(reason)
    if len(reason) < 10:
        raise ValidationError(
            {"reason": [_("Write the reason for reading this note (at least 10 characters).")]}
        )
    access = NoteAccess.objects.create(
        centre_id=note.centre_id, note=note, user=actor, reason=reason[:1000]
    )
    audit_record(
        action="case.note.break_glass",
        actor=actor,
        obj=case,
        request=request,
        reason=reason,
        detail={"note": note.pk, "author": note.author_id, "person": case.person_id},
    )
    return access


# --- Attachments -----------------------------------------------------------------------------


@transaction.atomic
def attachment_add(*, actor, case: Case, title: str, upload, request=None) -> Attachment:
    """Check size and type (by content), store outside the web root, record it."""
    case = _locked(case)
    _require_edit(actor, case)
    content = uploads.check_upload(
        upload,
        kinds=uploads.CASE_DOCUMENTS,
        max_bytes=settings.DOCUMENTS_MAX_BYTES,
        field="upload",
    )
    if not _clean_text(title):
        title = upload.name
    digest = hashlib.sha256(content.data).hexdigest()
    storage_name = f"{case.centre_id}/{secrets.token_hex(16)}"
    path = settings.DOCUMENTS_DIR / storage_name
    attachment = Attachment.objects.create(
        centre_id=case.centre_id,
        case=case,
        title=_clean_text(title)[:200],
        filename=content.filename,
        content_type=content.content_type,
        size=len(content.data),
        sha256=digest,
        storage_name=storage_name,
        uploaded_by=actor,
    )
    _event(case, actor, CaseEvent.Kind.ATTACHMENT, attachment=attachment.pk)
    _audit("case.attachment", actor=actor, case=case, request=request, attachment=attachment.pk)
    # Last: if writing the file fails, the transaction (row, history, audit) rolls back.
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.write_bytes(content.data)
    return attachment


def attachment_open(*, actor, attachment: Attachment, request=None):
    """Audit the download and return the file's path (the view streams it)."""
    audit_record(
        action="case.attachment.read",
        actor=actor,
        obj=attachment.case,
        request=request,
        detail={"attachment": attachment.pk, "person": attachment.case.person_id},
    )
    return settings.DOCUMENTS_DIR / attachment.storage_name


# --- Tasks -----------------------------------------------------------------------------------


@transaction.atomic
def task_create(
    *,
    actor,
    title: str,
    assignee,
    due_on: date,
    case: Case | None = None,
    centre_id: int | None = None,
    request=None,
) -> Task:
    """A task on a case (the case's centre) or standalone (at `centre_id`)."""
    if case is not None:
        case = _locked(case)
        _require_edit(actor, case)
        centre_id = case.centre_id
    elif centre_id is None or not scope_for(actor).allows(Capability.CASE_FILES, centre_id):
        raise PermissionDenied(_("You cannot create tasks in this centre."))
    errors: dict[str, list[str]] = {}
    if not _clean_text(title):
        errors["title"] = [_("Write the task.")]
    if due_on is None:
        errors["due_on"] = [_("Give a due date.")]
    elif case is not None and due_on < case.opened_on:
        errors["due_on"] = [_("The due date cannot be before the case was opened.")]
    try:
        _require_worker(assignee, centre_id, "assignee")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    task = Task.objects.create(
        centre_id=centre_id,
        case=case,
        title=_clean_text(title)[:300],
        assignee=assignee,
        due_on=due_on,
        created_by=actor,
    )
    if case is not None:
        _event(case, actor, CaseEvent.Kind.TASK, task=task.pk, change="created")
        _audit("case.task", actor=actor, case=case, request=request, task=task.pk)
    else:
        audit_record(action="task.created", actor=actor, obj=task, request=request)
    return task


@transaction.atomic
def task_set_status(*, actor, task: Task, status: str, request=None) -> Task:
    task = Task.objects.select_for_update().get(pk=task.pk)
    if status not in Task.Status.values:
        raise ValidationError({"status": [_("Choose a status.")]})
    if task.case_id is not None:
        case = task.case
        if task.assignee_id != actor.pk:
            _require_edit(actor, case)
        elif case.is_closed or case.is_stub:
            raise ValidationError(_("This case is closed; reopen it before changing it."))
    elif task.assignee_id != actor.pk and task.created_by_id != actor.pk:
        _require_supervisor(actor, task.centre_id)
    task.status = status
    task.done_at = timezone.now() if status == Task.Status.DONE else None
    task.save(update_fields=["status", "done_at"])
    if task.case_id is not None:
        _event(task.case, actor, CaseEvent.Kind.TASK, task=task.pk, change=status)
        _audit("case.task", actor=actor, case=task.case, request=request, task=task.pk)
    else:
        audit_record(action="task.status", actor=actor, obj=task, request=request)
    return task


# --- Closure and reopening -------------------------------------------------------------------

FINAL_GOAL_STATUSES = {Goal.Status.ACHIEVED, Goal.Status.NOT_ACHIEVED, Goal.Status.DROPPED}


@transaction.atomic
def closure_request(
    *,
    actor,
    case: Case,
    reason: str,
    note: str = "",
    open_tasks: str = "",
    goal_outcomes: dict | None = None,
    request=None,
) -> ClosureRequest:
    """Ask a supervisor to close the case. Open tasks must be dealt with (cancel or keep as
    standalone) and every goal still open given a final outcome."""
    case = _locked(case)
    _require_edit(actor, case)
    errors: dict[str, list[str]] = {}
    if selectors.closure_request_pending(case) is not None:
        raise ValidationError(_("A closure request is already waiting for approval."))
    if reason not in Case.ClosureReason.values or reason == Case.ClosureReason.TRANSFERRED:
        errors["reason"] = [_("Choose the reason for closure.")]
    if reason == Case.ClosureReason.OTHER and not _clean_text(note):
        errors["note"] = [_("Explain the reason for closure.")]
    n_open = Task.objects.filter(case=case, centre_id=case.centre_id, status="open").count()
    if n_open and open_tasks not in (
        ClosureRequest.OpenTasks.CANCEL,
        ClosureRequest.OpenTasks.DETACH,
    ):
        errors["open_tasks"] = [
            ngettext(
                "The case has %(n)d open task: choose whether to cancel it or keep it as a "
                "standalone task.",
                "The case has %(n)d open tasks: choose whether to cancel them or keep them as "
                "standalone tasks.",
                n_open,
            )
            % {"n": n_open}
        ]
    goal_outcomes = {str(k): v for k, v in (goal_outcomes or {}).items()}
    outcomes = {}
    for goal in Goal.objects.filter(case=case, centre_id=case.centre_id):
        given = goal_outcomes.get(str(goal.pk)) or {}
        status = given.get("status") or (goal.status if goal.status in FINAL_GOAL_STATUSES else "")
        if status not in FINAL_GOAL_STATUSES:
            errors.setdefault("goal_outcomes", []).append(
                _("Give the outcome of the goal “%(goal)s”.") % {"goal": goal.title}
            )
            continue
        outcomes[str(goal.pk)] = {
            "status": status,
            "outcome": _clean_text(given.get("outcome", goal.outcome))[:1000],
        }
    if errors:
        raise ValidationError(errors)
    req = ClosureRequest.objects.create(
        centre_id=case.centre_id,
        case=case,
        reason=reason,
        note=_clean_text(note),
        open_tasks=open_tasks if n_open else "",
        goal_outcomes=outcomes,
        requested_by=actor,
    )
    _event(case, actor, CaseEvent.Kind.CLOSURE_REQUESTED, note=note, reason=reason)
    _audit("case.closure_requested", actor=actor, case=case, request=request, req=req.pk)
    return req


@transaction.atomic
def closure_approve(*, actor, closure: ClosureRequest, note: str = "", request=None) -> Case:
    _require_supervisor(actor, closure.centre_id)
    closure = ClosureRequest.objects.select_for_update().get(pk=closure.pk)
    if closure.status != ClosureRequest.Status.PENDING:
        raise ValidationError(_("This closure request has already been decided."))
    case = _locked(closure.case)
    if case.is_closed or case.is_stub:
        raise ValidationError(_("This case is already closed."))
    today = timezone.localdate()
    open_tasks = Task.objects.filter(case=case, centre_id=case.centre_id, status="open")
    if closure.open_tasks == ClosureRequest.OpenTasks.CANCEL:
        open_tasks.update(status=Task.Status.CANCELLED)
    elif closure.open_tasks == ClosureRequest.OpenTasks.DETACH:
        open_tasks.update(case=None)
    elif open_tasks.exists():
        raise ValidationError(
            _("Tasks were added since the request; the worker must request closure again.")
        )
    for goal in Goal.objects.filter(case=case, centre_id=case.centre_id):
        given = closure.goal_outcomes.get(str(goal.pk))
        if given is None:
            raise ValidationError(
                _("Goals were added since the request; the worker must request closure again.")
            )
        goal.status, goal.outcome = given["status"], given["outcome"]
        goal.save(update_fields=["status", "outcome"])
    old = case.status
    case.status = S.CLOSED
    case.closed_on = max(today, case.opened_on)
    case.closure_reason = closure.reason
    case.closure_note = closure.note
    case.save(update_fields=["status", "closed_on", "closure_reason", "closure_note", "updated_at"])
    closure.status = ClosureRequest.Status.APPROVED
    closure.decided_by, closure.decided_at = actor, timezone.now()
    closure.decision_note = _clean_text(note)[:1000]
    closure.save()
    _event(
        case, actor, CaseEvent.Kind.CLOSED, frm=old, to=S.CLOSED, note=note, reason=closure.reason
    )
    _audit("case.closed", actor=actor, case=case, request=request, req=closure.pk)
    return case


@transaction.atomic
def closure_reject(*, actor, closure: ClosureRequest, note: str, request=None) -> ClosureRequest:
    _require_supervisor(actor, closure.centre_id)
    closure = ClosureRequest.objects.select_for_update().get(pk=closure.pk)
    if closure.status != ClosureRequest.Status.PENDING:
        raise ValidationError(_("This closure request has already been decided."))
    if not _clean_text(note):
        raise ValidationError({"note": [_("Tell the worker why the case stays open.")]})
    closure.status = ClosureRequest.Status.REJECTED
    closure.decided_by, closure.decided_at = actor, timezone.now()
    closure.decision_note = _clean_text(note)[:1000]
    closure.save()
    _event(closure.case, actor, CaseEvent.Kind.CLOSURE_REJECTED, note=note)
    _audit("case.closure_rejected", actor=actor, case=closure.case, request=request)
    return closure


@transaction.atomic
def case_reopen(*, actor, case: Case, note: str, request=None) -> Case:
    """Reopen a closed case (its history, and the closure in it, are kept)."""
    case = _locked(case)
    if case.is_stub:
        raise ValidationError(
            _("This case was transferred to another centre; the record here is read-only.")
        )
    if not selectors.case_can_edit(actor, case):
        raise PermissionDenied(_("You cannot change this case."))
    if not case.is_closed:
        raise ValidationError(_("Only a closed case can be reopened."))
    if not _clean_text(note):
        raise ValidationError({"note": [_("Write why the case is reopened.")]})
    case.status = S.ACTIVE
    case.closed_on = None
    case.closure_reason = ""
    case.closure_note = ""
    case.save(update_fields=["status", "closed_on", "closure_reason", "closure_note", "updated_at"])
    _event(case, actor, CaseEvent.Kind.REOPENED, frm=S.CLOSED, to=S.ACTIVE, note=note)
    _audit("case.reopened", actor=actor, case=case, request=request)
    return case


# --- Transfer between centres ----------------------------------------------------------------


@transaction.atomic
def transfer_request(
    *,
    actor,
    case: Case,
    to_centre,
    consent_given_on: date,
    reason: str,
    consent_note: str = "",
    request=None,
) -> Transfer:
    """Propose the case (and its person) to another centre. Only with the person's consent,
    recorded here with its date (and as a consent of the person, purpose: registration at
    the receiving centre, once accepted)."""
    case = _locked(case)
    _require_edit(actor, case)
    errors: dict[str, list[str]] = {}
    if to_centre is None or to_centre.pk == case.centre_id or not to_centre.is_active:
        errors["to_centre"] = [_("Choose another, active centre.")]
    if consent_given_on is None:
        errors["consent_given_on"] = [
            _("A case can be transferred only with the person's consent: record its date.")
        ]
    elif consent_given_on > timezone.localdate():
        errors["consent_given_on"] = [_("The consent cannot be dated in the future.")]
    if not _clean_text(reason):
        errors["reason"] = [_("Write why the case is transferred.")]
    if selectors.transfer_pending(case) is not None:
        errors["to_centre"] = [_("A transfer of this case is already waiting.")]
    if errors:
        raise ValidationError(errors)
    transfer = Transfer.objects.create(
        centre_id=case.centre_id,
        case=case,
        to_centre=to_centre,
        consent_given_on=consent_given_on,
        consent_note=_clean_text(consent_note)[:300],
        reason=_clean_text(reason)[:1000],
        requested_by=actor,
    )
    _event(case, actor, CaseEvent.Kind.TRANSFER, change="requested", to_centre=to_centre.pk)
    _audit("case.transfer_requested", actor=actor, case=case, request=request, to=to_centre.pk)
    return transfer


@transaction.atomic
def transfer_accept(*, actor, transfer: Transfer, request=None) -> Case:
    """The receiving centre accepts: the person is registered there (or matched by AMKA),
    the case file moves there with a new number, led by the accepting worker; the sending
    centre keeps the old case as a closed, read-only stub pointing to the new one."""
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if not scope_for(actor).allows(Capability.CONFIDENTIAL_NOTES, transfer.to_centre_id):
        raise PermissionDenied(_("You cannot accept cases at this centre."))
    if transfer.status != Transfer.Status.PENDING:
        raise ValidationError(_("This transfer has already been decided."))
    old = _locked(transfer.case)
    if old.is_stub or old.is_closed:
        raise ValidationError(_("This case can no longer be transferred."))
    to = transfer.to_centre_id
    src = old.person
    person = person_transfer(
        actor=actor,
        source=src,
        to_centre_id=to,
        consent_given_on=transfer.consent_given_on,
        consent_recorded_by=transfer.requested_by,
        note=_("Consent to the transfer from %(centre)s") % {"centre": transfer.centre},
        request=request,
    )
    new = Case.objects.create(
        centre_id=to,
        person=person,
        lead_worker=actor,
        reason=old.reason,
        priority=old.priority,
        status=old.status if old.status != S.OPEN else S.OPEN,
        opened_on=old.opened_on,
        last_contact_at=old.last_contact_at,
        plan_agreed_on=old.plan_agreed_on,
        created_by=actor,
    )

    Assessment.objects.filter(case=old).update(case=new, centre_id=to)
    AI.objects.filter(assessment__case=new).update(centre_id=to)
    Goal.objects.filter(case=old).update(case=new, centre_id=to)
    GoalAction.objects.filter(goal__case=new).update(centre_id=to)
    Session.objects.filter(case=old).update(case=new, centre_id=to)
    SessionParticipant.objects.filter(session__case=new).update(centre_id=to)
    SessionParticipant.objects.filter(session__case=new, person=src).update(person=person)
    SessionParticipant.objects.filter(session__case=new).exclude(person=person).delete()
    Note.objects.filter(case=old).update(case=new, centre_id=to)
    NoteAccess.objects.filter(note__case=new).update(centre_id=to)
    Attachment.objects.filter(case=old).update(case=new, centre_id=to)
    Task.objects.filter(case=old).update(case=new, centre_id=to, assignee=actor)
    old.status = S.CLOSED
    old.closed_on = max(timezone.localdate(), old.opened_on)
    old.closure_reason = Case.ClosureReason.TRANSFERRED
    old.transferred_to = new
    old.save()
    transfer.status = Transfer.Status.ACCEPTED
    transfer.decided_by, transfer.decided_at, transfer.new_case = actor, timezone.now(), new
    transfer.save()
    _event(old, actor, CaseEvent.Kind.TRANSFER, frm=S.ACTIVE, to=S.CLOSED, change="accepted")
    _event(new, actor, CaseEvent.Kind.TRANSFER, change="received", from_case=old.pk)
    _audit("case.transfer_accepted", actor=actor, case=new, request=request, from_case=old.pk)
    return new


@transaction.atomic
def transfer_decline(*, actor, transfer: Transfer, note: str = "", request=None) -> Transfer:
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if not scope_for(actor).allows(Capability.CONFIDENTIAL_NOTES, transfer.to_centre_id):
        raise PermissionDenied(_("You cannot decline cases at this centre."))
    if transfer.status != Transfer.Status.PENDING:
        raise ValidationError(_("This transfer has already been decided."))
    transfer.status = Transfer.Status.DECLINED
    transfer.decided_by, transfer.decided_at = actor, timezone.now()
    transfer.save()
    _event(transfer.case, actor, CaseEvent.Kind.TRANSFER, change="declined", note=note)
    _audit("case.transfer_declined", actor=actor, case=transfer.case, request=request)
    return transfer
