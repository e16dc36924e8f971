from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from koinotita.accounts.admin_site import is_administrator
from koinotita.directory import services
from koinotita.directory.forms import (
    CapacityForm,
    DirectorySearchForm,
    ProtocolForm,
    ServiceCapacityForm,
)
from koinotita.directory.models import Need, Service, ServiceStatus
from koinotita.directory.plugins import service_figures
from koinotita.directory.selectors import (
    SEARCH_LIMIT,
    area_label,
    can_edit_directory,
    capacity_get,
    capacity_services_for,
    change_reports_open,
    editable_organisations,
    is_staff_of_a_centre,
    organisation_detail,
    protocol_centres_for,
    protocol_get_for,
    protocol_list_for,
    service_detail,
    service_search,
    services_to_verify,
    uuid_or_404,
    verification_due_before,
)
from koinotita.lib.forms import add_service_errors, flash_errors
from koinotita.lib.uploads import accepts_files
from koinotita.people.models import Category


def _search(request, *, public: bool):
    form = DirectorySearchForm(request.GET)
    results, criteria = [], {}
    if form.is_valid():
        data = form.cleaned_data
        criteria = {
            "text": data["q"],
            "need": data["need"],
            "category": data["category"],
            "municipality": data["municipality"],
            "accepting_referrals": True if data["accepting"] else None,
        }
        results = list(service_search(**criteria, limit=SEARCH_LIMIT + 1, listing=True))
        for service in results:
            service.areas_text = area_label(service)
    needs = dict(Need.choices)
    context = {
        "form": form,
        "services": results[:SEARCH_LIMIT],
        "more": len(results) > SEARCH_LIMIT,
        "limit": SEARCH_LIMIT,
        "needs": needs,
        "public": public,
    }
    if not public and not request.headers.get("HX-Request"):
        editable = editable_organisations(request.user)
        if editable.exists():
            context["to_verify"] = services_to_verify(
                request.user, today=timezone.localdate()
            ).count()
    template = "directory/_results.html" if request.headers.get("HX-Request") else None
    return render(request, template or "directory/search.html", context)


@login_required
@require_GET
def directory_search(request):
    """Staff: services by need, municipality and text."""
    return _search(request, public=False)


@require_GET
def public_search(request):
    """The public directory: no login, active services only, no personal data."""
    return _search(request, public=True)


def _service_context(service, request, *, public: bool) -> dict:
    areas = [
        area.municipality.label if area.municipality else area.name
        for area in service.service_areas.all()
    ]  # noqa: E501
    return {
        "service": service,
        "organization": service.organization,
        "needs": [label for code, label in Need.choices if code in service.needs],
        "categories": [
            label for code, label in Category.choices if code in service.eligibility_categories
        ],
        "areas": areas,
        "public": public,
    }


@require_GET
def public_service_detail(request, pk):
    service = service_detail(pk, active_only=True)
    return render(
        request, "directory/service_detail.html", _service_context(service, request, public=True)
    )


@login_required
@require_GET
def service_detail_view(request, pk):
    service = service_detail(pk)
    context = _service_context(service, request, public=False)
    context["protocols"] = protocol_list_for(request.user).filter(
        organization_id=service.organization_id
    )
    context["can_edit"] = can_edit_directory(request.user, service.organization)
    context["can_keep_capacity"] = services.can_keep_capacity(request.user, service)
    context["service_capacity_form"] = ServiceCapacityForm(initial={"back": "service"})
    if is_staff_of_a_centre(request.user):
        context["figures"] = service_figures([service.pk]).get(str(service.pk))
        context["show_figures"] = True
    context["capacity_form"] = CapacityForm(
        initial={
            "accepting_referrals": service.accepting_referrals,
            "wait_time_days": service.wait_time_days,
            "wait_time": service.wait_time,
        }
    )
    return render(request, "directory/service_detail.html", context)


@login_required
@require_GET
def organisation_detail_view(request, pk):
    organization = organisation_detail(pk)
    return render(
        request,
        "directory/organisation_detail.html",
        {
            "organization": organization,
            "protocols": protocol_list_for(request.user).filter(organization=organization),
            "can_edit": can_edit_directory(request.user, organization),
            "can_add_protocol": protocol_centres_for(request.user).exists(),
        },
    )


@login_required
@require_POST
def service_verify(request, pk):
    service = service_detail(pk)
    try:
        services.record_verify(record=service, actor=request.user, request=request)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("The service was marked as verified today."))
    return redirect("directory-service-detail", pk=service.pk)


@login_required
@require_POST
def organisation_verify(request, pk):
    organization = organisation_detail(pk)
    try:
        services.record_verify(record=organization, actor=request.user, request=request)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("The organisation was marked as verified today."))
    return redirect("directory-organisation-detail", pk=organization.pk)


@login_required
@require_POST
def service_capacity(request, pk):
    service = service_detail(pk)
    if not can_edit_directory(request.user, service.organization):
        raise Http404
    form = CapacityForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.service_capacity_set(
                service=service,
                actor=request.user,
                accepting_referrals=data["accepting_referrals"],
                wait_time_days=data["wait_time_days"],
                wait_time=data["wait_time"],
                request=request,
            )
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("The capacity of the service was saved."))
    else:
        flash_errors(request, form)
    return redirect("directory-service-detail", pk=service.pk)


@login_required
@require_GET
def protocol_list(request):
    protocols = protocol_list_for(request.user).order_by("-valid_from", "title")
    return render(
        request,
        "directory/protocol_list.html",
        {"protocols": protocols, "can_add": protocol_centres_for(request.user).exists()},
    )


@accepts_files
@login_required
@require_http_methods(["GET", "POST"])
def protocol_create(request):
    centres = protocol_centres_for(request.user)
    if not centres.exists():
        raise Http404
    form = ProtocolForm(
        request.POST or None,
        request.FILES or None,
        centres=centres,
        initial={"organization": request.GET.get("organization")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            protocol = services.protocol_save(
                protocol=form.save(commit=False), actor=request.user, request=request
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("The cooperation protocol was recorded."))
            return redirect("directory-organisation-detail", pk=protocol.organization_id)
    return render(request, "directory/protocol_form.html", {"form": form})


@login_required
@require_GET
def protocol_document(request, pk: int):
    protocol = protocol_get_for(request.user, pk)
    if not protocol.document:
        raise Http404
    try:
        handle = protocol.document.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = protocol.document.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)


# --- capacity (HSDS 3.1) -------------------------------------------------------------------


@login_required
@require_GET
def capacity_list(request):
    """The services whose capacity the user keeps (a partner's own, a supervisor's)."""
    rows = list(capacity_services_for(request.user)[:500])
    return render(
        request,
        "directory/capacity_list.html",
        {"services": rows, "form": ServiceCapacityForm(initial={"back": "list"})},
    )


def _capacity_back(service, back: str):
    if back == "list":
        return redirect("directory-capacity-list")
    return redirect("directory-service-detail", pk=service.pk)


@login_required
@require_POST
def service_capacity_save_view(request, pk):
    service = service_detail(pk)
    if not services.can_keep_capacity(request.user, service):
        raise Http404
    form = ServiceCapacityForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.service_capacity_save(
                service=service,
                actor=request.user,
                unit_name=data["unit"],
                available=data["available"],
                maximum=data["maximum"],
                description=data["description"],
                request=request,
            )
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("The capacity of the service was saved."))
    else:
        flash_errors(request, form)
    return _capacity_back(service, form.data.get("back", ""))


@login_required
@require_POST
def service_capacity_delete_view(request, pk):
    capacity = capacity_get(pk)
    service = capacity.service
    try:
        services.service_capacity_delete(capacity=capacity, actor=request.user, request=request)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("The capacity was removed."))
    return _capacity_back(service, request.POST.get("back", ""))


# --- verification: the supervisors' list and the partners' monthly link ---------------------


@login_required
@require_GET
def verification_list(request):
    """Services in the user's part of the directory that nobody has verified for twelve
    months, and the changes reported on them, each answered with one click."""
    if not editable_organisations(request.user).exists():
        raise PermissionDenied
    today = timezone.localdate()
    due = services_to_verify(request.user, today=today)
    return render(
        request,
        "directory/verification_list.html",
        {
            "services": list(due[:200]),
            "total": due.count(),
            "reports": list(change_reports_open(request.user)[:200]),
            "due_before": verification_due_before(today),
            "corrects": is_administrator(request.user),
        },
    )


@login_required
@require_POST
def verification_answer_view(request, pk):
    """One click on the verification list: "still right" verifies the service today;
    "changed" records what changed and opens the record to correct it."""
    service = service_detail(pk)
    if not can_edit_directory(request.user, service.organization):
        raise Http404
    try:
        if request.POST.get("answer") == "changed":
            services.service_change_report(
                service=service,
                actor=request.user,
                note=request.POST.get("note", ""),
                request=request,
            )
            if is_administrator(request.user):
                messages.success(request, _("The change was recorded: correct the record now."))
                return redirect("admin:directory_service_change", service.pk)
            messages.success(
                request,
                _("The change was recorded: an administrator corrects the record."),
            )
            return redirect("directory-verification")
        services.record_verify(record=service, actor=request.user, request=request)
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect("directory-verification")
    done = _("«%(name)s» was marked as verified today.") % {"name": service.name}
    messages.success(request, done)
    return redirect("directory-verification")


@csrf_protect
@require_http_methods(["GET", "POST"])
def verification_link(request, token: str):
    """The partner's monthly confirmation, without an account: each of their services,
    "still right" or "changed" (with what changed)."""
    try:
        vrequest = services.verification_resolve(token, request=request)
    except services.VerificationLinkRefused:
        return render(request, "directory/verification_refused.html", status=403)
    status = 200
    if request.method == "POST":
        try:
            service_pk = uuid_or_404(request.POST.get("service"))
        except Http404:
            service_pk = None
        service = Service.objects.filter(
            pk=service_pk, organization_id=vrequest.organization_id
        ).first()
        if service is None:
            messages.error(request, _("Unknown service."))
            status = 422
        else:
            try:
                services.verification_answer(
                    vrequest=vrequest,
                    service=service,
                    still_right=request.POST.get("answer") != "changed",
                    note=request.POST.get("note", ""),
                    request=request,
                )
            except services.VerificationLinkRefused:
                return render(request, "directory/verification_refused.html", status=403)
            except ValidationError as exc:
                flash_errors(request, exc)
                status = 422
            else:
                messages.success(request, _("Thank you: your answer was recorded."))
                return redirect("directory-verification-link", token=token)
    rows = Service.objects.filter(
        organization_id=vrequest.organization_id, status=ServiceStatus.ACTIVE
    ).order_by("name", "pk")
    return render(
        request,
        "directory/verification_link.html",
        {"vrequest": vrequest, "services": rows, "token": token},
        status=status,
    )
