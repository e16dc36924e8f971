"""The minimum guaranteed income (Ελάχιστο Εγγυημένο Εισόδημα; formerly ΚΕΑ).

Governing decision: ΚΥΑ Δ13/οικ./33475/1935 (ΦΕΚ Β΄ 2281/2018) and its amendments; from
1-12-2023 the amounts of ΦΕΚ Β΄ 6456/2023. Every figure is a parameter in force on the day
(programmes.Parameter):

- `amount_applicant`, `amount_adult`, `amount_minor`: the guaranteed monthly amount is the
  applicant's, plus one adult increment for each further adult, plus one minor increment
  for each minor; in a household made up only of a single-parent family, the eldest minor
  counts as an adult;
- `ceiling`: the guaranteed amount never exceeds it;
- `income_months`: the household's income of the last that-many months must not exceed
  that-many times the guaranteed amount; the benefit is the guaranteed amount minus the
  monthly average of that income;
- `deposits_*` and `real_estate_*`: the asset tests (base, per further adult / member, per
  minor, maximum). A limit not in the catalogue, or an asset value not known, gives
  "cannot tell" — never a guess.
"""

from decimal import Decimal

from django.utils.translation import gettext_noop

from koinotita.programmes.rules.base import (
    PROBABLY,
    Facts,
    Params,
    Result,
    conclude,
    euros,
    missing_fact,
    reason,
    rule,
)

CODE = "minimum-income"


def guaranteed_amount(facts: Facts, params: Params) -> Decimal | None:
    """The household's guaranteed monthly amount, or None when a figure is not known."""
    applicant = params.get("amount_applicant")
    adult = params.get("amount_adult")
    minor = params.get("amount_minor")
    ceiling = params.get("ceiling")
    if None in (applicant, adult, minor):
        return None
    adults, minors = facts.adults, len(facts.minors)
    if facts.single_parent and adults == 1 and minors:
        adults, minors = 2, minors - 1  # the eldest minor counts as an adult
    if adults == 0:  # a household of minors: the eldest applies
        adults, minors = 1, minors - 1
    total = applicant + adult * (adults - 1) + minor * minors
    if ceiling is not None:
        total = min(total, ceiling)
    return total


def _asset_limit(params: Params, prefix: str, facts: Facts) -> Decimal | None:
    base = params.get(f"{prefix}_base")
    per_adult = params.get(f"{prefix}_adult")
    per_minor = params.get(f"{prefix}_minor")
    maximum = params.get(f"{prefix}_max")
    if None in (base, per_adult, per_minor):
        return None
    limit = base + per_adult * max(facts.adults - 1, 0) + per_minor * len(facts.minors)
    return min(limit, maximum) if maximum is not None else limit


@rule(
    CODE, version="2023-12.1", source="ΚΥΑ Δ13/οικ./33475/1935 (ΦΕΚ Β΄ 2281/2018); ΦΕΚ Β΄ 6456/2023"
)
def minimum_income(facts: Facts, params: Params, earlier: dict) -> Result:
    result = Result(programme=CODE, verdict=PROBABLY)
    failed = False
    if not facts.members:
        missing_fact(result, "members")
        return conclude(result, failed=False)
    if not facts.ages_known:
        missing_fact(result, "ages")
    adults, minors = facts.adults, len(facts.minors)
    if facts.single_parent is None and adults == 1 and minors:
        missing_fact(result, "single_parent")
    unknown = False
    guaranteed = guaranteed_amount(facts, params) if not result.missing else None
    if guaranteed is None and not result.missing:
        unknown = True
        result.reasons.append(
            reason(
                gettext_noop("The guaranteed amounts for %(day)s are not in the catalogue."),
                day=params.on.strftime("%d/%m/%Y"),
            )
        )
    if guaranteed is not None:
        result.reasons.append(
            reason(
                gettext_noop(
                    "Guaranteed amount for %(adults)s adult(s) and %(minors)s minor(s) on "
                    "%(day)s: %(amount)s € a month."
                ),
                adults=adults,
                minors=minors,
                day=params.on.strftime("%d/%m/%Y"),
                amount=euros(guaranteed),
            )
        )
    months = params.get("income_months") or Decimal(6)
    if facts.income_6m is None:
        missing_fact(result, "income_6m")
    elif guaranteed is not None:
        limit = guaranteed * months
        if facts.income_6m > limit:
            failed = True
            result.reasons.append(
                reason(
                    gettext_noop(
                        "Income of the last %(months)s months, %(income)s €, is above the "
                        "limit of %(limit)s € (%(months)s × the guaranteed amount)."
                    ),
                    months=int(months),
                    income=euros(facts.income_6m),
                    limit=euros(limit),
                )
            )
        else:
            result.reasons.append(
                reason(
                    gettext_noop(
                        "Income of the last %(months)s months, %(income)s €, is within the "
                        "limit of %(limit)s €."
                    ),
                    months=int(months),
                    income=euros(facts.income_6m),
                    limit=euros(limit),
                )
            )
            result.amount = euros(guaranteed - facts.income_6m / months)
    for fact, prefix, label in (
        ("deposits", "deposits", gettext_noop("Deposits")),
        ("real_estate", "real_estate", gettext_noop("Real estate")),
    ):
        value = getattr(facts, fact)
        limit = _asset_limit(params, prefix, facts) if facts.ages_known else None
        if value is None:
            missing_fact(result, fact)
        elif limit is None:
            if facts.ages_known:
                result.reasons.append(
                    reason(
                        gettext_noop("The limit of %(what)s is not in the catalogue for %(day)s."),
                        what=label,
                        day=params.on.strftime("%d/%m/%Y"),
                    )
                )
                unknown = True
        elif value > limit:
            failed = True
            result.reasons.append(
                reason(
                    gettext_noop("%(what)s of %(value)s € are above the limit of %(limit)s €."),
                    what=label,
                    value=euros(value),
                    limit=euros(limit),
                )
            )
        else:
            result.reasons.append(
                reason(
                    gettext_noop("%(what)s of %(value)s € are within the limit of %(limit)s €."),
                    what=label,
                    value=euros(value),
                    limit=euros(limit),
                )
            )
    if result.amount is not None and result.amount <= 0:
        failed = True
        result.reasons.append(
            reason(gettext_noop("The income leaves no benefit to pay (the amount would be 0 €)."))
        )
    return conclude(result, failed=failed, unknown=unknown)
