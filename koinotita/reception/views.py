from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from koinotita.accounts.scoping import Capability, scope_for
from koinotita.lib.forms import add_service_errors
from koinotita.people.selectors import person_get_for
from koinotita.reception import services
from koinotita.reception.appointment_forms import (
    AppointmentForm,
    CalendarDayForm,
    RequestAnswerForm,
)
from koinotita.reception.forms import ContactForm
from koinotita.reception.selectors import (
    appointment_day_for,
    appointment_get_for,
    appointment_request_candidates,
    appointment_request_get_for,
    appointment_request_list_for,
    appointment_week_for,
    request_refusals_for,
    service_catalogue,
    site_get_for,
    site_list_for,
    staff_get_for,
    staff_list_for,
    week_start,
)


@login_required
@require_http_methods(["GET", "POST"])
def contact_log(request, person_pk: int):
    person = person_get_for(request.user, person_pk, request=request, audit=request.method == "GET")
    sites = site_list_for(request.user).filter(centre_id=person.centre_id)
    form = ContactForm(request.POST or None, sites=sites, services=service_catalogue())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.contact_log(
                actor=request.user,
                site=data["site"],
                persons=[person],
                at=data["at"],
                channel=data["channel"],
                services=data["services"],
                request_text=data["request_text"],
                minutes=data["minutes"],
                note=data["note"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The contact was logged."))
            return redirect("people-person-detail", pk=person.pk)
    return render(request, "reception/contact_form.html", {"form": form, "person": person})


@login_required
@require_http_methods(["GET", "POST"])
def contact_log_anonymous(request):
    sites = site_list_for(request.user)
    if not sites.exists():
        return render(request, "403.html", status=403)
    form = ContactForm(
        request.POST or None, sites=sites, services=service_catalogue(), anonymous=True
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.contact_log_anonymous(
                actor=request.user,
                site=data["site"],
                at=data["at"],
                channel=data["channel"],
                services=data["services"],
                minutes=data["minutes"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The anonymous contact was counted."))
            return redirect("people-person-search")
    return render(request, "reception/contact_form.html", {"form": form, "person": None})


# --- Appointments -----------------------------------------------------------------------------


def _staff_day_url(staff_id: int, day) -> str:
    url = reverse("reception-appointment-staff-day", args=[staff_id])
    return f"{url}?date={day:%Y-%m-%d}"


def _next_or(request, fallback: str) -> str:
    """Where to go after a button: the page it was pressed on, if it is one of ours."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
@require_GET
def appointment_index(request):
    """Choose a calendar: a site's or a staff member's, for a day or a week."""
    if not scope_for(request.user).has_any(Capability.PERSONAL_DATA):
        raise PermissionDenied
    staff = list(staff_list_for(request.user)[:200])
    context = {
        "sites": site_list_for(request.user),
        "staff": staff,
        "is_staff_member": any(s.pk == request.user.pk for s in staff),
        "today": timezone.localdate(),
    }
    return render(request, "reception/appointment_index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def appointment_book(request, person_pk: int):
    person = person_get_for(request.user, person_pk, request=request, audit=request.method == "GET")
    form = AppointmentForm(
        request.POST or None,
        sites=site_list_for(request.user).filter(centre_id=person.centre_id),
        staff=staff_list_for(request.user, [person.centre_id]),
        initial={k: request.GET[k] for k in ("staff", "site", "day", "time") if k in request.GET},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appointment = services.appointment_book(
                actor=request.user,
                person=person,
                staff=data["staff"],
                site=data["site"],
                starts_at=form.starts_at,
                duration=data["duration"],
                purpose=data["purpose"],
                request=request,
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _("%(name)s was booked on %(when)s.")
                % {
                    "name": person,
                    "when": timezone.localtime(appointment.starts_at).strftime("%d/%m/%Y %H:%M"),
                },
            )
            return redirect(_staff_day_url(appointment.staff_id, data["day"]))
    return render(request, "reception/appointment_form.html", {"form": form, "person": person})


@login_required
@require_GET
def appointment_detail(request, pk: int):
    appointment = appointment_get_for(request.user, pk, request=request, audit=True)
    context = {
        "appointment": appointment,
        "is_booked": appointment.status == appointment.Status.BOOKED,
        "has_started": appointment.starts_at <= timezone.now(),
    }
    return render(request, "reception/appointment_detail.html", context)


@login_required
@require_POST
def appointment_check_in(request, pk: int):
    appointment = appointment_get_for(request.user, pk)
    try:
        services.appointment_check_in(actor=request.user, appointment=appointment, request=request)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("reception-appointment-detail", pk=appointment.pk)
    messages.success(
        request,
        _("%(name)s has arrived; the contact was logged.") % {"name": appointment.person},
    )
    return redirect("people-person-detail", pk=appointment.person_id)


def _change_status(request, pk: int, service, done: str):
    appointment = appointment_get_for(request.user, pk)
    try:
        service(actor=request.user, appointment=appointment, request=request)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    fallback = reverse("reception-appointment-detail", args=[appointment.pk])
    return redirect(_next_or(request, fallback))


@login_required
@require_POST
def appointment_cancel(request, pk: int):
    return _change_status(
        request, pk, services.appointment_cancel, _("The appointment was cancelled.")
    )


@login_required
@require_POST
def appointment_no_show(request, pk: int):
    return _change_status(
        request,
        pk,
        services.appointment_mark_no_show,
        _("The appointment was marked as missed."),
    )


def _calendar_page(request, *, week: bool, staff=None, site=None):
    picker = CalendarDayForm(request.GET or None)
    day = picker.day()
    kind, owner = ("staff", staff) if staff is not None else ("site", site)
    if week:
        first = week_start(day)
        days = appointment_week_for(request.user, day=day, staff=staff, site=site, request=request)
        context = {"days": days, "first": first, "last": first + timedelta(days=6)}
        step = timedelta(days=7)
    else:
        appointments = appointment_day_for(
            request.user, day=day, staff=staff, site=site, request=request
        )
        context = {"appointments": appointments}
        step = timedelta(days=1)
    context.update(
        {
            "picker": picker,
            "day": day,
            "today": timezone.localdate(),
            "previous": day - step,
            "next": day + step,
            "kind": kind,
            "owner": owner,
            "owner_name": (owner.get_full_name() or owner.get_username())
            if staff is not None
            else owner.label,
            "week": week,
            "day_url": reverse(f"reception-appointment-{kind}-day", args=[owner.pk]),
            "week_url": reverse(f"reception-appointment-{kind}-week", args=[owner.pk]),
        }
    )
    template = "reception/appointment_week.html" if week else "reception/appointment_day.html"
    return render(request, template, context)


@login_required
@require_GET
def appointment_staff_day(request, staff_pk: int):
    return _calendar_page(request, week=False, staff=staff_get_for(request.user, staff_pk))


@login_required
@require_GET
def appointment_staff_week(request, staff_pk: int):
    return _calendar_page(request, week=True, staff=staff_get_for(request.user, staff_pk))


@login_required
@require_GET
def appointment_site_day(request, site_pk: int):
    return _calendar_page(request, week=False, site=site_get_for(request.user, site_pk))


@login_required
@require_GET
def appointment_site_week(request, site_pk: int):
    return _calendar_page(request, week=True, site=site_get_for(request.user, site_pk))


@login_required
@require_GET
def request_list(request):
    """The public requests for an appointment waiting at the user's centres."""
    if not scope_for(request.user).has_any(Capability.PERSONAL_DATA):
        raise PermissionDenied
    context = {
        "requests": appointment_request_list_for(request.user, request=request),
        "refusals": request_refusals_for(request.user, timezone.localdate()),
    }
    return render(request, "reception/request_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def request_detail(request, pk: int):
    """One public request: who may it be (persons of the centre with the same phone or
    e-mail, or register them), and the answer."""
    found = appointment_request_get_for(
        request.user, pk, request=request, audit=request.method == "GET"
    )
    form = RequestAnswerForm(
        request.POST or None,
        staff=staff_list_for(request.user, [found.centre_id]),
        initial={"person": request.GET.get("person")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["action"] == "confirm":
                person = person_get_for(request.user, data["person"], audit=False)
                appointment = services.appointment_request_confirm(
                    actor=request.user,
                    appointment_request=found,
                    person=person,
                    staff=data["staff"],
                    starts_at=form.starts_at,
                    duration=data["duration"],
                    note=data["note"],
                    request=request,
                )
                messages.success(request, _("The appointment was booked."))
                return redirect("reception-appointment-detail", pk=appointment.pk)
            if data["action"] == "propose":
                services.appointment_request_propose(
                    actor=request.user,
                    appointment_request=found,
                    at=form.starts_at,
                    note=data["note"],
                    request=request,
                )
                messages.success(request, _("The other time was proposed."))
            else:
                services.appointment_request_decline(
                    actor=request.user,
                    appointment_request=found,
                    note=data["note"],
                    request=request,
                )
                messages.success(request, _("The request was declined."))
            return redirect("reception-request-list")
        except Http404:
            form.add_error("person", _("There is no such person at this centre."))
        except ValidationError as exc:
            form.add_service_errors(exc)
    given, _sep, family = found.name.partition(" ")
    context = {
        "found": found,
        "form": form,
        "candidates": appointment_request_candidates(request.user, found),
        "register_query": urlencode(
            {
                "family_name": family or given,
                "given_name": given if family else "",
                "phone": found.phone,
                "email": found.email,
            }
        ),
    }
    return render(request, "reception/request_detail.html", context)
