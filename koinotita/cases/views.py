"""Pages of case files. Thin: a scoped getter, one service call, render or redirect."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from koinotita.accounts.scoping import Capability, centres_for, scope_for
from koinotita.accounts.selectors import staff_matching
from koinotita.cases import selectors, services
from koinotita.cases.forms import (
    ActionForm,
    ActionStatusForm,
    AgreeForm,
    AssessmentForm,
    AttachmentForm,
    CaseOpenForm,
    ClosureForm,
    GoalForm,
    GoalStatusForm,
    MemberForm,
    NoteForm,
    NoteOrReasonForm,
    ReasonForm,
    ReassignForm,
    SessionForm,
    StandaloneTaskForm,
    StatusForm,
    TaskForm,
    TransferForm,
)
from koinotita.cases.models import Case
from koinotita.lib.forms import add_service_errors, flash_errors
from koinotita.lib.uploads import accepts_files
from koinotita.people.search import person_search
from koinotita.people.selectors import person_get_for

CASE_PAGE = 50


def _back(case: Case):
    return redirect("cases-case-detail", pk=case.pk)


def _flash_form_errors(request, form) -> None:
    for errors in form.errors.values():
        for e in errors:
            messages.error(request, e)


@login_required
@require_GET
def case_list(request):
    if not scope_for(request.user).has_any(Capability.CASE_FILES):
        raise PermissionDenied
    status = request.GET.get("status", "")
    status = status if status in Case.Status.values else ""
    mine = request.GET.get("mine") == "1"
    try:
        number = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        number = 1
    page, more = selectors.case_page_for(
        request.user, status=status, mine=mine, number=number, size=CASE_PAGE, request=request
    )
    keep = {k: v for k, v in (("status", status), ("mine", "1" if mine else "")) if v}
    query = request.GET.get("q", "").strip()
    found = person_search(request.user, query, limit=10, request=request) if query else None
    return render(
        request,
        "cases/case_list.html",
        {
            "cases": page,
            "previous_page": urlencode({**keep, "page": number - 1}) if number > 1 else "",
            "next_page": urlencode({**keep, "page": number + 1}) if more else "",
            "status": status,
            "mine": mine,
            "statuses": Case.Status.choices,
            "q": query,
            "found": found,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_open(request, person_pk: int):
    person = person_get_for(request.user, person_pk, request=request, audit=request.method == "GET")
    if not scope_for(request.user).allows(Capability.CONFIDENTIAL_NOTES, person.centre_id):
        raise Http404
    workers = selectors.centre_workers(request.user, person.centre_id)
    form = CaseOpenForm(
        request.POST or None, workers=workers, initial={"lead_worker": request.user.pk}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_open(
                actor=request.user,
                person=person,
                reason=data["reason"],
                priority=data["priority"],
                lead_worker=data["lead_worker"],
                team=list(data["team"]),
                opened_on=data["opened_on"],
                with_household=data["with_household"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The case was opened."))
            return _back(case)
    existing = selectors.case_list_for_person(request.user, person)
    return render(
        request, "cases/case_open.html", {"form": form, "person": person, "existing": existing}
    )


@login_required
@require_GET
def case_detail(request, pk: int):
    user = request.user
    case = selectors.case_get_for(user, pk, request=request, pending=True)
    team = selectors.case_team(case)
    team_ids = selectors.case_team_ids(case, team)
    can_edit = selectors.case_can_edit(user, case, team_ids)
    scope = scope_for(user)
    assessments = selectors.assessment_list(case)
    goals = selectors.goal_list(case)
    workers = selectors.workers_for_case(user, case)
    picker = {"workers": workers, "search_url": reverse("cases-case-workers", args=[case.pk])}
    context = {
        "case": case,
        "team": team,
        "can_edit": can_edit and not case.is_closed,
        "can_reopen": can_edit and case.is_closed,
        "is_supervisor": scope.allows(Capability.SUPERVISE, case.centre_id),
        "assessments": assessments,
        "compare": selectors.assessment_compare(assessments),
        "goals": goals,
        "sessions": selectors.session_list(case),
        "notes": selectors.note_list_for(user, case, request=request, team_ids=team_ids),
        "can_write_notes": scope.allows(Capability.CONFIDENTIAL_NOTES, case.centre_id),
        "attachments": selectors.attachment_list(case),
        "tasks": selectors.case_tasks(case),
        "timeline": selectors.case_timeline(case),
        "closure": selectors.closure_request_pending(case),
        "transfer": selectors.transfer_pending(case),
        "goal_form": GoalForm(
            initial={"plan_version": case.plan_version}, auto_id="goal_%s", **picker
        ),
        "agree_form": AgreeForm(initial={"plan_version": case.plan_version}, auto_id="agree_%s"),
        "note_form": NoteForm(auto_id="note_%s"),
        "attachment_form": AttachmentForm(auto_id="attachment_%s"),
        "task_form": TaskForm(auto_id="task_%s", **picker),
        "member_form": MemberForm(auto_id="member_%s", **picker),
        "reassign_form": ReassignForm(auto_id="reassign_%s", **picker),
        "status_choices": [
            (v, label)
            for v, label in Case.Status.choices
            if v in services.TRANSITIONS.get(case.status, set())
        ],
        "goal_statuses": GoalStatusForm.base_fields["status"].choices,
        "action_statuses": ActionStatusForm.base_fields["status"].choices,
    }
    return render(request, "cases/case_detail.html", context)


PICKER_FIELDS = {"lead_worker", "user", "responsible", "assignee"}
PICKER_MATCHES = 8


@login_required
@require_GET
def case_workers(request, pk: int):
    """The staff picker's few matches: who of the case's centre may work on it, by the name
    typed (the case page's pickers ask as their user types)."""
    case = selectors.case_get_for(request.user, pk, audit=False)
    field = request.GET.get("field", "")
    if field not in PICKER_FIELDS:
        raise Http404
    text = request.GET.get(f"{field}_q", "").strip()
    workers = selectors.workers_for_case(request.user, case)
    found = staff_matching(workers, text, limit=PICKER_MATCHES + 1) if text else []
    return render(
        request,
        "cases/_worker_matches.html",
        {
            "field": field,
            "text": text,
            "matches": found[:PICKER_MATCHES],
            "more": len(found) > PICKER_MATCHES,
        },
    )


@login_required
@require_POST
def case_status(request, pk: int):
    case = selectors.case_get_for(request.user, pk, audit=False)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.case_set_status(
                actor=request.user,
                case=case,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                request=request,
            )
            messages.success(request, _("The status was changed."))
        except ValidationError as exc:
            flash_errors(request, exc)
    return _back(case)


@login_required
@require_POST
def case_reassign(request, pk: int):
    case = selectors.case_get_for(request.user, pk, audit=False)
    form = ReassignForm(request.POST, workers=selectors.workers_for_case(request.user, case))
    if not form.is_valid():
        _flash_form_errors(request, form)
        return _back(case)
    try:
        services.case_reassign(
            actor=request.user,
            case=case,
            lead_worker=form.cleaned_data["lead_worker"],
            note=form.cleaned_data["note"],
            request=request,
        )
        messages.success(request, _("The case was reassigned."))
    except ValidationError as exc:
        flash_errors(request, exc)
    if request.POST.get("next") == "team":
        return redirect("cases-team")
    return _back(case)


@login_required
@require_POST
def case_member_add(request, pk: int):
    case = selectors.case_get_for(request.user, pk, audit=False)
    form = MemberForm(request.POST, workers=selectors.workers_for_case(request.user, case))
    if not form.is_valid():
        _flash_form_errors(request, form)
    else:
        try:
            services.case_member_add(
                actor=request.user, case=case, user=form.cleaned_data["user"], request=request
            )
            messages.success(request, _("The worker was added to the team."))
        except ValidationError as exc:
            flash_errors(request, exc)
    return _back(case)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_new(request, pk: int):
    case = selectors.case_get_for(request.user, pk, request=request, audit=request.method == "GET")
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_record(
                actor=request.user,
                case=case,
                assessed_on=form.cleaned_data["assessed_on"],
                ratings=form.ratings(),
                summary=form.cleaned_data["summary"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The assessment was recorded."))
            return _back(case)
    return render(request, "cases/assessment_form.html", {"form": form, "case": case})


def _plan_write(request, case, call):
    """Run a plan write; a stale version is told to the user, never overwritten."""
    try:
        call()
    except services.StalePlan as exc:
        flash_errors(request, exc)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The plan was saved."))
    return _back(case)


@login_required
@require_POST
def goal_add(request, pk: int):
    case = selectors.case_get_for(request.user, pk, audit=False)
    form = GoalForm(request.POST, workers=selectors.workers_for_case(request.user, case))
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return _back(case)
    data = form.cleaned_data
    return _plan_write(
        request,
        case,
        lambda: services.goal_add(
            actor=request.user,
            case=case,
            plan_version=data["plan_version"],
            domain=data["domain"],
            title=data["title"],
            responsible=data["responsible"],
            target_date=data["target_date"],
            actions=data["actions"].splitlines(),
            request=request,
        ),
    )


@login_required
@require_POST
def goal_status(request, pk: int, goal_pk: int):
    case = selectors.case_get_for(request.user, pk, audit=False)
    goal = selectors.goal_get(case, goal_pk)
    form = GoalStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
        return _back(case)
    return _plan_write(
        request,
        case,
        lambda: services.goal_update(
            actor=request.user,
            goal=goal,
            plan_version=form.cleaned_data["plan_version"],
            status=form.cleaned_data["status"],
            target_date=goal.target_date,
            responsible=goal.responsible,
            request=request,
        ),
    )


@login_required
@require_POST
def action_add(request, pk: int, goal_pk: int):
    case = selectors.case_get_for(request.user, pk, audit=False)
    goal = selectors.goal_get(case, goal_pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the action."))
        return _back(case)
    data = form.cleaned_data
    return _plan_write(
        request,
        case,
        lambda: services.action_add(
            actor=request.user,
            goal=goal,
            plan_version=data["plan_version"],
            text=data["text"],
            responsible=data["responsible"],
            target_date=data["target_date"],
            request=request,
        ),
    )


@login_required
@require_POST
def action_status(request, pk: int, action_pk: int):
    case = selectors.case_get_for(request.user, pk, audit=False)
    action = selectors.action_get(case, action_pk)
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
        return _back(case)
    return _plan_write(
        request,
        case,
        lambda: services.action_set_status(
            actor=request.user,
            action=action,
            plan_version=form.cleaned_data["plan_version"],
            status=form.cleaned_data["status"],
            request=request,
        ),
    )


@login_required
@require_POST
def plan_agree(request, pk: int):
    case = selectors.case_get_for(request.user, pk, audit=False)
    form = AgreeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date the person agreed the plan."))
        return _back(case)
    return _plan_write(
        request,
        case,
        lambda: services.plan_agree(
            actor=request.user,
            case=case,
            plan_version=form.cleaned_data["plan_version"],
            agreed_on=form.cleaned_data["agreed_on"],
            request=request,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_new(request, pk: int):
    case = selectors.case_get_for(request.user, pk, request=request, audit=request.method == "GET")
    form = SessionForm(
        request.POST or None,
        persons=selectors.session_persons(case),
        initial={"persons": [case.person_id]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.session_log(
                actor=request.user,
                case=case,
                held_at=data["held_at"],
                kind=data["kind"],
                mode=data["mode"],
                minutes=data["minutes"],
                persons=list(data["persons"]),
                other_participants=data["other_participants"],
                summary=data["summary"],
                note_text=data["note_text"],
                note_level=data["note_level"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The session was logged."))
            return _back(case)
    return render(request, "cases/session_form.html", {"form": form, "case": case})


@login_required
@require_POST
def note_add(request, pk: int):
    case = selectors.case_get_for(request.user, pk, audit=False)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the note."))
        return _back(case)
    try:
        services.note_add(
            actor=request.user,
            case=case,
            text=form.cleaned_data["text"],
            level=form.cleaned_data["level"],
            request=request,
        )
        messages.success(request, _("The note was saved."))
    except ValidationError as exc:
        flash_errors(request, exc)
    return _back(case)


@login_required
@require_http_methods(["GET", "POST"])
def note_break_glass(request, pk: int):
    note, access = selectors.note_get_for(request.user, pk)
    if access != selectors.NoteAccessLevel.BREAK_GLASS:
        return redirect("cases-case-detail", pk=note.case_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.note_break_glass(
                actor=request.user, note=note, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(f"/cases/{note.case_id}/#note-{note.pk}")
    return render(request, "cases/break_glass.html", {"form": form, "note": note})


@accepts_files
@login_required
@require_POST
def attachment_add(request, pk: int):
    case = selectors.case_get_for(request.user, pk, audit=False)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return _back(case)
    try:
        services.attachment_add(
            actor=request.user,
            case=case,
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["upload"],
            request=request,
        )
        messages.success(request, _("The document was attached."))
    except ValidationError as exc:
        flash_errors(request, exc)
    return _back(case)


@login_required
@require_GET
def attachment_download(request, pk: int):
    return attachment_response(request, pk)


def attachment_response(request, attachment_id: int) -> FileResponse:
    """The document as a download, for the page and the API alike: scoped (404 outside the
    user's cases), audited, never cached and never sniffed as another type."""
    attachment = selectors.attachment_get_for(request.user, attachment_id)
    path = services.attachment_open(actor=request.user, attachment=attachment, request=request)
    if not path.is_file():
        raise Http404
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def task_add(request, pk: int):
    case = selectors.case_get_for(request.user, pk, audit=False)
    form = TaskForm(request.POST, workers=selectors.workers_for_case(request.user, case))
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return _back(case)
    try:
        services.task_create(actor=request.user, case=case, request=request, **form.cleaned_data)
        messages.success(request, _("The task was added."))
    except ValidationError as exc:
        flash_errors(request, exc)
    return _back(case)


@login_required
@require_http_methods(["GET", "POST"])
def my_tasks(request):
    if not scope_for(request.user).has_any(Capability.CASE_FILES):
        raise PermissionDenied
    centres = centres_for(request.user, Capability.CASE_FILES)
    first = centres.first()
    workers = selectors.centre_workers(request.user, first.pk) if first else None
    form = StandaloneTaskForm(
        request.POST or None,
        centres=centres,
        workers=workers if workers is not None else centres.none(),
        initial={"assignee": request.user.pk, "centre": first.pk if first else None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.task_create(
                actor=request.user,
                title=data["title"],
                assignee=data["assignee"],
                due_on=data["due_on"],
                centre_id=data["centre"].pk,
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The task was added."))
            return redirect("cases-my-tasks")
    from django.utils import timezone

    return render(
        request,
        "cases/my_tasks.html",
        {
            "tasks": selectors.my_tasks(request.user, request=request, audit=True),
            "form": form,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def task_status(request, pk: int):
    task = selectors.task_get_for(request.user, pk)
    try:
        services.task_set_status(
            actor=request.user, task=task, status=request.POST.get("status", ""), request=request
        )
        messages.success(request, _("The task was updated."))
    except ValidationError as exc:
        flash_errors(request, exc)
    if request.POST.get("next") == "case" and task.case_id:
        return redirect("cases-case-detail", pk=task.case_id)
    return redirect("cases-my-tasks")


@login_required
@require_http_methods(["GET", "POST"])
def closure_new(request, pk: int):
    case = selectors.case_get_for(request.user, pk, request=request, audit=request.method == "GET")
    goals = selectors.goal_list(case)
    open_tasks = [t for t in selectors.case_tasks(case) if t.status == "open"]
    form = ClosureForm(request.POST or None, goals=goals, n_open_tasks=len(open_tasks))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.closure_request(
                actor=request.user,
                case=case,
                reason=data["reason"],
                note=data["note"],
                open_tasks=data["open_tasks"],
                goal_outcomes=form.goal_outcomes(),
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The closure request was sent to the supervisor."))
            return _back(case)
    return render(
        request,
        "cases/closure_form.html",
        {"form": form, "case": case, "open_tasks": open_tasks},
    )


@login_required
@require_POST
def closure_decide(request, pk: int):
    closure = selectors.closure_request_get_for(request.user, pk)
    form = NoteOrReasonForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("note", "")
    try:
        if request.POST.get("decision") == "approve":
            services.closure_approve(
                actor=request.user, closure=closure, note=note, request=request
            )
            messages.success(request, _("The case was closed."))
        else:
            services.closure_reject(actor=request.user, closure=closure, note=note, request=request)
            messages.success(request, _("The closure request was rejected."))
    except ValidationError as exc:
        flash_errors(request, exc)
    if request.POST.get("next") == "team":
        return redirect("cases-team")
    return redirect("cases-case-detail", pk=closure.case_id)


@login_required
@require_POST
def case_reopen(request, pk: int):
    case = selectors.case_get_for(request.user, pk, audit=False)
    form = NoteOrReasonForm(request.POST)
    form.is_valid()
    try:
        services.case_reopen(
            actor=request.user, case=case, note=form.cleaned_data.get("note", ""), request=request
        )
        messages.success(request, _("The case was reopened."))
    except ValidationError as exc:
        flash_errors(request, exc)
    return _back(case)


@login_required
@require_http_methods(["GET", "POST"])
def transfer_new(request, pk: int):
    case = selectors.case_get_for(request.user, pk, request=request, audit=request.method == "GET")
    form = TransferForm(request.POST or None, centres=selectors.transfer_centres(case))
    if request.method == "POST" and form.is_valid():
        try:
            services.transfer_request(
                actor=request.user, case=case, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The transfer was proposed to the receiving centre."))
            return _back(case)
    return render(request, "cases/transfer_form.html", {"form": form, "case": case})


@login_required
@require_http_methods(["GET", "POST"])
def transfer_incoming(request):
    if not scope_for(request.user).has_any(Capability.CONFIDENTIAL_NOTES):
        raise PermissionDenied
    if request.method == "POST":
        transfer = selectors.transfer_get_incoming(request.user, int(request.POST.get("pk", 0)))
        try:
            if request.POST.get("decision") == "accept":
                new = services.transfer_accept(
                    actor=request.user, transfer=transfer, request=request
                )
                messages.success(request, _("The case was accepted."))
                return redirect("cases-case-detail", pk=new.pk)
            services.transfer_decline(actor=request.user, transfer=transfer, request=request)
            messages.success(request, _("The transfer was declined."))
        except ValidationError as exc:
            flash_errors(request, exc)
        return redirect("cases-transfer-incoming")
    return render(
        request,
        "cases/transfer_incoming.html",
        {"transfers": list(selectors.transfer_list_incoming(request.user))},
    )


@login_required
@require_GET
def team_view(request):
    if not scope_for(request.user).has_any(Capability.SUPERVISE):
        raise PermissionDenied
    try:
        days = max(1, min(365, int(request.GET.get("days", selectors.NO_CONTACT_DAYS))))
    except ValueError:
        days = selectors.NO_CONTACT_DAYS
    context = selectors.supervisor_team(request.user, no_contact_days=days, request=request)
    return render(request, "cases/team.html", {"team_view": context})
