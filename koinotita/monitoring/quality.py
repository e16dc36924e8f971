"""Data quality of one centre for a period and an indicator set: which records keep a
figure from being true, and why. For the centre's supervisor (the page, its XLSX and the
API read `quality_for`; the caller's selector has authorised the centre).

- incomplete participants: those who entered or left in the period whose first entry
  misses an item of the set's completeness rule (koinotita.monitoring.indicators): they
  count only in the participants' total, so every other figure leaves them out;
- flagged records: records active in the period that fail a record-level check
  (koinotita.monitoring.checks, kept in `Participation.flags`);
- the share of the participants (entered in the period) that the indicators can count.

Three statements, each bounded by the centre and the period (the summary's indexes on
(centre, entry date) and (centre, last exit), the partial index of flagged records), and at
most LIMIT rows of each list; the totals are counted in full.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Q, Window
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from koinotita.accounts.scoping import Capability, scope_for
from koinotita.audit.services import audit_record
from koinotita.monitoring.checks import Check, flag_checks
from koinotita.monitoring.indicators import IndicatorSet, Item
from koinotita.monitoring.models import Participation
from koinotita.monitoring.services import EXIT_FIELDS, FOLLOWUP_FIELDS
from koinotita.monitoring.summary import TABLE
from koinotita.organisations.models import Centre
from koinotita.people.models import Person

LIMIT = 100  # rows of each list on the page (the XLSX has them all)
PERSONS = Person._meta.db_table
FLAGGED_FIELDS = ("id", "person_id", "entry_date", "exit_date", "flags", "person__id",
                  "person__given_name", "person__family_name")  # fmt: skip


@dataclass
class Problem:
    record_id: int
    person_id: int | None
    person_label: str  # the person's name, or «anonymous participant»
    entry_date: dt.date
    exit_date: dt.date | None
    missing: list[Item] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)

    @property
    def fix_url(self) -> str:
        """Where to put the record right: the part of the record the first problem is in."""
        where = self.checks[0].field if self.checks and not self.missing else "entry"
        if where in FOLLOWUP_FIELDS:
            return reverse("monitoring-participation-followup", args=[self.record_id])
        if where in EXIT_FIELDS:
            return reverse("monitoring-participation-exit", args=[self.record_id])
        return reverse("monitoring-participation-entry", args=[self.record_id])

    def as_json(self) -> dict:
        return {
            "record": self.record_id,
            "person": self.person_id,
            "entry_date": self.entry_date.isoformat(),
            "exit_date": self.exit_date.isoformat() if self.exit_date else None,
            "missing": [i.code for i in self.missing],
            "checks": [{"code": c.code, "message": str(c.message)} for c in self.checks],
            "fix": self.fix_url,
        }


@dataclass
class Quality:
    centre_id: int
    set_key: str
    version: str
    start: dt.date
    end: dt.date
    participants: int = 0
    complete: int = 0
    incomplete_total: int = 0
    flagged_total: int = 0
    incomplete: list[Problem] = field(default_factory=list)
    flagged: list[Problem] = field(default_factory=list)

    @property
    def share(self) -> float | None:
        return self.complete / self.participants if self.participants else None

    @property
    def share_percent(self) -> str:
        return "—" if self.share is None else f"{100 * self.share:.1f}%"

    def as_json(self) -> dict:
        return {
            "centre": self.centre_id,
            "indicator_set": self.set_key,
            "definitions_version": self.version,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "participants": self.participants,
            "complete": self.complete,
            "share": round(self.share, 4) if self.share is not None else None,
            "incomplete_total": self.incomplete_total,
            "flagged_total": self.flagged_total,
            "incomplete": [p.as_json() for p in self.incomplete],
            "flagged": [p.as_json() for p in self.flagged],
        }


def _count(condition: str) -> str:
    if connection.features.supports_aggregate_filter_clause:
        return f"COUNT(*) FILTER (WHERE {condition})"
    return f"COUNT(CASE WHEN {condition} THEN 1 END)"


def _label(person) -> str:
    return str(person) if person is not None else _("anonymous participant")


def quality_for(
    *, centre_id: int, indicator_set: IndicatorSet, start: dt.date, end: dt.date, limit=LIMIT
) -> Quality:
    """The centre's data quality; at most `limit` rows of each list (None: all of them)."""
    quality = Quality(centre_id, indicator_set.key, indicator_set.version, start, end)
    complete = indicator_set.complete
    entered = "(f.entry_date >= %(start)s AND f.entry_date <= %(end)s)"
    left = "(f.l_exit_date >= %(start)s AND f.l_exit_date <= %(end)s)"
    params = {"centre": centre_id, "start": start, "end": end, "limit": limit}
    missing = ", ".join(
        f"CASE WHEN {item.missing} THEN 1 ELSE 0 END" for item in indicator_set.items
    )
    incomplete_sql = f"""
    SELECT f.first_id, f.participant, f.entry_date, f.l_exit_date, pe.family_name,
      pe.given_name, {missing}, COUNT(*) OVER () AS n
    FROM {TABLE} f
    LEFT JOIN {PERSONS} pe ON pe.id = f.participant AND pe.centre_id = f.centre_id
    WHERE f.centre_id = %(centre)s AND ({entered} OR {left}) AND NOT ({complete})
    ORDER BY f.entry_date, f.first_id{" LIMIT %(limit)s" if limit else ""}"""  # noqa: S608 (rules are code)
    share_sql = f"""
    SELECT COUNT(*), {_count(complete)} FROM {TABLE} f
    WHERE f.centre_id = %(centre)s AND {entered}"""  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(share_sql, params)
        quality.participants, quality.complete = cursor.fetchone()
        cursor.execute(incomplete_sql, params)
        rows = cursor.fetchall()
    items = indicator_set.items
    for first_id, participant, entry, exit_, family, given, *flags, total in rows:
        quality.incomplete_total = total
        quality.incomplete.append(
            Problem(
                record_id=first_id,
                person_id=participant if participant > 0 else None,
                person_label=f"{family} {given}" if family is not None else _label(None),
                entry_date=entry,
                exit_date=exit_,
                missing=[item for item, flag in zip(items, flags, strict=True) if flag],
            )
        )
    active = Q(entry_date__lte=end) & (Q(exit_date__isnull=True) | Q(exit_date__gte=start))
    flagged = (
        Participation.objects.filter(active, centre_id=centre_id)
        .exclude(flags="")
        .select_related("person")
        .only(*FLAGGED_FIELDS)
        .annotate(n=Window(Count("pk")))
        .order_by("entry_date", "pk")
    )
    for record in flagged[:limit]:
        quality.flagged_total = record.n
        quality.flagged.append(
            Problem(
                record_id=record.pk,
                person_id=record.person_id,
                person_label=_label(record.person),
                entry_date=record.entry_date,
                exit_date=record.exit_date,
                checks=flag_checks(record.flags),
            )
        )
    return quality


def quality_centre_for(user, code: str) -> Centre:
    """The centre `code` if the user supervises it, else Http404 (as every page does)."""
    centre = Centre.objects.filter(code=code, is_active=True).first()
    if centre is None or not scope_for(user).allows(Capability.SUPERVISE, centre.pk):
        raise Http404
    return centre


def quality_report_for(
    user, code: str, *, indicator_set: IndicatorSet, start, end, request=None, how="page"
) -> tuple[Centre, Quality]:
    """The data quality of a centre the user supervises, audited as a read of the records
    it lists (`participation.quality_listed`). The XLSX file lists every record."""
    centre = quality_centre_for(user, code)
    quality = quality_for(
        centre_id=centre.pk, indicator_set=indicator_set, start=start, end=end,
        limit=None if how == "xlsx" else LIMIT,
    )  # fmt: skip
    audit_record(
        action="participation.quality_listed",
        actor=user,
        centre=centre,
        object_type="monitoring.participation",
        request=request,
        detail={
            "set": indicator_set.key,
            "from": start,
            "to": end,
            "as": how,
            "records": sorted({p.record_id for p in quality.incomplete + quality.flagged}),
        },
    )
    return centre, quality
