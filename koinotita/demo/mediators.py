"""The demo mediator's outreach: Florina's Roma persons and a settlement of households,
assigned to the demo mediator by a supervisor of Florina (the mediator sees no one else)."""

from django.db import transaction

from koinotita.accounts.models import Role, RoleAssignment, User
from koinotita.organisations.models import Centre
from koinotita.people import services
from koinotita.people.models import Category, Household, MediatorAssignment, Person, Settlement

SETTLEMENT = "Οικισμός Ρομά Φλώρινας (δείγμα)"


def _supervisor(centre: Centre) -> User | None:
    found = (
        RoleAssignment.objects.filter(
            role=Role.SUPERVISOR, level="centre", centre=centre, is_active=True
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return found.user if found else None


@transaction.atomic
def demo_mediator_ensure(*, persons: int = 40, households: int = 10) -> int:
    """Assign the demo mediator their persons, once; the number of assignments made."""
    mediator = User.objects.filter(username="mediator").first()
    centre = Centre.objects.filter(code="florina").first()
    if mediator is None or centre is None:
        return 0
    if MediatorAssignment.objects.filter(mediator=mediator).exists():
        return 0
    supervisor = _supervisor(centre)
    if supervisor is None:
        return 0
    candidates = Person.objects.filter(
        centre=centre, merged_into__isnull=True, anonymised_at__isnull=True
    ).order_by("pk")
    roma = [p for p in candidates[:3000] if Category.ROMA in (p.categories or [])]
    chosen = roma[:persons] or list(candidates[:persons])
    made = 0
    for person in chosen:
        services.assignment_create(actor=supervisor, mediator=mediator, person=person)
        made += 1
    settlement = Settlement.objects.filter(centre=centre, name=SETTLEMENT).first()
    if settlement is None:
        settlement = services.settlement_create(actor=supervisor, centre=centre, name=SETTLEMENT)
    homes = Household.objects.filter(centre=centre, settlement__isnull=True).order_by("pk")
    for household in homes[:households]:
        services.household_settle(actor=supervisor, household=household, settlement=settlement)
    services.assignment_create(actor=supervisor, mediator=mediator, settlement=settlement)
    return made + 1
