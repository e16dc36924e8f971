"""Reads of group work and distributions, through the centre scope (accounts.scoping).

The activity report is aggregate: counts per kind of activity, attendees by category,
volunteers' hours and distribution figures, in a fixed number of queries whatever the
volume; a report over more than one centre has its small cells suppressed
(koinotita.lib.suppression), as monitoring's reports do."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from koinotita.accounts.scoping import Capability, restrict, scope_for
from koinotita.activities.models import (
    Activity,
    AnonymousCount,
    Attendance,
    AttendeeCategory,
    Distribution,
    Handout,
    HandoutLine,
    Item,
    Kind,
    Series,
    Volunteer,
    VolunteerHours,
)
from koinotita.audit.services import audit_record
from koinotita.lib.suppression import Table, suppress
from koinotita.organisations.models import Centre


def activity_list_for(user):
    """Activities of the user's centres (an activity names no person: its attendance is
    read through `attendance_list_for`)."""
    return restrict(
        Activity.objects.all(), user, Capability.PERSONAL_DATA, about_persons=False
    ).select_related("site", "series")


def attendance_list_for(user):
    return restrict(Attendance.objects.all(), user, Capability.PERSONAL_DATA, person_field="person")


def activity_get_for(user, pk: int, *, request=None, audit: bool = True) -> Activity:
    activity = activity_list_for(user).filter(pk=pk).first()
    if activity is None:
        raise Http404
    if audit:
        persons = list(
            attendance_list_for(user).filter(activity=activity).values_list("person_id", flat=True)
        )
        audit_record(
            action="activity.read",
            actor=user,
            obj=activity,
            request=request,
            detail={"persons": sorted(persons)},
        )
    return activity


def activity_attendees(user, activity: Activity):
    return (
        attendance_list_for(user)
        .filter(activity=activity)
        .select_related("person")
        .order_by("person__family_name", "person__given_name")
    )


def activity_anonymous(activity: Activity) -> dict[str, int]:
    return dict(
        AnonymousCount.objects.filter(activity=activity, centre_id=activity.centre_id).values_list(
            "category", "count"
        )
    )


def attendance_list_for_person(user, person):
    """The person's activities, newest first (the person already scope-checked)."""
    return (
        attendance_list_for(user)
        .filter(person=person, centre_id=person.centre_id)
        .select_related("activity", "activity__site")
        .order_by("-activity__date", "-pk")
    )


def series_list_for(user):
    return restrict(Series.objects.all(), user, Capability.PERSONAL_DATA, about_persons=False)


def volunteer_list_for(user):
    return restrict(
        Volunteer.objects.filter(is_active=True),
        user,
        Capability.PERSONAL_DATA,
        about_persons=False,
    ).order_by("name")


def distribution_list_for(user):
    return restrict(
        Distribution.objects.all(), user, Capability.PERSONAL_DATA, about_persons=False
    ).select_related("supplier", "site")


def distribution_get_for(user, pk: int) -> Distribution:
    distribution = distribution_list_for(user).filter(pk=pk).first()
    if distribution is None:
        raise Http404
    return distribution


@dataclass
class ItemFigures:
    item: Item
    received: int
    handed_out: int

    @property
    def left(self) -> int:
        return self.received - self.handed_out


@dataclass
class DistributionFigures:
    households: int
    acknowledged: int
    items: list[ItemFigures] = field(default_factory=list)


def distribution_figures(distribution: Distribution) -> DistributionFigures:
    """Households served, acknowledgements, and per item: received, handed out, left."""
    handouts = Handout.objects.filter(distribution=distribution, centre_id=distribution.centre_id)
    counts = handouts.aggregate(n=Count("pk"), ack=Count("pk", filter=Q(acknowledged=True)))
    out = dict(
        HandoutLine.objects.filter(
            handout__distribution=distribution, centre_id=distribution.centre_id
        )
        .values_list("item_id")
        .annotate(n=Sum("quantity"))
    )
    items = [
        ItemFigures(item, item.received, out.get(item.pk, 0))
        for item in Item.objects.filter(distribution=distribution).order_by("name")
    ]
    return DistributionFigures(counts["n"], counts["ack"], items)


def distribution_handouts(user, distribution: Distribution):
    return (
        restrict(
            Handout.objects.filter(distribution=distribution),
            user,
            Capability.PERSONAL_DATA,
            person_field="received_by",
        )
        .select_related("received_by")
        .prefetch_related("lines__item")
        .order_by("-recorded_at")
    )


# --- The activity report -----------------------------------------------------------------------


@dataclass
class ActivityReport:
    start: dt.date
    end: dt.date
    centre_ids: list[int]
    tables: list[Table]
    suppressed: bool


def report_centres(user, centre_code: str | None = None) -> list[int]:
    """The centres of the report: those the user supervises (or one of them)."""
    ids = scope_for(user).centre_ids(Capability.SUPERVISE)
    if not ids:
        raise Http404
    if centre_code:
        found = [
            cid
            for cid in restrict(
                Centre.objects.filter(code=centre_code),
                user,
                Capability.SUPERVISE,
                centre_field="pk",
            ).values_list("pk", flat=True)
        ]
        if not found:
            raise Http404
        return found
    return sorted(ids)


def activity_tables(centre_ids, start: dt.date, end: dt.date) -> list[Table]:
    """The report's tables over `centre_ids` (authorised by the caller): five queries."""
    ids = sorted(centre_ids)
    activities = Activity.objects.filter(centre_id__in=ids, date__gte=start, date__lte=end)
    by_kind = {
        row["kind"]: row
        for row in activities.values("kind").annotate(
            n=Count("pk"), minutes=Sum("minutes"), series=Count("series_id", distinct=True)
        )
    }
    attendance = {
        kind: (n, distinct)
        for kind, n, distinct in Attendance.objects.filter(
            centre_id__in=ids, activity__date__gte=start, activity__date__lte=end
        )
        .values_list("activity__kind")
        .annotate(n=Count("pk"), d=Count("person_id", distinct=True))
    }
    anonymous_rows = list(
        AnonymousCount.objects.filter(
            centre_id__in=ids, activity__date__gte=start, activity__date__lte=end
        )
        .values_list("activity__kind", "category")
        .annotate(n=Sum("count"))
    )
    anonymous_by_kind: dict[str, int] = {}
    anonymous_by_category: dict[str, int] = {}
    for kind, category, n in anonymous_rows:
        if category in (AttendeeCategory.WOMEN, AttendeeCategory.MEN):
            anonymous_by_kind[kind] = anonymous_by_kind.get(kind, 0) + n
        anonymous_by_category[category] = anonymous_by_category.get(category, 0) + n
    rows = []
    for code, label in Kind.choices:
        row = by_kind.get(code, {})
        registered, persons = attendance.get(code, (0, 0))
        anonymous = anonymous_by_kind.get(code, 0)
        rows.append(
            (
                str(label),
                [row.get("n", 0), registered, persons, anonymous, registered + anonymous],
            )
        )
    totals = [sum(r[1][i] for r in rows) for i in range(5)]
    totals[2] = Attendance.objects.filter(
        centre_id__in=ids, activity__date__gte=start, activity__date__lte=end
    ).aggregate(d=Count("person_id", distinct=True))["d"]
    rows.append((_("Total"), totals))
    kinds = Table(
        "activities",
        _("Group and community activities by kind"),
        [
            _("Activities"),
            _("Attendances of registered persons"),
            _("Registered persons"),
            _("Anonymous attendees"),
            _("Attendances"),
        ],
        rows,
        col_total=False,
        note=_("Anonymous attendees are counted by sex; the other categories are shown below."),
    )
    categories = Table(
        "anonymous",
        _("Anonymous attendees by category"),
        [_("Attendees")],
        [
            (str(label), [anonymous_by_category.get(code, 0)])
            for code, label in AttendeeCategory.choices
        ],
        note=_("An attendee may count in several categories."),
    )
    volunteering = VolunteerHours.objects.filter(
        centre_id__in=ids, activity__date__gte=start, activity__date__lte=end
    ).aggregate(v=Count("volunteer_id", distinct=True), h=Sum("hours"))
    volunteers = Table(
        "volunteers",
        _("Volunteers"),
        [_("Number")],
        [
            (_("Volunteers who gave hours"), [volunteering["v"] or 0]),
            (_("Hours given"), [int(volunteering["h"] or 0)]),
        ],
    )
    return [kinds, categories, volunteers]


def activity_report_for(
    user, *, start: dt.date, end: dt.date, centre_code: str | None = None, request=None
) -> ActivityReport:
    """The supervisor's activity report over their centres (or one of them); suppressed
    when it covers more than one centre."""
    ids = report_centres(user, centre_code)
    tables = activity_tables(ids, start, end)
    suppressed = len(ids) > 1
    if suppressed:
        for table in tables:
            suppress(table)
    audit_record(
        action="activity.report",
        actor=user,
        request=request,
        centre=ids[0] if len(ids) == 1 else None,
        detail={"from": start.isoformat(), "to": end.isoformat(), "centres": ids},
    )
    return ActivityReport(start, end, ids, tables, suppressed)


def activity_counts(centre_ids) -> dict:
    """The dashboard's counts over `centre_ids` (authorised by the caller): activities,
    attendances of registered persons, anonymous attendees (by sex). Three queries."""
    ids = sorted(centre_ids)
    return {
        "activities": Activity.objects.filter(centre_id__in=ids).count(),
        "registered": Attendance.objects.filter(centre_id__in=ids).count(),
        "anonymous": AnonymousCount.objects.filter(
            centre_id__in=ids, category__in=[AttendeeCategory.WOMEN, AttendeeCategory.MEN]
        ).aggregate(n=Sum("count"))["n"]
        or 0,
    }
