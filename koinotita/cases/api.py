"""Case files endpoints: cases, assessments, goals, sessions, notes, tasks.

The same selectors and services as the pages, so the same scoping (a case out of scope is a
404) and the same confidentiality: a note the user may not read is never in a response
(`selectors.readable_notes_for`; notes that a supervisor could open by break-glass are not
listed here either — break-glass is done on the page, with its written reason).
"""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from koinotita.accounts.models import User
from koinotita.cases import selectors, services
from koinotita.cases.models import Case, Note
from koinotita.people.api import Problem
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
    person: int
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
    plan_version: int
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
    minutes: int
    persons: list[int] = []
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
    case: int | None = None
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


def _problem(exc: ValidationError):
    if isinstance(exc, services.StalePlan):
        return Status(409, {"detail": exc.messages[0]})
    if hasattr(exc, "error_dict"):
        return Status(422, {"detail": _("The request is not valid."), "errors": exc.message_dict})
    return Status(
        422, {"detail": _("The request is not valid."), "errors": {"__all__": exc.messages}}
    )


def _forbidden(exc: PermissionDenied):
    return Status(403, {"detail": str(exc) or _("You cannot do this.")})


def _worker(request, username: str | None, centre_id: int):
    if not username:
        return request.user
    user = selectors.centre_workers(request.user, centre_id).filter(username=username).first()
    if user is None:
        raise ValidationError({"assignee": [_("Unknown worker.")]})
    return user


@router.get("/cases", response=list[CaseOut], summary="Cases in scope")
@paginate(PageNumberPagination, page_size=50)
def case_list(request, status: str = "", mine: bool = False):
    cases = selectors.case_list_for(request.user).select_related("centre", "lead_worker")
    if status:
        cases = cases.filter(status=status)
    if mine:
        cases = cases.filter(selectors._member_of(request.user))
    return [_case(c) for c in cases.order_by("-opened_on", "-pk")]


@router.get("/cases/{int:case_id}", response=CaseOut)
def case_detail(request, case_id: int):
    return _case(selectors.case_get_for(request.user, case_id, request=request))


@router.post("/cases", response={201: CaseOut, 403: Problem, 422: Problem})
def case_create(request, payload: CaseIn):
    person = person_get_for(request.user, payload.person, request=request, audit=False)
    try:
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
    except PermissionDenied as exc:
        return _forbidden(exc)
    except ValidationError as exc:
        return _problem(exc)
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
def assessment_list(request, case_id: int):
    case = selectors.case_get_for(request.user, case_id, request=request)
    return [_assessment(a) for a in selectors.assessment_list(case)]


@router.post(
    "/cases/{int:case_id}/assessments",
    response={201: AssessmentOut, 403: Problem, 422: Problem},
)
def assessment_create(request, case_id: int, payload: AssessmentIn):
    case = selectors.case_get_for(request.user, case_id, audit=False)
    try:
        assessment = services.assessment_record(
            actor=request.user,
            case=case,
            assessed_on=payload.assessed_on,
            ratings={i.domain: (i.rating, i.note) for i in payload.items},
            summary=payload.summary,
            request=request,
        )
    except PermissionDenied as exc:
        return _forbidden(exc)
    except ValidationError as exc:
        return _problem(exc)
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
def goal_list(request, case_id: int):
    case = selectors.case_get_for(request.user, case_id, request=request)
    return [_goal(g) for g in selectors.goal_list(case)]


@router.post(
    "/cases/{int:case_id}/goals",
    response={201: GoalOut, 403: Problem, 409: Problem, 422: Problem},
    summary="Add a goal; send the plan_version you read (409 if the plan changed since)",
)
def goal_create(request, case_id: int, payload: GoalIn):
    case = selectors.case_get_for(request.user, case_id, audit=False)
    try:
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
    except PermissionDenied as exc:
        return _forbidden(exc)
    except ValidationError as exc:
        return _problem(exc)
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
def session_list(request, case_id: int):
    case = selectors.case_get_for(request.user, case_id, request=request)
    return [_session(s) for s in selectors.session_list(case)]


@router.post(
    "/cases/{int:case_id}/sessions", response={201: SessionOut, 403: Problem, 422: Problem}
)
def session_create(request, case_id: int, payload: SessionIn):
    case = selectors.case_get_for(request.user, case_id, audit=False)
    persons = list(
        person_list_for(request.user).filter(pk__in=payload.persons, centre_id=case.centre_id)
    )
    if len(persons) != len(set(payload.persons)):
        raise Http404
    try:
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
    except PermissionDenied as exc:
        return _forbidden(exc)
    except ValidationError as exc:
        return _problem(exc)
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
def note_list(request, case_id: int):
    case = selectors.case_get_for(request.user, case_id, request=request)
    return [_note(n) for n in selectors.readable_notes_for(request.user, case, request=request)]


@router.post("/cases/{int:case_id}/notes", response={201: NoteOut, 403: Problem, 422: Problem})
def note_create(request, case_id: int, payload: NoteIn):
    case = selectors.case_get_for(request.user, case_id, audit=False)
    try:
        note = services.note_add(
            actor=request.user, case=case, text=payload.text, level=payload.level, request=request
        )
    except PermissionDenied as exc:
        return _forbidden(exc)
    except ValidationError as exc:
        return _problem(exc)
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


@router.post("/tasks", response={201: TaskOut, 403: Problem, 422: Problem})
def task_create(request, payload: TaskIn):
    from django.utils import timezone

    from koinotita.accounts.scoping import Capability, centres_for

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
    try:
        task = services.task_create(
            actor=request.user,
            title=payload.title,
            assignee=_worker(request, payload.assignee, centre_id),
            due_on=payload.due_on,
            case=case,
            centre_id=centre_id if case is None else None,
            request=request,
        )
    except PermissionDenied as exc:
        return _forbidden(exc)
    except ValidationError as exc:
        return _problem(exc)
    return Status(201, _task(task, timezone.localdate()))


@router.post("/tasks/{int:task_id}/status", response={200: TaskOut, 403: Problem, 422: Problem})
def task_status(request, task_id: int, payload: TaskStatusIn):
    from django.utils import timezone

    task = selectors.task_get_for(request.user, task_id)
    try:
        task = services.task_set_status(
            actor=request.user, task=task, status=payload.status, request=request
        )
    except PermissionDenied as exc:
        return _forbidden(exc)
    except ValidationError as exc:
        return _problem(exc)
    task.assignee = User.objects.get(pk=task.assignee_id)
    return Status(200, _task(task, timezone.localdate()))
