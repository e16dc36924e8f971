"""Aggregate-level validation of an indicator report, run on every report before it can be
submitted (koinotita.monitoring.services.report_submit) and shown on the report page.

The checks are derived from the set's definitions (koinotita.monitoring.indicators), per
column of sex and on the total:

- A01 every declared subset not above its set (CO02 ≤ CO01, CO04 ≤ CO03, CO08 ≤ CO07,
  CO13 ≤ CO12, CR08 ≤ CR06, …; EECO03 ≤ EECO02);
- A02 every partition adds up to the complete records (CO01 + CO03 + CO05; EECO09–11),
  or to the participants for the grand total (EECO01);
- A03 each result indicator not above its reference population (CR01 counts only those
  inactive at entry; the others: the complete leavers);
- A04 every output indicator not above the complete records (a "declined" row included);
- A05 the complete records not above the participants, nor the anonymous ones.

A failure names the check, the figures and the column, in the user's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from koinotita.monitoring.engine import (
    ANONYMOUS,
    COMPLETE,
    LEAVERS,
    LEAVERS_COMPLETE,
    PARTICIPANTS,
    REFERENCE,
    IndicatorFigures,
)
from koinotita.monitoring.indicators import IndicatorSet

TOTAL = "total"


@dataclass(frozen=True)
class Failure:
    code: str
    message: str

    def as_json(self) -> dict:
        return {"code": self.code, "message": self.message}


@dataclass
class Validation:
    checks: int = 0  # comparisons made (each check on each column and the total)
    failures: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def as_json(self) -> dict:
        return {
            "ok": self.ok,
            "checks": self.checks,
            "failures": [f.as_json() for f in self.failures],
        }


def _label(code: str) -> str:
    names = {
        PARTICIPANTS: _("participants"),
        COMPLETE: _("complete records"),
        ANONYMOUS: _("anonymous participants"),
        LEAVERS: _("leavers"),
        LEAVERS_COMPLETE: _("complete records of leavers"),
    }
    if code.startswith(REFERENCE):
        return _("reference population of %(code)s") % {"code": code[len(REFERENCE) :]}
    return str(names.get(code, code))


def _column(sex: str) -> str:
    return _("total") if sex == TOTAL else sex


def report_validate(figures: IndicatorFigures, indicator_set: IndicatorSet) -> Validation:
    """Every aggregate check of the set over these figures."""
    result = Validation()
    columns = [*indicator_set.columns, TOTAL]

    def value(code: str, sex: str) -> int:
        return figures.get(code) if sex == TOTAL else figures.get(code, sex)

    def at_most(check: str, low: str, high: str) -> None:
        for sex in columns:
            result.checks += 1
            a, b = value(low, sex), value(high, sex)
            if a > b:
                result.failures.append(
                    Failure(
                        check,
                        _("%(check)s: %(low)s (%(a)d) is above %(high)s (%(b)d), column %(col)s.")
                        % {"check": check, "low": _label(low), "a": a, "high": _label(high),
                           "b": b, "col": _column(sex)},
                    )
                )  # fmt: skip

    for low, high in indicator_set.subsets:
        at_most("A01", low, high)
    for partition in indicator_set.partitions:
        counts_all = all(indicator_set.get(code).counts_all for code in partition)
        whole = PARTICIPANTS if counts_all else COMPLETE
        for sex in columns:
            result.checks += 1
            parts = sum(value(code, sex) for code in partition)
            if parts != value(whole, sex):
                result.failures.append(
                    Failure(
                        "A02",
                        _("A02: %(parts)s add up to %(a)d, not to the %(whole)s (%(b)d), "
                          "column %(col)s.")
                        % {"parts": " + ".join(partition), "a": parts, "whole": _label(whole),
                           "b": value(whole, sex), "col": _column(sex)},
                    )
                )  # fmt: skip
    for i in indicator_set.results:
        if i.counts_all:
            continue
        at_most("A03", i.code, REFERENCE + i.code if i.reference else LEAVERS_COMPLETE)
    for i in indicator_set.outputs:
        if not i.counts_all:
            at_most("A04", i.code, COMPLETE)
    at_most("A05", COMPLETE, PARTICIPANTS)
    at_most("A05", ANONYMOUS, PARTICIPANTS)
    at_most("A05", LEAVERS_COMPLETE, LEAVERS)
    return result


def completeness(figures: IndicatorFigures) -> dict:
    """The share of the participants the indicators can count (complete records)."""
    total, complete = figures.get(PARTICIPANTS), figures.get(COMPLETE)
    return {
        "participants": total,
        "complete": complete,
        "share": round(complete / total, 4) if total else None,
    }
