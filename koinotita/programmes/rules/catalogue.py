"""The rules of the catalogue's other programmes (domain/programmes.md: "enter their
parameters only from a cited source; where a figure is not known, the rule answers cannot
tell"). Each rule applies only what its source settles from the household's facts — who the
programme is for — and otherwise answers "cannot tell", naming what to check."""

from django.utils.translation import gettext_noop

from koinotita.programmes.rules.base import (
    CANNOT_TELL,
    PROBABLY,
    PROBABLY_NOT,
    Facts,
    Params,
    Result,
    missing_fact,
    reason,
    rule,
)
from koinotita.programmes.rules.minimum_income import CODE as MINIMUM_INCOME

OLDER_AGE = 65


def _limits_not_known(result: Result) -> Result:
    result.verdict = CANNOT_TELL
    result.reasons.append(
        reason(
            gettext_noop(
                "Its income and asset limits are not in the catalogue: check them on the "
                "programme's platform."
            )
        )
    )
    return result


@rule("child-benefit", version="1", source="ν. 4512/2018, άρθρο 214 (επίδομα παιδιού Α21)")
def child_benefit(facts: Facts, params: Params, earlier: dict) -> Result:
    result = Result(programme="child-benefit", verdict=CANNOT_TELL)
    if not facts.members:
        missing_fact(result, "members")
        return result
    if any(m.relationship == "child" for m in facts.members) or facts.minors:
        return _limits_not_known(result)
    if not facts.ages_known:
        missing_fact(result, "ages")
        return result
    result.verdict = PROBABLY_NOT
    result.reasons.append(reason(gettext_noop("No child is recorded in the household.")))
    return result


@rule("housing-allowance", version="1", source="ν. 4472/2017, άρθρο 2 (επίδομα στέγασης)")
def housing_allowance(facts: Facts, params: Params, earlier: dict) -> Result:
    result = Result(programme="housing-allowance", verdict=CANNOT_TELL)
    if facts.renting is None:
        missing_fact(result, "renting")
        return result
    if not facts.renting:
        result.verdict = PROBABLY_NOT
        result.reasons.append(
            reason(gettext_noop("The allowance is for households that rent their main home."))
        )
        return result
    return _limits_not_known(result)


@rule("disability-benefits", version="1", source="ν. 3863/2010, άρθρο 6 (ΚΕΠΑ)")
def disability_benefits(facts: Facts, params: Params, earlier: dict) -> Result:
    result = Result(programme="disability-benefits", verdict=CANNOT_TELL)
    if not facts.members:
        missing_fact(result, "members")
        return result
    if any(m.disability for m in facts.members):
        result.reasons.append(
            reason(
                gettext_noop(
                    "A member has a disability: the benefits depend on the percentage the "
                    "disability certification (ΚΕΠΑ) gives."
                )
            )
        )
        return result
    if all(m.disability is False for m in facts.members):
        result.verdict = PROBABLY_NOT
        result.reasons.append(reason(gettext_noop("No member has a disability.")))
        return result
    missing_fact(result, "disability")
    return result


@rule(
    "food-aid",
    version="1",
    source="ΕΠ Επισιτιστικής και Βασικής Υλικής Συνδρομής (ΤΕΒΑ/FEAD): δικαιούχοι του ΕΕΕ",
    after=(MINIMUM_INCOME,),
)
def food_aid(facts: Facts, params: Params, earlier: dict) -> Result:
    result = Result(programme="food-aid", verdict=CANNOT_TELL)
    minimum = earlier.get(MINIMUM_INCOME)
    if minimum is not None and minimum.verdict == PROBABLY:
        result.verdict = PROBABLY
        result.reasons.append(
            reason(
                gettext_noop(
                    "Aid of ΤΕΒΑ goes to the beneficiaries of the minimum guaranteed income, "
                    "which the household probably qualifies for."
                )
            )
        )
        return result
    result.reasons.append(
        reason(
            gettext_noop(
                "Aid of ΤΕΒΑ goes to the beneficiaries of the minimum guaranteed income; "
                "other aid depends on the body that distributes it."
            )
        )
    )
    if minimum is not None:
        result.missing.extend(k for k in minimum.missing if k not in result.missing)
    return result


@rule("social-tariff", version="1", source="Κοινωνικό Οικιακό Τιμολόγιο (ΚΟΤ), ΥΠΕΝ")
def social_tariff(facts: Facts, params: Params, earlier: dict) -> Result:
    return _limits_not_known(Result(programme="social-tariff", verdict=CANNOT_TELL))


def _older_or_disabled(facts: Facts, result: Result, programme_reason: str) -> Result:
    if not facts.members:
        missing_fact(result, "members")
        return result
    if any(m.age is not None and m.age >= OLDER_AGE for m in facts.members) or any(
        m.disability for m in facts.members
    ):
        result.reasons.append(reason(programme_reason))
        return result
    if facts.ages_known and all(m.disability is False for m in facts.members):
        result.verdict = PROBABLY_NOT
        result.reasons.append(
            reason(gettext_noop("No member is 65 or older, nor has a disability."))
        )
        return result
    missing_fact(result, "ages" if not facts.ages_known else "disability")
    return result


@rule("help-at-home", version="1", source="ν. 4995/2022 (Βοήθεια στο Σπίτι)")
def help_at_home(facts: Facts, params: Params, earlier: dict) -> Result:
    return _older_or_disabled(
        facts,
        Result(programme="help-at-home", verdict=CANNOT_TELL),
        gettext_noop(
            "The programme serves older people and people with disabilities who cannot fully "
            "look after themselves: the municipality's team assesses the need."
        ),
    )


@rule("day-care-older", version="1", source="Κέντρα Ημερήσιας Φροντίδας Ηλικιωμένων (ΚΗΦΗ)")
def day_care_older(facts: Facts, params: Params, earlier: dict) -> Result:
    return _older_or_disabled(
        facts,
        Result(programme="day-care-older", verdict=CANNOT_TELL),
        gettext_noop(
            "Day care serves older people who cannot fully look after themselves; places and "
            "priority are set by the centre that runs it."
        ),
    )


@rule("day-care-children", version="1", source="Κέντρα Δημιουργικής Απασχόλησης Παιδιών (ΚΔΑΠ)")
def day_care_children(facts: Facts, params: Params, earlier: dict) -> Result:
    result = Result(programme="day-care-children", verdict=CANNOT_TELL)
    if not facts.members:
        missing_fact(result, "members")
        return result
    if not facts.ages_known:
        missing_fact(result, "ages")
        return result
    if not facts.minors:
        result.verdict = PROBABLY_NOT
        result.reasons.append(reason(gettext_noop("No child is recorded in the household.")))
        return result
    return _limits_not_known(result)


@rule("employment-dypa", version="1", source="ν. 4921/2022 (ΔΥΠΑ)")
def employment(facts: Facts, params: Params, earlier: dict) -> Result:
    result = Result(programme="employment-dypa", verdict=CANNOT_TELL)
    if not facts.members:
        missing_fact(result, "members")
        return result
    if any(m.unemployed and (m.age or 0) >= 18 for m in facts.members):
        result.verdict = PROBABLY
        result.reasons.append(
            reason(
                gettext_noop(
                    "An adult member is unemployed: registration with ΔΥΠΑ opens its "
                    "employment and training programmes."
                )
            )
        )
        return result
    if all(m.unemployed is False for m in facts.members if (m.age or 0) >= 18):
        result.verdict = PROBABLY_NOT
        result.reasons.append(reason(gettext_noop("No adult member is unemployed.")))
        return result
    missing_fact(result, "unemployed")
    return result
