"""The HSDS API of the directory (`/api/v1/directory/...`), as the Open Referral API
specification defines it (data/hsds_schema/openapi.json, served at `openapi.json`):

- `/` what this API is; `/services`, `/services/{id}`;
- `/organizations`, `/organizations/{id}`; `/service_at_locations`,
  `/service_at_locations/{id}`; `/taxonomies`, `/taxonomies/{id}`; `/taxonomy_terms`,
  `/taxonomy_terms/{id}` (Koinotita's own taxonomies: needs, categories of beneficiaries,
  kinds of organisation, municipalities).

Lists are HSDS pages (`total_items`, `total_pages`, `page_number`, `size`, `first_page`,
`last_page`, `empty`, `contents`) of the one-to-one fields of each record (`full=true`: whole
records, as in HSDS's `service_full` example); `format=ndjson` gives every record, one per
line, without pages. The specification's query parameters are all read (`search`, `page`,
`per_page`, `format`, `taxonomy_term_id`, `taxonomy_id`, `organization_id`,
`modified_after`, `minimal`, `full`, `full_service`, `postcode`, `proximity`, `top_only`,
`parent_id`); Koinotita adds `need`, `category`, `municipality` and `accepting_referrals`.

No token is needed: the directory is public and holds no personal data (the names of
contact persons and who verified a record are left out). Only active services are shown.
"""

import json
import math
from datetime import datetime

from django.http import Http404, HttpResponse
from ninja import Query, Router, Schema

from koinotita.directory import hsds
from koinotita.directory.models import Need, Organization, ServiceAtLocation, ServiceStatus
from koinotita.directory.selectors import (
    hsds_service_at_locations,
    hsds_services,
    organisation_list,
    uuid_or_404,
)
from koinotita.lib.greek import phonetic
from koinotita.organisations.models import Municipality
from koinotita.people.models import Category

router = Router(tags=["directory"])
MAX_PER_PAGE = 100
NDJSON = "ndjson"


class PageQuery(Schema):
    page: int = 1
    per_page: int = 20
    format: str = "json"


class SearchQuery(PageQuery):
    search: str = ""


class ServiceQuery(SearchQuery):
    taxonomy_term_id: str = ""
    taxonomy_id: str = ""
    organization_id: str = ""
    modified_after: datetime | None = None
    minimal: bool = False
    full: bool = False
    need: str = ""
    category: str = ""
    municipality: str = ""
    accepting_referrals: bool | None = None


class ServiceAtLocationQuery(ServiceQuery):
    postcode: str = ""
    proximity: float | None = None


class OrganizationQuery(SearchQuery):
    full: bool = False
    full_service: bool = False


class TermQuery(SearchQuery):
    taxonomy_id: str = ""
    top_only: bool = False
    parent_id: str = ""


def _page(items: list, total: int, page: int, size: int) -> dict:
    pages = max(1, math.ceil(total / size)) if size else 1
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page,
        "size": len(items),
        "first_page": page == 1,
        "last_page": page >= pages,
        "empty": not items,
        "contents": items,
    }


def _bounds(query: PageQuery) -> tuple[int, int]:
    page = max(1, query.page)
    size = min(max(1, query.per_page), MAX_PER_PAGE)
    return page, size


def _ndjson(items) -> HttpResponse:
    lines = (json.dumps(item, ensure_ascii=False) for item in items)
    return HttpResponse("".join(f"{line}\n" for line in lines), content_type="application/x-ndjson")


def _paged(query: PageQuery, ids: list, documents):
    """A page of `documents(ids)`, or all of them as NDJSON."""
    if query.format == NDJSON:
        return _ndjson(documents(ids))
    page, size = _bounds(query)
    shown = ids[(page - 1) * size : page * size]
    return _page(documents(shown), len(ids), page, size)


def _one_to_one(document: dict) -> dict:
    return {k: v for k, v in document.items() if not isinstance(v, list | dict)}


def service_documents(service_ids: list) -> list[dict]:
    """Whole HSDS services, each with its organisation and locations, in the given order."""
    if not service_ids:
        return []
    package = hsds.nest(hsds.export_tables(service_ids=service_ids, public=True))
    by_id, locations = {}, {}
    for organization in package:
        for location in organization.get("locations", []):
            locations[location["id"]] = location
    for organization in package:
        if "services" not in organization:
            continue
        basic = _one_to_one(organization)
        basic["attributes"] = organization["attributes"]
        for service in organization["services"]:
            service["organization"] = basic
            for sal in service["service_at_locations"]:
                if "location" not in sal and sal["location_id"] in locations:
                    sal["location"] = locations[sal["location_id"]]
            by_id[service["id"]] = service
    return [by_id[str(pk)] for pk in service_ids if str(pk) in by_id]


def service_list_documents(service_ids: list) -> list[dict]:
    """HSDS's service_list form: the one-to-one fields of each service and of its
    organisation."""
    if not service_ids:
        return []
    tables = hsds.export_tables(service_ids=service_ids, public=True)
    organizations = {row["id"]: row for row in tables["organization"]}
    services = {row["id"]: row for row in tables["service"]}
    out = []
    for pk in service_ids:
        service = services.get(str(pk))
        if service:
            out.append({**service, "organization": organizations[service["organization_id"]]})
    return out


def _minimal(services) -> list[dict]:
    return [
        {"id": str(s.pk), "name": s.name, "status": s.status,
         "last_modified": s.updated_at.isoformat()}
        for s in services.select_related(None).only("pk", "name", "status", "updated_at")
    ]  # fmt: skip


def _services(query: ServiceQuery):
    """The services a query asks for, or None when it names a term, taxonomy or
    municipality Koinotita does not have (nothing matches)."""
    term = None
    if query.taxonomy_term_id:
        term = next((t for t in hsds.catalogue_terms() if t["id"] == query.taxonomy_term_id), 0)
        if not term:
            return None
    taxonomy = ""
    if query.taxonomy_id:
        taxonomy = next(
            (t["name"] for t in hsds.taxonomy_documents() if t["id"] == query.taxonomy_id), ""
        )
        if not taxonomy:
            return None
    municipality = None
    if query.municipality:
        municipality = Municipality.objects.filter(code=query.municipality).first()
        if municipality is None:
            return None
    need = query.need if query.need in Need.values else ("-" if query.need else "")
    category = (
        query.category if query.category in Category.values else ("-" if query.category else "")
    )
    return hsds_services(
        search=query.search,
        taxonomy_term=term,
        taxonomy=taxonomy,
        organization=uuid_or_404(query.organization_id) if query.organization_id else None,
        modified_after=query.modified_after,
        municipality=municipality,
        need=need,
        category=category,
        accepting_referrals=query.accepting_referrals,
    )


@router.get("/directory/", auth=None, summary="About this HSDS API")
def directory_root(request):
    return {
        "version": "3.0",
        "profile": "https://openreferral.org/hsds/3.0",
        "openapi_url": request.build_absolute_uri("/api/v1/directory/openapi.json"),
    }


@router.get("/directory/openapi.json", auth=None, summary="The HSDS API specification")
def directory_openapi(request):
    """Open Referral's OpenAPI document of the HSDS API, with this server's details."""
    document = json.loads((hsds.SCHEMA_DIR / "openapi.json").read_text(encoding="utf-8"))
    document["info"] = {
        "title": "Koinotita directory (HSDS API)",
        "version": "3.0",
        "summary": "The directory of organisations and services, as Open Referral HSDS 3.0.",
        "description": "Public, read-only; no personal data.",
        "license": {
            "name": "HSDS: CC BY-SA 4.0",
            "url": "https://creativecommons.org/licenses/by-sa/4.0/",
        },
    }
    document["servers"] = [{"url": request.build_absolute_uri("/api/v1/directory")}]
    return document


@router.get("/directory/services", auth=None, summary="Services (HSDS page)")
def services_list(request, query: Query[ServiceQuery]):
    qs = _services(query)
    if qs is None:
        return _ndjson([]) if query.format == NDJSON else _page([], 0, *_bounds(query))
    if query.minimal:
        items = _minimal(qs)
        return _ndjson(items) if query.format == NDJSON else _page(items, len(items), 1, len(items))
    documents = service_documents if query.full else service_list_documents
    return _paged(query, list(qs.values_list("pk", flat=True)), documents)


@router.get("/directory/services/{service_id}", auth=None, summary="One service (HSDS)")
def service_get(request, service_id: str):
    pk = uuid_or_404(service_id)
    if not hsds.m.Service.objects.filter(pk=pk, status=ServiceStatus.ACTIVE).exists():
        raise Http404
    return service_documents([pk])[0]


def _organization_documents(ids: list, *, full: bool, full_service: bool) -> list[dict]:
    if not ids:
        return []
    tables = hsds.export_tables(organization_ids=ids, public=True)
    tables["service"] = [s for s in tables["service"] if s.get("status") == ServiceStatus.ACTIVE]
    if not full:
        rows = {row["id"]: row for row in tables["organization"]}
        return [rows[str(pk)] for pk in ids if str(pk) in rows]
    package = {o["id"]: o for o in hsds.nest(tables) if "services" in o}
    if full_service:
        active = [s["id"] for o in package.values() for s in o["services"]]
        whole = {s["id"]: s for s in service_documents(active)}
    for organization in package.values():
        organization["services"] = [
            {k: v for k, v in whole[s["id"]].items() if k != "organization"}
            if full_service
            else _one_to_one(s)
            for s in organization["services"]
        ]
    return [package[str(pk)] for pk in ids if str(pk) in package]


@router.get("/directory/organizations", auth=None, summary="Organisations (HSDS page)")
def organizations_list(request, query: Query[OrganizationQuery]):
    qs = organisation_list()
    for term in phonetic(query.search).split():
        qs = qs.filter(search_key__contains=f" {term}")
    ids = list(qs.values_list("pk", flat=True))
    return _paged(
        query,
        ids,
        lambda shown: _organization_documents(
            shown, full=query.full or query.full_service, full_service=query.full_service
        ),
    )


@router.get("/directory/organizations/{organization_id}", auth=None, summary="One organisation")
def organization_get(request, organization_id: str, full_service: bool = False):
    pk = uuid_or_404(organization_id)
    if not Organization.objects.filter(pk=pk).exists():
        raise Http404
    return _organization_documents([pk], full=True, full_service=full_service)[0]


def _sal_documents(sals: list[ServiceAtLocation], *, full: bool) -> list[dict]:
    """Services at locations, each with its service and its location: whole (`full`), or
    their one-to-one fields (HSDS's service_at_location_list form)."""
    services = {s["id"]: s for s in service_documents(list({sal.service_id for sal in sals}))}
    out = []
    for sal in sals:
        service = services[str(sal.service_id)]
        document = next(d for d in service["service_at_locations"] if d["id"] == str(sal.pk))
        whole_service = {k: v for k, v in service.items() if k != "service_at_locations"}
        if full:
            out.append({**document, "service": whole_service})
            continue
        item = {**_one_to_one(document), "service": _one_to_one(service)}
        if "location" in document:
            item["location"] = _one_to_one(document["location"])
        out.append(item)
    return out


@router.get("/directory/service_at_locations", auth=None, summary="Services at locations")
def service_at_locations_list(request, query: Query[ServiceAtLocationQuery]):
    qs = _services(query)
    if qs is None:
        return _ndjson([]) if query.format == NDJSON else _page([], 0, *_bounds(query))
    sals = hsds_service_at_locations(
        services=qs, postcode=query.postcode, proximity_m=query.proximity
    )
    by_id = {sal.pk: sal for sal in sals}
    return _paged(
        query,
        [sal.pk for sal in sals],
        lambda shown: _sal_documents([by_id[pk] for pk in shown], full=query.full),
    )


@router.get(
    "/directory/service_at_locations/{sal_id}", auth=None, summary="One service at a location"
)
def service_at_location_get(request, sal_id: str):
    sal = (
        ServiceAtLocation.objects.filter(
            pk=uuid_or_404(sal_id), service__status=ServiceStatus.ACTIVE
        )
        .select_related("location")
        .first()
    )
    if sal is None:
        raise Http404
    return _sal_documents([sal], full=True)[0]


@router.get("/directory/taxonomies", auth=None, summary="Koinotita's taxonomies (HSDS)")
def taxonomies_list(request, query: Query[SearchQuery]):
    items = [t for t in hsds.taxonomy_documents() if _matches(query.search, t)]
    return _paged(query, items, lambda shown: shown)


@router.get("/directory/taxonomies/{taxonomy_id}", auth=None, summary="One taxonomy")
def taxonomy_get(request, taxonomy_id: str):
    for taxonomy in hsds.taxonomy_documents():
        if taxonomy["id"] == taxonomy_id:
            return taxonomy
    raise Http404


@router.get("/directory/taxonomy_terms", auth=None, summary="Koinotita's taxonomy terms")
def taxonomy_terms(request, query: Query[TermQuery]):
    terms = [
        t
        for t in hsds.catalogue_terms()
        if _matches(query.search, t)
        and (not query.taxonomy_id or t["taxonomy_id"] == query.taxonomy_id)
        and (not query.parent_id or t.get("parent_id") == query.parent_id)
    ]  # every term of Koinotita's taxonomies is a top term: top_only changes nothing
    return _paged(query, terms, lambda shown: shown)


@router.get("/directory/taxonomy_terms/{term_id}", auth=None, summary="One taxonomy term")
def taxonomy_term_get(request, term_id: str):
    for term in hsds.catalogue_terms():
        if term["id"] == term_id:
            return term
    raise Http404


def _matches(search: str, document: dict) -> bool:
    words = phonetic(search).split()
    fields = (str(document.get(k, "")) for k in ("name", "code", "description"))
    text = f" {phonetic(' '.join(fields))}"
    return all(f" {word}" in text for word in words)
