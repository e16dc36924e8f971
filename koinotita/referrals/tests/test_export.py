"""A person's referrals in their subject-access export (JSON and PDF)."""

import json

from koinotita.people.privacy import person_export
from koinotita.referrals.services import referral_step


def test_the_subject_access_export_carries_the_referrals_and_their_steps(alice, sam, sent, person):
    referral_step(actor=alice, referral=sent, to_state="accepted", note="Ραντεβού την Τρίτη")
    document = json.loads(person_export(actor=sam, person=person, fmt="json").content)
    [exported] = document["referrals"]
    assert exported["id"] == sent.pk and exported["state"] == "accepted"
    assert exported["reason"] == sent.reason and exported["to"]
    assert [s["to"] for s in exported["steps"]][-1] == "accepted"
    assert exported["steps"][-1]["note"] == "Ραντεβού την Τρίτη"
    assert person_export(actor=sam, person=person, fmt="pdf").content.startswith(b"%PDF")


def test_a_person_without_referrals_has_an_empty_list(sam, person, sent, network):
    from koinotita.cases.tests.conftest import make_person

    other = make_person(sam, network["kastoria"], "Άλλη", "Ελένη")
    document = json.loads(person_export(actor=sam, person=other, fmt="json").content)
    assert document["referrals"] == []
