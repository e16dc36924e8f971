"""A mediator sees only the persons assigned to them — by person, household or settlement,
by a supervisor of the centre, audited — in search, on the person page, in contacts and
referrals, through the API; never a case note."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from koinotita.accounts.scoping import Capability, scope_for
from koinotita.audit.models import AuditEvent
from koinotita.people import services
from koinotita.people.models import MediatorAssignment
from koinotita.people.search import person_search
from koinotita.people.selectors import household_list_for, person_list_for
from koinotita.testing.clients import api_client, logged_in
from koinotita.testing.people import person_make
from koinotita.testing.users import user_with_role


@pytest.fixture
def mia(network):
    return user_with_role("mia", "mediator", "centre", network["kastoria"])


def _person(actor, centre, family, given="Άννα"):
    return person_make(
        actor=actor, centre=centre, fields={"family_name": family, "given_name": given, "sex": "F"}
    )


@pytest.fixture
def persons(alice, network):
    kastoria = network["kastoria"]
    return {
        "assigned": _person(alice, kastoria, "Ανατεθειμένη"),
        "household": _person(alice, kastoria, "Νοικοκυρά"),
        "settled": _person(alice, kastoria, "Οικισμένη"),
        "unassigned": _person(alice, kastoria, "Ξένη"),
    }


@pytest.fixture
def assigned(sam, mia, alice, persons):
    services.household_join(actor=alice, person=persons["household"], relationship="head")
    persons["household"].refresh_from_db()
    services.household_join(actor=alice, person=persons["settled"], relationship="head")
    persons["settled"].refresh_from_db()
    settlement = services.settlement_create(
        actor=sam, centre=persons["settled"].centre, name="Οικισμός Αγίου Γεωργίου"
    )
    services.household_settle(
        actor=sam, household=persons["settled"].household, settlement=settlement
    )
    services.assignment_create(actor=sam, mediator=mia, person=persons["assigned"])
    services.assignment_create(actor=sam, mediator=mia, household=persons["household"].household)
    services.assignment_create(actor=sam, mediator=mia, settlement=settlement)
    return persons


def test_mediator_sees_no_person_without_an_assignment(mia, persons):
    assert list(person_list_for(mia)) == []
    assert person_search(mia, "Ξένη").persons == []


def test_mediator_sees_persons_assigned_by_person_household_and_settlement(mia, assigned):
    seen = set(person_list_for(mia).values_list("family_name", flat=True))
    assert seen == {"Ανατεθειμένη", "Νοικοκυρά", "Οικισμένη"}
    assert [p.family_name for p in person_search(mia, "Ξένη").persons] == []
    assert [p.family_name for p in person_search(mia, "Οικισμένη").persons] == ["Οικισμένη"]
    assert household_list_for(mia).count() == 2


def test_caseworker_still_sees_the_whole_centre(alice, assigned):
    assert person_list_for(alice).count() == 4


def test_mediator_cannot_open_an_unassigned_person(mia, assigned):
    client = logged_in(mia)
    ok = client.get(reverse("people-person-detail", args=[assigned["assigned"].pk]))
    assert ok.status_code == 200
    away = client.get(reverse("people-person-detail", args=[assigned["unassigned"].pk]))
    assert away.status_code == 404
    api = api_client(mia)
    assert api.get(f"/api/v1/people/{assigned['unassigned'].pk}").status_code == 404
    assert api.get(f"/api/v1/people/{assigned['assigned'].pk}").status_code == 200


def test_ended_assignment_closes_the_person_again(sam, mia, assigned):
    assignment = MediatorAssignment.objects.get(person=assigned["assigned"])
    services.assignment_end(actor=sam, assignment=assignment)
    assert not person_list_for(mia).filter(pk=assigned["assigned"].pk).exists()
    with pytest.raises(ValidationError):
        services.assignment_end(actor=sam, assignment=assignment)


def test_only_a_supervisor_assigns_and_only_to_a_mediator(alice, sam, mia, bob, persons):
    with pytest.raises(PermissionDenied):
        services.assignment_create(actor=alice, mediator=mia, person=persons["unassigned"])
    with pytest.raises(ValidationError):
        services.assignment_create(actor=sam, mediator=bob, person=persons["unassigned"])
    with pytest.raises(ValidationError):
        services.assignment_create(actor=sam, mediator=mia)
    services.assignment_create(actor=sam, mediator=mia, person=persons["unassigned"])
    with pytest.raises(ValidationError):  # twice: refused
        services.assignment_create(actor=sam, mediator=mia, person=persons["unassigned"])


def test_assignment_is_audited(sam, mia, persons):
    services.assignment_create(actor=sam, mediator=mia, person=persons["unassigned"])
    event = AuditEvent.objects.filter(action="mediator.assigned").latest("at")
    assert event.actor_id == sam.pk and event.detail["mediator"] == mia.pk


def test_a_person_a_mediator_registers_is_assigned_to_them(mia, network):
    person = _person(mia, network["kastoria"], "Καινούργια")
    assert person_list_for(mia).filter(pk=person.pk).exists()


def test_mediator_scope_is_limited_only_where_mediator_is_the_only_role(mia, network):
    scope = scope_for(mia)
    assert scope.assigned_only_centre_ids(Capability.PERSONAL_DATA) == {network["kastoria"].pk}
    assert scope.assigned_only_centre_ids(Capability.VIEW_NETWORK) == frozenset()


def test_assignment_page_for_supervisor_and_mediator(sam, mia, persons):
    client = logged_in(sam)
    page = reverse("people-assignment-list")
    assert client.get(page).status_code == 200
    response = client.post(page, {"mediator": mia.pk, "person": persons["unassigned"].pk})
    assert response.status_code == 302
    assert person_list_for(mia).filter(pk=persons["unassigned"].pk).exists()
    bad = client.post(page, {"mediator": mia.pk})
    assert bad.status_code == 200 and "Ανάθεση ενός μόνο" in bad.content.decode()
    client.post(page, {"name": "Οικισμός Κάτω"})
    assignment = MediatorAssignment.objects.get(person=persons["unassigned"])
    client.post(reverse("people-assignment-end", args=[assignment.pk]))
    assert not person_list_for(mia).filter(pk=persons["unassigned"].pk).exists()
    client = logged_in(mia)
    assert client.get(page).status_code == 200
    assert client.post(page, {"mediator": mia.pk, "person": 1}).status_code == 403


def test_other_centre_supervisor_gets_404_ending_an_assignment(sam, mia, persons, charlie):
    assignment = services.assignment_create(actor=sam, mediator=mia, person=persons["unassigned"])
    client = logged_in(charlie)
    assert client.post(reverse("people-assignment-end", args=[assignment.pk])).status_code == 404
