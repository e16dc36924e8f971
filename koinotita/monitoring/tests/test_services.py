"""Participation records through the services: pre-filling, validation of bad input (clear
messages, nothing saved), consent and anonymity, audit."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from koinotita.audit.models import AuditEvent
from koinotita.monitoring import services
from koinotita.monitoring.conftest import enter, leave
from koinotita.monitoring.models import Participation
from koinotita.monitoring.selectors import participation_initial

D = dt.date


def test_entry_takes_sex_and_age_at_entry_from_the_person(alice, person_factory):
    person = person_factory(sex="M", born=D(1970, 6, 15))
    record = enter(alice, person, D(2025, 6, 14), sex="F", age_at_entry=3)
    assert (record.sex, record.age_at_entry) == ("M", 54)
    assert record.person == person and not record.is_anonymous
    event = AuditEvent.objects.filter(action="participation.entered").get()
    assert event.object_id == str(record.pk)


def test_the_form_is_prefilled_from_the_record(person_factory):
    person = person_factory(
        born=D(1990, 1, 1), categories=["unemployed", "disability", "roma"], citizenship="AL"
    )
    initial = participation_initial(person, on=D(2025, 1, 2))
    assert initial["age_at_entry"] == 35
    assert initial["labour_status"] == "unemployed"
    assert initial["disability"] == "yes" and initial["minority"] == "yes"
    assert initial["third_country"] is True and initial["migrant"] == "yes"


def test_a_person_without_consent_is_recorded_as_anonymous(alice, person_factory):
    person = person_factory(consent=False, born=D(1980, 1, 1))
    record = enter(alice, person, D(2025, 3, 1), disability="yes", minority="yes")
    assert record.person is None and record.is_anonymous
    assert record.disability == "declined" and record.minority == "declined"
    assert record.age_at_entry == 45
    assert Participation.objects.count() == 1  # kept, never dropped


@pytest.mark.parametrize(
    ("fields", "field", "greek"),
    [
        ({"labour_status": "unemployed"}, "unemployed_months", "μήνες"),
        ({"entry_date": D(2999, 1, 1)}, "entry_date", "μέλλον"),
        ({"exit_date": D(2024, 12, 31), "exit_status": "employed"}, "exit_date", "πριν"),
        ({"exit_status": "employed"}, "exit_date", "ημερομηνία εξόδου"),
        ({"followup_on": D(2025, 9, 1), "followup_status": "employed"}, "followup_on", "εξόδου"),
        ({"isced": "9"}, "isced", ""),
    ],
)
def test_bad_entries_are_refused_with_a_greek_message(alice, person_factory, fields, field, greek):
    person = person_factory()
    with translation.override("el"), pytest.raises(ValidationError) as caught:
        enter(alice, person, D(2025, 1, 1), **fields)
    assert field in caught.value.message_dict
    assert greek in " ".join(caught.value.message_dict[field]).lower()
    assert not Participation.objects.exists()
    assert not AuditEvent.objects.filter(action="participation.entered").exists()


def test_an_exit_before_the_entry_is_refused_and_nothing_changes(alice, person_factory):
    record = enter(alice, person_factory(), D(2025, 5, 1))
    with pytest.raises(ValidationError) as caught:
        leave(alice, record, D(2025, 4, 1))
    assert "exit_date" in caught.value.message_dict
    record.refresh_from_db()
    assert record.exit_date is None


def test_a_follow_up_needs_an_exit(alice, person_factory):
    record = enter(alice, person_factory(), D(2025, 5, 1))
    with pytest.raises(ValidationError) as caught:
        services.participation_followup(
            actor=alice,
            record=record,
            fields={"followup_on": D(2025, 11, 1), "followup_status": "employed"},
        )
    assert "followup_on" in caught.value.message_dict


def test_another_centre_cannot_record(charlie, person_factory):
    with pytest.raises(PermissionDenied):
        enter(charlie, person_factory(), D(2025, 1, 1))


def test_reception_cannot_record(rita, person_factory):
    with pytest.raises(PermissionDenied):
        enter(rita, person_factory(), D(2025, 1, 1))
