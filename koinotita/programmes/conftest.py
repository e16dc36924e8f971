"""Fixtures of the programmes app: the reference catalogue (with the minimum income's dated
parameters) and a household of two adults and two children."""

from datetime import date
from decimal import Decimal

import pytest

from koinotita.people.services import household_join, person_register
from koinotita.programmes.models import Programme
from koinotita.programmes.reference import programmes_load_reference
from koinotita.programmes.rules import Facts, Member


@pytest.fixture
def catalogue(db):
    programmes_load_reference()
    return {p.code: p for p in Programme.objects.all()}


def family(income_6m="600", deposits="1000", real_estate="0", **overrides) -> Facts:
    """Two adults and two children; money as strings so that tests read like the form."""
    values = {
        "members": (
            Member(age=40, relationship="head"),
            Member(age=38, relationship="partner"),
            Member(age=10, relationship="child"),
            Member(age=7, relationship="child"),
        ),
        "income_6m": None if income_6m is None else Decimal(income_6m),
        "deposits": None if deposits is None else Decimal(deposits),
        "real_estate": None if real_estate is None else Decimal(real_estate),
        "single_parent": False,
        "renting": True,
    }
    values.update(overrides)
    return Facts(**values)


BEFORE = date(2023, 11, 30)
AFTER = date(2023, 12, 1)


def register(actor, centre, family_name, given_name, born, sex="F"):
    return person_register(
        actor=actor,
        centre=centre,
        fields={"family_name": family_name, "given_name": given_name, "sex": sex,
                "birth_date": born},
        confirm=True,
        consent_given_on=date(2023, 1, 1),
    )  # fmt: skip


@pytest.fixture
def household(alice, network):
    """Two adults and two children of Kastoria's centre, in one household; returns the
    head of the household."""
    kastoria = network["kastoria"]
    head = register(alice, kastoria, "Ιωάννου", "Ελένη", date(1985, 4, 2))
    partner = register(alice, kastoria, "Ιωάννου", "Νίκος", date(1987, 9, 9), sex="M")
    first = register(alice, kastoria, "Ιωάννου", "Άννα", date(2014, 1, 5))
    second = register(alice, kastoria, "Ιωάννου", "Πέτρος", date(2017, 6, 1), sex="M")
    household_join(actor=alice, person=head, relationship="head")
    household_join(actor=alice, person=partner, relationship="partner", with_person=head)
    for child in (first, second):
        household_join(actor=alice, person=child, relationship="child", with_person=head)
    head.refresh_from_db()
    return head


@pytest.fixture
def florina_person(charlie, network):
    return register(charlie, network["florina"], "Γεωργίου", "Σοφία", date(1970, 1, 1))
