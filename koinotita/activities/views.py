"""Pages of group work and aid distributions: thin views over the services and selectors."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from koinotita.accounts.scoping import Capability, centres_for, scope_for
from koinotita.activities import selectors, services
from koinotita.activities.forms import (
    ActivityForm,
    AttendeeForm,
    CountsForm,
    DistributionForm,
    HandoutForm,
    HoursForm,
    StockForm,
    VolunteerForm,
)
from koinotita.lib.forms import add_service_errors, flash_errors
from koinotita.people.selectors import person_get_for, person_list_for, persons_listed
from koinotita.reception.selectors import site_list_for


def _centre(user):
    centre = centres_for(user, Capability.PERSONAL_DATA).order_by("pk").first()
    if centre is None:
        raise PermissionDenied
    return centre


@require_GET
@login_required
def activity_list(request):
    _centre(request.user)
    activities = selectors.activity_list_for(request.user).order_by("-date", "-pk")[:100]
    counts = selectors.activity_counts(scope_for(request.user).centre_ids(Capability.PERSONAL_DATA))
    return render(
        request, "activities/activity_list.html", {"activities": activities, "counts": counts}
    )


@require_http_methods(["GET", "POST"])
@login_required
def activity_create(request):
    centre = _centre(request.user)
    form = ActivityForm(
        request.POST or None,
        sites=site_list_for(request.user),
        series=selectors.series_list_for(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity = services.activity_create(
                actor=request.user,
                centre=data["site"].centre_id if data["site"] else centre,
                request=request,
                **{k: v for k, v in data.items()},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The activity was recorded."))
            return redirect("activities-activity-detail", pk=activity.pk)
    return render(request, "activities/activity_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def activity_detail(request, pk: int):
    activity = selectors.activity_get_for(
        request.user, pk, request=request, audit=request.method == "GET"
    )
    volunteers = selectors.volunteer_list_for(request.user).filter(centre_id=activity.centre_id)
    if request.method == "POST":
        try:
            if "person" in request.POST:
                form = AttendeeForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Give the person's number."))
                person = (
                    person_list_for(request.user).filter(pk=form.cleaned_data["person"]).first()
                )
                if person is None:
                    raise ValidationError(_("No such record in your centres."))
                services.attendance_record(
                    actor=request.user, activity=activity, persons=[person], request=request
                )
            elif "volunteer" in request.POST:
                form = HoursForm(request.POST, volunteers=volunteers)
                if not form.is_valid():
                    raise ValidationError(_("Choose a volunteer and give the hours."))
                services.volunteer_hours_add(
                    actor=request.user, activity=activity, request=request, **form.cleaned_data
                )
            else:
                counts = {k: request.POST.get(k, "") for k in CountsForm().fields}
                services.anonymous_counts_set(
                    actor=request.user, activity=activity, counts=counts, request=request
                )
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Saved."))
        return redirect("activities-activity-detail", pk=activity.pk)
    anonymous = selectors.activity_anonymous(activity)
    context = {
        "activity": activity,
        "attendees": selectors.activity_attendees(request.user, activity),
        "counts_form": CountsForm(initial_counts=anonymous),
        "attendee_form": AttendeeForm(),
        "hours_form": HoursForm(volunteers=volunteers),
        "volunteering": activity.volunteering.select_related("volunteer"),
    }
    return render(request, "activities/activity_detail.html", context)


@require_GET
@login_required
def person_activities(request, person_pk: int):
    """The person's activities: a fragment for the person page (htmx), or a page."""
    person = person_get_for(request.user, person_pk, request=request)
    context = {
        "person": person,
        "attendances": selectors.attendance_list_for_person(request.user, person)[:50],
    }
    template = (
        "activities/_person_activities.html"
        if request.headers.get("HX-Request")
        else "activities/person_activities.html"
    )
    return render(request, template, context)


def _period(request) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    try:
        start = dt.date.fromisoformat(request.GET.get("from") or f"{today.year}-01-01")
        end = dt.date.fromisoformat(request.GET.get("to") or today.isoformat())
    except ValueError:
        raise ValidationError(_("Give the dates as YYYY-MM-DD.")) from None
    if end < start:
        raise ValidationError(_("The period ends before it starts."))
    return start, end


@require_GET
@login_required
def activity_report(request):
    try:
        start, end = _period(request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        today = timezone.localdate()
        start, end = dt.date(today.year, 1, 1), today
    try:
        report = selectors.activity_report_for(
            request.user,
            start=start,
            end=end,
            centre_code=request.GET.get("centre") or None,
            request=request,
        )
    except Http404:
        raise PermissionDenied from None
    return render(request, "activities/report.html", {"report": report})


@require_http_methods(["GET", "POST"])
@login_required
def volunteer_list(request):
    centre = _centre(request.user)
    form = VolunteerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.volunteer_register(
                actor=request.user, centre=centre, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The volunteer was registered."))
            return redirect("activities-volunteer-list")
    volunteers = selectors.volunteer_list_for(request.user)
    return render(request, "activities/volunteers.html", {"form": form, "volunteers": volunteers})


@require_http_methods(["GET", "POST"])
@login_required
def distribution_list(request):
    centre = _centre(request.user)
    form = DistributionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            distribution = services.distribution_create(
                actor=request.user, centre=centre, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("activities-distribution-detail", pk=distribution.pk)
    distributions = selectors.distribution_list_for(request.user).order_by("-date")[:100]
    return render(
        request, "activities/distributions.html", {"form": form, "distributions": distributions}
    )


@require_http_methods(["GET", "POST"])
@login_required
def distribution_detail(request, pk: int):
    distribution = selectors.distribution_get_for(request.user, pk)
    items = list(distribution.items.order_by("name"))
    if request.method == "POST":
        try:
            if "name" in request.POST:
                form = StockForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Give the item and a quantity above 0."))
                services.stock_receive(
                    actor=request.user, distribution=distribution, request=request,
                    **form.cleaned_data,
                )  # fmt: skip
            else:
                form = HandoutForm(request.POST, items=items)
                if not form.is_valid():
                    raise ValidationError(_("Give the recipient's number and whole quantities."))
                person = (
                    person_list_for(request.user).filter(pk=form.cleaned_data["person"]).first()
                )
                if person is None:
                    raise ValidationError(_("No such record in your centres."))
                quantities = {
                    item.pk: form.cleaned_data.get(f"item_{item.pk}") or 0 for item in items
                }
                services.handout_record(
                    actor=request.user,
                    distribution=distribution,
                    person=person,
                    quantities=quantities,
                    acknowledged=form.cleaned_data["acknowledged"],
                    request=request,
                )
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Saved."))
        return redirect("activities-distribution-detail", pk=distribution.pk)
    handouts = list(selectors.distribution_handouts(request.user, distribution))
    persons_listed(
        request.user,
        action="distribution.read",
        persons=[h.received_by_id for h in handouts],
        request=request,
        centre=distribution.centre_id,
        detail={"distribution": distribution.pk},
    )

    context = {
        "distribution": distribution,
        "figures": selectors.distribution_figures(distribution),
        "handouts": handouts,
        "stock_form": StockForm(),
        "handout_form": HandoutForm(items=items),
    }
    return render(request, "activities/distribution_detail.html", context)
