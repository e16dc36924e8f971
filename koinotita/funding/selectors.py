"""Reads of grant operations, scoped through koinotita.accounts.scoping, and their figures.

Who sees an operation: the supervisors (and admins) of its centres, who may also change it,
and the monitors of its region (read only). Everybody else gets a 404. Operation figures
are not personal data, so the region view shows them in full.

All money is `Decimal` quantised to the cent; every total is the sum of the same quantised
amounts, so pages, exports, API and command agree to the cent.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    DateField,
    DecimalField,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koinotita.accounts.scoping import Capability, require, restrict
from koinotita.funding.formatting import euro_text, pct_text
from koinotita.funding.models import (
    CENT,
    Amendment,
    Category,
    Expenditure,
    Operation,
    OperationCentre,
    YearBudget,
)
from koinotita.organisations.models import Centre, Region

ZERO = Decimal("0.00")
ORDER = ("beneficiary__name", "start_date", "code")  # how lists of operations are sorted
# Spending more than this many percentage points ahead of (or behind) the plan is flagged.
PLAN_TOLERANCE = Decimal("10")
# Behind-plan is flagged only once this share of the time has passed (early months are slow).
BEHIND_AFTER_ELAPSED = Decimal("15")
END_NEAR_DAYS = 90
END_NEAR_MONEY_LEFT = Decimal("5")  # percent of the budget


def money(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


# --- Scope --------------------------------------------------------------------------------


def _funded_in(user, capability: Capability):
    return restrict(OperationCentre.objects.all(), user, capability).values("operation_id")


def operation_list_for(user) -> QuerySet[Operation]:
    """Operations the user may read: supervisors and admins of a funded centre, monitors."""
    readable = Q()
    for capability in (Capability.AGGREGATES, Capability.ADMINISTER):
        readable |= Q(pk__in=_funded_in(user, capability))
    return Operation.objects.filter(readable)


def operation_can_change(user, operation: Operation) -> bool:
    """Supervisors and admins of every centre the operation funds (municipality or above)."""
    centre_ids = [centre.pk for centre in operation.centre_list]
    if not centre_ids:
        return False
    return require(user, Capability.SUPERVISE, centre_ids) or require(
        user, Capability.ADMINISTER, centre_ids
    )


def centres_for_change(user) -> QuerySet[Centre]:
    """Centres whose operations the user may create and change (supervisor or admin)."""
    allowed = Q()
    for capability in (Capability.SUPERVISE, Capability.ADMINISTER):
        allowed |= Q(pk__in=restrict(Centre.objects.all(), user, capability, centre_field="pk"))
    return Centre.objects.filter(allowed, is_active=True).select_related("municipality")


def funding_home_action(scope) -> tuple[str, str, str] | None:
    """The home page's card for the funding pages: (title, description, url), or None."""
    if scope.has_any(Capability.SUPERVISE) or scope.has_any(Capability.ADMINISTER):
        return (
            _("Grant operations"),
            _("Budget, amendments, spending and forecast of the operations you run."),
            reverse("funding-operation-list"),
        )
    if scope.has_any(Capability.AGGREGATES):
        return (
            _("Operations of the region"),
            _("Budget, spending and warnings of every funded operation in your region."),
            reverse("funding-operation-list"),
        )
    return None


def _with_centres(operations: QuerySet[Operation], order: tuple[str, ...]) -> list[Operation]:
    """The operations with their centres in one query (a row per funded centre), then their
    amendments and yearly budgets (one query each)."""
    links = (
        OperationCentre.objects.filter(operation_id__in=operations.values("pk"))
        .select_related("operation__beneficiary__regional_unit__region", "centre")
        .order_by(*(f"operation__{field}" for field in order), "centre__name")
    )
    found: dict[int, Operation] = {}
    for link in links:
        operation = found.setdefault(link.operation_id, link.operation)
        if not hasattr(operation, "_centres"):
            operation._centres = []
        operation._centres.append(link.centre)
    result = list(found.values())
    prefetch_related_objects(
        result,
        Prefetch("amendments", queryset=Amendment.objects.order_by("seq")),
        Prefetch("year_budgets", queryset=YearBudget.objects.order_by("year", "category")),
    )
    return result


def operation_get_for(user, pk: int) -> Operation:
    """One operation the user may read (404 otherwise), with its centres, amendments and
    yearly budgets, in three queries."""
    found = _with_centres(operation_list_for(user).filter(pk=pk), ("pk",))
    if not found:
        raise Http404
    return found[0]


def region_list_for(user) -> list[Region]:
    ids = operation_list_for(user).values("beneficiary__regional_unit__region_id")
    return list(Region.objects.filter(pk__in=ids).order_by("name"))


def expenditure_list_for(user, operation: Operation) -> QuerySet[Expenditure]:
    """Expenditures of an operation already read through operation_get_for."""
    return (
        Expenditure.objects.filter(operation=operation)
        .select_related("reversed_by")
        .order_by("date", "pk")
    )


# --- Current state, derived from the amendment history ------------------------------------


@dataclass(frozen=True)
class Current:
    budget: Decimal
    end_date: dt.date


def operation_current(operation: Operation, amendments=None) -> Current:
    """The budget and end date in force: the initial ones, then each amendment in order."""
    budget, end = operation.initial_budget, operation.initial_end_date
    history = amendments if amendments is not None else operation.amendments.all()
    for amendment in sorted(history, key=lambda a: a.seq):
        budget, end = amendment.new_budget, amendment.new_end_date
    return Current(budget=money(budget), end_date=end)


def _latest(field_name: str):
    return Subquery(
        Amendment.objects.filter(operation=OuterRef("pk")).order_by("-seq").values(field_name)[:1]
    )


def with_current(queryset: QuerySet[Operation]) -> QuerySet[Operation]:
    """Annotate `cur_budget`, `cur_end` (from the latest amendment, else the initial ones)
    and `spent`, in the same query."""
    spent = (
        Expenditure.objects.counted()
        .filter(operation=OuterRef("pk"))
        .order_by()
        .values("operation")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    money_field = DecimalField(max_digits=14, decimal_places=2)
    return queryset.annotate(
        cur_budget=Coalesce(_latest("new_budget"), F("initial_budget"), output_field=money_field),
        cur_end=Coalesce(_latest("new_end_date"), F("initial_end_date"), output_field=DateField()),
        spent=Coalesce(Subquery(spent), Value(ZERO), output_field=money_field),
    )


# --- Figures ------------------------------------------------------------------------------


@dataclass
class Warning:
    code: str
    message: str

    @property
    def label(self) -> str:
        """A short name for tables (the message says the rest)."""
        return {
            "ahead": _("Ahead of plan"),
            "behind": _("Behind plan"),
            "end_near": _("Ends soon with money left"),
            "overrun": _("Budget runs out early"),
        }[self.code]


@dataclass
class YearRow:
    year: int
    budget: dict[str, Decimal]
    spent: dict[str, Decimal]
    budget_total: Decimal
    spent_total: Decimal

    @property
    def balance(self) -> Decimal:
        return self.budget_total - self.spent_total


@dataclass
class Figures:
    operation: Operation
    as_of: dt.date
    start: dt.date
    end: dt.date
    budget: Decimal
    spent: Decimal
    planned_to_date: Decimal
    elapsed_pct: Decimal
    spent_pct: Decimal
    planned_pct: Decimal
    burn_per_month: Decimal
    forecast_spent: Decimal
    forecast_balance: Decimal
    days_left: int
    by_category: dict[str, Decimal]
    years: list[YearRow] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)

    @property
    def balance(self) -> Decimal:
        return self.budget - self.spent

    @property
    def planned_total(self) -> Decimal:
        return sum((y.budget_total for y in self.years), ZERO)


def _pct(part: Decimal, whole: Decimal) -> Decimal:
    if not whole:
        return ZERO
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _days(a: dt.date, b: dt.date) -> int:
    return (b - a).days


def _planned_to_date(
    *, start: dt.date, end: dt.date, as_of: dt.date, budget: Decimal, year_totals: dict
) -> Decimal:
    """What the plan expected spent by `as_of`: each year's budget spread evenly over the
    part of that year inside the operation, or the whole budget evenly when no yearly
    budgets were set."""
    if as_of < start:
        return ZERO
    if not year_totals:
        total_days = _days(start, end) + 1
        done = min(_days(start, as_of) + 1, total_days)
        return money(budget * done / total_days)
    planned = ZERO
    for year, amount in year_totals.items():
        first = max(start, dt.date(year, 1, 1))
        last = min(end, dt.date(year, 12, 31))
        if last < first:  # a yearly budget outside the dates (after an amendment shortened it)
            if as_of >= dt.date(year, 1, 1):
                planned += amount
            continue
        if as_of >= last:
            planned += amount
        elif as_of >= first:
            planned += amount * (_days(first, as_of) + 1) / (_days(first, last) + 1)
    return money(planned)


def operation_figures(
    operation: Operation,
    *,
    expenditures_by: dict | None = None,
    as_of: dt.date | None = None,
) -> Figures:
    """Budget, spending, burn rate, forecast and warnings of one operation.

    `expenditures_by` maps (year, category) to the amount spent; when not given it is read
    with one grouped query. The operation must come with its amendments and yearly budgets
    prefetched (operation_get_for, or the region view's queryset).
    """
    today = as_of or timezone.localdate()
    current = operation_current(operation)
    start, end, budget = operation.start_date, current.end_date, current.budget
    if expenditures_by is None:
        expenditures_by = expenditure_totals([operation.pk]).get(operation.pk, {})
    year_budgets = list(operation.year_budgets.all())
    years = sorted({y.year for y in year_budgets} | {year for year, _category in expenditures_by})
    rows = []
    by_category = {c: ZERO for c in Category.values}
    year_totals: dict[int, Decimal] = {}
    for year in years:
        b = {c: ZERO for c in Category.values}
        s = {c: ZERO for c in Category.values}
        for yb in year_budgets:
            if yb.year == year:
                b[yb.category] = money(yb.amount)
        for category in Category.values:
            s[category] = money(expenditures_by.get((year, category), ZERO))
            by_category[category] += s[category]
        row = YearRow(
            year=year,
            budget=b,
            spent=s,
            budget_total=sum(b.values(), ZERO),
            spent_total=sum(s.values(), ZERO),
        )
        rows.append(row)
        if row.budget_total:
            year_totals[year] = row.budget_total
    spent = sum(by_category.values(), ZERO)
    clock = min(max(today, start), end)
    total_days = _days(start, end) + 1
    elapsed_days = _days(start, clock) + 1 if today >= start else 0
    elapsed_pct = _pct(Decimal(elapsed_days), Decimal(total_days))
    planned = _planned_to_date(
        start=start, end=end, as_of=clock if today >= start else today, budget=budget,
        year_totals=year_totals,
    )  # fmt: skip
    if elapsed_days:
        per_day = spent / elapsed_days
        burn_per_month = money(per_day * Decimal("30.4375"))
        forecast_spent = money(spent + per_day * (total_days - elapsed_days))
    else:
        burn_per_month = ZERO
        forecast_spent = spent
    days_left = max(_days(today, end), 0)
    figures = Figures(
        operation=operation,
        as_of=today,
        start=start,
        end=end,
        budget=budget,
        spent=spent,
        planned_to_date=planned,
        elapsed_pct=elapsed_pct,
        spent_pct=_pct(spent, budget),
        planned_pct=_pct(planned, budget),
        burn_per_month=burn_per_month,
        forecast_spent=forecast_spent,
        forecast_balance=budget - forecast_spent,
        days_left=days_left,
        by_category=by_category,
        years=rows,
    )
    figures.warnings = _warnings(figures, today)
    return figures


def _warnings(f: Figures, today: dt.date) -> list[Warning]:
    found = []
    gap = f.spent_pct - f.planned_pct
    running = f.start <= today <= f.end
    if running and gap > PLAN_TOLERANCE:
        found.append(
            Warning(
                "ahead",
                _(
                    "Spending runs ahead of plan: %(spent)s of the budget spent against "
                    "%(planned)s planned by now."
                )
                % {"spent": pct_text(f.spent_pct), "planned": pct_text(f.planned_pct)},
            )
        )
    elif running and gap < -PLAN_TOLERANCE and f.elapsed_pct >= BEHIND_AFTER_ELAPSED:
        found.append(
            Warning(
                "behind",
                _(
                    "Spending runs behind plan: %(spent)s of the budget spent against "
                    "%(planned)s planned by now."
                )
                % {"spent": pct_text(f.spent_pct), "planned": pct_text(f.planned_pct)},
            )
        )
    left_pct = _pct(f.balance, f.budget)
    if today <= f.end and f.days_left <= END_NEAR_DAYS and left_pct > END_NEAR_MONEY_LEFT:
        found.append(
            Warning(
                "end_near",
                ngettext(
                    "The operation ends in %(days)d day with %(left)s of the budget "
                    "(%(amount)s) not yet spent.",
                    "The operation ends in %(days)d days with %(left)s of the budget "
                    "(%(amount)s) not yet spent.",
                    f.days_left,
                )
                % {"days": f.days_left, "left": pct_text(left_pct), "amount": euro_text(f.balance)},
            )
        )
    if f.forecast_balance < 0 and running:
        found.append(
            Warning(
                "overrun",
                _("At the present rate the budget runs out before the end date."),
            )
        )
    return found


def expenditure_totals(operation_ids) -> dict[int, dict[tuple[int, str], Decimal]]:
    """Spending per operation, year and category, in one grouped query."""
    from django.db.models.functions import ExtractYear

    rows = (
        Expenditure.objects.counted()
        .filter(operation_id__in=list(operation_ids))
        .annotate(year=ExtractYear("date"))
        .values("operation_id", "year", "category")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    result: dict[int, dict] = defaultdict(dict)
    for row in rows:
        result[row["operation_id"]][(row["year"], row["category"])] = money(row["total"])
    return result


@dataclass
class Spending:
    """An operation's spending from one grouped query: per (year, category), per month,
    and how many expenditures there are."""

    by_year_category: dict[tuple[int, str], Decimal]
    by_month: list[tuple[dt.date, Decimal]]
    count: int


def operation_spending(operation: Operation) -> Spending:
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    rows = (
        Expenditure.objects.filter(operation=operation)
        .annotate(month=TruncMonth("date"))
        .values("month", "category")
        # Reversed entries are listed (so counted for the table's pages) but spend nothing.
        .annotate(total=Sum("amount", filter=Q(reversed_at__isnull=True)), n=Count("pk"))
        .order_by("month", "category")
    )
    by_year_category: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    by_month: dict[dt.date, Decimal] = {}
    count = 0
    for row in rows:
        month = row["month"]
        if isinstance(month, dt.datetime):
            month = month.date()
        total = money(row["total"])
        by_year_category[(month.year, row["category"])] += total
        by_month[month] = by_month.get(month, ZERO) + total
        count += row["n"]
    return Spending(dict(by_year_category), sorted(by_month.items()), count)


def chart_data(figures: Figures, months: list[tuple[dt.date, Decimal]]) -> dict:
    """What the operation page's charts draw. Amounts as strings of exact decimals."""
    labels = [str(y.year) for y in figures.years]
    cumulative = []
    running = ZERO
    spent_by_month = dict(months)
    month = figures.start.replace(day=1)
    last = min(max(figures.as_of, figures.start), figures.end).replace(day=1)
    total_days = _days(figures.start, figures.end) + 1
    while month <= figures.end.replace(day=1):
        next_month = (month + dt.timedelta(days=32)).replace(day=1)
        running += spent_by_month.get(month, ZERO)
        upto = min(next_month - dt.timedelta(days=1), figures.end)
        share = Decimal(_days(figures.start, upto) + 1) / total_days
        cumulative.append(
            {
                "month": month.strftime("%Y-%m"),
                "spent": str(running) if month <= last else None,
                "time": str(money(figures.budget * share)),
            }
        )
        month = next_month
    return {
        "years": {
            "labels": labels,
            "budget": [str(y.budget_total) for y in figures.years],
            "spent": [str(y.spent_total) for y in figures.years],
        },
        "burn": cumulative,
        "labels": {
            "budget": _("Budget"),
            "spent": _("Spent"),
            "cumulative": _("Cumulative spending"),
            "time": _("Time elapsed (share of the budget)"),
        },
    }


# --- Region view --------------------------------------------------------------------------


@dataclass
class RegionOverview:
    region: Region
    rows: list[Figures]

    @property
    def budget(self) -> Decimal:
        return sum((f.budget for f in self.rows), ZERO)

    @property
    def spent(self) -> Decimal:
        return sum((f.spent for f in self.rows), ZERO)

    @property
    def balance(self) -> Decimal:
        return sum((f.balance for f in self.rows), ZERO)

    @property
    def forecast_balance(self) -> Decimal:
        return sum((f.forecast_balance for f in self.rows), ZERO)


def region_overview_for(user, code: str, *, as_of: dt.date | None = None) -> RegionOverview:
    """Every operation of the region the user may read, with its figures, in a fixed number
    of queries whatever the number of operations or expenditures; 404 when there is none."""
    operations = _with_centres(
        operation_list_for(user).filter(beneficiary__regional_unit__region__code=code), ORDER
    )
    if not operations:
        raise Http404
    totals = expenditure_totals(op.pk for op in operations)
    rows = [
        operation_figures(op, expenditures_by=totals.get(op.pk, {}), as_of=as_of)
        for op in operations
    ]
    return RegionOverview(region=operations[0].beneficiary.regional_unit.region, rows=rows)


def region_summary(region: Region, *, as_of: dt.date | None = None) -> dict:
    """The region's figures for an operator (`koinotita funding summary`): aggregates of
    operations, which hold no personal data."""
    operations = _with_centres(
        Operation.objects.filter(beneficiary__regional_unit__region=region), ORDER
    )
    totals = expenditure_totals(op.pk for op in operations)
    rows = [
        operation_figures(op, expenditures_by=totals.get(op.pk, {}), as_of=as_of)
        for op in operations
    ]
    overview = RegionOverview(region=region, rows=rows)
    return {
        "region": region.code,
        "as_of": (as_of or timezone.localdate()).isoformat(),
        "operations": [figures_dict(f) for f in rows],
        "totals": {
            "budget": str(overview.budget),
            "spent": str(overview.spent),
            "balance": str(overview.balance),
            "forecast_balance": str(overview.forecast_balance),
        },
    }


def figures_dict(f: Figures) -> dict:
    op = f.operation
    return {
        "id": op.pk,
        "code": op.code,
        "title": op.title,
        "beneficiary": op.beneficiary.code,
        "centres": [centre.code for centre in op.centre_list],
        "sample": op.is_sample,
        "start_date": f.start.isoformat(),
        "end_date": f.end.isoformat(),
        "budget": str(f.budget),
        "spent": str(f.spent),
        "balance": str(f.balance),
        "spent_pct": str(f.spent_pct),
        "elapsed_pct": str(f.elapsed_pct),
        "planned_to_date": str(f.planned_to_date),
        "burn_per_month": str(f.burn_per_month),
        "forecast_balance": str(f.forecast_balance),
        "warnings": [w.code for w in f.warnings],
    }
