"""Pages of the programmes app: the catalogue, the pre-screening with a person in front of
you, and the help with applications. Thin: a scoped getter, one service call, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from koinotita.accounts.scoping import Capability, scope_for
from koinotita.lib.forms import add_service_errors
from koinotita.people.selectors import person_get_for
from koinotita.programmes import screening, selectors, services
from koinotita.programmes.forms import (
    ApplicationCreateForm,
    DecisionForm,
    DocumentsForm,
    HouseholdForm,
    MemberFormSet,
    SubmitForm,
    facts_from_forms,
    initial_from_facts,
)
from koinotita.programmes.plugins import application_panels
from koinotita.programmes.states import steps_for


def _staff(request) -> None:
    if not scope_for(request.user).has_any(Capability.PERSONAL_DATA):
        raise PermissionDenied


@login_required
@require_GET
def programme_list(request):
    _staff(request)
    return render(
        request, "programmes/programme_list.html", {"programmes": selectors.programme_list()}
    )


@login_required
@require_GET
def programme_detail(request, code: str):
    _staff(request)
    programme = selectors.programme_get(code)
    return render(request, "programmes/programme_detail.html", {"programme": programme})


@login_required
@require_http_methods(["GET", "POST"])
def prescreen(request, person_pk: int):
    """The household pre-filled from the records, a few questions; "check" shows the result
    (nothing stored), "save" keeps it on the person's timeline."""
    person = person_get_for(request.user, person_pk, request=request)
    today = timezone.localdate()
    household_initial, members_initial = initial_from_facts(
        selectors.facts_from_records(person, today)
    )
    household = HouseholdForm(request.POST or None, initial=household_initial)
    members = MemberFormSet(request.POST or None, initial=members_initial, prefix="members")
    results = None
    if request.method == "POST" and household.is_valid() and members.is_valid():
        facts = facts_from_forms(household, members)
        on = household.cleaned_data["on"]
        try:
            if request.POST.get("action") == "save":
                saved = services.prescreening_save(
                    actor=request.user, person=person, facts=facts, on=on, request=request
                )
                messages.success(request, _("The pre-screening was saved."))
                return redirect("programmes-prescreening-detail", pk=saved.pk)
            services.facts_validate(facts)
            results = selectors.results_for_display(
                [r.to_json() for r in screening.evaluate(facts, on)]
            )
        except ValidationError as exc:
            add_service_errors(household, exc)
    context = {"person": person, "form": household, "members": members, "results": results}
    return render(request, "programmes/prescreen.html", context)


@login_required
@require_GET
def prescreening_detail(request, pk: int):
    prescreening = selectors.prescreening_get_for(request.user, pk, request=request)
    context = {
        "prescreening": prescreening,
        "person": prescreening.person,
        "results": selectors.results_for_display(prescreening.results),
        "facts": prescreening.facts,
    }
    return render(request, "programmes/prescreening_detail.html", context)


@login_required
@require_GET
def prescreening_pdf(request, pk: int):
    prescreening = selectors.prescreening_get_for(request.user, pk, audit=False)
    printout = services.prescreening_pdf(
        actor=request.user, prescreening=prescreening, request=request
    )
    response = HttpResponse(printout.content, content_type=printout.content_type)
    response["Content-Disposition"] = f'inline; filename="{printout.filename}"'
    return response


@login_required
@require_GET
def person_programmes(request, person_pk: int):
    """A person's applications and pre-screenings: a fragment for the person page (htmx),
    or a page of its own."""
    # Loaded into the person page (whose read is audited), or a page of its own (audited).
    fragment = bool(request.headers.get("HX-Request"))
    person = person_get_for(request.user, person_pk, request=request, audit=not fragment)
    context = {
        "person": person,
        "applications": list(selectors.application_list_for_person(request.user, person)[:50]),
        "prescreenings": list(
            selectors.prescreening_list_for_person(request.user, person).select_related(
                "created_by"
            )[:50]
        ),
    }
    template = (
        "programmes/_person_applications.html"
        if request.headers.get("HX-Request")
        else "programmes/person_programmes.html"
    )
    return render(request, template, context)


# --- Applications -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def application_create(request, person_pk: int):
    person = person_get_for(request.user, person_pk, request=request, audit=request.method == "GET")
    form = ApplicationCreateForm(
        request.POST or None,
        programmes=selectors.programme_list(),
        initial={
            "programme": selectors.programme_list()
            .filter(code=request.GET.get("programme"))
            .first()
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                actor=request.user,
                person=person,
                programme=form.cleaned_data["programme"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The application was recorded."))
            return redirect("programmes-application-detail", pk=application.pk)
    return render(request, "programmes/application_create.html", {"form": form, "person": person})


def _detail_context(request, application, **forms) -> dict:
    steps = steps_for(application.state)
    context = {
        "application": application,
        "panels": application_panels(request, application),
        "person": application.person,
        "steps": steps,
        "history": application.steps.select_related("actor"),
        "renewal_due": selectors.renewal_is_due(application, timezone.localdate()),
        "documents_form": forms.get("documents_form")
        or DocumentsForm(
            programme=application.programme, initial={"documents": application.documents}
        ),
        "submit_form": forms.get("submit_form")
        or SubmitForm(initial={"reference_number": application.reference_number}),
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "can_collect": application.state in ("preparation", "needs_documents"),
    }
    return context


@login_required
@require_GET
def application_detail(request, pk: int):
    application = selectors.application_get_for(request.user, pk, request=request)
    return render(
        request, "programmes/application_detail.html", _detail_context(request, application)
    )


def _step_view(request, pk: int, form_class, form_name: str, call, done: str, **form_kwargs):
    application = selectors.application_get_for(request.user, pk, audit=False)
    form = form_class(request.POST, **{k: f(application) for k, f in form_kwargs.items()})
    if form.is_valid():
        try:
            call(application, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("programmes-application-detail", pk=application.pk)
    context = _detail_context(request, application, **{form_name: form})
    return render(request, "programmes/application_detail.html", context, status=400)


@login_required
@require_POST
def application_documents(request, pk: int):
    def call(application, data):
        services.application_documents_set(
            actor=request.user, application=application, codes=data["documents"], request=request
        )

    return _step_view(
        request,
        pk,
        DocumentsForm,
        "documents_form",
        call,
        _("The documents collected were saved."),
        programme=lambda a: a.programme,
    )


@login_required
@require_POST
def application_submit(request, pk: int):
    def call(application, data):
        services.application_submit(
            actor=request.user,
            application=application,
            submitted_on=data["submitted_on"],
            reference_number=data["reference_number"],
            request=request,
        )

    return _step_view(
        request, pk, SubmitForm, "submit_form", call, _("The submission was recorded.")
    )


@login_required
@require_POST
def application_decide(request, pk: int):
    def call(application, data):
        services.application_decide(
            actor=request.user,
            application=application,
            step=data["step"],
            decision_on=data["decision_on"],
            amount=data["amount"],
            renewal_on=data["renewal_on"],
            request=request,
        )

    return _step_view(
        request, pk, DecisionForm, "decision_form", call, _("The decision was recorded.")
    )


@login_required
@require_POST
def application_end(request, pk: int):
    application = selectors.application_get_for(request.user, pk, audit=False)
    try:
        services.application_end(actor=request.user, application=application, request=request)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The application was closed."))
    return redirect("programmes-application-detail", pk=application.pk)


@login_required
@require_GET
def applications_needing_action(request):
    """The worker's applications needing action: a page, or the home page's section (htmx
    fragment: the first few, with a link to all)."""
    _staff(request)
    today = timezone.localdate()
    if request.headers.get("HX-Request"):
        section = selectors.applications_home_for(request.user, today=today, request=request)
        return render(request, "programmes/_home_applications.html", {"section": section})
    applications = selectors.applications_needing_action_for(
        request.user, today=today, request=request
    )
    rows = [(a, selectors.renewal_is_due(a, today)) for a in applications]
    return render(request, "programmes/applications_needing_action.html", {"rows": rows})
