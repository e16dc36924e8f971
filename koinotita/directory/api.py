"""The public directory as a read-only, HSDS-shaped API (`/api/v1/directory/...`).

No token is needed: the directory is public and holds no personal data (the names of
contact persons and who verified a record are left out). Lists are HSDS pages
(`total_items`, `total_pages`, `page_number`, `size`, `first_page`, `last_page`, `empty`,
`contents`); a service or an organisation comes whole, as in HSDS's `service_full` and
`organization_full` examples. Only active services are shown.
"""

import math

from django.http import Http404
from ninja import Query, Router, Schema

from koinotita.directory import hsds
from koinotita.directory.models import Need, Organization, ServiceStatus
from koinotita.directory.selectors import organisation_list, service_search, uuid_or_404
from koinotita.lib.greek import phonetic
from koinotita.organisations.models import Municipality
from koinotita.people.models import Category

router = Router(tags=["directory"])
MAX_PER_PAGE = 100


class PageQuery(Schema):
    page: int = 1
    per_page: int = 20


class ServiceQuery(PageQuery):
    search: str = ""
    need: str = ""
    category: str = ""
    municipality: str = ""
    organization_id: str = ""
    accepting_referrals: bool | None = None


def _page(items: list, total: int, page: int, size: int) -> dict:
    pages = max(1, math.ceil(total / size)) if size else 1
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page,
        "size": size,
        "first_page": page == 1,
        "last_page": page >= pages,
        "empty": not items,
        "contents": items,
    }


def _bounds(query: PageQuery) -> tuple[int, int]:
    page = max(1, query.page)
    size = min(max(1, query.per_page), MAX_PER_PAGE)
    return page, size


def service_documents(service_ids: list) -> list[dict]:
    """Whole HSDS services, each with its organisation and locations, in the given order."""
    if not service_ids:
        return []
    package = hsds.nest(hsds.export_tables(service_ids=service_ids, public=True))
    by_id, locations = {}, {}
    for organization in package:
        for location in organization["locations"]:
            locations[location["id"]] = location
    for organization in package:
        basic = {k: v for k, v in organization.items() if not isinstance(v, list)}
        basic["attributes"] = organization["attributes"]
        for service in organization["services"]:
            service["organization"] = basic
            for sal in service["service_at_locations"]:
                if "location" not in sal and sal["location_id"] in locations:
                    sal["location"] = locations[sal["location_id"]]
            by_id[service["id"]] = service
    return [by_id[str(pk)] for pk in service_ids if str(pk) in by_id]


@router.get("/directory/", auth=None, summary="About this HSDS API")
def directory_root(request):
    return {
        "version": "3.0",
        "profile": "https://openreferral.org/hsds/3.0",
        "openapi_url": request.build_absolute_uri("/api/v1/openapi.json"),
    }


@router.get("/directory/services", auth=None, summary="Services (HSDS page)")
def services_list(request, query: Query[ServiceQuery]):
    page, size = _bounds(query)
    municipality = None
    if query.municipality:
        municipality = Municipality.objects.filter(code=query.municipality).first()
        if municipality is None:
            return _page([], 0, page, size)
    need = query.need if query.need in Need.values else ("-" if query.need else "")
    category = (
        query.category if query.category in Category.values else ("-" if query.category else "")
    )
    qs = service_search(
        text=query.search,
        need=need,
        category=category,
        municipality=municipality,
        organization=uuid_or_404(query.organization_id) if query.organization_id else None,
        accepting_referrals=query.accepting_referrals,
        limit=None,
    )
    total = qs.count()
    ids = list(qs.values_list("pk", flat=True)[(page - 1) * size : page * size])
    return _page(service_documents(ids), total, page, size)


@router.get("/directory/services/{service_id}", auth=None, summary="One service (HSDS)")
def service_get(request, service_id: str):
    pk = uuid_or_404(service_id)
    if not hsds.m.Service.objects.filter(pk=pk, status=ServiceStatus.ACTIVE).exists():
        raise Http404
    return service_documents([pk])[0]


@router.get("/directory/organizations", auth=None, summary="Organisations (HSDS page)")
def organizations_list(request, query: Query[PageQuery], search: str = ""):
    page, size = _bounds(query)
    qs = organisation_list()
    for term in phonetic(search).split():
        qs = qs.filter(search_key__contains=f" {term}")
    total = qs.count()
    ids = list(qs.values_list("pk", flat=True)[(page - 1) * size : page * size])
    tables = hsds.export_tables(organization_ids=ids, public=True) if ids else None
    rows = {row["id"]: row for row in tables["organization"]} if tables else {}
    attributes: dict[str, list] = {}
    for attribute in tables["attribute"] if tables else []:
        attributes.setdefault(attribute["link_id"], []).append(attribute)
    items = [
        {**rows[str(pk)], "attributes": attributes.get(str(pk), [])}
        for pk in ids
        if str(pk) in rows
    ]
    return _page(items, total, page, size)


@router.get("/directory/organizations/{organization_id}", auth=None, summary="One organisation")
def organization_get(request, organization_id: str):
    pk = uuid_or_404(organization_id)
    if not Organization.objects.filter(pk=pk).exists():
        raise Http404
    package = hsds.nest(hsds.export_tables(organization_ids=[pk], public=True))
    return package[0]


@router.get("/directory/taxonomy_terms", auth=None, summary="Koinotita's taxonomies (HSDS)")
def taxonomy_terms(request, query: Query[PageQuery]):
    page, size = _bounds(query)
    terms = [hsds.taxonomy_term(hsds.TAX_NEED, code, name) for code, name in _english(Need.choices)]
    terms += [
        hsds.taxonomy_term(hsds.TAX_CATEGORY, code, name)
        for code, name in _english(Category.choices)
    ]
    terms += [
        hsds.taxonomy_term(hsds.TAX_KIND, code, name)
        for code, name in _english(hsds.m.OrganizationKind.choices)
    ]
    total = len(terms)
    return _page(terms[(page - 1) * size : page * size], total, page, size)


def _english(choices) -> list[tuple[str, str]]:
    from django.utils import translation

    with translation.override("en"):
        return [(code, str(label)) for code, label in choices]
