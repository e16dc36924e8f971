"""Fixtures of the monitoring tests: persons with consent, and a helper that records a
participation through the service with sensible defaults."""

import datetime as dt

import pytest

from koinotita.monitoring import services
from koinotita.people.models import Consent, Person
from koinotita.people.services import person_search_key


def make_person(centre, *, given="Μαρία", family="Παπαδοπούλου", sex="F", born=None,
                consent=True, categories=(), citizenship="GR", actor=None):  # fmt: skip
    person = Person(
        centre=centre,
        given_name=given,
        family_name=family,
        sex=sex,
        birth_date=born,
        categories=list(categories),
        citizenship=citizenship,
    )
    person.search_key = person_search_key(person)
    person.save()
    if consent:
        Consent.objects.create(
            centre=centre,
            person=person,
            purpose=Consent.Purpose.REGISTRATION,
            given_on=dt.date(2024, 1, 1),
            recorded_by=actor,
        )
    return person


ENTRY_DEFAULTS = {"labour_status": "inactive", "isced": "3-4"}


def enter(actor, person, on, **fields):
    return services.participation_enter(
        actor=actor, person=person, fields={**ENTRY_DEFAULTS, "entry_date": on, **fields}
    )


def leave(actor, record, on, status="job_searching", **fields):
    return services.participation_exit(
        actor=actor, record=record, fields={"exit_date": on, "exit_status": status, **fields}
    )


def follow(actor, record, on, status="employed", **fields):
    return services.participation_followup(
        actor=actor,
        record=record,
        fields={"followup_on": on, "followup_status": status, **fields},
    )


@pytest.fixture
def person_factory(network, alice):
    def factory(centre=None, **kwargs):
        return make_person(
            centre or network["kastoria"], actor=kwargs.pop("actor", alice), **kwargs
        )

    return factory
