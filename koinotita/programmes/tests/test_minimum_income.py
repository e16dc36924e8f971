"""The minimum guaranteed income's rule over dated parameters: the amounts before and from
1-12-2023, the ceiling, the single-parent rule, the income and asset tests, and "cannot
tell" with what is missing — never a guess."""

from datetime import date
from decimal import Decimal

import pytest

from koinotita.programmes import screening
from koinotita.programmes.conftest import AFTER, BEFORE, family
from koinotita.programmes.rules import Facts, Member
from koinotita.programmes.rules.base import CANNOT_TELL, PROBABLY, PROBABLY_NOT, render_reason

pytestmark = pytest.mark.django_db


def minimum_income(facts: Facts, on: date):
    (result,) = [r for r in screening.evaluate(facts, on) if r.programme == "minimum-income"]
    return result


@pytest.mark.parametrize(
    ("on", "amount"),
    [
        # 200 + 100 + 2 × 50 = 400 guaranteed, minus 600 / 6 = 100 of monthly income
        (date(2019, 3, 1), Decimal("300.00")),
        (BEFORE, Decimal("300.00")),
        # 216 + 108 + 2 × 54 = 432, minus 100
        (AFTER, Decimal("332.00")),
        (date(2025, 6, 15), Decimal("332.00")),
    ],
)
def test_two_adults_two_children_get_the_amount_in_force_on_the_day(catalogue, on, amount):
    result = minimum_income(family(income_6m="600"), on)
    assert result.verdict == PROBABLY
    assert result.amount == amount
    assert result.missing == []


def test_the_result_names_the_rule_version_and_the_parameters_used(catalogue):
    before = minimum_income(family(), BEFORE)
    after = minimum_income(family(), AFTER)
    assert before.rule_version == after.rule_version == "2023-12.1"
    assert before.parameters["amount_applicant"]["value"] == "200.00"
    assert before.parameters["amount_applicant"]["valid_to"] == "2023-11-30"
    assert after.parameters["amount_applicant"]["value"] == "216.00"
    assert after.parameters["amount_applicant"]["legal_source"] == "ΦΕΚ Β΄ 6456/2023"
    assert after.parameters["amount_minor"]["value"] == "54.00"


def test_income_above_six_times_the_guaranteed_amount_is_probably_not(catalogue):
    # 6 × 400 = 2,400 before; 6 × 432 = 2,592 after: 2,500 fails before, passes after.
    assert minimum_income(family(income_6m="2500"), BEFORE).verdict == PROBABLY_NOT
    after = minimum_income(family(income_6m="2500"), AFTER)
    assert after.verdict == PROBABLY
    assert after.amount == Decimal("15.33")  # 432 − 2,500 / 6, to the cent


def test_income_exactly_at_the_limit_leaves_nothing_to_pay(catalogue):
    result = minimum_income(family(income_6m="2400"), BEFORE)
    assert result.verdict == PROBABLY_NOT
    assert result.amount is None


def test_a_single_person_with_no_income_gets_the_applicants_amount(catalogue):
    alone = family(income_6m="0", members=(Member(age=58, relationship="head"),))
    assert minimum_income(alone, BEFORE).amount == Decimal("200.00")
    assert minimum_income(alone, AFTER).amount == Decimal("216.00")


def test_in_a_single_parent_family_the_eldest_minor_counts_as_an_adult(catalogue):
    members = (
        Member(age=35, relationship="head"),
        Member(age=15, relationship="child"),
        Member(age=9, relationship="child"),
    )
    single = family(income_6m="0", members=members, single_parent=True)
    # 216 + 108 (the eldest child, as an adult) + 54
    assert minimum_income(single, AFTER).amount == Decimal("378.00")
    not_single = family(income_6m="0", members=members, single_parent=False)
    assert minimum_income(not_single, AFTER).amount == Decimal("324.00")


def test_a_lone_adult_with_minors_and_no_answer_on_single_parent_cannot_tell(catalogue):
    members = (Member(age=35, relationship="head"), Member(age=15, relationship="child"))
    result = minimum_income(family(members=members, single_parent=None), AFTER)
    assert result.verdict == CANNOT_TELL
    assert result.missing == ["single_parent"]
    assert result.amount is None


def test_the_ceiling_caps_a_large_household(catalogue):
    members = tuple(Member(age=30 + n, relationship="other") for n in range(10))
    # 200 + 9 × 100 = 1,100 > 900 before; 216 + 9 × 108 = 1,188 > 972 after.
    assert minimum_income(family(income_6m="0", members=members), BEFORE).amount == Decimal("900")
    assert minimum_income(family(income_6m="0", members=members), AFTER).amount == Decimal("972")


@pytest.mark.parametrize(
    ("facts", "missing"),
    [
        (family(income_6m=None), ["income_6m"]),
        (family(deposits=None), ["deposits"]),
        (family(real_estate=None), ["real_estate"]),
        (family(income_6m=None, deposits=None), ["income_6m", "deposits"]),
        (Facts(), ["members"]),
        (family(members=(Member(age=None), Member(age=7, relationship="child"))), ["ages"]),
    ],
)
def test_unknown_facts_give_cannot_tell_with_what_is_missing(catalogue, facts, missing):
    result = minimum_income(facts, AFTER)
    assert result.verdict == CANNOT_TELL
    assert result.missing == missing
    assert result.amount is None


def test_deposits_above_the_limit_are_probably_not_even_with_income_unknown(catalogue):
    # Two adults, two minors: 4,800 + 2,400 + 2 × 1,200 = 9,600.
    result = minimum_income(family(income_6m=None, deposits="9601"), AFTER)
    assert result.verdict == PROBABLY_NOT
    assert result.missing == ["income_6m"]
    assert minimum_income(family(deposits="9600"), AFTER).verdict == PROBABLY


def test_real_estate_above_the_limit_is_probably_not(catalogue):
    # 90,000 + 3 × 15,000 = 135,000 for a household of four.
    assert minimum_income(family(real_estate="135000"), AFTER).verdict == PROBABLY
    assert minimum_income(family(real_estate="135001"), AFTER).verdict == PROBABLY_NOT


def test_a_day_with_no_amounts_in_the_catalogue_cannot_tell(catalogue):
    result = minimum_income(family(), date(2017, 6, 1))
    assert result.verdict == CANNOT_TELL
    assert result.missing == []
    assert "2017" in render_reason(result.reasons[0])


def test_an_asset_limit_not_in_the_catalogue_cannot_tell(catalogue):
    from koinotita.programmes.models import Parameter

    Parameter.objects.filter(key__startswith="deposits_").delete()
    result = minimum_income(family(), AFTER)
    assert result.verdict == CANNOT_TELL
    assert result.amount is None


def test_reasons_read_in_greek_and_in_english(catalogue):
    from django.utils import translation

    result = minimum_income(family(), AFTER)
    with translation.override("en"):
        english = render_reason(result.reasons[0])
    with translation.override("el"):
        greek = render_reason(result.reasons[0])
    assert "432.00" in english and "432.00" in greek
    assert english.startswith("Guaranteed amount")
    assert greek != english
