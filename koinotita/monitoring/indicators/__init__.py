"""Indicator sets as versioned definitions in code (domain/indicators.md).

Each set is a module (`esf2014`, `esfplus2021`) holding a VERSION string and a list of
`Indicator`s. An indicator's rule is a SQL boolean expression over one participant, read by
the engine (koinotita.monitoring.engine) in a single pass with conditional counts grouped by
sex. The row `f` is the participant's FIRST entry record (one status per participant at
entry, age at entry; a re-entry counts once), and its `f.l_*` columns hold the
participant's LAST record (`f.l_exit_date` is empty while any of their records is open):
`f.l_exit_status`, `f.l_qualification_gained`, `f.l_followup_status`,
`f.l_improved_situation`, and `f.l_obs_days` / `f.l_fu_days`, the days from that exit to
the observation of the immediate result and to the six-month follow-up.

Outputs are counted over participants whose first entry falls in the period; results over
participants whose last exit falls in the period, and only when observed in their windows.
Answers a participant declined to give are counted in rows of their own, never guessed.
Every report prints the set's `version`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language

OUTPUT = "output"
RESULT = "result"

# Windows (domain/indicators.md): immediate results within 4 weeks of exit; longer-term
# results six months after leaving, accepted from 22 to 30 weeks (six months ± 4 weeks).
IMMEDIATE_DAYS = 28
FOLLOWUP_FROM_DAYS = 154
FOLLOWUP_TO_DAYS = 210

# --- Building blocks of the rules (SQL over f = first entry, l = last exit) --------------
UNEMPLOYED = "f.labour_status = 'unemployed'"
LONG_TERM = (
    "(f.labour_status = 'unemployed' AND (f.unemployed_months > 12 OR "
    "(f.age_at_entry < 25 AND f.unemployed_months > 6)))"
)
INACTIVE = "f.labour_status = 'inactive'"
INACTIVE_NOT_EDUCATION = "(f.labour_status = 'inactive' AND f.in_education = FALSE)"
EMPLOYED = "f.labour_status = 'employed'"
MIGRANT_MINORITY = "(f.migrant = 'yes' OR f.foreign_background = 'yes' OR f.minority = 'yes')"
MIGRANT_MINORITY_DECLINED = (
    f"(NOT {MIGRANT_MINORITY} AND (f.migrant = 'declined' OR "
    "f.foreign_background = 'declined' OR f.minority = 'declined'))"
)
DISADVANTAGED = (
    f"({MIGRANT_MINORITY} OR f.disability = 'yes' OR f.other_disadvantage = 'yes' "
    "OR f.homeless = TRUE)"
)
IMMEDIATE = f"(f.l_obs_days IS NULL OR (f.l_obs_days >= 0 AND f.l_obs_days <= {IMMEDIATE_DAYS}))"
FOLLOWUP = f"(f.l_fu_days >= {FOLLOWUP_FROM_DAYS} AND f.l_fu_days <= {FOLLOWUP_TO_DAYS})"
EMPLOYED_6M = f"(f.l_followup_status = 'employed' AND {FOLLOWUP})"


@dataclass(frozen=True)
class Indicator:
    code: str
    label_el: str
    label_en: str
    kind: str  # OUTPUT or RESULT
    rule: str  # SQL boolean over f (first entry) and l (last exit)
    declined: bool = False  # a row of "declined to answer", counted separately

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "el").startswith("en") else self.label_el


@dataclass(frozen=True)
class IndicatorSet:
    key: str
    name_el: str
    name_en: str
    version: str
    indicators: tuple[Indicator, ...]
    # Codes whose counts add up to all the participants (so suppression treats them as a
    # line with its total): one labour-market status per participant, one ISCED band…
    partitions: tuple[tuple[str, ...], ...] = ()

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "el").startswith("en") else self.name_el

    @property
    def outputs(self) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.kind == OUTPUT)

    @property
    def results(self) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.kind == RESULT)

    def get(self, code: str) -> Indicator:
        return next(i for i in self.indicators if i.code == code)


def indicator_sets() -> dict[str, IndicatorSet]:
    from koinotita.monitoring.indicators import (
        esf2014,
        esfplus2021,
    )  # import on use: they import this module

    return {esf2014.SET.key: esf2014.SET, esfplus2021.SET.key: esfplus2021.SET}


def indicator_set(key: str) -> IndicatorSet:
    try:
        return indicator_sets()[key]
    except KeyError:
        raise LookupError(key) from None


DEFAULT_SET = "esf2014"
