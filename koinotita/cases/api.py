"""Case files endpoints: cases, assessments, goals, sessions, notes, tasks.

The same selectors and services as the pages, so the same scoping (a case out of scope is a
404) and the same confidentiality: a note the user may not read is never in a response
(`selectors.readable_notes_for`). Notes that a supervisor could open by break-glass are not
in the notes list: `GET /cases/{id}/notes/sealed` names them (id, level, author, date —
never the text, as the case page does) and `POST /notes/{id}/break-glass` opens one with a
written reason (audited, shown to the author), answering the note with its text.

Everything the pages do is here too: the plan (goals, actions, agreement; optimistic
locking — a stale `plan_version` is a 409), status, reassignment and team, closure requests
and their approval or refusal by a supervisor, reopening, transfers to another centre and
their acceptance, attachments (the same size and type checks; the download is scoped and
audited). Errors: 403 (not allowed), 404 (out of scope), 409 (stale plan), 422 (invalid),
with the message in the request's language (Greek by default).
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from koinotita.accounts.models import User
from koinotita.accounts.scoping import Capability, centres_for
from koinotita.cases import selectors, services
from koinotita.cases.models import Case, Note
from koinotita.cases.views import attachment_response
from koinotita.lib.errors import Count, Id
from koinotita.lib.pagination import AuditedPages
from koinotita.lib.uploads import accepts_files
from koinotita.people.selectors import person_get_for, person_list_for

router = Router(tags=["cases"])


class CaseOut(Schema):
    id: int
    centre: str
    person: int
    lead_worker: str
    team: list[str]
    status: str
    priority: str
    reason: str
    opened_on: date
    closed_on: date | None
    closure_reason: str
    plan_version: int
    plan_agreed_on: date | None
    last_contact_at: datetime | None
    read_only: bool


class CaseIn(Schema):
    person: Id
    reason: str
    priority: str = Case.Priority.NORMAL
    opened_on: date | None = None
    lead_worker: str | None = None


class ItemOut(Schema):
    domain: str
    rating: int
    note: str


class AssessmentOut(Schema):
    id: int
    assessed_on: date
    assessed_by: str
    summary: str
    items: list[ItemOut]


class AssessmentIn(Schema):
    assessed_on: date
    summary: str = ""
    items: list[ItemOut]


class ActionOut(Schema):
    id: int
    text: str
    responsible: str
    target_date: date | None
    status: str


class GoalOut(Schema):
    id: int
    domain: str
    title: str
    responsible: str | None
    target_date: date | None
    status: str
    outcome: str
    actions: list[ActionOut]


class GoalIn(Schema):
    plan_version: Count
    domain: str
    title: str
    target_date: date | None = None
    actions: list[str] = []


class SessionOut(Schema):
    id: int
    held_at: datetime
    kind: str
    mode: str
    minutes: int
    worker: str
    persons: list[int]
    other_participants: str
    summary: str


class SessionIn(Schema):
    held_at: datetime
    kind: str
    mode: str
    minutes: Count
    persons: list[Id] = []
    other_participants: str = ""
    summary: str = ""


class NoteOut(Schema):
    id: int
    level: str
    author: str
    created_at: datetime
    session: int | None
    text: str


class NoteIn(Schema):
    text: str
    level: str = Note.Level.TEAM


class TaskOut(Schema):
    id: int
    case: int | None
    title: str
    assignee: str
    due_on: date
    status: str
    overdue: bool


class TaskIn(Schema):
    title: str
    due_on: date
    assignee: str | None = None
    case: Id | None = None
    centre: str | None = None


class TaskStatusIn(Schema):
    status: str


def _name(user) -> str:
    return user.get_username()


def _case(case: Case) -> dict:
    return {
        "id": case.pk,
        "centre": case.centre.code,
        "person": case.person_id,
        "lead_worker": _name(case.lead_worker),
        "team": [_name(u) for u in selectors.case_team(case)],
        "status": case.status,
        "priority": case.priority,
        "reason": case.reason,
        "opened_on": case.opened_on,
        "closed_on": case.closed_on,
        "closure_reason": case.closure_reason,
        "plan_version": case.plan_version,
        "plan_agreed_on": case.plan_agreed_on,
        "last_contact_at": case.last_contact_at,
        "read_only": case.is_stub,
    }


def _worker(request, username: str | None, centre_id: int, field: str = "assignee"):
    if not username:
        return request.user
    user = selectors.centre_workers(request.user, centre_id).filter(username=username).first()
    if user is None:
        raise ValidationError({field: [_("Unknown worker.")]})
    return user


def _listed(request, cases: list) -> None:
    selectors.cases_listed(request.user, cases, request=request, detail={"via": "api"})


@router.get("/cases", response=list[CaseOut], summary="Cases in scope")
@paginate(AuditedPages, page_size=50, audit=_listed, each=_case)
def case_list(request, status: str = "", mine: bool = False):
    cases = selectors.case_list_filtered(request.user, status=status, mine=mine)
    return cases.select_related("centre", "lead_worker")


@router.get("/cases/{int:case_id}", response=CaseOut)
def case_detail(request, case_id: Id):
    return _case(selectors.case_get_for(request.user, case_id, request=request))


@router.post("/cases", response={201: CaseOut})
def case_create(request, payload: CaseIn):
    person = person_get_for(request.user, payload.person, request=request, audit=False)
    lead = _worker(request, payload.lead_worker, person.centre_id)
    case = services.case_open(
        actor=request.user,
        person=person,
        reason=payload.reason,
        priority=payload.priority,
        lead_worker=lead,
        opened_on=payload.opened_on,
        request=request,
    )
    return Status(201, _case(case))


def _assessment(a) -> dict:
    return {
        "id": a.pk,
        "assessed_on": a.assessed_on,
        "assessed_by": _name(a.assessed_by),
        "summary": a.summary,
        "items": [{"domain": i.domain, "rating": i.rating, "note": i.note} for i in a.items.all()],
    }


@router.get("/cases/{int:case_id}/assessments", response=list[AssessmentOut])
def assessment_list(request, case_id: Id):
    case = selectors.case_get_for(request.user, case_id, request=request)
    return [_assessment(a) for a in selectors.assessment_list(case)]


@router.post(
    "/cases/{int:case_id}/assessments",
    response={201: AssessmentOut},
)
def assessment_create(request, case_id: Id, payload: AssessmentIn):
    case = selectors.case_get_for(request.user, case_id, audit=False)
    assessment = services.assessment_record(
        actor=request.user,
        case=case,
        assessed_on=payload.assessed_on,
        ratings={i.domain: (i.rating, i.note) for i in payload.items},
        summary=payload.summary,
        request=request,
    )
    return Status(201, _assessment(assessment))


def _goal(g) -> dict:
    return {
        "id": g.pk,
        "domain": g.domain,
        "title": g.title,
        "responsible": _name(g.responsible) if g.responsible else None,
        "target_date": g.target_date,
        "status": g.status,
        "outcome": g.outcome,
        "actions": [
            {
                "id": a.pk,
                "text": a.text,
                "responsible": a.responsible,
                "target_date": a.target_date,
                "status": a.status,
            }
            for a in g.actions.all()
        ],
    }


@router.get("/cases/{int:case_id}/goals", response=list[GoalOut])
def goal_list(request, case_id: Id):
    case = selectors.case_get_for(request.user, case_id, request=request)
    return [_goal(g) for g in selectors.goal_list(case)]


@router.post(
    "/cases/{int:case_id}/goals",
    response={201: GoalOut},
    summary="Add a goal; send the plan_version you read (409 if the plan changed since)",
)
def goal_create(request, case_id: Id, payload: GoalIn):
    case = selectors.case_get_for(request.user, case_id, audit=False)
    goal = services.goal_add(
        actor=request.user,
        case=case,
        plan_version=payload.plan_version,
        domain=payload.domain,
        title=payload.title,
        target_date=payload.target_date,
        actions=payload.actions,
        request=request,
    )
    return Status(201, _goal(goal))


def _session(s) -> dict:
    return {
        "id": s.pk,
        "held_at": s.held_at,
        "kind": s.kind,
        "mode": s.mode,
        "minutes": s.minutes,
        "worker": _name(s.worker),
        "persons": [p.pk for p in s.persons.all()],
        "other_participants": s.other_participants,
        "summary": s.summary,
    }


@router.get("/cases/{int:case_id}/sessions", response=list[SessionOut])
def session_list(request, case_id: Id):
    case = selectors.case_get_for(request.user, case_id, request=request)
    return [_session(s) for s in selectors.session_list(case)]


@router.post("/cases/{int:case_id}/sessions", response={201: SessionOut})
def session_create(request, case_id: Id, payload: SessionIn):
    case = selectors.case_get_for(request.user, case_id, audit=False)
    persons = list(
        person_list_for(request.user).filter(pk__in=payload.persons, centre_id=case.centre_id)
    )
    if len(persons) != len(set(payload.persons)):
        raise Http404
    session = services.session_log(
        actor=request.user,
        case=case,
        held_at=payload.held_at,
        kind=payload.kind,
        mode=payload.mode,
        minutes=payload.minutes,
        persons=persons,
        other_participants=payload.other_participants,
        summary=payload.summary,
        request=request,
    )
    return Status(201, _session(session))


def _note(n) -> dict:
    return {
        "id": n.pk,
        "level": n.level,
        "author": _name(n.author),
        "created_at": n.created_at,
        "session": n.session_id,
        "text": n.text,
    }


@router.get(
    "/cases/{int:case_id}/notes",
    response=list[NoteOut],
    summary="The notes of the case that you may read (no others are listed)",
)
def note_list(request, case_id: Id):
    case = selectors.case_get_for(request.user, case_id, request=request)
    return [_note(n) for n in selectors.readable_notes_for(request.user, case, request=request)]


@router.post("/cases/{int:case_id}/notes", response={201: NoteOut})
def note_create(request, case_id: Id, payload: NoteIn):
    case = selectors.case_get_for(request.user, case_id, audit=False)
    note = services.note_add(
        actor=request.user, case=case, text=payload.text, level=payload.level, request=request
    )
    return Status(201, _note(note))


def _task(t, today) -> dict:
    return {
        "id": t.pk,
        "case": t.case_id,
        "title": t.title,
        "assignee": _name(t.assignee),
        "due_on": t.due_on,
        "status": t.status,
        "overdue": t.status == "open" and t.due_on < today,
    }


@router.get("/tasks", response=list[TaskOut], summary="My tasks, overdue first")
def task_list(request, include_done: bool = False):
    from django.utils import timezone

    today = timezone.localdate()
    tasks = selectors.my_tasks(request.user, include_done=include_done)
    for task in tasks:
        task.assignee = request.user  # my tasks: no query per row
    return [_task(t, today) for t in tasks]


@router.post("/tasks", response={201: TaskOut})
def task_create(request, payload: TaskIn):
    from django.utils import timezone

    case = None
    centre_id = None
    if payload.case is not None:
        case = selectors.case_get_for(request.user, payload.case, audit=False)
        centre_id = case.centre_id
    else:
        centres = centres_for(request.user, Capability.CASE_FILES)
        centre = centres.filter(code=payload.centre).first() if payload.centre else None
        if centre is None and not payload.centre and centres.count() == 1:
            centre = centres.first()
        if centre is None:
            raise Http404
        centre_id = centre.pk
    task = services.task_create(
        actor=request.user,
        title=payload.title,
        assignee=_worker(request, payload.assignee, centre_id),
        due_on=payload.due_on,
        case=case,
        centre_id=centre_id if case is None else None,
        request=request,
    )
    return Status(201, _task(task, timezone.localdate()))


@router.post("/tasks/{int:task_id}/status", response={200: TaskOut})
def task_status(request, task_id: Id, payload: TaskStatusIn):
    from django.utils import timezone

    task = selectors.task_get_for(request.user, task_id)
    task = services.task_set_status(
        actor=request.user, task=task, status=payload.status, request=request
    )
    task.assignee = User.objects.get(pk=task.assignee_id)
    return Status(200, _task(task, timezone.localdate()))


# --- The plan: goal updates, actions, agreement --------------------------------------------


class GoalUpdateIn(Schema):
    plan_version: Count
    status: str
    title: str | None = None
    target_date: date | None = None
    responsible: str | None = None


class ActionIn(Schema):
    plan_version: Count
    text: str
    responsible: str = ""
    target_date: date | None = None


class ActionStatusIn(Schema):
    plan_version: Count
    status: str


class AgreeIn(Schema):
    plan_version: Count
    agreed_on: date


def _write(call, answer, status: int = 200):
    """Run a service and answer its result as `answer` makes it (a refusal is answered by
    the API's handlers, koinotita/api/main.py)."""
    return Status(status, answer(call()))


@router.put(
    "/cases/{int:case_id}/goals/{int:goal_id}",
    response={200: GoalOut},
    summary="Update a goal; send the plan_version you read (409 if the plan changed since)",
)
def goal_update(request, case_id: Id, goal_id: Id, payload: GoalUpdateIn):
    case = selectors.case_get_for(request.user, case_id, audit=False)
    goal = selectors.goal_get(case, goal_id)
    sent = payload.model_fields_set  # a field left out keeps its value

    def call():
        responsible = goal.responsible
        if "responsible" in sent:
            responsible = payload.responsible and _worker(
                request, payload.responsible, case.centre_id, "responsible"
            )
        return services.goal_update(
            actor=request.user,
            goal=goal,
            plan_version=payload.plan_version,
            status=payload.status,
            title=payload.title,
            target_date=payload.target_date if "target_date" in sent else goal.target_date,
            responsible=responsible or None,
            request=request,
        )

    return _write(call, _goal)


@router.post(
    "/cases/{int:case_id}/goals/{int:goal_id}/actions",
    response={201: GoalOut},
    summary="Add an action to a goal (plan_version as for goals); answers the goal",
)
def action_create(request, case_id: Id, goal_id: Id, payload: ActionIn):
    case = selectors.case_get_for(request.user, case_id, audit=False)
    goal = selectors.goal_get(case, goal_id)

    return _write(
        lambda: services.action_add(
            actor=request.user,
            goal=goal,
            plan_version=payload.plan_version,
            text=payload.text,
            responsible=payload.responsible,
            target_date=payload.target_date,
            request=request,
        ),
        lambda _action: _goal(goal),
        201,
    )


@router.post(
    "/cases/{int:case_id}/actions/{int:action_id}/status",
    response={200: GoalOut},
    summary="Set an action's status (plan_version as for goals); answers its goal",
)
def action_status(request, case_id: Id, action_id: Id, payload: ActionStatusIn):
    case = selectors.case_get_for(request.user, case_id, audit=False)
    action = selectors.action_get(case, action_id)

    return _write(
        lambda: services.action_set_status(
            actor=request.user,
            action=action,
            plan_version=payload.plan_version,
            status=payload.status,
            request=request,
        ),
        lambda a: _goal(a.goal),
    )


@router.post(
    "/cases/{int:case_id}/plan/agree",
    response={200: CaseOut},
    summary="Record the date the person agreed the plan (plan_version as for goals)",
)
def plan_agree(request, case_id: Id, payload: AgreeIn):
    case = selectors.case_get_for(request.user, case_id, audit=False)
    return _write(
        lambda: services.plan_agree(
            actor=request.user,
            case=case,
            plan_version=payload.plan_version,
            agreed_on=payload.agreed_on,
            request=request,
        ),
        _case,
    )


# --- Status, reassignment, team -------------------------------------------------------------


class StatusIn(Schema):
    status: str
    note: str = ""


class ReassignIn(Schema):
    lead_worker: str
    note: str = ""


class MemberIn(Schema):
    user: str


@router.post("/cases/{int:case_id}/status", response={200: CaseOut})
def case_status(request, case_id: Id, payload: StatusIn):
    """open → active → (suspended); closing goes through a closure request."""
    case = selectors.case_get_for(request.user, case_id, audit=False)
    return _write(
        lambda: services.case_set_status(
            actor=request.user, case=case, status=payload.status, note=payload.note, request=request
        ),
        _case,
    )


@router.post("/cases/{int:case_id}/reassign", response={200: CaseOut})
def case_reassign(request, case_id: Id, payload: ReassignIn):
    """A supervisor gives the case to another worker of the centre."""
    case = selectors.case_get_for(request.user, case_id, audit=False)

    def call():
        lead = _worker(request, payload.lead_worker, case.centre_id, "lead_worker")
        return services.case_reassign(
            actor=request.user, case=case, lead_worker=lead, note=payload.note, request=request
        )

    return _write(call, _case)


@router.post("/cases/{int:case_id}/team", response={200: CaseOut})
def case_member_add(request, case_id: Id, payload: MemberIn):
    case = selectors.case_get_for(request.user, case_id, audit=False)

    def call():
        user = _worker(request, payload.user, case.centre_id, "user")
        return services.case_member_add(actor=request.user, case=case, user=user, request=request)

    return _write(call, _case)


# --- Closure and reopening ------------------------------------------------------------------


class GoalOutcomeIn(Schema):
    status: str
    outcome: str = ""


class ClosureIn(Schema):
    reason: str
    note: str = ""
    open_tasks: str = ""
    goal_outcomes: dict[str, GoalOutcomeIn] = {}


class ClosureOut(Schema):
    id: int
    case: int
    status: str
    reason: str
    note: str
    open_tasks: str
    goal_outcomes: dict[str, GoalOutcomeIn]
    requested_by: str
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str


class DecisionIn(Schema):
    note: str = ""


class ReopenIn(Schema):
    note: str


def _closure(r) -> dict:
    return {
        "id": r.pk,
        "case": r.case_id,
        "status": r.status,
        "reason": r.reason,
        "note": r.note,
        "open_tasks": r.open_tasks,
        "goal_outcomes": r.goal_outcomes,
        "requested_by": _name(r.requested_by),
        "requested_at": r.requested_at,
        "decided_by": _name(r.decided_by) if r.decided_by_id else None,
        "decided_at": r.decided_at,
        "decision_note": r.decision_note,
    }


@router.get(
    "/cases/{int:case_id}/closure",
    response={200: ClosureOut},
    summary="The closure request waiting for approval (404 if none)",
)
def closure_pending(request, case_id: Id):
    case = selectors.case_get_for(request.user, case_id, request=request)
    closure = selectors.closure_request_pending(case)
    if closure is None:
        raise Http404
    return _closure(closure)


@router.post(
    "/cases/{int:case_id}/closure",
    response={201: ClosureOut},
    summary="Ask a supervisor to close the case: reason, what to do with open tasks "
    "(cancel | detach), the outcome of every goal not final ({goal id: {status, outcome}})",
)
def closure_create(request, case_id: Id, payload: ClosureIn):
    case = selectors.case_get_for(request.user, case_id, audit=False)
    return _write(
        lambda: services.closure_request(
            actor=request.user,
            case=case,
            reason=payload.reason,
            note=payload.note,
            open_tasks=payload.open_tasks,
            goal_outcomes={k: v.dict() for k, v in payload.goal_outcomes.items()},
            request=request,
        ),
        _closure,
        201,
    )


@router.post(
    "/closures/{int:closure_id}/approve",
    response={200: CaseOut},
    summary="A supervisor approves the closure: the case is closed",
)
def closure_approve(request, closure_id: Id, payload: DecisionIn):
    closure = selectors.closure_request_get_for(request.user, closure_id)
    return _write(
        lambda: services.closure_approve(
            actor=request.user, closure=closure, note=payload.note, request=request
        ),
        _case,
    )


@router.post(
    "/closures/{int:closure_id}/reject",
    response={200: ClosureOut},
    summary="A supervisor refuses the closure, saying why (the case stays open)",
)
def closure_reject(request, closure_id: Id, payload: DecisionIn):
    closure = selectors.closure_request_get_for(request.user, closure_id)
    return _write(
        lambda: services.closure_reject(
            actor=request.user, closure=closure, note=payload.note, request=request
        ),
        _closure,
    )


@router.post(
    "/cases/{int:case_id}/reopen",
    response={200: CaseOut},
    summary="Reopen a closed case, saying why (its history is kept)",
)
def case_reopen(request, case_id: Id, payload: ReopenIn):
    case = selectors.case_get_for(request.user, case_id, audit=False)
    return _write(
        lambda: services.case_reopen(
            actor=request.user, case=case, note=payload.note, request=request
        ),
        _case,
    )


# --- Transfer between centres ---------------------------------------------------------------


class TransferIn(Schema):
    to_centre: str
    consent_given_on: date | None = None
    consent_note: str = ""
    reason: str


class TransferOut(Schema):
    id: int
    case: int
    from_centre: str
    to_centre: str
    status: str
    reason: str
    consent_given_on: date
    requested_by: str
    requested_at: datetime
    new_case: int | None


class IncomingOut(TransferOut):
    person: str


def _transfer(t) -> dict:
    return {
        "id": t.pk,
        "case": t.case_id,
        "from_centre": t.centre.code,
        "to_centre": t.to_centre.code,
        "status": t.status,
        "reason": t.reason,
        "consent_given_on": t.consent_given_on,
        "requested_by": _name(t.requested_by),
        "requested_at": t.requested_at,
        "new_case": t.new_case_id,
    }


@router.post(
    "/cases/{int:case_id}/transfer",
    response={201: TransferOut},
    summary="Propose the case (and its person) to another centre, with the person's consent",
)
def transfer_create(request, case_id: Id, payload: TransferIn):
    case = selectors.case_get_for(request.user, case_id, audit=False)
    to_centre = selectors.transfer_centres(case).filter(code=payload.to_centre).first()
    return _write(
        lambda: services.transfer_request(
            actor=request.user,
            case=case,
            to_centre=to_centre,
            consent_given_on=payload.consent_given_on,
            consent_note=payload.consent_note,
            reason=payload.reason,
            request=request,
        ),
        _transfer,
        201,
    )


@router.get(
    "/transfers",
    response=list[IncomingOut],
    summary="Transfers waiting for one of your centres (the person's name and the reason only)",
)
def transfer_incoming(request):
    return [
        {**_transfer(t), "person": f"{t.case.person.family_name} {t.case.person.given_name}"}
        for t in selectors.transfer_list_incoming(request.user).select_related(
            "to_centre", "centre"
        )
    ]


@router.post(
    "/transfers/{int:transfer_id}/accept",
    response={201: CaseOut},
    summary="Accept a transfer: the case is opened here, led by you; answers the new case",
)
def transfer_accept(request, transfer_id: Id):
    transfer = selectors.transfer_get_incoming(request.user, transfer_id)
    return _write(
        lambda: services.transfer_accept(actor=request.user, transfer=transfer, request=request),
        _case,
        201,
    )


@router.post(
    "/transfers/{int:transfer_id}/decline",
    response={200: TransferOut},
)
def transfer_decline(request, transfer_id: Id, payload: DecisionIn):
    transfer = selectors.transfer_get_incoming(request.user, transfer_id)
    return _write(
        lambda: services.transfer_decline(
            actor=request.user, transfer=transfer, note=payload.note, request=request
        ),
        _transfer,
    )


# --- Attachments ----------------------------------------------------------------------------


class AttachmentOut(Schema):
    id: int
    title: str
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime


def _attachment(a) -> dict:
    return {
        "id": a.pk,
        "title": a.title,
        "filename": a.filename,
        "content_type": a.content_type,
        "size": a.size,
        "sha256": a.sha256,
        "uploaded_by": _name(a.uploaded_by),
        "uploaded_at": a.uploaded_at,
    }


@router.get("/cases/{int:case_id}/attachments", response=list[AttachmentOut])
def attachment_list(request, case_id: Id):
    case = selectors.case_get_for(request.user, case_id, request=request)
    return [_attachment(a) for a in selectors.attachment_list(case)]


@router.post(
    "/cases/{int:case_id}/attachments",
    response={201: AttachmentOut},
    summary="Attach a document (multipart: `upload`, optional `title`); PDF, images and "
    "office documents only, checked by content, at most KOINOTITA_DOCUMENTS_MAX_MB",
)
@accepts_files
def attachment_create(
    request, case_id: Id, upload: File[UploadedFile] = None, title: Form[str] = ""
):
    case = selectors.case_get_for(request.user, case_id, audit=False)
    return _write(
        lambda: services.attachment_add(
            actor=request.user, case=case, title=title, upload=upload, request=request
        ),
        _attachment,
        201,
    )


@router.get(
    "/attachments/{int:attachment_id}",
    response={200: None},
    summary="Download a document (the download is audited)",
)
def attachment_download(request, attachment_id: Id):

    return attachment_response(request, attachment_id)


# --- Break-glass ----------------------------------------------------------------------------


class SealedNoteOut(Schema):
    id: int
    level: str
    author: str
    created_at: datetime


class ReasonIn(Schema):
    reason: str


@router.get(
    "/cases/{int:case_id}/notes/sealed",
    response=list[SealedNoteOut],
    summary="Restricted and clinical notes a supervisor may open with a written reason "
    "(never their text)",
)
def note_sealed_list(request, case_id: Id):
    case = selectors.case_get_for(request.user, case_id, request=request)
    return [
        {
            "id": v.note.pk,
            "level": v.note.level,
            "author": _name(v.note.author),
            "created_at": v.note.created_at,
        }
        for v in selectors.note_list_for(request.user, case, request=request)
        if v.access == selectors.NoteAccessLevel.BREAK_GLASS
    ]


@router.post(
    "/notes/{int:note_id}/break-glass",
    response={200: NoteOut},
    summary="A supervisor opens a restricted or clinical note with a written reason "
    "(at least 10 characters; audited and shown to the author); answers the note",
)
def note_break_glass(request, note_id: Id, payload: ReasonIn):
    note, _access = selectors.note_get_for(request.user, note_id)
    return _write(
        lambda: services.note_break_glass(
            actor=request.user, note=note, reason=payload.reason, request=request
        ),
        lambda _opened: _note(note),
    )
