"""Fixtures of the cases tests: persons, a mediator, and a case led by alice."""

from datetime import date, timedelta

import pytest

from koinotita.cases.services import case_open
from koinotita.programmes.conftest import catalogue, household  # noqa: F401  (fixtures of the renewal tests)
from koinotita.testing.people import person_make
from koinotita.testing.users import user_with_role


def make_person(actor, centre, family="Οικονόμου", given="Άννα"):
    person = person_make(
        actor=actor, centre=centre, fields={"family_name": family, "given_name": given, "sex": "F"}
    )
    return person


@pytest.fixture
def mia(network):
    """A Roma mediator at Kastoria."""
    return user_with_role("mia", "mediator", "centre", network["kastoria"])


@pytest.fixture
def person(alice, network):
    return make_person(alice, network["kastoria"])


@pytest.fixture
def case(alice, person):
    return case_open(
        actor=alice,
        person=person,
        reason="Χάσαμε το σπίτι",
        opened_on=date.today() - timedelta(days=30),
    )


@pytest.fixture
def florina_case(charlie, network):
    person = make_person(charlie, network["florina"], "Παπαδάκη", "Ελένη")
    return case_open(actor=charlie, person=person, reason="Στέγαση")
