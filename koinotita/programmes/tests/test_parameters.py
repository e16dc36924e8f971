"""Parameters are dated data with a legal source; overlapping validity is refused, and a
rule is accepted only with its source."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from koinotita.programmes.models import Parameter
from koinotita.programmes.rules.base import RuleWithoutSource, rule
from koinotita.programmes.services import parameter_save

pytestmark = pytest.mark.django_db


def value(programme, key="amount_applicant", start=date(2030, 1, 1), end=None, **kw):
    fields = {
        "programme": programme,
        "key": key,
        "value": Decimal("250"),
        "unit": "eur_month",
        "valid_from": start,
        "valid_to": end,
        "legal_source": "ΦΕΚ Β΄ 1/2030",
    }
    fields.update(kw)
    return Parameter(**fields)


def test_a_value_overlapping_the_open_ended_one_is_refused(catalogue, ada):
    with pytest.raises(ValidationError) as exc:
        parameter_save(parameter=value(catalogue["minimum-income"]), actor=ada)
    assert "valid_from" in exc.value.message_dict
    assert "amount_applicant" in exc.value.message_dict["valid_from"][0]


def test_ending_the_current_value_then_adding_the_next_is_accepted(catalogue, ada):
    programme = catalogue["minimum-income"]
    current = Parameter.objects.get(programme=programme, key="amount_applicant", valid_to=None)
    current.valid_to = date(2029, 12, 31)
    parameter_save(parameter=current, actor=ada)
    added = parameter_save(parameter=value(programme), actor=ada)
    assert added.pk is not None


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2023, 11, 30), date(2023, 12, 31)),  # touches the old value's last day
        (date(2020, 1, 1), date(2020, 12, 31)),  # inside the old value
        (date(2010, 1, 1), None),  # open-ended, starting before everything
    ],
)
def test_every_kind_of_overlap_is_refused(catalogue, ada, start, end):
    with pytest.raises(ValidationError):
        parameter_save(
            parameter=value(catalogue["minimum-income"], start=start, end=end), actor=ada
        )


def test_a_different_key_does_not_overlap(catalogue, ada):
    parameter_save(parameter=value(catalogue["minimum-income"], key="vehicles_max"), actor=ada)


def test_a_parameter_without_a_legal_source_is_refused_in_greek(catalogue, ada):
    with pytest.raises(ValidationError) as exc:
        parameter_save(
            parameter=value(catalogue["minimum-income"], key="new", legal_source=" "), actor=ada
        )
    assert exc.value.message_dict["legal_source"] == [
        "Μια παράμετρος χρειάζεται τη νομική πηγή από την οποία προέρχεται."
    ]


def test_a_negative_value_and_an_end_before_the_start_are_refused(catalogue, ada):
    with pytest.raises(ValidationError) as exc:
        parameter_save(
            parameter=value(
                catalogue["minimum-income"],
                key="new",
                value=Decimal("-1"),
                start=date(2030, 1, 1),
                end=date(2029, 1, 1),
            ),
            actor=ada,
        )
    assert set(exc.value.message_dict) == {"value", "valid_to"}
    assert not Parameter.objects.filter(key="new").exists()


def test_only_an_administrator_sets_parameters(catalogue, alice):
    with pytest.raises(PermissionDenied):
        parameter_save(parameter=value(catalogue["minimum-income"], key="new"), actor=alice)


def test_a_rule_without_a_source_is_refused():
    with pytest.raises(RuleWithoutSource):
        rule("nothing", version="1", source="")
