"""A participant's records in their subject-access export, and their free text erased by an
anonymisation while the coded answers keep counting."""

import datetime as dt
import json

from koinotita.monitoring.conftest import enter, leave
from koinotita.monitoring.models import Participation
from koinotita.people.privacy import person_anonymise, person_export

D = dt.date


def test_the_export_lists_every_answer_of_the_records(alice, sam, person_factory):
    person = person_factory(sex="F", born=D(1980, 3, 1))
    record = enter(alice, person, D(2025, 2, 3), homeless=True, note="Μένει στο αυτοκίνητο")
    leave(alice, record, D(2025, 9, 30))
    document = json.loads(person_export(actor=sam, person=person, fmt="json").content)
    [exported] = document["participations"]
    assert exported["entry_date"] == "2025-02-03" and exported["exit_date"] == "2025-09-30"
    assert exported["homeless"] is True and exported["note"] == "Μένει στο αυτοκίνητο"
    assert exported["labour_status"] == "inactive" and exported["age_at_entry"] == 44
    assert person_export(actor=sam, person=person, fmt="pdf").content.startswith(b"%PDF")


def test_another_persons_records_are_not_in_the_export(alice, sam, person_factory):
    person, other = person_factory(), person_factory(given="Ελένη", family="Νικολάου")
    enter(alice, other, D(2025, 2, 3))
    document = json.loads(person_export(actor=sam, person=person, fmt="json").content)
    assert document["participations"] == []


def test_anonymisation_erases_the_note_and_keeps_the_answers(alice, sam, person_factory):
    person = person_factory()
    record = enter(alice, person, D(2025, 2, 3), homeless=True, note="Μένει στο αυτοκίνητο")
    person_anonymise(actor=sam, person=person, reason="Αίτημα διαγραφής")
    record = Participation.objects.get(pk=record.pk)
    assert record.note == ""
    assert record.homeless and record.entry_date == D(2025, 2, 3)
