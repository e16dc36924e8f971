"""Reads of persons, always through the centre scope (koinotita.accounts.scoping)."""

from collections.abc import Iterable
from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from koinotita.accounts.scoping import Capability, restrict, scope_for
from koinotita.audit.services import audit_record
from koinotita.people.models import Consent, Household, MediatorAssignment, Person, Settlement


def person_list_for(user, capability: Capability = Capability.PERSONAL_DATA) -> QuerySet[Person]:
    """Active persons (not merged away, not anonymised) of the centres the user may see (a
    mediator: only those assigned to them, see `assigned_person_ids`)."""
    return restrict(
        Person.objects.filter(merged_into__isnull=True, anonymised_at__isnull=True),
        user,
        capability,
        person_field="pk",
    )


def person_labels_for(user, ids: list[str]) -> dict[str, str]:
    """{id: "Family Given"} of those of `ids` (audit object ids, text) the user may see:
    the audit page's names of persons (koinotita.audit.actions.object_labels)."""
    numbers = [int(i) for i in ids if i.isdigit()]
    persons = person_list_for(user).filter(pk__in=numbers).only("family_name", "given_name")
    return {str(p.pk): str(p) for p in persons}


def assigned_person_ids(user_id: int, centre_ids: list[int]) -> QuerySet:
    """THE persons assigned to a mediator in `centre_ids`: by an assignment in force naming
    the person, their household, or their household's settlement (registered with
    accounts.scoping in PeopleConfig.ready(); `restrict` calls it)."""
    active = MediatorAssignment.objects.filter(
        mediator_id=user_id, centre_id__in=centre_ids, ended_at__isnull=True
    )
    return (
        Person.objects.filter(centre_id__in=centre_ids)
        .filter(
            Q(pk__in=active.filter(person__isnull=False).values("person_id"))
            | Q(household_id__in=active.filter(household__isnull=False).values("household_id"))
            | Q(
                household__settlement_id__in=active.filter(settlement__isnull=False).values(
                    "settlement_id"
                )
            )
        )
        .values("pk")
    )


def assignment_list_for(user) -> QuerySet[MediatorAssignment]:
    """The assignments in force at the centres the user supervises."""
    return (
        restrict(MediatorAssignment.objects.all(), user, Capability.SUPERVISE)
        .filter(ended_at__isnull=True)
        .select_related("mediator", "person", "household", "settlement", "centre")
        .order_by("mediator__last_name", "mediator__username", "-assigned_at")
    )


def assignment_get_for(user, pk: int) -> MediatorAssignment:
    assignment = assignment_list_for(user).filter(pk=pk).first()
    if assignment is None:
        raise Http404
    return assignment


def my_assignments(user) -> QuerySet[MediatorAssignment]:
    """The assignments in force given to `user` (a mediator's outreach)."""
    return (
        MediatorAssignment.objects.filter(mediator=user, ended_at__isnull=True)
        .filter(centre_id__in=sorted(scope_for(user).centre_ids(Capability.PERSONAL_DATA)))
        .select_related("person", "household", "settlement")
        .order_by("-assigned_at")
    )


def household_list_for(user) -> QuerySet:
    return restrict(Household.objects.all(), user, Capability.PERSONAL_DATA, person_field="members")


def settlement_list_for(user, capability: Capability = Capability.SUPERVISE):
    return restrict(Settlement.objects.all(), user, capability).order_by("name")


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


def persons_listed(
    user,
    *,
    action: str,
    persons: Iterable[int],
    request=None,
    centre=None,
    shown_centres: Iterable[int] = (),
    detail: dict | None = None,
):
    """Audit one read of a list (a page of cases, referrals, persons…): ONE event naming the
    persons it showed (`detail["persons"]`, their ids), like a calendar's or a search's.

    The event goes to the chain of `centre` if given, else of the user's own centre (the
    lowest where they see persons), else (a partner) of the lowest centre among the rows
    shown. Every list page and list endpoint that shows persons calls this once per read."""
    if centre is None:
        own = scope_for(user).centre_ids(Capability.PERSONAL_DATA) or frozenset(shown_centres)
        centre = min(own) if own else None
    return audit_record(
        action=action,
        actor=user,
        request=request,
        centre=centre,
        detail={**(detail or {}), "persons": sorted(set(persons))},
    )


def consents_in_force(*, centre_id: int, purpose: str, on: date | None = None):
    """THE definition of a consent in force on `on` (today): given on or before that day
    and not withdrawn by then. Every check of consent goes through here or through
    `consent_in_force`."""
    on = on or timezone.localdate()
    return Consent.objects.filter(centre_id=centre_id, purpose=purpose, given_on__lte=on).filter(
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on)
    )


def is_in_force(consent: Consent, *, on: date | None = None) -> bool:
    """The same rule as `consents_in_force`, for a consent already read."""
    on = on or timezone.localdate()
    return consent.given_on <= on and (consent.withdrawn_on is None or consent.withdrawn_on > on)


def consent_in_force(person: Person, purpose: str, *, on: date | None = None) -> bool:
    """Whether `person` has a consent for `purpose` in force on `on` (today)."""
    return (
        consents_in_force(centre_id=person.centre_id, purpose=purpose, on=on)
        .filter(person=person)
        .exists()
    )


def consent_list_for_person(person: Person) -> QuerySet[Consent]:
    return Consent.objects.filter(person=person).select_related("recorded_by").order_by("-given_on")


def consent_get_for_person(person: Person, consent_pk: int) -> Consent:
    """One of `person`'s consents (404 if it is another person's)."""
    consent = consent_list_for_person(person).filter(pk=consent_pk).first()
    if consent is None:
        raise Http404
    return consent


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
