"""Reads of the directory.

The directory is not personal data: anyone may read what is public (the public page and API
show only active services of organisations, never a person), so reads are not centre-scoped.
Cooperation protocols belong to a centre and are read through `restrict()`.
"""

from __future__ import annotations

import math
import uuid
from datetime import date

from django.db.models import (
    Aggregate,
    CharField,
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404
from django.utils.translation import get_language

from koinotita.accounts.scoping import Capability, restrict, scope_for
from koinotita.directory import plugins
from koinotita.directory.models import (
    ChangeReport,
    CooperationProtocol,
    Location,
    Organization,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceCapacity,
    ServiceStatus,
)
from koinotita.lib.greek import phonetic, search_terms, stem_key
from koinotita.organisations.models import Centre, Municipality

SEARCH_LIMIT = 50
LISTING_FIELDS = (
    "id",
    "name",
    "status",
    "needs",
    "eligibility_categories",
    "is_sample",
    "accepting_referrals",
    "wait_time_days",
    "wait_time",
    "organization__id",
    "organization__name",
)


class _JoinedText(Aggregate):
    """Text values joined with ", " (STRING_AGG on PostgreSQL, GROUP_CONCAT on SQLite)."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ', ')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra)


def _english() -> bool:
    return (get_language() or "el").startswith("en")


def area_label(service: Service) -> str:
    """The municipalities a listed service serves, in the active language (computed by
    `service_search(listing=True)` in that language)."""
    return getattr(service, "area_names", None) or ""


def uuid_or_404(pk) -> uuid.UUID:
    if isinstance(pk, uuid.UUID):
        return pk
    try:
        return uuid.UUID(str(pk))
    except (TypeError, ValueError, AttributeError):
        raise Http404 from None


def _service_text(service: Service, organization: Organization) -> str:
    return " ".join(
        [
            service.name,
            service.alternate_name,
            service.description[:600],
            organization.name,
            organization.alternate_name,
        ]
    )


def service_search_key(service: Service, organization: Organization | None = None) -> str:
    """The phonetic words a service is found by: its names and description, and its
    organisation's names. Stored with a leading and trailing space so that a term can be
    anchored to a word start (" term")."""
    organization = organization or service.organization
    return f" {phonetic(_service_text(service, organization))[:1990]} "


def service_stem_key(service: Service, organization: Organization | None = None) -> str:
    """The Snowball stems of the same words (lib.greek.stem_key), cut at a word end."""
    key = stem_key(_service_text(service, organization or service.organization))
    if len(key) > 2000:
        key = key[: key.rindex(" ", 0, 2000) + 1]
    return key


def text_filter(text: str) -> Q:
    """Every word of `text` as lib.greek.search_terms reads it: its phonetic form starts a
    word of the search key, or its stem starts a word of the stem key, or a shorter stem of
    it is a whole word there. The staff and public directory pages and the HSDS API."""
    condition = Q()
    for term in search_terms(text):
        either = Q(search_key__contains=f" {term.phonetic}") if term.phonetic else Q(pk=None)
        if term.stem:
            either |= Q(stem_key__contains=f" {term.stem}")
            for prefix in term.stem_prefixes:
                either |= Q(stem_key__contains=f" {prefix} ")
        condition &= either
    return condition


def organisation_search_key(organization: Organization) -> str:
    text = " ".join([organization.name, organization.alternate_name])
    return f" {phonetic(text)[:990]} "


def service_queryset() -> QuerySet[Service]:
    return Service.objects.select_related("organization")


def service_get(pk, *, active_only: bool = False) -> Service:
    """One service with its organisation (404 when there is none)."""
    qs = service_queryset()
    if active_only:
        qs = qs.filter(status=ServiceStatus.ACTIVE)
    service = qs.filter(pk=uuid_or_404(pk)).first()
    if service is None:
        raise Http404
    return service


def organisation_get(pk) -> Organization:
    organization = Organization.objects.filter(pk=uuid_or_404(pk)).first()
    if organization is None:
        raise Http404
    return organization


def organisation_list() -> QuerySet[Organization]:
    return Organization.objects.select_related("municipality").order_by("name")


def service_search(
    *,
    text: str = "",
    need: str = "",
    category: str = "",
    municipality=None,
    organization=None,
    accepting_referrals: bool | None = None,
    include_inactive: bool = False,
    limit: int | None = SEARCH_LIMIT,
    listing: bool = False,
) -> QuerySet[Service]:
    """Services by need, category of beneficiaries, municipality and text.

    `listing` loads only what a list of results shows (name, needs, capacity, organisation
    name, municipalities served): the search page and the API's pages.

    Text is Greek-aware (`text_filter`): every word of the query must meet a word of the
    service's or its organisation's names or description, by its phonetic form (accents,
    final sigma, Greeklish) or by its Greek stem (τροφίμων finds τρόφιμα). A municipality
    matches the services whose service area names it, or that are offered at a location in
    it.
    """
    qs = service_queryset()
    if not include_inactive:
        qs = qs.filter(status=ServiceStatus.ACTIVE)
    if need:
        qs = qs.filter(needs_key__contains=f" {need} ")
    if category:
        qs = qs.filter(categories_key__contains=f" {category} ")
    if organization is not None:
        qs = qs.filter(organization_id=getattr(organization, "pk", organization))
    if accepting_referrals is not None:
        qs = qs.filter(accepting_referrals=accepting_referrals)
    if municipality is not None:
        # Two uncorrelated subqueries: each is run once and hashed (a correlated EXISTS per
        # service was 30× slower at 5,000 services; see bench/directory.py).
        municipality_id = getattr(municipality, "pk", municipality)
        in_area = ServiceArea.objects.filter(municipality_id=municipality_id).values("service_id")
        at_location = ServiceAtLocation.objects.filter(
            location__municipality_id=municipality_id
        ).values("service_id")
        qs = qs.filter(Q(pk__in=in_area) | Q(pk__in=at_location))
    if text.strip():
        qs = qs.filter(text_filter(text))
    qs = qs.order_by("name", "pk")
    if listing:
        # One query: the municipalities served come as one string in the active language
        # (English names where there is one), computed by the database for the rows shown
        # only — one correlated aggregate, not one per language.
        name = F("municipality__name")
        if _english():
            name = Coalesce(NullIf(F("municipality__name_en"), Value("")), name)
        names = Subquery(
            ServiceArea.objects.filter(service_id=OuterRef("pk"), municipality__isnull=False)
            .order_by()
            .values("service_id")
            .annotate(joined=_JoinedText(name))
            .values("joined")[:1]
        )
        qs = qs.only(*LISTING_FIELDS).annotate(area_names=names)
    else:
        areas = ServiceArea.objects.select_related("municipality").order_by("name")
        qs = qs.prefetch_related(Prefetch("service_areas", queryset=areas))
    if limit is not None:
        qs = qs[:limit]
    return qs


def service_detail(pk, *, active_only: bool = False) -> Service:
    """A service with everything the detail page and the HSDS API show, prefetched."""
    qs = service_queryset().prefetch_related(
        "phones",
        "schedules",
        "service_areas__municipality",
        "languages",
        "cost_options",
        "required_documents",
        "contacts__phones",
        Prefetch("capacities", queryset=_capacities()),
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related("location").prefetch_related(
                "location__addresses", "location__phones", "location__schedules"
            ),
        ),
    )
    if active_only:
        qs = qs.filter(status=ServiceStatus.ACTIVE)
    service = qs.filter(pk=uuid_or_404(pk)).first()
    if service is None:
        raise Http404
    return service


def location_list() -> QuerySet[Location]:
    return Location.objects.select_related("organization", "municipality").prefetch_related(
        "addresses"
    )


def protocol_list_for(user) -> QuerySet[CooperationProtocol]:
    """Cooperation protocols of the centres the user may see."""
    return restrict(
        CooperationProtocol.objects.select_related("organization", "centre"),
        user,
        Capability.VIEW_NETWORK,
    )


def protocol_get_for(user, pk: int) -> CooperationProtocol:
    protocol = protocol_list_for(user).filter(pk=pk).first()
    if protocol is None:
        raise Http404
    return protocol


def protocol_centres_for(user):
    """The centres where the user may record cooperation protocols."""

    scope = scope_for(user)
    ids = scope.centre_ids(Capability.SUPERVISE) | scope.centre_ids(Capability.ADMINISTER)
    return Centre.objects.filter(pk__in=sorted(ids)).order_by("name")


def organisation_detail(pk) -> Organization:
    organization = (
        Organization.objects.select_related("municipality", "parent_organization")
        .prefetch_related(
            "phones",
            "contacts__phones",
            Prefetch("services", queryset=Service.objects.order_by("name")),
            Prefetch(
                "locations",
                queryset=Location.objects.select_related("municipality").prefetch_related(
                    "addresses"
                ),
            ),
        )
        .filter(pk=uuid_or_404(pk))
        .first()
    )
    if organization is None:
        raise Http404
    return organization


def can_edit_directory(user, organization: Organization | None = None) -> bool:
    """Administrators may change the whole directory; a supervisor, the organisations whose
    seat is in a municipality of one of their centres."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    scope = scope_for(user)
    if scope.has_any(Capability.ADMINISTER):
        return True
    if organization is None or organization.municipality_id is None:
        return False

    centre_ids = scope.centre_ids(Capability.SUPERVISE)
    return Centre.objects.filter(
        pk__in=centre_ids, municipality_id=organization.municipality_id
    ).exists()


def editable_organisations(user) -> QuerySet[Organization]:
    """The organisations `user` may change: the same rule as `can_edit_directory`, as a
    query (everything for an administrator; for a supervisor, those seated in a
    municipality of one of their centres; nothing for anyone else)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Organization.objects.none()
    scope = scope_for(user)
    if user.is_superuser or scope.has_any(Capability.ADMINISTER):
        return Organization.objects.all()
    municipalities = Centre.objects.filter(pk__in=scope.centre_ids(Capability.SUPERVISE)).values(
        "municipality_id"
    )
    return Organization.objects.filter(municipality_id__in=municipalities)


VERIFY_EVERY_MONTHS = 12


def verification_due_before(today) -> date:
    """A record last verified before this day is due for verification again."""
    try:
        return today.replace(year=today.year - VERIFY_EVERY_MONTHS // 12)
    except ValueError:  # 29 February
        return today.replace(year=today.year - VERIFY_EVERY_MONTHS // 12, day=28)


def services_to_verify(user, *, today) -> QuerySet[Service]:
    """Active services `user` may change that nobody has verified for twelve months (or
    ever), the oldest first, with the number of changes reported and not yet resolved."""
    return (
        Service.objects.filter(
            organization__in=editable_organisations(user), status=ServiceStatus.ACTIVE
        )
        .filter(
            Q(last_verified_on__isnull=True)
            | Q(last_verified_on__lt=verification_due_before(today))
        )
        .select_related("organization__municipality")
        .annotate(open_reports=Count("change_reports", filter=Q(change_reports__resolved_at=None)))
        .order_by(F("last_verified_on").asc(nulls_first=True), "name", "pk")
    )


def change_reports_open(user) -> QuerySet[ChangeReport]:
    """Changes reported on services `user` may change, not yet resolved by a verification."""
    return (
        ChangeReport.objects.filter(
            service__organization__in=editable_organisations(user), resolved_at=None
        )
        .select_related("service__organization")
        .order_by("-reported_at", "-pk")
    )


def hsds_services(
    *,
    search: str = "",
    taxonomy_term: dict | None = None,
    taxonomy: str = "",
    organization=None,
    modified_after=None,
    municipality=None,
    need: str = "",
    category: str = "",
    accepting_referrals: bool | None = None,
) -> QuerySet[Service]:
    """Active services for the HSDS API: `service_search`'s filters, plus one term or one
    taxonomy of Koinotita's (koinotita.directory.hsds.catalogue_terms) and a date of change.
    A term or taxonomy that no service can carry matches nothing."""
    from_term = {"need": need, "category": category, "municipality": municipality}
    qs = Service.objects.none()
    if taxonomy_term is not None:
        code, name = taxonomy_term["code"], taxonomy_term["taxonomy"]
        if name == "koinotita-need":
            from_term["need"] = code
        elif name == "koinotita-beneficiary-category":
            from_term["category"] = code
        elif name == "koinotita-municipality":
            from_term["municipality"] = Municipality.objects.filter(code=code).first()
            if from_term["municipality"] is None:
                return qs
        elif name != "koinotita-organization-kind":
            return qs
    qs = service_search(
        text=search,
        need=from_term["need"],
        category=from_term["category"],
        municipality=from_term["municipality"],
        organization=organization,
        accepting_referrals=accepting_referrals,
        limit=None,
    )
    if taxonomy_term is not None and taxonomy_term["taxonomy"] == "koinotita-organization-kind":
        qs = qs.filter(organization__kind=taxonomy_term["code"])
    if taxonomy == "koinotita-need":
        qs = qs.exclude(needs_key="")
    elif taxonomy == "koinotita-beneficiary-category":
        qs = qs.exclude(categories_key="")
    elif taxonomy == "koinotita-municipality":
        qs = qs.filter(
            Q(service_areas__municipality__isnull=False)
            | Q(service_at_locations__location__municipality__isnull=False)
        ).distinct()
    elif taxonomy and taxonomy != "koinotita-organization-kind":
        return Service.objects.none()
    if modified_after is not None:
        qs = qs.filter(updated_at__gte=modified_after)
    return qs


def hsds_service_at_locations(
    *, services: QuerySet[Service], postcode: str = "", proximity_m: float | None = None
) -> list[ServiceAtLocation]:
    """The services at locations of some services, in order. `postcode` keeps those whose
    location has an address with that postal code or, with `proximity_m`, those within that
    many metres of the postcode's centre (the mean position of the directory's locations
    with an address there)."""
    qs = (
        ServiceAtLocation.objects.filter(service__in=services.values("pk"))
        .select_related("location")
        .order_by("service__name", "location__name", "pk")
    )
    if not postcode:
        return list(qs)
    code = postcode.replace(" ", "")
    at_code = Location.objects.filter(addresses__postal_code__in=[postcode, code])
    if proximity_m is None:
        return list(qs.filter(location__in=at_code.values("pk")))
    points = [
        (float(lat), float(lon))
        for lat, lon in at_code.exclude(latitude=None)
        .exclude(longitude=None)
        .values_list("latitude", "longitude")
    ]
    if not points:
        return []
    centre = (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
    found = []
    for sal in qs.exclude(location__latitude=None).exclude(location__longitude=None):
        point = (float(sal.location.latitude), float(sal.location.longitude))
        if distance_m(centre, point) <= proximity_m:
            found.append(sal)
    return found


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in metres between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


def capacity_services_for(user) -> QuerySet[Service]:
    """The services whose capacity `user` keeps: of the organisations a registered keeper
    names for them (a partner's), and of those they may edit (a supervisor's municipalities;
    an administrator, all)."""
    from_keepers = plugins.capacity_organisation_ids(user)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Service.objects.none()
    scope = scope_for(user)
    condition = Q(organization_id__in=sorted(from_keepers))
    if user.is_superuser or scope.has_any(Capability.ADMINISTER):
        condition = Q()
    else:
        municipalities = Centre.objects.filter(
            pk__in=scope.centre_ids(Capability.SUPERVISE)
        ).values("municipality_id")
        condition |= Q(organization__municipality_id__in=municipalities)
    return (
        Service.objects.filter(condition)
        .select_related("organization")
        .prefetch_related(Prefetch("capacities", queryset=_capacities()))
        .order_by("organization__name", "name", "pk")
    )


def _capacities():
    return ServiceCapacity.objects.select_related("unit").order_by("unit__name")


def capacity_get(pk) -> ServiceCapacity:
    capacity = (
        ServiceCapacity.objects.select_related("service__organization", "unit")
        .filter(pk=uuid_or_404(pk))
        .first()
    )
    if capacity is None:
        raise Http404
    return capacity


def is_staff_of_a_centre(user) -> bool:
    """A member of a centre's staff (not a partner, not a citizen)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or scope_for(user).has_any(Capability.VIEW_NETWORK)
