"""Which centres may this user see, and act in, with which role — answered here only.

THE RULE. Every query on personal data is filtered by centre through `restrict()` (or a
selector built on it), never by hand in a view, an API endpoint, an export or a command.
Every personal table carries `centre_id` so that the data can be sharded by centre, and so
every personal query filters by centre; work across centres is aggregate-only.

A user's scope is the union of their active role assignments:

- a role at a *centre* opens that centre;
- at a *municipality*, every centre of that municipality;
- at a *region*, every centre of that region;
- *national*, every centre.

What a role opens depends on the capability asked for (see CAPABILITIES): a monitor sees
the network and aggregate figures but never a person; a partner sees no centre at all
(only the referrals addressed to their organisation: koinotita.referrals.selectors).

ASSIGNED PERSONS ONLY. A mediator's role opens personal data and case files of a centre only
for the persons assigned to them there (by person, household or settlement, by a supervisor:
koinotita.people.models.MediatorAssignment). In a centre where every role of the user that
gives the capability is such a role (`ASSIGNED_ONLY`), `restrict()` keeps only the rows whose
person (`person_field`) is assigned to the user; a query that names no person keeps none of
that centre's rows. The assigned persons come from the people app, which registers them with
`register_assigned_persons` (accounts sits below people).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Exists, OuterRef, Q, QuerySet

from koinotita.accounts.models import Role, RoleAssignment, ScopeLevel
from koinotita.organisations.models import Centre


class Capability(StrEnum):
    """What a user wants to do in a centre."""

    VIEW_NETWORK = "view_network"  # the centre exists, its sites, its public facts
    PERSONAL_DATA = "personal_data"  # persons, contacts, appointments of the centre
    CASE_FILES = "case_files"  # case files, assessments, plans, sessions
    CONFIDENTIAL_NOTES = "confidential_notes"
    SUPERVISE = "supervise"  # approvals, merges, privacy actions, audit trail, reports
    AGGREGATES = "aggregates"  # counts and indicators, never a person
    ADMINISTER = "administer"  # sites, users, catalogues, retention


CAPABILITIES: dict[Capability, frozenset[Role]] = {
    Capability.VIEW_NETWORK: frozenset(
        {
            Role.RECEPTION,
            Role.CASEWORKER,
            Role.MEDIATOR,
            Role.SUPERVISOR,
            Role.MONITOR,
            Role.ADMIN,
        }
    ),
    Capability.PERSONAL_DATA: frozenset(
        {Role.RECEPTION, Role.CASEWORKER, Role.MEDIATOR, Role.SUPERVISOR}
    ),
    Capability.CASE_FILES: frozenset({Role.CASEWORKER, Role.MEDIATOR, Role.SUPERVISOR}),
    Capability.CONFIDENTIAL_NOTES: frozenset({Role.CASEWORKER, Role.SUPERVISOR}),
    Capability.SUPERVISE: frozenset({Role.SUPERVISOR}),
    Capability.AGGREGATES: frozenset({Role.SUPERVISOR, Role.MONITOR}),
    Capability.ADMINISTER: frozenset({Role.ADMIN}),
}


# Roles that reach a centre's persons only through an assignment to them.
ASSIGNED_ONLY: frozenset[Role] = frozenset({Role.MEDIATOR})
# The capabilities that concern persons, which the assignment limits.
PERSON_CAPABILITIES: frozenset[Capability] = frozenset(
    {Capability.PERSONAL_DATA, Capability.CASE_FILES, Capability.CONFIDENTIAL_NOTES}
)


@dataclass(frozen=True)
class Scope:
    """The centres a user holds each role in. Built once per request by `scope_for`."""

    user_id: int | None
    roles_by_centre: dict[int, frozenset[Role]] = field(default_factory=dict)
    roles: frozenset[Role] = frozenset()

    def centre_ids(self, capability: Capability) -> frozenset[int]:
        allowed = CAPABILITIES[capability]
        return frozenset(cid for cid, roles in self.roles_by_centre.items() if roles & allowed)

    def allows(self, capability: Capability, centre_id: int | None) -> bool:
        if centre_id is None:
            return False
        return bool(self.roles_by_centre.get(centre_id, frozenset()) & CAPABILITIES[capability])

    def assigned_only_centre_ids(self, capability: Capability) -> frozenset[int]:
        """The centres where the user has `capability` only through roles limited to the
        persons assigned to them (a mediator's), for the person capabilities."""
        if capability not in PERSON_CAPABILITIES:
            return frozenset()
        allowed = CAPABILITIES[capability]
        return frozenset(
            cid
            for cid, roles in self.roles_by_centre.items()
            if roles & allowed and roles & allowed <= ASSIGNED_ONLY
        )

    def has_any(self, capability: Capability) -> bool:
        return bool(self.roles & CAPABILITIES[capability])

    @property
    def is_empty(self) -> bool:
        return not self.roles


_EMPTY = Scope(user_id=None)
_CACHE_ATTR = "_koinotita_scope"


def _centres_at(assignment: RoleAssignment) -> Q | None:
    if assignment.level == ScopeLevel.CENTRE:
        return Q(pk=assignment.centre_id)
    if assignment.level == ScopeLevel.MUNICIPALITY:
        return Q(municipality_id=assignment.municipality_id)
    if assignment.level == ScopeLevel.REGION:
        return Q(municipality__regional_unit__region_id=assignment.region_id)
    if assignment.level == ScopeLevel.NATIONAL:
        return Q()
    return None


def scope_for(user) -> Scope:
    """The user's scope, cached on the user object for the length of one request."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return _EMPTY
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    roles_by_centre: dict[int, set[Role]] = {}
    roles: set[Role] = set()
    assignments = RoleAssignment.objects.filter(user_id=user.pk, is_active=True).select_related(
        "centre"
    )
    for assignment in assignments:
        role = Role(assignment.role)
        roles.add(role)
        if role == Role.PARTNER:
            continue  # partners reach referrals through their organisation, not a centre
        if assignment.level == ScopeLevel.CENTRE:  # the common case: no further query
            if assignment.centre.is_active:
                roles_by_centre.setdefault(assignment.centre_id, set()).add(role)
            continue
        condition = _centres_at(assignment)
        if condition is None:
            continue
        for centre_id in Centre.objects.filter(condition, is_active=True).values_list(
            "pk", flat=True
        ):
            roles_by_centre.setdefault(centre_id, set()).add(role)
    scope = Scope(
        user_id=user.pk,
        roles_by_centre={cid: frozenset(r) for cid, r in roles_by_centre.items()},
        roles=frozenset(roles),
    )
    setattr(user, _CACHE_ATTR, scope)
    return scope


def forget_scope(user) -> None:
    """Drop the cached scope (after the user's roles changed within the same request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


# (user_id, centre_ids) -> a queryset of the ids of the persons assigned to the user there.
_ASSIGNED_PERSONS: list[Callable[[int, list[int]], QuerySet]] = []


def register_assigned_persons(source: Callable[[int, list[int]], QuerySet]) -> None:
    """The people app gives the persons assigned to a user (in its AppConfig.ready())."""
    if source not in _ASSIGNED_PERSONS:
        _ASSIGNED_PERSONS.append(source)


def assigned_persons(user, centre_ids: Iterable[int]) -> QuerySet | None:
    """The ids of the persons assigned to `user` in `centre_ids` (None: nobody assigned)."""
    if not _ASSIGNED_PERSONS:
        return None
    return _ASSIGNED_PERSONS[0](user.pk, sorted(centre_ids))


def restrict(
    queryset: QuerySet,
    user,
    capability: Capability,
    *,
    centre_field: str = "centre",
    person_field: str | None = None,
    about_persons: bool = True,
) -> QuerySet:
    """Filter `queryset` to the rows of the centres where `user` has `capability`.

    This is the one function personal queries go through. `centre_field` is the path to the
    owning centre (e.g. "centre" or "person__centre"); `person_field` the path to the person
    a row is about ("pk" for persons, "person", "persons"), by which the centres where the
    user sees only assigned persons (a mediator's) are filtered — without it, none of those
    centres' rows is kept. `about_persons=False` says the rows are not about persons (the
    centre's sites): every centre with the capability keeps them whole.
    """
    scope = scope_for(user)
    ids = scope.centre_ids(capability)
    if not ids:
        return queryset.none()
    limited = scope.assigned_only_centre_ids(capability) if about_persons else frozenset()
    if not limited:
        return queryset.filter(**{f"{centre_field}__in": sorted(ids)})
    condition = Q(**{f"{centre_field}__in": sorted(ids - limited)})
    assigned = assigned_persons(user, limited) if person_field else None
    if assigned is not None:
        rows = queryset.model._default_manager.filter(
            **{f"{centre_field}__in": sorted(limited), f"{person_field}__in": assigned}
        )
        condition |= Q(pk__in=rows.values("pk"))
    return queryset.filter(condition)


def centres_for(user, capability: Capability = Capability.VIEW_NETWORK) -> QuerySet[Centre]:
    return restrict(Centre.objects.all(), user, capability, centre_field="pk").select_related(
        "municipality__regional_unit__region"
    )


def assignments_opening(centre_ids: Iterable[int], capability: Capability) -> Q:
    """The active role assignments that give `capability` in one of `centre_ids`: who holds
    it there (the inverse of `scope_for`, for listing staff; tests check both agree)."""
    centre_ids = sorted(centre_ids)
    return Q(is_active=True, role__in=sorted(CAPABILITIES[capability])) & (
        Q(level=ScopeLevel.CENTRE, centre__in=centre_ids, centre__is_active=True)
        | Q(
            level=ScopeLevel.MUNICIPALITY,
            municipality__centres__in=centre_ids,
            municipality__centres__is_active=True,
        )
        | Q(
            level=ScopeLevel.REGION,
            region__regional_units__municipalities__centres__in=centre_ids,
            region__regional_units__municipalities__centres__is_active=True,
        )
        | Q(level=ScopeLevel.NATIONAL)
    )


def require(user, capability: Capability, centre_ids: Iterable[int]) -> bool:
    """True when the user has `capability` in every one of `centre_ids`."""
    scope = scope_for(user)
    return all(scope.allows(capability, cid) for cid in centre_ids)


def centres_of_user(user) -> frozenset[int]:
    """The active centres any active role assignment of `user` reaches, partner roles
    included: the centres whose administrators answer for this account. An account with no
    such role is answered for by the centre that created it (`User.created_at_centre`), if
    any and active; with neither, by national administrators only."""
    places = [
        _centres_at(assignment)
        for assignment in RoleAssignment.objects.filter(user_id=user.pk, is_active=True)
    ]
    places = [place for place in places if place is not None]
    reached: frozenset[int] = frozenset()
    if places:
        condition = Q()  # a national assignment's Q() opens every centre; `|` would drop it
        if all(places):
            condition = places[0]
            for place in places[1:]:
                condition |= place
        active = Centre.objects.filter(condition, is_active=True)
        reached = frozenset(active.values_list("pk", flat=True))
    if not reached and getattr(user, "created_at_centre_id", None):
        created = Centre.objects.filter(pk=user.created_at_centre_id, is_active=True)
        reached = frozenset(created.values_list("pk", flat=True))
    return reached


def _active_centre_ids() -> frozenset[int]:
    return frozenset(Centre.objects.filter(is_active=True).values_list("pk", flat=True))


def administered_centre_ids(admin) -> frozenset[int]:
    """The active centres `admin` administers (every one for a superuser)."""
    if admin is None or not getattr(admin, "is_authenticated", False) or not admin.is_active:
        return frozenset()
    if admin.is_superuser:
        return _active_centre_ids()
    return scope_for(admin).centre_ids(Capability.ADMINISTER)


def administers_everything(admin) -> bool:
    """A national administrator (or a superuser): their scope covers every active centre."""
    administered = administered_centre_ids(admin)
    return bool(administered) and administered >= _active_centre_ids()


def centres_at_place(level: str, place=None) -> frozenset[int]:
    """The active centres a role at `level` and `place` (a centre, a municipality, a region
    or None for national) opens: what a grant there gives."""
    condition = {
        ScopeLevel.CENTRE: lambda: Q(pk=place.pk),
        ScopeLevel.MUNICIPALITY: lambda: Q(municipality_id=place.pk),
        ScopeLevel.REGION: lambda: Q(municipality__regional_unit__region_id=place.pk),
        ScopeLevel.NATIONAL: lambda: Q(),
    }[ScopeLevel(level)]()
    return frozenset(Centre.objects.filter(condition, is_active=True).values_list("pk", flat=True))


def administers_place(admin, level: str, place=None) -> bool:
    """May `admin` give access at this place? Only when their administrator's scope covers
    every centre it opens: a municipality needs every centre of the municipality, a region
    every centre of the region, national a national administrator. A place that opens no
    active centre yet (it would open the centres added later) needs a national one."""
    if ScopeLevel(level) == ScopeLevel.NATIONAL or (level != ScopeLevel.CENTRE and not place):
        return administers_everything(admin)
    if place is None:
        return False
    opened = centres_at_place(level, place)
    if not opened:
        return administers_everything(admin)
    return opened <= administered_centre_ids(admin)


def administers_user(admin, user) -> bool:
    """Does `admin`'s scope cover the account `user`? A superuser's covers every account;
    an administrator's covers an account every centre of which they administer
    (`centres_of_user`: its roles' centres, or the centre that created a role-less one);
    an account with neither (or a superuser's) only a national administrator's."""
    if admin is None or not getattr(admin, "is_authenticated", False) or not admin.is_active:
        return False
    if admin.is_superuser:
        return True
    administered = scope_for(admin).centre_ids(Capability.ADMINISTER)
    if not administered:
        return False
    targets = centres_of_user(user)
    if user.is_superuser or not targets:
        return administered >= _active_centre_ids()
    return targets <= administered


def _assignments_reaching(centre_ids) -> Q:
    """Active role assignments (any role) that reach one of the active `centre_ids`."""
    centre_ids = sorted(centre_ids)
    return Q(is_active=True) & (
        Q(level=ScopeLevel.CENTRE, centre__in=centre_ids)
        | Q(level=ScopeLevel.MUNICIPALITY, municipality__centres__in=centre_ids)
        | Q(
            level=ScopeLevel.REGION,
            region__regional_units__municipalities__centres__in=centre_ids,
        )
        | Q(level=ScopeLevel.NATIONAL)
    )


def users_administered(admin, users: QuerySet) -> QuerySet:
    """`users` narrowed to the accounts `admin` administers: `administers_user` as one query
    (the admin user list; tests check both agree). An account qualifies when its roles reach
    administered centres and no other, or when it has none and was created at one."""
    if admin is None or not getattr(admin, "is_authenticated", False) or not admin.is_active:
        return users.none()
    if admin.is_superuser:
        return users
    administered = scope_for(admin).centre_ids(Capability.ADMINISTER)
    if not administered:
        return users.none()
    active = _active_centre_ids()
    if administered >= active:
        return users
    outside = active - administered
    reaching_in = RoleAssignment.objects.filter(
        _assignments_reaching(administered), user=OuterRef("pk")
    )
    reaching_out = RoleAssignment.objects.filter(
        _assignments_reaching(outside), user=OuterRef("pk")
    )
    return users.filter(is_superuser=False).filter(
        ~Exists(reaching_out)
        & (Exists(reaching_in) | Q(created_at_centre_id__in=sorted(administered)))
    )
