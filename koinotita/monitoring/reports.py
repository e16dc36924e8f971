"""Reports for a period and a scope: the indicator table split by sex and the activity
report. Every figure is an SQL aggregate (GROUP BY / conditional counts) over the centres of
the scope, which the caller's selector has already authorised. Whatever leaves a centre goes
through koinotita.lib.suppression before anyone sees it."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koinotita.cases.models import Case
from koinotita.directory.models import OrganizationKind
from koinotita.lib.suppression import Table, suppress
from koinotita.monitoring.engine import (
    ANONYMOUS,
    COMPLETE,
    LEAVERS,
    LEAVERS_ANONYMOUS,
    LEAVERS_COMPLETE,
    PARTICIPANTS,
    IndicatorFigures,
    indicators_compute,
)
from koinotita.monitoring.indicators import IndicatorSet, indicator_set
from koinotita.monitoring.validation import Validation, completeness, report_validate
from koinotita.organisations.models import Site
from koinotita.people.models import Category, Person
from koinotita.reception.models import Channel, Contact, ContactPerson, Service
from koinotita.referrals.models import Direction, Referral, State

SEX_LABELS = {
    "F": gettext_lazy("Women"),
    "M": gettext_lazy("Men"),
    "X": gettext_lazy("Non-binary"),
}


def sex_columns(indicator_set: IndicatorSet) -> list[str]:
    """The set's values of sex, then "U" (other or not stated), then the total."""
    other = _("Not stated") if "X" in indicator_set.sexes else _("Other or not stated")
    return [str(SEX_LABELS[s]) for s in indicator_set.sexes] + [other, _("Total")]


def _sex_row(figures: IndicatorFigures, code: str, indicator_set: IndicatorSet) -> list[int]:
    values = [figures.get(code, sex) for sex in indicator_set.columns]
    return [*values, sum(values)]


def indicator_tables(figures: IndicatorFigures, indicator_set: IndicatorSet) -> list[Table]:
    def row(code):
        return _sex_row(figures, code, indicator_set)

    head = [
        (PARTICIPANTS, _("Participants (entered in the period)")),
        (ANONYMOUS, _("of whom recorded anonymously (no consent)")),
        (COMPLETE, _("of whom complete records, counted in the indicators")),
    ]
    outputs = [(label, row(code)) for code, label in head]
    codes = [code for code, _label in head]
    for i in indicator_set.outputs:
        outputs.append((f"{i.code} {i.label}", row(i.code)))
        codes.append(i.code)
    groups = []
    for partition in indicator_set.partitions:
        counts_all = all(indicator_set.get(code).counts_all for code in partition)
        total = codes.index(PARTICIPANTS if counts_all else COMPLETE)
        groups.append([codes.index(code) for code in partition] + [total])
    results = [
        (_("Participants who left in the period"), row(LEAVERS)),
        (_("of whom recorded anonymously (no consent)"), row(LEAVERS_ANONYMOUS)),
        (_("of whom complete records, counted in the indicators"), row(LEAVERS_COMPLETE)),
    ]
    results += [(f"{i.code} {i.label}", row(i.code)) for i in indicator_set.results]
    columns = sex_columns(indicator_set)
    return [
        Table("outputs", _("Output indicators"), columns, outputs, row_total=True, groups=groups),
        Table("results", _("Result indicators"), columns, results, row_total=True),
    ]


def _grouped_table(key, title, header, sections) -> Table:
    """Rows in sections, each followed by its subtotal, then the grand total; every
    section and the subtotals are declared as groups that add up."""
    rows, groups, subtotals = [], [], []
    for section_label, pairs in sections:
        members = []
        for label, n in pairs:
            members.append(len(rows))
            rows.append((str(label), [int(n)]))
        subtotal = sum(rows[m][1][0] for m in members)
        subtotals.append(len(rows))
        rows.append((_("%(section)s — total") % {"section": section_label}, [subtotal]))
        if members:
            groups.append([*members, subtotals[-1]])
    rows.append((_("Total"), [sum(rows[i][1][0] for i in subtotals)]))
    groups.append([*subtotals, len(rows) - 1])
    return Table(key, title, [header], rows, groups=groups)


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_default_timezone()
    low = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return low, high


def _list_table(key, title, header, pairs, *, total=True) -> Table:
    rows = [(str(label), [int(n)]) for label, n in pairs]
    if total:
        rows.append((_("Total"), [sum(r[1][0] for r in rows)]))
    return Table(key, title, [header], rows, col_total=total)


def activity_tables(centre_ids, start: dt.date, end: dt.date) -> list[Table]:

    ids = sorted(centre_ids)
    low, high = _bounds(start, end)
    contacts = Contact.objects.filter(centre_id__in=ids, at__gte=low, at__lt=high)
    served = ContactPerson.objects.filter(
        centre_id__in=ids, contact__at__gte=low, contact__at__lt=high
    )
    registered = Person.objects.filter(
        centre_id__in=ids, registered_at__gte=low, registered_at__lt=high, merged_into__isnull=True
    ).count()
    persons_served = served.values("person_id").distinct().count()
    cases = Case.objects.filter(centre_id__in=ids).aggregate(
        opened=Count("pk", filter=Q(opened_on__gte=start, opened_on__lte=end)),
        closed=Count("pk", filter=Q(closed_on__gte=start, closed_on__lte=end)),
    )
    n_contacts = contacts.count()
    summary = Table(
        "summary",
        _("Activity in the period"),
        [_("Number")],
        [
            (_("New registrations"), [registered]),
            (_("Persons served"), [persons_served]),
            (_("Contacts"), [n_contacts]),
            (_("Cases opened"), [cases["opened"]]),
            (_("Cases closed"), [cases["closed"]]),
        ],
    )
    by_channel = dict(contacts.values_list("channel").annotate(n=Count("pk")))
    channel = _list_table(
        "channels",
        _("Contacts by channel"),
        _("Contacts"),
        [(label, by_channel.get(code, 0)) for code, label in Channel.choices],
    )
    by_site = dict(contacts.values_list("site_id").annotate(n=Count("pk")))
    sites = list(Site.objects.filter(centre_id__in=ids).select_related("centre"))
    site_table = _grouped_table(
        "sites",
        _("Contacts by site (antennas and branches shown separately)"),
        _("Contacts"),
        [
            (
                label,
                [
                    (f"{s.label} ({s.centre.label})", by_site.get(s.pk, 0))
                    for s in sorted(sites, key=lambda s: (s.centre.name, s.name))
                    if s.kind == kind
                ],
            )
            for kind, label in Site.Kind.choices
        ],
    )
    given = Contact.services.through.objects.filter(
        contact__centre_id__in=ids, contact__at__gte=low, contact__at__lt=high
    )
    by_service = dict(given.values_list("service_id").annotate(n=Count("pk")))
    services = list(
        Service.objects.filter(pk__in=list(by_service)).order_by("axis", "order", "name")
    )
    service = _grouped_table(
        "services",
        _("Services by axis and by service"),
        _("Services given"),
        [
            (label, [(s.label, by_service[s.pk]) for s in services if s.axis == axis])
            for axis, label in Service.Axis.choices
        ],
    )
    states = [s for s in State if s not in (State.DRAFT,)]
    referrals = Referral.objects.filter(
        centre_id__in=ids, direction=Direction.OUTGOING, sent_at__gte=low, sent_at__lt=high
    )
    grid = {
        (kind or "other", state): n
        for kind, state, n in referrals.values_list("organization__kind", "state").annotate(
            n=Count("pk")
        )
    }
    ref_rows = []
    for code, label in OrganizationKind.choices:
        values = [grid.get((code, s.value), 0) for s in states]
        ref_rows.append((str(label), [*values, sum(values)]))
    totals = [sum(row[1][i] for row in ref_rows) for i in range(len(states) + 1)]
    ref_rows.append((_("Total"), totals))
    referral = Table(
        "referrals",
        _("Referrals by destination type and outcome"),
        [*(str(s.label) for s in states), _("Total")],
        ref_rows,
        row_total=True,
        col_total=True,
    )
    served_persons = Person.objects.filter(
        centre_id__in=ids,
        pk__in=served.values("person_id"),
    )
    by_category = served_persons.aggregate(
        **{
            code: Count("pk", filter=Q(categories__icontains=f'"{code}"'))
            for code, _label in Category.choices
        }
    )
    category = Table(
        "categories",
        _("Persons served by beneficiary category"),
        [_("Persons")],
        [(str(label), [by_category[code]]) for code, label in Category.choices],
        note=_("A person may belong to several categories."),
    )
    return [summary, channel, site_table, service, referral, category]


@dataclass
class Report:
    scope_label: str
    scope_spec: str
    start: dt.date
    end: dt.date
    set_key: str
    set_name: str
    version: str
    tables: list[Table]
    generated_at: dt.datetime = field(default_factory=timezone.now)
    suppressed: bool = False
    # Inside the centre only (never in a suppressed report: they carry exact counts): the
    # raw figures, the share of complete records and the aggregate validation.
    figures: IndicatorFigures | None = field(default=None, repr=False)
    completeness: dict | None = None
    validation: Validation | None = None

    def as_json(self) -> dict:
        data = self._json()
        if not self.suppressed and self.validation is not None:
            data["completeness"] = self.completeness
            data["validation"] = self.validation.as_json()
        return data

    def _json(self) -> dict:
        return {
            "scope": self.scope_spec,
            "scope_label": str(self.scope_label),
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "indicator_set": self.set_key,
            "indicator_set_name": str(self.set_name),
            "definitions_version": self.version,
            "generated_at": self.generated_at.isoformat(),
            "suppressed": self.suppressed,
            "tables": [t.as_json() for t in self.tables],
        }

    @classmethod
    def from_json(cls, data: dict) -> Report:
        return cls(
            scope_label=data["scope_label"],
            scope_spec=data["scope"],
            start=dt.date.fromisoformat(data["from"]),
            end=dt.date.fromisoformat(data["to"]),
            set_key=data["indicator_set"],
            set_name=data["indicator_set_name"],
            version=data["definitions_version"],
            tables=[Table.from_json(t) for t in data["tables"]],
            generated_at=dt.datetime.fromisoformat(data["generated_at"]),
            suppressed=data.get("suppressed", False),
        )


def report_build(
    *, report_scope, indicator_set: IndicatorSet, start: dt.date, end: dt.date, activity=True
) -> Report:
    """The raw report (no suppression yet: see `report_for_viewer`)."""
    figures = indicators_compute(
        indicator_set=indicator_set, centre_ids=report_scope.centre_ids, start=start, end=end
    )
    tables = indicator_tables(figures, indicator_set)
    validation = report_validate(figures, indicator_set)
    if activity:
        tables += activity_tables(report_scope.centre_ids, start, end)
    return Report(
        scope_label=report_scope.label,
        scope_spec=report_scope.spec,
        start=start,
        end=end,
        set_key=indicator_set.key,
        set_name=indicator_set.name,
        version=indicator_set.version,
        tables=tables,
        figures=figures,
        completeness=completeness(figures),
        validation=validation,
    )


def report_for_viewer(report: Report, *, suppress_cells: bool) -> Report:
    """The report as this viewer may see it: suppressed when it leaves the centre."""
    if not suppress_cells:
        return report
    shown = copy.copy(report)
    shown.tables = copy.deepcopy(report.tables)
    for table in shown.tables:
        suppress(table)
    shown.suppressed = True
    shown.figures = shown.completeness = shown.validation = None
    return shown


def submission_differences(submission) -> list[str]:
    """What differs between a submitted snapshot and the same report computed again now
    from the micro-data (the records as they are): its definitions version, every raw
    count by code and sex, and the aggregate checks. Empty: the snapshot is reproduced.
    For `koinotita indicators --check`."""
    try:
        chosen = indicator_set(submission.indicator_set)
    except LookupError:
        return [f"unknown indicator set {submission.indicator_set!r}"]
    found = []
    if chosen.version != submission.indicator_version:
        found.append(
            f"definitions: submitted under {submission.indicator_version}, now {chosen.version}"
        )
    stored = submission.figures.get("counts")
    if stored is None:
        return [*found, "no raw counts in the snapshot: it cannot be recomputed"]
    figures = indicators_compute(
        indicator_set=chosen,
        centre_ids=[submission.centre_id],
        start=submission.period_start,
        end=submission.period_end,
    )
    for code in sorted(set(stored) | set(figures.counts)):
        before, now = stored.get(code, {}), figures.counts.get(code, {})
        for sex in sorted(set(before) | set(now)):
            if before.get(sex, 0) != now.get(sex, 0):
                found.append(f"{code} {sex}: submitted {before.get(sex, 0)}, now {now.get(sex, 0)}")
    validation = report_validate(figures, chosen)
    found += [f"check {f.code} fails now: {f.message}" for f in validation.failures]
    if submission.figures.get("validation", {}).get("ok") is False:
        found.append("the snapshot records a failed validation")
    return found
