"""The indicator engine: every indicator of a set in one SQL pass, with conditional counts
grouped by sex (never a loop over persons, so it scales).

It reads the per-participant summary (models.ParticipantSummary, koinotita.monitoring
.summary), one row per participant kept at write time, so a report is one scan of the
scope's rows with `COUNT(*) FILTER (WHERE rule)` per indicator — no sort, no join. In the
rules, `f` is that row: the first entry's answers, and the last record's results as `l_*`.
The participant is the pair (centre, person) — or the record itself for an anonymous
participant, who cannot be matched to a re-entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import connection

from koinotita.monitoring.indicators import OUTPUT, IndicatorSet
from koinotita.monitoring.summary import TABLE

SEXES = ("F", "M", "X", "U")


def _count(condition: str) -> str:
    if connection.features.supports_aggregate_filter_clause:
        return f"COUNT(*) FILTER (WHERE {condition})"
    return f"COUNT(CASE WHEN {condition} THEN 1 END)"


def indicator_sql(indicator_set: IndicatorSet, centre_ids: list[int]):
    """One statement counting, by sex, the participants who entered in the period and those
    who left in it, and every indicator of the set over its population."""
    params = {f"c{n}": cid for n, cid in enumerate(centre_ids)}
    marks = ", ".join(f"%({name})s" for name in params)
    entered = "(f.entry_date >= %(start)s AND f.entry_date <= %(end)s)"
    left = "(f.l_exit_date >= %(start)s AND f.l_exit_date <= %(end)s)"
    counts = [
        _count(entered),
        _count(f"{entered} AND f.is_anonymous = TRUE"),
        _count(left),
        _count(f"{left} AND f.is_anonymous = TRUE"),
    ]
    for i in indicator_set.indicators:
        population = entered if i.kind == OUTPUT else left
        counts.append(_count(f"{population} AND {i.rule}"))
    select = ",\n      ".join(counts)
    sql = f"""
    SELECT f.sex,
      {select}
    FROM {TABLE} f WHERE f.centre_id IN ({marks}) AND ({entered} OR {left})
    GROUP BY f.sex"""  # noqa: S608 (rules are code, values are parameters)
    return sql, params


@dataclass
class IndicatorFigures:
    """Counts of persons per indicator code and sex (F, M, X, U) and their total."""

    set_key: str
    version: str
    start: date
    end: date
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def get(self, code: str, sex: str | None = None) -> int:
        row = self.counts.get(code, {})
        return sum(row.values()) if sex is None else row.get(sex, 0)

    def as_json(self) -> dict:
        return {
            "set": self.set_key,
            "version": self.version,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "counts": self.counts,
        }


PARTICIPANTS = "PARTICIPANTS"  # entered in the period
ANONYMOUS = "ANONYMOUS"  # of whom recorded without consent (no link to a person)
LEAVERS = "LEAVERS"  # left in the period
LEAVERS_ANONYMOUS = "LEAVERS_ANONYMOUS"


def indicators_compute(
    *, indicator_set: IndicatorSet, centre_ids, start: date, end: date
) -> IndicatorFigures:
    """Compute every indicator of the set for the centres (already authorised by the
    caller's selector) and the period, in one statement. A period with no data is a table
    of zeros, not an error."""
    figures = IndicatorFigures(indicator_set.key, indicator_set.version, start, end)
    codes = [PARTICIPANTS, ANONYMOUS, LEAVERS, LEAVERS_ANONYMOUS]
    codes += [i.code for i in indicator_set.indicators]
    for code in codes:
        figures.counts[code] = dict.fromkeys(SEXES, 0)
    ids = sorted(centre_ids)
    if not ids:
        return figures
    sql, params = indicator_sql(indicator_set, ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, {**params, "start": start, "end": end})
        for sex, *values in cursor.fetchall():
            sex = sex if sex in SEXES else "U"
            for code, value in zip(codes, values, strict=True):
                figures.counts[code][sex] += value
    return figures
