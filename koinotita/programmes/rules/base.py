"""What a rule is: a function `(facts, params) -> Result`, registered with its version and
its legal source. A rule never decides: it says probably / probably not / cannot tell,
why, which facts were missing and, where the rule gives one, an estimated monthly amount.

Reasons are stored as a message (marked for translation) and its arguments, so a saved
pre-screening reads in Greek or English whenever it is opened."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PROBABLY = "probably"
PROBABLY_NOT = "probably_not"
CANNOT_TELL = "cannot_tell"

ADULT_AGE = 18

# The facts a rule may ask for, with the label the page shows when one is missing.
FACT_LABELS = {
    "members": gettext_lazy("the members of the household"),
    "ages": gettext_lazy("the age of every member of the household"),
    "income_6m": gettext_lazy("the household's income of the last six months"),
    "deposits": gettext_lazy("the household's deposits"),
    "real_estate": gettext_lazy("the taxable value of the household's real estate"),
    "single_parent": gettext_lazy("whether the household is a single-parent family"),
    "renting": gettext_lazy("whether the household rents its main home"),
    "disability": gettext_lazy("whether a member has a certified disability"),
    "unemployed": gettext_lazy("whether an adult member is unemployed"),
}


@dataclass(frozen=True)
class Member:
    age: int | None
    relationship: str = ""  # people.models.Relationship
    disability: bool | None = None
    unemployed: bool | None = None


@dataclass(frozen=True)
class Facts:
    """A household as known on the day of the pre-screening; None is "not known"."""

    members: tuple[Member, ...] = ()
    income_6m: Decimal | None = None
    deposits: Decimal | None = None
    real_estate: Decimal | None = None
    single_parent: bool | None = None
    renting: bool | None = None

    @property
    def adults(self) -> int:
        return sum(1 for m in self.members if m.age is not None and m.age >= ADULT_AGE)

    @property
    def minors(self) -> list[int]:
        return sorted(
            (m.age for m in self.members if m.age is not None and m.age < ADULT_AGE), reverse=True
        )

    @property
    def ages_known(self) -> bool:
        return all(m.age is not None for m in self.members)

    def to_json(self) -> dict:
        data = asdict(self)
        for key in ("income_6m", "deposits", "real_estate"):
            if data[key] is not None:
                data[key] = str(data[key])
        data["members"] = [asdict(m) for m in self.members]
        return data

    @classmethod
    def from_json(cls, data: dict) -> Facts:
        def money(key):
            return None if data.get(key) in (None, "") else Decimal(str(data[key]))

        return cls(
            members=tuple(Member(**m) for m in data.get("members", ())),
            income_6m=money("income_6m"),
            deposits=money("deposits"),
            real_estate=money("real_estate"),
            single_parent=data.get("single_parent"),
            renting=data.get("renting"),
        )


@dataclass(frozen=True)
class ParameterValue:
    key: str
    value: Decimal
    valid_from: date
    valid_to: date | None
    legal_source: str
    pk: int | None = None


class Params:
    """The parameters of one programme in force on one day; remembers which a rule used,
    so that the result can store them."""

    def __init__(self, on: date, values: dict[str, ParameterValue]):
        self.on = on
        self._values = values
        self.used: dict[str, ParameterValue] = {}
        self.unknown: list[str] = []

    def get(self, key: str) -> Decimal | None:
        found = self._values.get(key)
        if found is None:
            if key not in self.unknown:
                self.unknown.append(key)
            return None
        self.used[key] = found
        return found.value

    def used_json(self) -> dict:
        return {
            k: {
                "value": str(v.value),
                "valid_from": v.valid_from.isoformat(),
                "valid_to": v.valid_to.isoformat() if v.valid_to else None,
                "legal_source": v.legal_source,
                "id": v.pk,
            }
            for k, v in sorted(self.used.items())
        }


def reason(message: str, **args) -> dict:
    """A reason, stored untranslated: `message` must be marked with gettext_noop."""
    return {"message": message, "args": {k: str(v) for k, v in args.items()}}


def render_reason(stored: dict) -> str:
    """The reason in the active language. Arguments are translated too: some are words
    marked with gettext_noop ("Deposits"); numbers and dates come back unchanged."""
    args = {k: _(v) if v else v for k, v in stored.get("args", {}).items()}
    return _(stored["message"]) % args


def euros(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class Result:
    programme: str
    verdict: str
    reasons: list[dict] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    amount: Decimal | None = None
    rule_version: str = ""
    rule_source: str = ""
    parameters: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        data = asdict(self)
        data["amount"] = str(self.amount) if self.amount is not None else None
        return data


@dataclass(frozen=True)
class Rule:
    programme: str
    version: str
    source: str
    function: Callable[[Facts, Params, dict], Result]  # earlier: code -> Result
    # Programmes whose result this rule reads (results["minimum-income"]), evaluated first.
    after: tuple[str, ...] = ()


RULES: dict[str, Rule] = {}


class RuleWithoutSource(ValueError):
    pass


def rule(programme: str, *, version: str, source: str, after: tuple[str, ...] = ()):
    """Register the decorated function as the rule of `programme`."""
    if not source.strip():
        raise RuleWithoutSource(
            _("The rule of %(programme)s has no legal source; a rule is accepted only with one.")
            % {"programme": programme}
        )
    if not version.strip():
        raise ValueError(f"The rule of {programme} has no version.")

    def register(function):
        RULES[programme] = Rule(programme, version, source, function, after)
        return function

    return register


def missing_fact(result: Result, key: str) -> None:
    if key not in result.missing:
        result.missing.append(key)


def conclude(result: Result, *, failed: bool, unknown: bool = False) -> Result:
    """Probably not if a test failed; otherwise cannot tell if a fact is missing or a figure
    of the rule is not in the catalogue (`unknown`); otherwise the result as it stands."""
    if failed:
        result.verdict = PROBABLY_NOT
        result.amount = None
    elif result.missing or unknown:
        result.verdict = CANNOT_TELL
        result.amount = None
    return result
