"""The monthly rollup and the dashboards read from it.

Dashboards at national volume (10M contacts) cannot count the contacts on every page view,
and the reception and cases apps' write paths are theirs; so `koinotita monitoring rollup`
(cron: every night, `--rebuild` once in a while) recomputes the monthly figures per centre
(and site) into RollupCell — in full, or the recent months only — and the dashboards read
nothing else, stating the time the rollup was made.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from koinotita.cases.models import Case
from koinotita.lib import spreadsheets
from koinotita.lib.dates import add_months, month_start
from koinotita.lib.suppression import Table, suppress
from koinotita.monitoring.models import RollupCell, RollupRun
from koinotita.people.models import Category, Person
from koinotita.reception.models import Contact, Service
from koinotita.referrals.models import Direction, Referral, State

M = RollupCell.Measure
DASHBOARD_MONTHS = 12


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _aware(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_default_timezone())


def _contacts(since: dt.date | None) -> list[RollupCell]:

    rows = Contact.objects.all()
    if since:
        rows = rows.filter(at__gte=_aware(since))
    rows = (
        rows.annotate(m=TruncMonth("at"))
        .values_list("centre_id", "site_id", "m", "channel")
        .annotate(n=Count("pk"))
    )
    return [
        RollupCell(centre_id=c, site_id=s, month=_as_date(m), measure=M.CONTACTS, key=k, value=n)
        for c, s, m, k, n in rows
    ]


def _services(since: dt.date | None) -> list[RollupCell]:

    rows = Contact.services.through.objects.all()
    if since:
        rows = rows.filter(contact__at__gte=_aware(since))
    rows = (
        rows.annotate(m=TruncMonth("contact__at"))
        .values_list("contact__centre_id", "contact__site_id", "m", "service__axis")
        .annotate(n=Count("pk"))
    )
    return [
        RollupCell(centre_id=c, site_id=s, month=_as_date(m), measure=M.SERVICES, key=k, value=n)
        for c, s, m, k, n in rows
    ]


def _referrals(since: dt.date | None) -> list[RollupCell]:

    rows = Referral.objects.filter(direction=Direction.OUTGOING, sent_at__isnull=False)
    if since:
        rows = rows.filter(sent_at__gte=_aware(since))
    rows = (
        rows.annotate(m=TruncMonth("sent_at"))
        .values_list("centre_id", "m", "state")
        .annotate(n=Count("pk"))
    )
    return [
        RollupCell(centre_id=c, month=_as_date(m), measure=M.REFERRALS, key=k, value=n)
        for c, m, k, n in rows
    ]


def _caseload(since: dt.date | None, today: dt.date) -> list[RollupCell]:
    """Cases open at the end of each month (one grouped query per month)."""

    first = since
    if first is None:
        earliest = Case.objects.order_by("opened_on").values_list("opened_on", flat=True).first()
        if earliest is None:
            return []
        first = month_start(earliest)
    cells, month = [], first
    while month <= today:
        end = add_months(month, 1) - dt.timedelta(days=1)
        rows = (
            Case.objects.filter(opened_on__lte=end)
            .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=end))
            .values_list("centre_id")
            .annotate(n=Count("pk"))
        )
        cells += [
            RollupCell(centre_id=c, month=month, measure=M.CASES_OPEN, key="open", value=n)
            for c, n in rows
        ]
        month = add_months(month, 1)
    return cells


def _persons(since: dt.date | None) -> list[RollupCell]:

    rows = Person.objects.filter(merged_into__isnull=True, anonymised_at__isnull=True)
    if since:
        rows = rows.filter(registered_at__gte=_aware(since))
    counts = {
        code: Count("pk", filter=Q(categories__icontains=f'"{code}"')) for code in Category.values
    }
    rows = rows.annotate(m=TruncMonth("registered_at")).values("centre_id", "m").annotate(**counts)
    cells = []
    for row in rows:
        for code in Category.values:
            if row[code]:
                cells.append(
                    RollupCell(
                        centre_id=row["centre_id"],
                        month=_as_date(row["m"]),
                        measure=M.PERSONS,
                        key=code,
                        value=row[code],
                    )
                )
    return cells


def rollup_refresh(*, rebuild: bool = False, months: int = 3) -> RollupRun:
    """Recompute the rollup: in full (`rebuild`), or the last `months` months (and this
    one). One transaction: the dashboards never see a half-made month."""
    started = timezone.now()
    today = timezone.localdate()
    since = None if rebuild else add_months(month_start(today), -months)
    with transaction.atomic():
        old = (
            RollupCell.objects.all()
            if since is None
            else RollupCell.objects.filter(month__gte=since)
        )
        old.delete()
        cells = _contacts(since) + _services(since) + _referrals(since)
        cells += _caseload(since, today) + _persons(since)
        RollupCell.objects.bulk_create(cells, batch_size=5000)
        run = RollupRun.objects.create(
            started_at=started,
            finished_at=timezone.now(),
            from_month=since,
            rebuild=rebuild,
            cells=len(cells),
        )
    return run


@dataclass
class Chart:
    key: str
    kind: str  # bar, line, doughnut
    table: Table

    def data(self) -> dict:
        rows = self.table.shown_rows()
        if self.table.col_total:
            rows = rows[:-1]  # the total is in the table, not drawn
        labels = [str(label) for label, _values in rows]
        values = [values[0] for _label, values in rows]
        return {
            "key": self.key,
            "type": self.kind,
            "title": str(self.table.title),
            "series": str(self.table.columns[0]),
            "labels": labels,
            "values": [v if isinstance(v, int) else None for v in values],
        }


@dataclass
class Dashboard:
    scope_label: str
    months: list[dt.date]
    charts: list[Chart] = field(default_factory=list)
    as_of: dt.datetime | None = None
    suppressed: bool = False

    def chart_data(self) -> dict:
        return {"charts": [c.data() for c in self.charts]}


def dashboard_for(report_scope) -> Dashboard:
    """The dashboard of an (authorised) scope: five charts, each with its table, from the
    rollup (one grouped query, and one for its date); suppressed like every figure that
    leaves a centre."""

    today = timezone.localdate()
    first = add_months(month_start(today), -(DASHBOARD_MONTHS - 1))
    months = [add_months(first, i) for i in range(DASHBOARD_MONTHS)]
    # One grouped pass over the scope's rollup: every figure of the five charts, by measure,
    # key and month (the persons by category over all months, the rest over the last 12).
    grid = (
        RollupCell.objects.filter(centre_id__in=report_scope.centre_ids)
        .filter(Q(month__gte=first) | Q(measure=M.PERSONS))
        .values_list("measure", "key", "month")
        .annotate(n=Sum("value"))
        .order_by()
    )
    per_month: dict[dt.date, int] = {}
    caseload: dict[dt.date, int] = {}
    totals: dict[str, dict[str, int]] = {m: {} for m in M.values}
    for measure, key, month, n in grid:
        month = _as_date(month)
        if measure == M.CONTACTS:
            per_month[month] = per_month.get(month, 0) + n
        elif measure == M.CASES_OPEN:
            caseload[month] = caseload.get(month, 0) + n
        totals[measure][key] = totals[measure].get(key, 0) + n
    month_label = [f"{m:%m/%Y}" for m in months]
    contacts_rows = [
        (label, [per_month.get(m, 0)]) for label, m in zip(month_label, months, strict=True)
    ]
    contacts_rows.append((_("Total"), [sum(r[1][0] for r in contacts_rows)]))
    persons = totals[M.PERSONS]
    axes = totals[M.SERVICES]
    referrals = totals[M.REFERRALS]
    tables = [
        ("contacts", "line", Table("contacts", _("Contacts per month"), [_("Contacts")],
                                   contacts_rows, col_total=True)),
        ("categories", "bar", Table("categories", _("Persons by category"), [_("Persons")],
                                    [(str(label), [persons.get(code, 0)])
                                     for code, label in Category.choices])),
        ("axes", "doughnut", Table("axes", _("Services by axis (last 12 months)"),
                                   [_("Services given")],
                                   [(str(label), [axes.get(code, 0)])
                                    for code, label in Service.Axis.choices]
                                   + [(_("Total"), [sum(axes.values())])], col_total=True)),
        ("referrals", "bar", Table("referrals", _("Referral outcomes (last 12 months)"),
                                   [_("Referrals")],
                                   [(str(s.label), [referrals.get(s.value, 0)])
                                    for s in State if s != State.DRAFT]
                                   + [(_("Total"), [sum(referrals.values())])],
                                   col_total=True)),
        ("caseload", "line", Table("caseload", _("Caseload: open cases at the end of the month"),
                                   [_("Open cases")],
                                   [(label, [caseload.get(m, 0)])
                                    for label, m in zip(month_label, months, strict=True)])),
    ]  # fmt: skip
    board = Dashboard(scope_label=report_scope.label, months=months)
    for key, kind, table in tables:
        if report_scope.suppress:
            suppress(table)
        board.charts.append(Chart(key, kind, table))
    board.suppressed = report_scope.suppress
    run = RollupRun.objects.first()
    board.as_of = run.finished_at if run else None
    return board


def dashboard_table_csv(board: Dashboard, key: str) -> tuple[bytes, str]:
    chart = next((c for c in board.charts if c.key == key), None)
    if chart is None:
        from django.http import Http404

        raise Http404
    rows = [[str(chart.table.title)], ["", *map(str, chart.table.columns)]]
    rows += [[label, *values] for label, values in chart.table.shown_rows()]
    return spreadsheets.csv_bytes(rows), f"koinotita-dashboard-{key}.csv"
