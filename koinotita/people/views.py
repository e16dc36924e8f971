from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from koinotita.accounts.models import Role
from koinotita.accounts.scoping import Capability, centres_for, scope_for
from koinotita.accounts.selectors import staff_holding
from koinotita.lib.forms import add_service_errors
from koinotita.people import services
from koinotita.people.forms import (
    AssignmentForm,
    ConsentForm,
    ConsentWithdrawForm,
    HouseholdForm,
    PersonForm,
    SettlementForm,
)
from koinotita.people.models import Consent
from koinotita.people.panels import person_panels
from koinotita.people.search import person_search as search
from koinotita.people.selectors import (
    assignment_get_for,
    assignment_list_for,
    consent_get_for_person,
    consent_list_for_person,
    household_list_for,
    household_members,
    is_in_force,
    my_assignments,
    person_get_for,
    person_list_for,
    persons_listed,
    settlement_list_for,
)


def _personal_centres(user):
    centres = centres_for(user, Capability.PERSONAL_DATA)
    if not centres.exists():
        raise PermissionDenied
    return centres


@require_GET
@login_required
def person_search(request):
    """Reception's landing page: one search box; results as an htmx fragment too."""
    _personal_centres(request.user)
    query = request.GET.get("q", "")
    result = search(request.user, query, request=request) if query.strip() else None
    template = "people/_results.html" if request.headers.get("HX-Request") else "people/search.html"
    return render(request, template, {"q": query, "result": result})


def _save_person(request, form, *, person=None, centre=None):
    """Call the service; on warnings, show them and ask for confirmation."""
    fields = form.person_fields()
    confirm = form.cleaned_data.get("confirm", False)
    try:
        if person is None:
            return services.person_register(
                actor=request.user,
                centre=centre,
                fields=fields,
                confirm=confirm,
                consent_given_on=timezone.localdate(),
                request=request,
            ), None
        return services.person_update(
            actor=request.user, person=person, fields=fields, confirm=confirm, request=request
        ), None
    except services.DuplicatePerson as exc:
        form.add_error(None, exc.messages)
        return None, {"existing": exc.existing}
    except services.NeedsConfirmation as exc:
        return None, {"warnings": exc.warnings, "look_alikes": exc.look_alikes}
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None, {}


@require_http_methods(["GET", "POST"])
@login_required
def person_register(request):
    centres = _personal_centres(request.user)
    supervisor = scope_for(request.user).has_any(Capability.SUPERVISE)
    # Pre-filled from a search or a public request for an appointment (nothing typed twice).
    initial = {k: request.GET.get(k, "") for k in ("family_name", "given_name", "phone", "email")}
    form = PersonForm(request.POST or None, centres=centres, supervisor=supervisor, initial=initial)
    extra = {}
    if request.method == "POST" and form.is_valid():
        centre = form.cleaned_data.get("centre") or centres.first()
        person, extra = _save_person(request, form, centre=centre)
        if person is not None:
            messages.success(request, _("%(name)s was registered.") % {"name": person})
            # Reception's third screen: the person is here, log what they came for.
            return redirect("reception-contact-log", person_pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": None, **extra})


@require_GET
@login_required
def person_detail(request, pk: int):
    person = person_get_for(request.user, pk, request=request)
    consents = list(consent_list_for_person(person))
    context = {
        "person": person,
        "perms_supervise": scope_for(request.user).allows(Capability.SUPERVISE, person.centre_id),
        "panels": person_panels(request, person),
        "consents": consents,
        "household": household_members(person),
        "has_registration_consent": any(
            c.purpose == Consent.Purpose.REGISTRATION and is_in_force(c) for c in consents
        ),
    }
    return render(request, "people/person_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def person_edit(request, pk: int):
    person = person_get_for(request.user, pk, request=request, audit=request.method == "GET")
    supervisor = scope_for(request.user).allows(Capability.SUPERVISE, person.centre_id)
    form = PersonForm(request.POST or None, instance=person, supervisor=supervisor)
    extra = {}
    if request.method == "POST" and form.is_valid():
        person.refresh_from_db()
        saved, extra = _save_person(request, form, person=person)
        if saved is not None:
            messages.success(request, _("The changes were saved."))
            return redirect("people-person-detail", pk=saved.pk)
    return render(request, "people/person_form.html", {"form": form, "person": person, **extra})


@require_http_methods(["GET", "POST"])
@login_required
def consent_add(request, pk: int):
    person = person_get_for(request.user, pk, request=request, audit=request.method == "GET")
    # A refused referral links here with the purpose and the recipient filled in.
    initial = {k: request.GET[k] for k in ("purpose", "recipient_key") if request.GET.get(k)}
    form = ConsentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record(
                actor=request.user, person=person, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The consent was recorded."))
            return redirect("people-person-detail", pk=person.pk)
    return render(request, "people/consent_form.html", {"form": form, "person": person})


# What withdrawing a consent stops, said to the worker before they confirm.
WITHDRAWAL_STOPS = {
    Consent.Purpose.REGISTRATION: gettext_lazy(
        "No contact, appointment, case or referral can be recorded for the person any more; "
        "the record stays, and the person can be served with anonymous contacts."
    ),
    Consent.Purpose.REFERRAL_SHARING: gettext_lazy(
        "No referral that shares the person's details with this recipient can be sent; "
        "referrals already sent are not recalled."
    ),
    Consent.Purpose.CONTACT_SMS: gettext_lazy("The centre sends the person no more SMS messages."),
    Consent.Purpose.CONTACT_EMAIL: gettext_lazy("The centre sends the person no more e-mails."),
}


@require_http_methods(["GET", "POST"])
@login_required
def consent_withdraw(request, pk: int, consent_pk: int):
    """Ask for the reason and a confirmation, saying what the withdrawal stops."""
    person = person_get_for(request.user, pk, request=request, audit=request.method == "GET")
    consent = consent_get_for_person(person, consent_pk)
    form = ConsentWithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_withdraw(
                actor=request.user,
                consent=consent,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The consent was withdrawn."))
            return redirect("people-person-detail", pk=person.pk)
    context = {
        "form": form,
        "person": person,
        "consent": consent,
        "stops": WITHDRAWAL_STOPS.get(consent.purpose, ""),
    }
    return render(request, "people/consent_withdraw.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def household_edit(request, pk: int):
    person = person_get_for(request.user, pk, request=request, audit=request.method == "GET")
    form = HouseholdForm(request.POST or None)
    if request.method == "POST" and "leave" in request.POST:
        services.household_leave(actor=request.user, person=person, request=request)
        return redirect("people-person-detail", pk=person.pk)
    if request.method == "POST" and form.is_valid():
        other = None
        if form.cleaned_data["with_person"]:
            # Only someone the user may see can be named; anyone else is "not found".
            other = (
                person_list_for(request.user).filter(pk=form.cleaned_data["with_person"]).first()
            )
            if other is None:
                form.add_error("with_person", _("No such record in your centres."))
        if not form.errors:
            try:
                services.household_join(
                    actor=request.user,
                    person=person,
                    relationship=form.cleaned_data["relationship"],
                    with_person=other,
                    request=request,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The household was saved."))
                return redirect("people-person-detail", pk=person.pk)
    return render(
        request,
        "people/household_form.html",
        {"form": form, "person": person, "members": household_members(person)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def assignment_list(request):
    """The assignments to mediators at the centres the user supervises (with a form to add
    one and to record a settlement); a mediator sees their own."""
    scope = scope_for(request.user)
    supervised = scope.centre_ids(Capability.SUPERVISE)
    mine = list(my_assignments(request.user)) if not supervised else []
    if not supervised and not scope.has_any(Capability.PERSONAL_DATA):
        raise PermissionDenied
    settlements = settlement_list_for(request.user)
    mediators = (
        staff_holding(supervised, Capability.PERSONAL_DATA)
        .filter(role_assignments__role=Role.MEDIATOR, role_assignments__is_active=True)
        .distinct()
    )
    form = AssignmentForm(request.POST or None, mediators=mediators, settlements=settlements)
    settlement_form = SettlementForm(request.POST if "name" in request.POST else None)
    if request.method == "POST" and not supervised:
        raise PermissionDenied
    if request.method == "POST" and "name" in request.POST:
        if settlement_form.is_valid():
            try:
                services.settlement_create(
                    actor=request.user,
                    centre=min(supervised),
                    name=settlement_form.cleaned_data["name"],
                    request=request,
                )
            except ValidationError as exc:
                add_service_errors(settlement_form, exc)
            else:
                messages.success(request, _("The settlement was recorded."))
                return redirect("people-assignment-list")
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = household = None
        if data["person"]:
            person = person_list_for(request.user).filter(pk=data["person"]).first()
            if person is None:
                form.add_error("person", _("No such record in your centres."))
        if data["household"]:
            household = household_list_for(request.user).filter(pk=data["household"]).first()
            if household is None:
                form.add_error("household", _("No such household in your centres."))
        if not form.errors:
            try:
                services.assignment_create(
                    actor=request.user,
                    mediator=data["mediator"],
                    person=person,
                    household=household,
                    settlement=data["settlement"],
                    request=request,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The assignment was saved."))
                return redirect("people-assignment-list")
    assignments = list(assignment_list_for(request.user)) if supervised else mine
    persons = [a.person_id for a in assignments if a.person_id]
    if persons:
        persons_listed(
            request.user, action="mediator.assignments_read", persons=persons, request=request
        )
    context = {
        "assignments": assignments,
        "supervisor": bool(supervised),
        "form": form,
        "settlement_form": settlement_form,
        "settlements": settlements,
    }
    return render(request, "people/assignment_list.html", context)


@require_POST
@login_required
def assignment_end(request, pk: int):
    assignment = assignment_get_for(request.user, pk)
    services.assignment_end(actor=request.user, assignment=assignment, request=request)
    messages.success(request, _("The assignment has ended."))
    return redirect("people-assignment-list")
