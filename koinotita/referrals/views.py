"""Referral pages: the centre's list and detail, the forms, the partner's inbox, the signed
link page (no login), the letter and the figures. Thin: a scoped getter, one service call."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from koinotita.accounts.scoping import Capability, scope_for
from koinotita.audit.services import audit_record
from koinotita.cases.selectors import case_get_for
from koinotita.lib.forms import add_service_errors
from koinotita.lib.uploads import accepts_files
from koinotita.people.selectors import person_get_for
from koinotita.referrals import exports, selectors, services
from koinotita.referrals.forms import (
    AttachmentForm,
    IncomingForm,
    LinkForm,
    ReferralForm,
    ServiceFilterForm,
    StepForm,
)
from koinotita.referrals.models import Direction, State, Via
from koinotita.referrals.rules import is_open, steps_for


def _require_case_files(user):
    if not scope_for(user).has_any(Capability.CASE_FILES):
        raise PermissionDenied


@require_GET
@login_required
def referral_list(request):
    _require_case_files(request.user)
    state = request.GET.get("state", "")
    direction = request.GET.get("direction", "")
    overdue = request.GET.get("overdue") == "1"
    page = selectors.referral_page_for(
        request.user,
        state=state,
        direction=direction,
        overdue=overdue,
        number=request.GET.get("page"),
        request=request,
    )
    context = {
        "page": page,
        "state": state,
        "direction": direction,
        "overdue": overdue,
        "states": State.choices,
        "directions": Direction.choices,
    }
    return render(request, "referrals/referral_list.html", context)


def _case_for(request, person):
    """The case a referral is made from (?case=ID), through the cases app's scoped getter."""
    case_pk = request.GET.get("case") or request.POST.get("case")
    if not case_pk:
        return None
    try:
        case = case_get_for(request.user, int(case_pk), audit=False)
    except (ValueError, TypeError):
        raise Http404 from None
    if case.person_id != person.pk:
        raise Http404
    return case


@require_http_methods(["GET", "POST"])
@login_required
def referral_new(request, person_pk: int):
    person = person_get_for(request.user, person_pk, request=request, audit=request.method == "GET")
    _require_case_files(request.user)
    case = _case_for(request, person)
    # From an application's page: the reason names it, the services are those of the need.
    prefill = selectors.referral_prefill(
        request.user,
        person,
        application_pk=request.GET.get("application", ""),
        need=request.GET.get("need", ""),
    )
    narrow = ServiceFilterForm(request.GET or None)
    need, everywhere = prefill["need"], ""
    if narrow.is_valid():
        need = narrow.cleaned_data["need"] or need
        everywhere = narrow.cleaned_data["everywhere"]
    where = None if everywhere else person.residence_municipality
    form = ReferralForm(
        request.POST or None,
        services=selectors.service_choices(
            municipality=where, need="" if request.method == "POST" else need
        ),
        consented=selectors.consent_keys(person),
        outcomes=selectors.service_outcomes(None),
        initial=prefill["initial"],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.referral_create(
                actor=request.user,
                person=person,
                service=data["service"],
                reason=data["reason"],
                urgency=data["urgency"],
                shared_fields=data["shared_fields"],
                response_due=data["response_due"],
                case=case,
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("The referral was saved as a draft."))
            return redirect("referrals-referral-detail", pk=referral.pk)
    context = {
        "form": form,
        "narrow": narrow,
        "person": person,
        "case": case,
        "consents": selectors.referral_consents(person),
    }
    return render(request, "referrals/referral_form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def referral_edit(request, pk: int):
    """Change a draft before it is sent; a referral already sent is not rewritten. Showing
    the form is a read of the referral (audited); saving it is audited by the service."""
    referral = selectors.referral_get_for(
        request.user, pk, request=request, audit=request.method == "GET"
    )
    if not selectors.referral_is_editable(referral):
        messages.error(
            request,
            _("A referral that is «%(state)s» can no longer be changed: only a draft can.")
            % {"state": referral.get_state_display()},
        )
        return redirect("referrals-referral-detail", pk=referral.pk)
    person = referral.person
    form = ReferralForm(
        request.POST or None,
        services=selectors.service_choices(),
        consented=selectors.consent_keys(person),
        outcomes=selectors.service_outcomes(None),
        initial=selectors.referral_form_initial(referral),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.referral_update(
                actor=request.user,
                referral=referral,
                service=data["service"],
                reason=data["reason"],
                urgency=data["urgency"],
                shared_fields=data["shared_fields"],
                response_due=data["response_due"],
                clear_response_due=data["response_due"] is None,
                request=request,
            )
        except services.StepNotAllowed as exc:
            _refused(request, exc)
            return redirect("referrals-referral-detail", pk=referral.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("The draft was saved."))
            return redirect("referrals-referral-detail", pk=referral.pk)
    context = {
        "form": form,
        "person": person,
        "referral": referral,
        "consents": selectors.referral_consents(person),
    }
    return render(request, "referrals/referral_form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def referral_incoming_new(request, person_pk: int):
    person = person_get_for(request.user, person_pk, request=request, audit=request.method == "GET")
    _require_case_files(request.user)
    form = IncomingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_record_incoming(
                actor=request.user, person=person, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("The incoming referral was recorded."))
            return redirect("referrals-referral-detail", pk=referral.pk)
    return render(request, "referrals/incoming_form.html", {"form": form, "person": person})


@require_GET
@login_required
def person_referrals(request, person_pk: int):
    """The referrals of a person: a fragment for the person page (htmx), or a page."""
    person = person_get_for(request.user, person_pk, request=request, audit=False)
    if not scope_for(request.user).allows(Capability.CASE_FILES, person.centre_id):
        raise Http404
    context = {
        "person": person,
        "referrals": selectors.referral_page_for_person(request.user, person, request=request),
        "can_refer": True,
    }
    template = (
        "referrals/_person_referrals.html"
        if request.headers.get("HX-Request")
        else "referrals/person_referrals.html"
    )
    return render(request, template, context)


def _steps(referral, *, partner: bool):
    """The steps shown as forms: sending a draft has its own button."""
    return [step for step in steps_for(referral.state, partner=partner) if step.state != State.SENT]


@require_GET
@login_required
def referral_detail(request, pk: int):
    referral = selectors.referral_get_for(request.user, pk, request=request)
    context = {
        "referral": referral,
        "events": selectors.referral_events(referral),
        "attachments": selectors.attachment_list(referral),
        "links": selectors.link_list(referral),
        "steps": _steps(referral, partner=False),
        "current_state": referral.state,
        "is_open": is_open(referral),
        "can_send": referral.state == State.DRAFT,
        "can_edit": selectors.referral_is_editable(referral),
        "consent": selectors.consent_for_recipient(referral.person, referral.organization)
        if referral.state == State.DRAFT
        else referral.consent,
        "shared_labels": selectors.shared_labels(referral),
        "overdue": selectors.is_overdue(referral),
        "step_form": StepForm(),
        "attachment_form": AttachmentForm(),
        "link_form": LinkForm(initial={"email": selectors.recipient_email(referral)}),
    }
    return render(request, "referrals/referral_detail.html", context)


def _refused(request, exc: services.StepNotAllowed):
    messages.error(request, exc.message)


@require_POST
@login_required
def referral_send(request, pk: int):
    referral = selectors.referral_get_for(request.user, pk, audit=False)
    try:
        services.referral_send(actor=request.user, referral=referral, request=request)
    except services.StepNotAllowed as exc:
        _refused(request, exc)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The referral was sent with protocol number %(number)s.")
            % {"number": referral.protocol_number},
        )
    return redirect("referrals-referral-detail", pk=referral.pk)


def _take_step(request, referral, *, via):
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown step."))
        return False
    try:
        services.referral_step(actor=request.user, referral=referral, via=via, request=request,
                               **form.cleaned_data)  # fmt: skip
    except services.StepNotAllowed as exc:
        _refused(request, exc)
        return False
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    messages.success(
        request, _("The referral is now «%(state)s».") % {"state": referral.get_state_display()}
    )
    return True


@require_POST
@login_required
def referral_step(request, pk: int):
    referral = selectors.referral_get_for(request.user, pk, audit=False)
    _take_step(request, referral, via=Via.CENTRE)
    return redirect("referrals-referral-detail", pk=referral.pk)


@accepts_files
@require_POST
@login_required
def attachment_upload(request, pk: int):
    referral = selectors.referral_get_for(request.user, pk, audit=False)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file."))
    else:
        try:
            services.attachment_add(
                actor=request.user,
                referral=referral,
                upload=form.cleaned_data["file"],
                request=request,
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The document was attached."))
    return redirect("referrals-referral-detail", pk=referral.pk)


@require_GET
@login_required
def attachment_download(request, pk: int, attachment_pk: int):
    attachment = selectors.attachment_get_for(request.user, pk, attachment_pk, request=request)
    path = services.attachment_path(attachment)
    if not path.exists():
        raise Http404
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@require_POST
@login_required
def link_create(request, pk: int):
    referral = selectors.referral_get_for(request.user, pk, audit=False)
    form = LinkForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    else:
        try:
            services.link_create(
                actor=request.user,
                referral=referral,
                email=form.cleaned_data["email"],
                days=form.cleaned_data["days"],
                request=request,
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("A link was e-mailed to %(email)s.") % {"email": form.cleaned_data["email"]},
            )
    return redirect("referrals-referral-detail", pk=referral.pk)


@require_POST
@login_required
def link_revoke(request, pk: int, link_pk: int):
    referral = selectors.referral_get_for(request.user, pk, audit=False)
    link = selectors.link_list(referral).filter(pk=link_pk).first()
    if link is None:
        raise Http404
    services.link_revoke(actor=request.user, link=link, request=request)
    messages.success(request, _("The link was revoked: it no longer opens."))
    return redirect("referrals-referral-detail", pk=referral.pk)


@require_GET
@login_required
def referral_letter(request, pk: int):
    referral = selectors.referral_get_for(request.user, pk, audit=False)
    try:
        letter = services.referral_letter(actor=request.user, referral=referral, request=request)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("referrals-referral-detail", pk=referral.pk)
    response = HttpResponse(letter.content, content_type=letter.content_type)
    response["Content-Disposition"] = f'inline; filename="{letter.filename}"'
    return response


# --- partner inbox ---------------------------------------------------------------------------


def _require_partner(user):
    if not selectors.partner_organization_ids(user):
        raise PermissionDenied


@require_GET
@login_required
def inbox(request):
    _require_partner(request.user)
    state = request.GET.get("state", "")
    page = selectors.inbox_page_for(
        request.user, state=state, number=request.GET.get("page"), request=request
    )
    rows = [selectors.inbox_row(r) for r in page]
    return render(
        request,
        "referrals/inbox.html",
        {"page": page, "rows": rows, "state": state, "states": State.choices},
    )


@require_GET
@login_required
def inbox_detail(request, pk: int):
    referral = selectors.referral_get_for_partner(request.user, pk, request=request)
    context = {
        "view": selectors.shared_view(referral),
        "steps": _steps(referral, partner=True),
        "current_state": referral.state,
        "step_form": StepForm(),
    }
    return render(request, "referrals/inbox_detail.html", context)


@require_POST
@login_required
def inbox_step(request, pk: int):
    referral = selectors.referral_inbox_for(request.user).filter(pk=pk).first()
    if referral is None:
        raise Http404
    _take_step(request, referral, via=Via.PARTNER)
    return redirect("referrals-inbox-detail", pk=pk)


# --- the signed link (no login) ---------------------------------------------------------------


def _link_refused(request):
    return render(request, "referrals/link_refused.html", status=403)


@csrf_protect
@require_http_methods(["GET", "POST"])
def link_page(request, token: str):
    form = StepForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.link_answer(token=token, request=request, **form.cleaned_data)
            except services.LinkRefused:
                return _link_refused(request)
            except services.StepNotAllowed as exc:
                messages.error(request, exc.message)
                status = 409
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
                status = 422
            else:
                messages.success(request, _("Thank you: your answer was recorded."))
                return redirect("referrals-link", token=token)
        else:
            messages.error(request, _("Unknown step."))
            status = 422
    try:
        link = services.link_open(token=token, request=request)
    except services.LinkRefused:
        return _link_refused(request)
    referral = link.referral
    context = {
        "view": selectors.shared_view(referral),
        "attachment_url": "referrals-link-attachment",
        "steps": _steps(referral, partner=True),
        "current_state": referral.state,
        "step_form": form if status != 200 else StepForm(),
        "token": token,
        "link": link,
    }
    response = render(request, "referrals/link_page.html", context, status=status)
    response["Referrer-Policy"] = "same-origin"  # never leak the token to another site
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def link_attachment(request, token: str, attachment_pk: int):
    try:
        attachment = services.link_attachment(token=token, pk=attachment_pk, request=request)
    except services.LinkRefused:
        return _link_refused(request)
    path = services.attachment_path(attachment)
    if not path.exists():
        raise Http404
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


# --- figures -------------------------------------------------------------------------------


def _require_supervisor(user):
    if not scope_for(user).has_any(Capability.SUPERVISE):
        raise PermissionDenied


@require_GET
@login_required
def figures(request):
    _require_supervisor(request.user)
    by = "service" if request.GET.get("by") == "service" else "organization"
    rows = selectors.referral_figures_for(request.user, by=by)
    return render(request, "referrals/figures.html", {"rows": rows, "by": by})


@require_GET
@login_required
def figures_export(request, fmt: str):
    _require_supervisor(request.user)
    if fmt not in exports.FORMATS:
        raise Http404
    by = "service" if request.GET.get("by") == "service" else "organization"
    rows = selectors.referral_figures_for(request.user, by=by)
    export = exports.figures_export(rows, by=by, fmt=fmt)
    audit_record(
        action="referral.figures_exported",
        actor=request.user,
        request=request,
        detail={"format": fmt, "by": by},
    )
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response
