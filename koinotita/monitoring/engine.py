"""The indicator engine: every indicator of a set in two SQL statements (outputs over who
entered in the period, results over who left in it), with conditional counts grouped by sex
(never a loop over persons, so it scales).

It reads the per-participant summary (models.ParticipantSummary, koinotita.monitoring
.summary), one row per participant kept at write time, so each statement is one index
range scan of the scope's rows with `COUNT(*) FILTER (WHERE rule)` per indicator — no
sort, no join. The completeness rule of the set (koinotita.monitoring.indicators
`completeness_rule`) gates every indicator but the grand total: an incomplete record
counts in PARTICIPANTS (and LEAVERS) only. Sex is reported in the set's values
(`IndicatorSet.report_sex`: non-binary is "U" in the two-valued 2014-2020 set). In the
rules, `f` is that row: the first entry's answers, and the last record's results as `l_*`.
The participant is the pair (centre, person) — or the record itself for an anonymous
participant, who cannot be matched to a re-entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import connection

from koinotita.monitoring.indicators import IndicatorSet
from koinotita.monitoring.summary import TABLE

SEXES = ("F", "M", "X", "U")


def _count(condition: str) -> str:
    if connection.features.supports_aggregate_filter_clause:
        return f"COUNT(*) FILTER (WHERE {condition})"
    return f"COUNT(CASE WHEN {condition} THEN 1 END)"


PARTICIPANTS = "PARTICIPANTS"  # entered in the period: the grand total
ANONYMOUS = "ANONYMOUS"  # of whom recorded without consent (no link to a person)
COMPLETE = "COMPLETE"  # of whom complete records: what the indicators count
LEAVERS = "LEAVERS"  # left in the period
LEAVERS_ANONYMOUS = "LEAVERS_ANONYMOUS"
LEAVERS_COMPLETE = "LEAVERS_COMPLETE"
REFERENCE = "REF:"  # REF:<code>, the reference population of a result indicator


def output_codes(indicator_set: IndicatorSet) -> list[str]:
    """The output codes of the figures, in the order of the report (and of the hand SQL
    of bench/indicators.py)."""
    return [PARTICIPANTS, ANONYMOUS, COMPLETE] + [i.code for i in indicator_set.outputs]


def result_codes(indicator_set: IndicatorSet) -> list[str]:
    codes = [LEAVERS, LEAVERS_ANONYMOUS, LEAVERS_COMPLETE]
    codes += [REFERENCE + i.code for i in indicator_set.results if i.reference]
    return codes + [i.code for i in indicator_set.results]


def indicator_sql(indicator_set: IndicatorSet, centre_ids: list[int]):
    """Two statements, each one scan by its own index: the outputs over the participants
    who entered in the period (centre, entry date), the results over those who left in it
    (centre, last exit date). Each groups its rows by sex and by the set's completeness
    rule — evaluated once per row, in the GROUP BY, not once per indicator — so the
    conditional counts are the indicators' own rules, and `indicators_compute` keeps the
    complete group's counts for every indicator but the grand total. Returns
    [(sql, codes)] — `codes` name the columns after sex and completeness — and the
    parameters (plus `start` and `end`)."""
    params = {f"c{n}": cid for n, cid in enumerate(centre_ids)}
    marks = ", ".join(f"%({name})s" for name in params)
    entered = "f.entry_date >= %(start)s AND f.entry_date <= %(end)s"
    left = "f.l_exit_date >= %(start)s AND f.l_exit_date <= %(end)s"
    statements = []
    for population, indicators, head in (
        (entered, indicator_set.outputs, (PARTICIPANTS, ANONYMOUS)),
        (left, indicator_set.results, (LEAVERS, LEAVERS_ANONYMOUS)),
    ):
        counts = ["COUNT(*)", _count("f.is_anonymous = TRUE")]
        codes = list(head)
        for i in indicators:
            if i.reference:
                counts.append(_count(i.reference))
                codes.append(REFERENCE + i.code)
        for i in indicators:
            counts.append(_count(i.rule))
            codes.append(i.code)
        select = ",\n      ".join(counts)
        sql = f"""
    SELECT f.sex, CASE WHEN {indicator_set.complete} THEN 1 ELSE 0 END AS complete,
      {select}
    FROM {TABLE} f WHERE f.centre_id IN ({marks}) AND {population}
    GROUP BY 1, 2"""  # noqa: S608 (rules are code, values are parameters)
        statements.append((sql, codes))
    return statements, params


@dataclass
class IndicatorFigures:
    """Counts of persons per indicator code and sex (the set's columns: F, M[, X], U) and
    their total."""

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


def indicators_compute(
    *, indicator_set: IndicatorSet, centre_ids, start: date, end: date
) -> IndicatorFigures:
    """Compute every indicator of the set for the centres (already authorised by the
    caller's selector) and the period, in two statements. A period with no data is a table
    of zeros, not an error."""
    figures = IndicatorFigures(indicator_set.key, indicator_set.version, start, end)
    for code in output_codes(indicator_set) + result_codes(indicator_set):
        figures.counts[code] = dict.fromkeys(indicator_set.columns, 0)
    ids = sorted(centre_ids)
    if not ids:
        return figures
    everyone = {PARTICIPANTS, ANONYMOUS, LEAVERS, LEAVERS_ANONYMOUS}
    everyone |= {i.code for i in indicator_set.indicators if i.counts_all}
    statements, params = indicator_sql(indicator_set, ids)
    with connection.cursor() as cursor:
        for (sql, codes), complete_code in zip(
            statements, (COMPLETE, LEAVERS_COMPLETE), strict=True
        ):
            cursor.execute(sql, {**params, "start": start, "end": end})
            for sex, complete, total, *values in cursor.fetchall():
                sex = indicator_set.report_sex(sex)
                if complete:
                    figures.counts[complete_code][sex] += total
                for code, value in zip(codes, (total, *values), strict=True):
                    # The completeness rule: an incomplete record counts in the totals only.
                    if complete or code in everyone:
                        figures.counts[code][sex] += value
    return figures
