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


# --- The completeness rule (the ESF monitoring guidance) --------------------------------
# A participation record counts in the aggregates of the common indicators only when it is
# complete for every non-sensitive item: sex, labour-market status, age, education level
# and household situation (homelessness and rural area are not part of it; "declined" on a
# sensitive item does not make a record incomplete). An incomplete record counts only in
# the grand total of participants. Each item: its code, its label and the SQL over `f` that
# says it is missing. The sex item depends on the set (the values it reports).
LABOUR_CODES = "('unemployed', 'inactive', 'employed')"
ISCED_CODES = "('0', '1-2', '3-4', '5-8')"


def sex_in(sexes: tuple[str, ...]) -> str:
    return "f.sex IN (" + ", ".join(f"'{s}'" for s in sexes) + ")"


@dataclass(frozen=True)
class Item:
    code: str
    label_el: str
    label_en: str
    missing: str  # SQL over f: the item is missing (or not reportable in the set)

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "el").startswith("en") else self.label_el


def required_items(sexes: tuple[str, ...]) -> tuple[Item, ...]:
    return (
        Item("sex", "Φύλο", "Sex", f"NOT {sex_in(sexes)}"),
        Item("labour_status", "Κατάσταση στην αγορά εργασίας", "Labour-market status",
             f"(f.labour_status IS NULL OR f.labour_status NOT IN {LABOUR_CODES})"),
        Item("age", "Ηλικία κατά την είσοδο", "Age at entry", "f.age_at_entry IS NULL"),
        Item("isced", "Επίπεδο εκπαίδευσης", "Education level",
             f"(f.isced IS NULL OR f.isced NOT IN {ISCED_CODES})"),
        Item("household", "Κατάσταση νοικοκυριού", "Household situation",
             "f.household_known = FALSE"),
    )  # fmt: skip


def completeness_rule(sexes: tuple[str, ...]) -> str:
    """SQL over f: the record is complete (every required item present)."""
    return "NOT (" + " OR ".join(item.missing for item in required_items(sexes)) + ")"


@dataclass(frozen=True)
class Indicator:
    code: str
    label_el: str
    label_en: str
    kind: str  # OUTPUT or RESULT
    rule: str  # SQL boolean over f (first entry) and l (last exit)
    declined: bool = False  # a row of "declined to answer", counted separately
    # Counts every participant, complete or not (the grand total); every other indicator
    # counts complete records only (the completeness rule).
    counts_all: bool = False
    # For a result indicator: SQL over f of its reference population among the leavers
    # (e.g. CR01 counts only those inactive at entry); the aggregate check holds the
    # indicator not above it. Empty: every complete leaver.
    reference: str = ""

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
    # The values of sex the set reports; any other (non-binary in a two-valued set, not
    # stated) is reported as "U" and makes the record incomplete.
    sexes: tuple[str, ...] = ("F", "M")
    # Aggregate checks: (subset, superset) pairs that every report must satisfy, on top of
    # the partitions (which add up to the complete records) and the result references.
    subsets: tuple[tuple[str, str], ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        """The sex columns of the report: the set's values, then "U" (other or not stated)."""
        return (*self.sexes, "U")

    def report_sex(self, sex: str) -> str:
        return sex if sex in self.sexes else "U"

    @property
    def items(self) -> tuple[Item, ...]:
        return required_items(self.sexes)

    @property
    def complete(self) -> str:
        return completeness_rule(self.sexes)

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
