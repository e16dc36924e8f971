"""Reads of case files, always through the centre scope (koinotita.accounts.scoping).

Who sees which case
-------------------
- Caseworkers and supervisors see every case of the centres where they hold the role.
- Mediators see only the cases they are on (lead worker or team member), never a note.
- Reception, monitors, partners and administrators see no case.

Who reads which note — THE confidentiality matrix, applied in `note_access` only
--------------------------------------------------------------------------------
(the user must first be able to see the case; "confidential" = Capability.CONFIDENTIAL_NOTES
in the case's centre, "supervisor" = Capability.SUPERVISE there)

| level      | author | team member, confidential | other caseworker | mediator | supervisor  |
|------------|--------|---------------------------|------------------|----------|-------------|
| team       | read   | read                      | hidden           | hidden   | read        |
| restricted | read   | hidden                    | hidden           | hidden   | break-glass |
| clinical   | read   | hidden                    | hidden           | hidden   | break-glass |

"break-glass": the supervisor sees that the note exists (author, date, level, never its
text) and may open it only with a written reason, which is audited and shown to the author;
once opened, that supervisor reads that note. An author who lost the confidential
capability (e.g. now a mediator) no longer reads their notes. Every read of a restricted or
clinical note is audited. A hidden note never leaves this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone

from koinotita.accounts.models import Role, User
from koinotita.accounts.scoping import (
    Capability,
    restrict,
    scope_for,
)
from koinotita.accounts.selectors import staff_holding
from koinotita.audit.services import audit_record
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
    Task,
    Transfer,
)
from koinotita.organisations.models import Centre
from koinotita.people.models import Person
from koinotita.people.selectors import household_members, persons_listed
from koinotita.reception.models import Appointment, ContactPerson

FULL_CASE_ROLES = frozenset({Role.CASEWORKER, Role.SUPERVISOR})


# --- Cases ------------------------------------------------------------------------------------


def _member_of(user) -> Q:
    return Q(lead_worker_id=user.pk) | Q(
        Exists(CaseMember.objects.filter(case=OuterRef("pk"), user_id=user.pk))
    )


def case_list_filtered(user, *, status: str = "", mine: bool = False) -> QuerySet[Case]:
    """The case list of the page and the API: the user's cases, of one status if given (an
    unknown status matches nothing), only those they lead or work on if `mine`, newest
    first."""
    cases = case_list_for(user)
    if status:
        cases = cases.filter(status=status)
    if mine:
        cases = cases.filter(_member_of(user))
    return cases.order_by("-opened_on", "-pk")


def case_list_for(user) -> QuerySet[Case]:
    """The cases the user may see (see the module's docstring)."""
    scope = scope_for(user)
    ids = scope.centre_ids(Capability.CASE_FILES)
    if not ids:
        return Case.objects.none()
    full = sorted(cid for cid in ids if scope.roles_by_centre[cid] & FULL_CASE_ROLES)
    member_only = sorted(ids - set(full))
    condition = Q(centre_id__in=full) if full else Q(pk__in=[])
    if member_only:
        condition |= Q(centre_id__in=member_only) & _member_of(user)
    return Case.objects.filter(condition)


def case_get_for(user, pk: int, *, request=None, audit: bool = True, pending: bool = False) -> Case:
    """One case in the user's scope (404 otherwise); reading it is audited.

    With `pending`, the case carries the ids of its pending closure request and transfer
    (`pending_closure_id`, `pending_transfer_id`, None when there is none) read in the same
    query, for `closure_request_pending` / `transfer_pending` to skip the usual empty look.

    The stable entry point for other apps (e.g. referrals linking to a case).
    """
    cases = case_list_for(user).select_related(
        "centre", "person", "lead_worker", "household", "transferred_to"
    )
    if pending:
        cases = cases.annotate(
            pending_closure_id=Subquery(
                ClosureRequest.objects.filter(
                    case=OuterRef("pk"), status=ClosureRequest.Status.PENDING
                ).values("pk")[:1]
            ),
            pending_transfer_id=Subquery(
                Transfer.objects.filter(case=OuterRef("pk"), status=Transfer.Status.PENDING).values(
                    "pk"
                )[:1]
            ),
        )
    case = cases.filter(pk=pk).first()
    if case is None:
        raise Http404
    if audit:
        audit_record(
            action="case.read",
            actor=user,
            obj=case,
            request=request,
            detail={"person": case.person_id},
        )
    return case


def cases_listed(user, cases, *, request=None, detail=None) -> None:
    """Audit one read of a list of cases: one event naming the persons it showed."""
    persons_listed(
        user,
        action="case.list",
        persons=[c.person_id for c in cases],
        request=request,
        detail=detail,
    )


def case_page_for(
    user, *, status: str = "", mine: bool = False, number: int = 1, size: int, request=None
) -> tuple[list[Case], bool]:
    """Page `number` of `case_list_filtered` (and whether there are more); the read is audited."""
    start = (number - 1) * size
    rows = case_list_filtered(user, status=status, mine=mine).select_related(
        "person", "lead_worker"
    )
    page = list(rows[start : start + size + 1])
    more, page = len(page) > size, page[:size]
    cases_listed(user, page, request=request, detail={"status": status, "mine": mine})
    return page, more


def case_list_for_person(user, person) -> QuerySet[Case]:
    return (
        case_list_for(user)
        .filter(person=person, centre_id=person.centre_id)
        .select_related("lead_worker")
        .order_by("-opened_on")
    )


def case_team(case: Case) -> list[User]:
    return list(
        User.objects.filter(
            pk__in=CaseMember.objects.filter(case=case, centre_id=case.centre_id).values("user_id")
        ).order_by("last_name", "first_name")
    )


def case_team_ids(case: Case, team: list[User] | None = None) -> frozenset[int]:
    """The lead worker and the team members (`team`: `case_team(case)` when already read)."""
    if team is not None:
        return frozenset(u.pk for u in team) | {case.lead_worker_id}
    ids = CaseMember.objects.filter(case=case, centre_id=case.centre_id).values_list(
        "user_id", flat=True
    )
    return frozenset(ids) | {case.lead_worker_id}


def case_can_edit(user, case: Case, team_ids: frozenset[int] | None = None) -> bool:
    """Lead worker, team members with the caseworker role, and supervisors edit a case;
    a stub left by a transfer is read-only for everyone."""
    if case.is_stub:
        return False
    scope = scope_for(user)
    if scope.allows(Capability.SUPERVISE, case.centre_id):
        return True
    if not scope.allows(Capability.CONFIDENTIAL_NOTES, case.centre_id):
        return False  # mediators read the cases they are on
    if team_ids is None:
        team_ids = case_team_ids(case)
    return user.pk in team_ids


def case_timeline(case: Case) -> list[CaseEvent]:
    return list(
        CaseEvent.objects.filter(case=case, centre_id=case.centre_id)
        .select_related("actor")
        .order_by("-at", "-pk")
    )


# --- Notes: the one place that says who reads which note ------------------------------------


class NoteAccessLevel(StrEnum):
    READ = "read"
    BREAK_GLASS = "break_glass"  # listed without its text; opened with a written reason
    HIDDEN = "hidden"


def note_access(
    user, note: Note, *, team_ids: frozenset[int], opened: frozenset[int] = frozenset()
) -> NoteAccessLevel:
    """What `user` may do with `note`, of a case they can already see (THE matrix).

    `team_ids`: the case's lead worker and members; `opened`: ids of notes this user has
    opened by break-glass.
    """
    scope = scope_for(user)
    confidential = scope.allows(Capability.CONFIDENTIAL_NOTES, note.centre_id)
    if not confidential:
        return NoteAccessLevel.HIDDEN  # reception, mediators: never the text
    if note.author_id == user.pk:
        return NoteAccessLevel.READ
    supervisor = scope.allows(Capability.SUPERVISE, note.centre_id)
    if note.level == Note.Level.TEAM:
        if supervisor or user.pk in team_ids:
            return NoteAccessLevel.READ
        return NoteAccessLevel.HIDDEN
    if supervisor:
        return NoteAccessLevel.READ if note.pk in opened else NoteAccessLevel.BREAK_GLASS
    return NoteAccessLevel.HIDDEN


@dataclass(frozen=True)
class NoteView:
    note: Note
    access: NoteAccessLevel
    openings: tuple  # break-glass openings (shown to the author)

    @property
    def readable(self) -> bool:
        return self.access == NoteAccessLevel.READ


def _opened_by(user, note_ids) -> frozenset[int]:
    return frozenset(
        NoteAccess.objects.filter(user_id=user.pk, note_id__in=list(note_ids)).values_list(
            "note_id", flat=True
        )
    )


note_opened_by = _opened_by


def note_list_for(
    user, case: Case, *, request=None, team_ids: frozenset[int] | None = None
) -> list[NoteView]:
    """The notes of `case` the user may know of, newest first; the hidden ones are dropped
    here. Reading restricted or clinical notes is audited (one event, with their ids)."""
    scope = scope_for(user)
    if not scope.allows(Capability.CONFIDENTIAL_NOTES, case.centre_id):
        return []
    if team_ids is None:
        team_ids = case_team_ids(case)
    notes = list(
        Note.objects.filter(case=case, centre_id=case.centre_id)
        .select_related("author", "session")
        .order_by("-created_at", "-pk")
    )
    confidential_ids = [n.pk for n in notes if n.level != Note.Level.TEAM]
    opened = _opened_by(user, confidential_ids) if confidential_ids else frozenset()
    openings: dict[int, list[NoteAccess]] = {}
    mine = [n.pk for n in notes if n.author_id == user.pk and n.level != Note.Level.TEAM]
    if mine:
        for access in (
            NoteAccess.objects.filter(note_id__in=mine, centre_id=case.centre_id)
            .select_related("user")
            .order_by("at")
        ):
            openings.setdefault(access.note_id, []).append(access)
    views = []
    for note in notes:
        access = note_access(user, note, team_ids=team_ids, opened=opened)
        if access != NoteAccessLevel.HIDDEN:
            views.append(NoteView(note, access, tuple(openings.get(note.pk, ()))))
    read_confidential = [v.note.pk for v in views if v.readable and v.note.level != Note.Level.TEAM]
    if read_confidential:
        audit_record(
            action="case.note.read",
            actor=user,
            obj=case,
            request=request,
            detail={"notes": read_confidential, "person": case.person_id},
        )
    return views


def readable_notes_for(user, case: Case, *, request=None) -> list[Note]:
    """Only the notes the user may read (for the API)."""
    return [v.note for v in note_list_for(user, case, request=request) if v.readable]


def note_get_for(user, pk: int) -> tuple[Note, NoteAccessLevel]:
    """A note of a case in scope that the user may at least know of (404 otherwise)."""
    note = (
        Note.objects.filter(case__in=case_list_for(user), pk=pk)
        .select_related("case", "author")
        .first()
    )
    if note is None:
        raise Http404
    access = note_access(
        user, note, team_ids=case_team_ids(note.case), opened=_opened_by(user, [note.pk])
    )
    if access == NoteAccessLevel.HIDDEN:
        raise Http404
    return note, access


# --- Assessment, plan, sessions, attachments, tasks ------------------------------------------


def assessment_list(case: Case) -> list[Assessment]:
    """The case's assessments in order, each with its items, in one query (an assessment
    always rates at least one domain, so reading the items with their assessment finds
    them all)."""
    items = (
        AssessmentItem.objects.filter(assessment__case=case, centre_id=case.centre_id)
        .select_related("assessment__assessed_by")
        .order_by("assessment__assessed_on", "assessment_id", "pk")
    )
    assessments: dict[int, Assessment] = {}
    grouped: dict[int, list] = {}
    for item in items:
        assessments.setdefault(item.assessment_id, item.assessment)
        grouped.setdefault(item.assessment_id, []).append(item)
    for pk, assessment in assessments.items():
        prefetched = AssessmentItem.objects.none()
        prefetched._result_cache = grouped[pk]
        prefetched._prefetch_done = True
        assessment._prefetched_objects_cache = {"items": prefetched}
    return list(assessments.values())


def assessment_compare(assessments: list[Assessment]) -> list[dict]:
    """First vs latest assessment, domain by domain (change = latest − first)."""

    if not assessments:
        return []
    first, latest = assessments[0], assessments[-1]
    a = {i.domain: i for i in first.items.all()}
    b = {i.domain: i for i in latest.items.all()}
    rows = []
    for value, label in Domain.choices:
        x, y = a.get(value), b.get(value)
        rows.append(
            {
                "domain": label,
                "first": x,
                "latest": y if latest is not first else None,
                "change": (y.rating - x.rating) if x and y and latest is not first else None,
            }
        )
    return rows


def goal_list(case: Case) -> list[Goal]:
    return list(
        Goal.objects.filter(case=case, centre_id=case.centre_id)
        .select_related("responsible")
        .prefetch_related("actions")
    )


def goal_get(case: Case, pk: int) -> Goal:
    goal = Goal.objects.filter(case=case, centre_id=case.centre_id, pk=pk).first()
    if goal is None:
        raise Http404
    return goal


def action_get(case: Case, pk: int) -> GoalAction:
    action = GoalAction.objects.filter(goal__case=case, centre_id=case.centre_id, pk=pk).first()
    if action is None:
        raise Http404
    return action


def session_list(case: Case) -> list[Session]:
    return list(
        Session.objects.filter(case=case, centre_id=case.centre_id)
        .select_related("worker")
        .prefetch_related("persons")
        .order_by("-held_at")
    )


def session_persons(case: Case):
    """Who can take part in a session of the case: the person and their household."""

    ids = [case.person_id] + [p.pk for p in household_members(case.person)]
    return Person.objects.filter(pk__in=ids, centre_id=case.centre_id)


def attachment_list(case: Case) -> list[Attachment]:
    return list(
        Attachment.objects.filter(case=case, centre_id=case.centre_id)
        .select_related("uploaded_by")
        .order_by("-uploaded_at")
    )


def attachment_get_for(user, pk: int) -> Attachment:
    attachment = (
        Attachment.objects.filter(case__in=case_list_for(user), pk=pk)
        .select_related("case")
        .first()
    )
    if attachment is None:
        raise Http404
    return attachment


def task_list_for(user) -> QuerySet[Task]:
    """Tasks of the centres where the user keeps case files; a task on a case the user
    cannot see is not shown."""
    # a task names no person: the cases the user may see decide (a mediator: theirs)
    tasks = restrict(Task.objects.all(), user, Capability.CASE_FILES, about_persons=False)
    return tasks.filter(Q(case__isnull=True) | Q(case__in=case_list_for(user)))


def task_get_for(user, pk: int) -> Task:
    task = task_list_for(user).select_related("case", "assignee").filter(pk=pk).first()
    if task is None:
        raise Http404
    return task


def my_tasks(user, *, include_done: bool = False, request=None, audit: bool = False) -> list[Task]:
    """The user's tasks, overdue first (then by due date). A page that shows the persons of
    the tasks (`audit`) records one list read naming them."""
    tasks = task_list_for(user).filter(assignee_id=user.pk)
    if not include_done:
        tasks = tasks.filter(status=Task.Status.OPEN)
    rows = list(tasks.select_related("case__person").order_by("status", "due_on", "pk")[:500])
    if audit:
        persons = [t.case.person_id for t in rows if t.case_id]
        persons_listed(user, action="task.list", persons=persons, request=request)
    return rows


def case_tasks(case: Case) -> list[Task]:
    return list(
        Task.objects.filter(case=case, centre_id=case.centre_id)
        .select_related("assignee")
        .order_by("status", "due_on")
    )


def closure_request_pending(case: Case) -> ClosureRequest | None:
    if getattr(case, "pending_closure_id", 0) is None:
        return None
    return (
        ClosureRequest.objects.filter(
            case=case, centre_id=case.centre_id, status=ClosureRequest.Status.PENDING
        )
        .select_related("requested_by")
        .first()
    )


def closure_request_get_for(user, pk: int) -> ClosureRequest:
    req = (
        ClosureRequest.objects.filter(case__in=case_list_for(user), pk=pk)
        .select_related("case")
        .first()
    )
    if req is None:
        raise Http404
    return req


def transfer_list_incoming(user) -> QuerySet[Transfer]:
    """Transfers waiting for one of the user's centres (receiving side). Only the person's
    name and the reason are shown before acceptance; not to a mediator, who sees only the
    persons assigned to them."""
    scope = scope_for(user)
    ids = scope.centre_ids(Capability.CASE_FILES) - scope.assigned_only_centre_ids(
        Capability.CASE_FILES
    )
    return (
        Transfer.objects.filter(to_centre_id__in=sorted(ids), status=Transfer.Status.PENDING)
        .select_related("case__person", "centre", "requested_by")
        .order_by("requested_at")
    )


def transfer_get_incoming(user, pk: int) -> Transfer:
    transfer = transfer_list_incoming(user).filter(pk=pk).first()
    if transfer is None:
        raise Http404
    return transfer


def transfer_pending(case: Case) -> Transfer | None:
    if getattr(case, "pending_transfer_id", 0) is None:
        return None
    return (
        Transfer.objects.filter(case=case, centre_id=case.centre_id, status=Transfer.Status.PENDING)
        .select_related("to_centre")
        .first()
    )


def transfer_centres(case: Case):
    """The centres a case can be transferred to: every other active centre (not personal
    data: the network is public)."""

    return Centre.objects.filter(is_active=True).exclude(pk=case.centre_id).order_by("name")


def workers_for_case(user, case: Case) -> QuerySet[User]:
    """Who can be lead worker or team member of a case."""
    return centre_workers(user, case.centre_id)


def centre_workers(user, centre_id: int) -> QuerySet[User]:
    """Caseworkers, mediators and supervisors of a centre (the inverse of the scope, as in
    reception's staff list)."""

    if not scope_for(user).allows(Capability.CASE_FILES, centre_id):
        return User.objects.none()
    return staff_holding([centre_id], Capability.CASE_FILES)


# --- Homes: the caseworker's and the supervisor's ---------------------------------------------

AGE_BUCKETS = ((90, "lt90"), (365, "lt365"))  # days open: < 90, < 365, ≥ 365
NO_CONTACT_DAYS = 30


def _today_bounds() -> tuple[datetime, datetime]:
    today = timezone.localdate()
    start = timezone.make_aware(datetime.combine(today, time.min))
    return start, start + timedelta(days=1)


@dataclass(frozen=True)
class HomeRow:
    """One line of a home page list, read in a single query (see `caseworker_home`)."""

    kind: int
    pk: int
    case_id: int | None
    person_id: int
    family_name: str
    given_name: str
    day: date | None
    starts_at: datetime | None
    ends_at: datetime | None
    title: str
    status: str
    extra: str

    @property
    def person(self) -> str:
        return f"{self.family_name} {self.given_name}"

    def get_status_display(self) -> str:
        labels = {0: Case.Status, 1: Task.Status}
        if self.kind == 2:
            return str(dict(Appointment.Status.choices).get(self.status, self.status))
        return str(dict(labels[self.kind].choices).get(self.status, self.status))

    def get_priority_display(self) -> str:
        return str(dict(Case.Priority.choices).get(self.extra, self.extra))

    @property
    def opened_on(self) -> date | None:
        return self.day

    @property
    def due_on(self) -> date | None:
        return self.day

    @property
    def site(self) -> str:
        return self.extra

    @property
    def purpose(self) -> str:
        return self.title


def _as_date(value) -> date | None:
    if not value:
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _as_datetime(value) -> datetime | None:
    if not value:
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        text = str(value).replace(" ", "T")
        if text.endswith("+00"):
            text += ":00"
        moment = datetime.fromisoformat(text)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    return moment


# The home shows the first cases and tasks, with links to all of them (a caseworker holds
# 30–150 open cases): fewer rows, less to render.
HOME_CASES = 20
HOME_TASKS = 20
PRIORITY_RANK = {"urgent": 0, "high": 1, "normal": 2, "low": 3}


def caseworker_home(user, *, request=None) -> dict:
    """The caseworker's cases (lead or member, not closed), tasks due within a week (and
    overdue) and appointments of today — read in ONE query (a UNION of the three lists),
    plus one audit event naming the persons shown. A fixed number of queries, whatever the
    caseload."""

    scope = scope_for(user)
    ids = sorted(scope.centre_ids(Capability.CASE_FILES))
    if not ids:
        return {}
    today = timezone.localdate()
    blank = Value("", output_field=CharField())
    none = Value(None, output_field=CharField())
    columns = (
        "k", "pk", "c", "p", "fam", "giv", "d", "s", "e", "ttl", "st", "x"
    )  # fmt: skip
    # The first cases are chosen on the case table alone, in index order (a worker's open
    # cases by priority, oldest first: index cases_case_lead_open; then the cases the
    # worker is on the team of), and only those are joined to the persons: one arm each.
    open_cases = Case.objects.filter(centre_id__in=ids, transferred_to__isnull=True).exclude(
        status=Case.Status.CLOSED  # the predicate of the partial index, written the same way
    )
    first = HOME_CASES + 1
    choices = [
        open_cases.filter(lead_worker_id=user.pk, priority=p).order_by("opened_on", "pk")
        for p in PRIORITY_RANK
    ]
    choices.append(
        open_cases.filter(
            pk__in=CaseMember.objects.filter(user_id=user.pk, centre_id__in=ids).values("case_id")
        ).order_by("opened_on", "pk")
    )
    case_arms = [
        Case.objects.filter(centre_id__in=ids, pk__in=choice.values("pk")[:first])
        .annotate(
            k=Value(0, output_field=IntegerField()),
            c=F("pk"),
            p=F("person_id"),
            fam=F("person__family_name"),
            giv=F("person__given_name"),
            d=Cast("opened_on", CharField()),
            s=none,
            e=none,
            ttl=blank,
            st=F("status"),
            x=F("priority"),
        )
        .values_list(*columns)
        .order_by()
        for choice in choices
    ]
    due = (  # index cases_task_assignee_open, in order
        Task.objects.filter(
            centre_id__in=ids,
            assignee_id=user.pk,
            status=Task.Status.OPEN,
            due_on__lte=today + timedelta(days=7),
        )
        .order_by("due_on")
        .values("pk")
    )
    tasks = (
        Task.objects.filter(centre_id__in=ids, pk__in=due[: HOME_TASKS + 1])
        .annotate(
            k=Value(1, output_field=IntegerField()),
            c=F("case_id"),
            p=F("case__person_id"),
            fam=F("case__person__family_name"),
            giv=F("case__person__given_name"),
            d=Cast("due_on", CharField()),
            s=none,
            e=none,
            ttl=F("title"),
            st=F("status"),
            x=blank,
        )
        .values_list(*columns)
        .order_by()
    )
    start, end = _today_bounds()
    personal = sorted(scope.centre_ids(Capability.PERSONAL_DATA)) or [0]
    appointments = (
        Appointment.objects.filter(
            centre_id__in=personal, staff_id=user.pk, starts_at__gte=start, starts_at__lt=end
        )
        .annotate(
            k=Value(2, output_field=IntegerField()),
            c=Value(None, output_field=IntegerField()),
            p=F("person_id"),
            fam=F("person__family_name"),
            giv=F("person__given_name"),
            d=none,
            s=Cast("starts_at", CharField()),
            e=Cast("ends_at", CharField()),
            ttl=F("purpose"),
            st=F("status"),
            x=F("site__name"),
        )
        .values_list(*columns)
    )
    rows = [
        HomeRow(
            kind=r[0],
            pk=r[1],
            case_id=r[2],
            person_id=r[3],
            family_name=r[4] or "",
            given_name=r[5] or "",
            day=_as_date(r[6]),
            starts_at=_as_datetime(r[7]),
            ends_at=_as_datetime(r[8]),
            title=r[9] or "",
            status=r[10],
            extra=r[11] or "",
        )
        for r in case_arms[0].union(*case_arms[1:], tasks, appointments, all=True)
    ]
    # A case the worker leads and is also a team member of comes from two arms: once.
    case_rows = list({r.pk: r for r in rows if r.kind == 0}.values())
    my_cases = sorted(case_rows, key=lambda r: (PRIORITY_RANK.get(r.extra, 9), r.day, r.pk))[
        :HOME_CASES
    ]
    my_tasks_due = sorted((r for r in rows if r.kind == 1), key=lambda r: (r.day, r.pk))
    more_tasks = len(my_tasks_due) > HOME_TASKS
    my_tasks_due = my_tasks_due[:HOME_TASKS]
    my_appointments = sorted((r for r in rows if r.kind == 2), key=lambda r: r.starts_at)
    persons = sorted(
        {r.person_id for r in my_cases + my_tasks_due + my_appointments if r.person_id}
    )
    if persons:
        audit_record(
            action="case.home",
            actor=user,
            centre=ids[0],
            request=request,
            detail={"persons": persons},
        )
    return {
        "cases": my_cases,
        "tasks": my_tasks_due,
        "appointments": my_appointments,
        "today": today,
        "overdue_count": sum(1 for t in my_tasks_due if t.day < today),
        "more_cases": len(case_rows) > HOME_CASES,
        "more_tasks": more_tasks,
        "shown": HOME_TASKS,
    }


STALE_SHOWN = 25


def stale_cases(open_cases: QuerySet[Case], *, no_contact_days: int) -> list[Case]:
    """Open cases (of `open_cases`, already scoped) opened more than `no_contact_days` ago
    with no contact since: neither a session of the case (`last_contact_at`, kept by the
    services) nor a reception contact with the person (koinotita.reception, the person a
    participant) in that time. One query: the first STALE_SHOWN such cases by their last
    session, oldest first, each skipped if a recent reception contact exists (an index probe
    per case: reception_contactperson_person, then the contact by its key), and for the
    cases shown their latest reception contact since the case opened (`last_seen`: the more
    recent of the two kinds, None for never)."""

    cutoff = timezone.now() - timedelta(days=no_contact_days)
    contacts = ContactPerson.objects.filter(
        centre_id=OuterRef("centre_id"), person_id=OuterRef("person_id")
    )
    cases = list(
        open_cases.filter(Q(last_contact_at__lt=cutoff) | Q(last_contact_at__isnull=True))
        .filter(opened_on__lte=timezone.localdate(cutoff))
        .exclude(Exists(contacts.filter(contact__at__gte=cutoff)))
        .annotate(
            last_reception=Subquery(
                contacts.filter(contact__at__date__gte=OuterRef("opened_on"))
                .order_by("-contact__at")
                .values("contact__at")[:1]
            )
        )
        .select_related("lead_worker")
        .only(
            "pk",
            "centre_id",
            "person_id",
            "opened_on",
            "last_contact_at",
            "status",
            "lead_worker__first_name",
            "lead_worker__last_name",
            "lead_worker__username",
        )
        .order_by("last_contact_at", "opened_on", "pk")[:STALE_SHOWN]
    )
    for case in cases:
        seen = [m for m in (case.last_contact_at, _as_datetime(case.last_reception)) if m]
        case.last_seen = max(seen) if seen else None
    oldest = datetime.min.replace(tzinfo=UTC)
    return sorted(cases, key=lambda c: (c.last_seen or oldest, c.opened_on, c.pk))


def supervisor_team(user, *, no_contact_days: int = NO_CONTACT_DAYS, request=None) -> dict:
    """The team of the supervisor's centres: cases per worker by status and age, overdue
    tasks per worker, the cases with no contact (session or reception contact, see
    `stale_cases`) in `no_contact_days` days, and pending closure requests.

    Aggregates and case numbers only, never a person's name (the supervisor opens a case,
    which is audited, to see who it is), so the view itself reads no personal data. Three
    queries: one UNION of the per-worker counts of cases and of overdue tasks (with the
    workers' names; counting a column of the partial indexes cases_case_team_open and
    cases_task_centre_open, so PostgreSQL counts from the index alone), the stale cases, the
    closure requests.
    """

    ids = sorted(scope_for(user).centre_ids(Capability.SUPERVISE))
    if not ids:
        return {}
    today = timezone.localdate()
    open_cases = Case.objects.filter(centre_id__in=ids, transferred_to__isnull=True).exclude(
        status=Case.Status.CLOSED
    )
    young = today - timedelta(days=AGE_BUCKETS[0][0])
    middle = today - timedelta(days=AGE_BUCKETS[1][0])
    zero = Value(0, output_field=IntegerField())
    columns = (
        "w", "first", "last", "login", "total", "n_open", "n_active", "n_suspended",
        "lt90", "lt365", "older", "overdue",
    )  # fmt: skip
    counts = (
        open_cases.values("lead_worker_id")
        .annotate(
            w=F("lead_worker_id"),
            first=F("lead_worker__first_name"),
            last=F("lead_worker__last_name"),
            login=F("lead_worker__username"),
            total=Count("lead_worker"),
            n_open=Count("lead_worker", filter=Q(status=Case.Status.OPEN)),
            n_active=Count("lead_worker", filter=Q(status=Case.Status.ACTIVE)),
            n_suspended=Count("lead_worker", filter=Q(status=Case.Status.SUSPENDED)),
            lt90=Count("lead_worker", filter=Q(opened_on__gt=young)),
            lt365=Count("lead_worker", filter=Q(opened_on__lte=young, opened_on__gt=middle)),
            older=Count("lead_worker", filter=Q(opened_on__lte=middle)),
            overdue=zero,
        )
        .values_list(*columns)
        .order_by()
    )
    overdue = (
        Task.objects.filter(centre_id__in=ids, status=Task.Status.OPEN, due_on__lt=today)
        .values("assignee_id")
        .annotate(
            w=F("assignee_id"),
            first=F("assignee__first_name"),
            last=F("assignee__last_name"),
            login=F("assignee__username"),
            total=zero,
            n_open=zero,
            n_active=zero,
            n_suspended=zero,
            lt90=zero,
            lt365=zero,
            older=zero,
            overdue=Count("assignee"),
        )
        .values_list(*columns)
        .order_by()
    )
    per_worker: dict[int, dict] = {}
    for row in counts.union(overdue, all=True):
        values = dict(zip(columns, row, strict=True))
        worker = per_worker.setdefault(
            values["w"],
            {
                "name": f"{values['first']} {values['last']}".strip() or values["login"],
                **{c: 0 for c in columns[4:]},
            },
        )
        for c in columns[4:]:
            worker[c] += values[c] or 0
    team = sorted(per_worker.values(), key=lambda r: (-r["total"], r["name"]))
    stale = stale_cases(open_cases, no_contact_days=no_contact_days)
    closures = list(
        ClosureRequest.objects.filter(centre_id__in=ids, status=ClosureRequest.Status.PENDING)
        .select_related("requested_by")
        .order_by("requested_at")[:25]
    )
    return {
        "team": team,
        "stale": stale,
        "closures": closures,
        "no_contact_days": no_contact_days,
        "totals": {
            "cases": sum(r["total"] for r in team),
            "overdue": sum(r["overdue"] for r in team),
        },
    }


def due_tasks_by_assignee(day: date) -> dict[int, list[Task]]:
    """For the daily reminder: every open task due on or before `day`, by assignee.

    A system read (no user): it goes centre by centre so that each query carries centre_id.
    """

    result: dict[int, list[Task]] = {}
    for centre_id in Centre.objects.filter(is_active=True).values_list("pk", flat=True):
        for task in (
            Task.objects.filter(centre_id=centre_id, status=Task.Status.OPEN, due_on__lte=day)
            .select_related("case", "assignee")
            .order_by("due_on", "pk")
        ):
            result.setdefault(task.assignee_id, []).append(task)
    return result


def home_sections_for(user, *, request=None) -> dict:
    """What the web home shows of case files: the caseworker's section (anyone keeping case
    files) and the supervisor's team view."""
    scope = scope_for(user)
    sections = {}
    if scope.has_any(Capability.SUPERVISE):
        # A supervisor's home is the team view (their own cases are in "Case files").
        sections["team_view"] = supervisor_team(user, request=request)
    elif scope.has_any(Capability.CASE_FILES):
        sections["case_home"] = caseworker_home(user, request=request)
    return sections
