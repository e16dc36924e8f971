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
    """The codes the output statement counts, in its column order."""
    return [PARTICIPANTS, ANONYMOUS, COMPLETE] + [i.code for i in indicator_set.outputs]


def result_codes(indicator_set: IndicatorSet) -> list[str]:
    codes = [LEAVERS, LEAVERS_ANONYMOUS, LEAVERS_COMPLETE]
    codes += [REFERENCE + i.code for i in indicator_set.results if i.reference]
    return codes + [i.code for i in indicator_set.results]


def indicator_sql(indicator_set: IndicatorSet, centre_ids: list[int]):
    """Two statements, each one scan by its own index: the outputs over the participants
    who entered in the period (centre, entry date), the results over those who left in it
    (centre, last exit date); counts by sex. Every indicator but the grand total counts
    complete records only (the completeness rule of the set). Returns [(sql, codes)] and
    the parameters (plus `start` and `end`)."""
    params = {f"c{n}": cid for n, cid in enumerate(centre_ids)}
    marks = ", ".join(f"%({name})s" for name in params)
    complete = indicator_set.complete
    entered = "f.entry_date >= %(start)s AND f.entry_date <= %(end)s"
    left = "f.l_exit_date >= %(start)s AND f.l_exit_date <= %(end)s"

    def rule(i) -> str:
        return i.rule if i.counts_all else f"{complete} AND {i.rule}"

    outputs = ["COUNT(*)", _count("f.is_anonymous = TRUE"), _count(complete)]
    outputs += [_count(rule(i)) for i in indicator_set.outputs]
    results = ["COUNT(*)", _count("f.is_anonymous = TRUE"), _count(complete)]
    results += [
        _count(f"{complete} AND {i.reference}") for i in indicator_set.results if i.reference
    ]
    results += [_count(rule(i)) for i in indicator_set.results]
    statements = []
    for counts, population, codes in (
        (outputs, entered, output_codes(indicator_set)),
        (results, left, result_codes(indicator_set)),
    ):
        select = ",\n      ".join(counts)
        sql = f"""
    SELECT f.sex,
      {select}
    FROM {TABLE} f WHERE f.centre_id IN ({marks}) AND {population}
    GROUP BY f.sex"""  # noqa: S608 (rules are code, values are parameters)
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
    statements_codes = output_codes(indicator_set) + result_codes(indicator_set)
    for code in statements_codes:
        figures.counts[code] = dict.fromkeys(indicator_set.columns, 0)
    ids = sorted(centre_ids)
    if not ids:
        return figures
    statements, params = indicator_sql(indicator_set, ids)
    with connection.cursor() as cursor:
        for sql, codes in statements:
            cursor.execute(sql, {**params, "start": start, "end": end})
            for sex, *values in cursor.fetchall():
                sex = indicator_set.report_sex(sex)
                for code, value in zip(codes, values, strict=True):
                    figures.counts[code][sex] += value
    return figures
