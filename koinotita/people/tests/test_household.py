import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from koinotita.audit.models import AuditEvent
from koinotita.people.services import household_join, household_leave
from koinotita.testing.people import person_make


def register(actor, centre, family, given):
    return person_make(
        actor=actor, centre=centre, fields={"family_name": family, "given_name": given}
    )


@pytest.fixture
def family(alice, network):
    k = network["kastoria"]
    return (
        register(alice, k, "Ρομά", "Νίκος"),
        register(alice, k, "Ρομά", "Άννα"),
        register(alice, k, "Ρομά", "Λίνα"),
    )


def test_members_join_a_household_with_relationships(alice, family):
    father, mother, child = family
    household = household_join(
        actor=alice, person=mother, relationship="partner", with_person=father
    )
    household_join(actor=alice, person=child, relationship="child", with_person=father)
    father.refresh_from_db()
    assert father.household == household and father.household_relationship == "head"
    assert set(household.members.values_list("given_name", flat=True)) == {"Νίκος", "Άννα", "Λίνα"}
    assert AuditEvent.objects.filter(action="household.joined").count() == 2


def test_leaving_a_household(alice, family):
    father, mother, _child = family
    household_join(actor=alice, person=mother, relationship="partner", with_person=father)
    household_leave(actor=alice, person=mother)
    mother.refresh_from_db()
    assert mother.household is None and mother.household_relationship == ""


def test_bad_household_requests(alice, charlie, family, network):
    father, mother, _child = family
    with pytest.raises(ValidationError):
        household_join(actor=alice, person=mother, relationship="cousin", with_person=father)
    with pytest.raises(ValidationError):
        household_join(actor=alice, person=mother, relationship="partner", with_person=mother)
    stranger = register(charlie, network["florina"], "Ξένος", "Πέτρος")
    with pytest.raises(ValidationError):
        household_join(actor=alice, person=mother, relationship="partner", with_person=stranger)


def test_household_page(alice, charlie, family, network, client_for):
    father, mother, _child = family
    url = reverse("people-household-edit", args=[mother.pk])
    response = client_for(alice).post(url, {"relationship": "partner", "with_person": father.pk})
    assert response.status_code == 302
    page = client_for(alice).get(reverse("people-person-detail", args=[father.pk]))
    assert "Άννα" in page.content.decode()
    assert client_for(charlie).get(url).status_code == 404


def test_household_page_does_not_reveal_records_of_other_centres(
    alice, charlie, family, network, client_for
):
    stranger = register(charlie, network["florina"], "Ξένος", "Πέτρος")
    _father, mother, _child = family
    url = reverse("people-household-edit", args=[mother.pk])
    response = client_for(alice).post(url, {"relationship": "partner", "with_person": stranger.pk})
    assert response.status_code == 200
    assert "Ξένος" not in response.content.decode()
    mother.refresh_from_db()
    assert mother.household is None
