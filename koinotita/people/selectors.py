"""Reads of persons, always through the centre scope (koinotita.accounts.scoping)."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from koinotita.accounts.scoping import Capability, restrict
from koinotita.audit.services import audit_record
from koinotita.people.models import Consent, Person


def person_list_for(user, capability: Capability = Capability.PERSONAL_DATA) -> QuerySet[Person]:
    """Active persons (not merged away, not anonymised) of the centres the user may see."""
    return restrict(
        Person.objects.filter(merged_into__isnull=True, anonymised_at__isnull=True),
        user,
        capability,
    )


def person_get_for(user, pk: int, *, request=None, audit: bool = True) -> Person:
    """One person in scope (404 otherwise); reading it is audited."""
    person = (
        person_list_for(user)
        .select_related("centre", "residence_municipality", "household")
        .filter(pk=pk)
        .first()
    )
    if person is None:
        raise Http404
    if audit:
        audit_record(action="person.read", actor=user, obj=person, request=request)
    return person


def consent_active(person: Person, purpose: str) -> bool:
    today = timezone.localdate()
    return Consent.objects.filter(
        person=person, purpose=purpose, given_on__lte=today, withdrawn_on__isnull=True
    ).exists()


def consent_list_for_person(person: Person) -> QuerySet[Consent]:
    return Consent.objects.filter(person=person).select_related("recorded_by").order_by("-given_on")


def household_members(person: Person) -> list[Person]:
    """The other active members of the person's household (same centre by construction)."""
    if person.household_id is None:
        return []
    return list(
        Person.objects.filter(
            household_id=person.household_id,
            merged_into__isnull=True,
            anonymised_at__isnull=True,
            centre_id=person.centre_id,
        )
        .exclude(pk=person.pk)
        .order_by("household_relationship", "birth_date")
    )
