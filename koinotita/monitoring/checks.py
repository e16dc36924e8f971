"""Record-level validation of a participation record: the internal-consistency tests the
Commission's practical guidance on data collection and validation lists for the
participation record (domain/indicators.md, "Completeness and validation").

Each check has a code, a severity and a message (English msgid, Greek in the catalogue):

- an ERROR is a record that cannot be (an exit before the entry, an age no one reaches):
  the service refuses it, and so does the import;
- a WARNING is a record that is possible but inconsistent: it is kept with the check's
  code in `Participation.flags` (written by every service that writes a record), the
  import reports it with its code, and the data-quality page lists it with a link to fix
  it. Nothing is "corrected" silently. A flag does not remove a record from the
  indicators; only the completeness rule (koinotita.monitoring.indicators) does that.

`CHECKS` is the table; `record_checks(record)` runs it over one record (saved or not).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from koinotita.monitoring.indicators import FOLLOWUP_FROM_DAYS, FOLLOWUP_TO_DAYS, IMMEDIATE_DAYS

ERROR = "error"
WARNING = "warning"
PLAUSIBLE_AGE = 110  # above: flagged
POSSIBLE_AGE = 120  # above: refused
LABOUR = ("unemployed", "inactive", "employed")


@dataclass(frozen=True)
class Check:
    code: str
    severity: str
    field: str  # the field the message belongs to (forms show it there)
    message: str  # lazy: Greek or English at the time it is shown
    fails: Callable  # record -> bool

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def _days(later, earlier) -> int | None:
    return (later - earlier).days if later and earlier else None


def _obs_late(r) -> bool:
    days = _days(r.exit_observed_on, r.exit_date)
    return days is not None and days > IMMEDIATE_DAYS


def _followup_outside(r) -> bool:
    days = _days(r.followup_on, r.exit_date)
    return days is not None and not FOLLOWUP_FROM_DAYS <= days <= FOLLOWUP_TO_DAYS


def _result_contradicts_entry(r) -> bool:
    if not r.improved_situation:
        return False
    # An improved situation six months on is a change of the employment of someone employed
    # at entry, and needs them employed at the follow-up.
    return r.labour_status in ("unemployed", "inactive") or (
        bool(r.followup_status) and r.followup_status != "employed"
    )


CHECKS: tuple[Check, ...] = (
    Check("R01", WARNING, "labour_status",
          _("R01: exactly one labour-market status at entry is needed (unemployed, inactive "
            "or employed)."),
          lambda r: r.labour_status not in LABOUR),
    Check("R02", WARNING, "unemployed_months",
          _("R02: months of unemployment are given, but the participant is not unemployed "
            "(long-term unemployed only if unemployed)."),
          lambda r: r.unemployed_months is not None and r.labour_status != "unemployed"),
    Check("R04", WARNING, "in_education",
          _("R04: «in education or training» is marked, but the participant is not inactive "
            "(«not in education or training» applies to the inactive only)."),
          lambda r: r.in_education and r.labour_status != "inactive"),
    Check("R05", WARNING, "single_adult",
          _("R05: a single-adult household with dependent children, but «household with "
            "dependent children» is not marked."),
          lambda r: r.single_adult and not r.dependent_children),
    Check("R06", ERROR, "exit_date",
          _("R06: the exit date is before the entry date."),
          lambda r: bool(r.exit_date and r.entry_date and r.exit_date < r.entry_date)),
    Check("R07", WARNING, "improved_situation",
          _("R07: an improved labour-market situation is recorded, which contradicts the "
            "status at entry or six months after (it applies to participants employed at "
            "entry and at the follow-up)."),
          _result_contradicts_entry),
    Check("R08", WARNING, "age_at_entry",
          _("R08: the age at entry is not plausible (above 110)."),
          lambda r: r.age_at_entry is not None and POSSIBLE_AGE >= r.age_at_entry > PLAUSIBLE_AGE),
    Check("R09", ERROR, "age_at_entry",
          _("R09: the age at entry is impossible (above 120)."),
          lambda r: r.age_at_entry is not None and r.age_at_entry > POSSIBLE_AGE),
    Check("R10", WARNING, "exit_observed_on",
          _("R10: the situation on leaving was observed more than 4 weeks after the exit: it "
            "counts in no immediate result."),
          _obs_late),
    Check("R11", WARNING, "followup_on",
          _("R11: the follow-up is outside the six-month window (22 to 30 weeks after the "
            "exit): it counts in no longer-term result."),
          _followup_outside),
)  # fmt: skip
BY_CODE = {check.code: check for check in CHECKS}


def record_checks(record) -> list[Check]:
    """The checks this record fails, in table order."""
    return [check for check in CHECKS if check.fails(record)]


def flags_of(record) -> str:
    """The codes of the warnings the record fails, as `Participation.flags` keeps them."""
    return ",".join(c.code for c in record_checks(record) if not c.is_error)


def flag_checks(flags: str) -> list[Check]:
    """The checks behind a stored `flags` value (unknown codes skipped)."""
    return [BY_CODE[code] for code in (flags or "").split(",") if code in BY_CODE]
