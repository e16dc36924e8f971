"""Programmes' personal-data contract: the subject-access export, anonymisation, merge and
transfer reach a person's pre-screenings and applications."""

import json
from datetime import date

from django.utils import timezone

from koinotita.people.merge import person_merge, person_merge_undo
from koinotita.people.privacy import person_anonymise, person_export
from koinotita.people.services import person_transfer
from koinotita.programmes.conftest import family, register
from koinotita.programmes.models import Application, Prescreening
from koinotita.programmes.services import (
    application_create,
    application_submit,
    prescreening_save,
)


def _records(alice, person, catalogue):
    prescreening = prescreening_save(
        actor=alice, person=person, facts=family(), on=date(2024, 1, 10)
    )
    application = application_create(
        actor=alice, person=person, programme=catalogue["minimum-income"]
    )
    application_submit(
        actor=alice, application=application, submitted_on=timezone.localdate(),
        reference_number="ΕΕΕ-1",
    )  # fmt: skip
    return prescreening, application


def test_the_export_carries_prescreenings_and_applications(catalogue, household, alice, sam):
    prescreening, application = _records(alice, household, catalogue)
    document = json.loads(person_export(actor=sam, person=household, fmt="json").content)
    [exported] = document["prescreenings"]
    assert exported["id"] == prescreening.pk
    assert exported["facts"]["income_6m"] == "600"
    amounts = {r["programme"]: r["amount"] for r in exported["results"]}
    assert amounts["minimum-income"] == "332.00"
    [app] = document["applications"]
    assert app["id"] == application.pk and app["reference_number"] == "ΕΕΕ-1"
    assert [s["action"] for s in app["steps"]] == ["create", "submit"]
    assert person_export(actor=sam, person=household, fmt="pdf").content.startswith(b"%PDF")


def test_anonymisation_erases_the_facts_and_reference_and_keeps_the_counts(
    catalogue, household, alice, sam
):
    prescreening, application = _records(alice, household, catalogue)
    person_anonymise(actor=sam, person=household, reason="Αίτημα διαγραφής")
    prescreening.refresh_from_db()
    application.refresh_from_db()
    assert prescreening.facts == {}
    verdicts = {r["programme"]: r["verdict"] for r in prescreening.results}
    assert verdicts["minimum-income"] == "probably"  # the figures still count it
    assert all("amount" not in r and "reasons" not in r for r in prescreening.results)
    assert application.reference_number == ""
    assert application.state == Application.State.SUBMITTED
    assert application.submitted_on is not None
    assert all(s.detail == {} for s in application.steps.all())


def test_a_merge_moves_them_to_the_kept_record_and_its_undo_back(catalogue, household, alice, sam):
    duplicate = register(alice, household.centre, "Ιωάννου", "Ελένη", date(1985, 4, 2))
    _records(alice, duplicate, catalogue)
    merge = person_merge(actor=sam, kept=household, duplicate=duplicate)
    assert Prescreening.objects.get().person == household
    assert Application.objects.get().person == household
    person_merge_undo(actor=sam, merge=merge)
    assert Prescreening.objects.get().person == duplicate
    assert Application.objects.get().person == duplicate


def test_a_transfer_moves_the_open_applications_and_leaves_the_prescreenings(
    catalogue, household, alice, charlie, network
):
    prescreening, application = _records(alice, household, catalogue)
    florina = network["florina"]
    moved = person_transfer(
        actor=charlie, source=household, to_centre_id=florina.pk,
        consent_given_on=timezone.localdate(), consent_recorded_by=alice,
    )  # fmt: skip
    application.refresh_from_db()
    assert application.centre_id == florina.pk and application.person == moved
    assert application.staff == charlie
    assert application.reference_number == "ΕΕΕ-1"
    assert {s.centre_id for s in application.steps.all()} == {florina.pk}
    assert application.steps.last().action == "transfer"
    prescreening.refresh_from_db()
    assert prescreening.centre_id == household.centre_id and prescreening.person == household
