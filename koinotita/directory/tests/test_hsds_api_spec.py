"""The HSDS API against the Open Referral API specification (data/hsds_schema/openapi.json):
every path it defines answers, with every query parameter it defines, and every answer is
valid against the response schema the specification gives for it (the compiled HSDS
schemas it refers to resolve to the vendored copies)."""

import json
from decimal import Decimal
from functools import cache

import pytest
from django.test import Client
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from koinotita.directory import hsds
from koinotita.directory.models import Address
from koinotita.directory.tests.hsds_validate import SCHEMA_DIR

API = "/api/v1/directory"
SPEC_URI = "https://openreferral.invalid/openapi.json"
SCHEMA_BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
SPEC = json.loads((SCHEMA_DIR / "openapi.json").read_text(encoding="utf-8"))
# The specification gives compiled/service.json as the schema of one service at a location,
# which cannot be meant (a service at a location has no name or status): it is validated
# against compiled/service_at_location.json, the document the path returns.
SCHEMA_OF = {"/service_at_locations/{id}": f"{SCHEMA_BASE}compiled/service_at_location.json"}


@cache
def registry() -> Registry:
    resources = [(SPEC_URI, Resource(SPEC, specification=DRAFT202012))]
    for path in [*SCHEMA_DIR.glob("*.json"), *SCHEMA_DIR.glob("compiled/*.json")]:
        if path.name == "openapi.json":
            continue
        contents = json.loads(path.read_text(encoding="utf-8"))
        uri = SCHEMA_BASE + str(path.relative_to(SCHEMA_DIR))
        resources.append((uri, Resource(contents, specification=DRAFT202012)))
    return Registry().with_resources(resources)


def response_errors(path: str, document) -> list[str]:
    pointer = path.replace("~", "~0").replace("/", "~1")
    ref = SCHEMA_OF.get(path) or (
        f"{SPEC_URI}#/paths/{pointer}/get/responses/200/content/application~1json/schema"
    )
    validator = Draft202012Validator(
        {"$ref": ref}, registry=registry(), format_checker=FormatChecker()
    )
    return [
        f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}"
        for e in validator.iter_errors(document)
    ]


def parameters(path: str) -> list[str]:
    names = []
    for parameter in SPEC["paths"][path]["get"].get("parameters", []):
        if "$ref" in parameter:
            parameter = SPEC["components"]["parameters"][parameter["$ref"].rsplit("/", 1)[1]]
        names.append(parameter["name"])
    return names


@pytest.fixture
def api_directory(small_directory):
    office = small_directory["office"]
    office.latitude, office.longitude = Decimal("40.781"), Decimal("21.409")
    office.save()
    Address.objects.create(
        location=office,
        address_1="Μεγ. Αλεξάνδρου 1",
        city="Φλώρινα",
        state_province="Φλώρινα",
        postal_code="53100",
    )
    return small_directory


def ids_of(d) -> dict[str, str]:
    """A real id for each path with {id}."""
    sal = d["jobs"].service_at_locations.get()
    need = next(t for t in hsds.catalogue_terms() if t["code"] == "food")
    return {
        "/services/{id}": str(d["food"].pk),
        "/organizations/{id}": str(d["social"].pk),
        "/service_at_locations/{id}": str(sal.pk),
        "/taxonomies/{id}": need["taxonomy_id"],
        "/taxonomy_terms/{id}": need["id"],
    }


def values_of(d) -> dict[str, str]:
    """A value for each query parameter of the specification."""
    need = next(t for t in hsds.catalogue_terms() if t["code"] == "food")
    return {
        "search": "",
        "page": "1",
        "per_page": "2",
        "format": "json",
        "taxonomy_term_id": need["id"],
        "taxonomy_id": need["taxonomy_id"],
        "organization_id": str(d["social"].pk),
        "modified_after": "2020-01-01T00:00:00Z",
        "minimal": "false",
        "full": "true",
        "full_service": "true",
        "postcode": "53100",
        "proximity": "5000",
        "top_only": "true",
        "parent_id": "",
    }


def test_every_path_of_the_specification_answers_valid_hsds(api_directory):
    client = Client()
    ids = ids_of(api_directory)
    for path in SPEC["paths"]:
        url = (
            API + path.replace("{id}", ids.get(path, "")).rstrip("/") + ("/" if path == "/" else "")
        )
        response = client.get(url)
        assert response.status_code == 200, (path, response.content[:200])
        assert response_errors(path, response.json()) == [], path


@pytest.mark.parametrize(
    "path", [p for p in SPEC["paths"] if SPEC["paths"][p]["get"].get("parameters")]
)
def test_every_query_parameter_of_the_specification_is_served(api_directory, path):
    client = Client()
    ids, values = ids_of(api_directory), values_of(api_directory)
    url = API + path.replace("{id}", ids.get(path, ""))
    for name in parameters(path):
        response = client.get(url, {name: values[name]})
        assert response.status_code == 200, (path, name, response.content[:300])
        assert response_errors(path, response.json()) == [], (path, name)


def test_the_list_form_and_the_full_form_of_services(api_directory):
    client = Client()
    listed = client.get(f"{API}/services").json()["contents"]
    assert listed and all("service_at_locations" not in s for s in listed)
    assert all("name" in s["organization"] for s in listed)
    full = client.get(f"{API}/services", {"full": "true"}).json()["contents"]
    assert all("service_at_locations" in s for s in full)


def test_services_by_term_taxonomy_organisation_and_date(api_directory):
    d, client = api_directory, Client()
    food = next(t for t in hsds.catalogue_terms() if t["code"] == "food")
    page = client.get(f"{API}/services", {"taxonomy_term_id": food["id"]}).json()
    assert [s["name"] for s in page["contents"]] == ["Κοινωνικό Παντοπωλείο"]
    page = client.get(f"{API}/services", {"organization_id": str(d["dypa"].pk)}).json()
    assert [s["name"] for s in page["contents"]] == ["Συμβουλευτική απασχόλησης"]
    page = client.get(f"{API}/services", {"modified_after": "2999-01-01T00:00:00Z"}).json()
    assert page["empty"] and page["total_items"] == 0
    unknown = client.get(f"{API}/services", {"taxonomy_term_id": "nope"}).json()
    assert unknown["empty"]
    assert client.get(f"{API}/services", {"modified_after": "yesterday"}).status_code == 422


def test_minimal_and_ndjson(api_directory):
    client = Client()
    minimal = client.get(f"{API}/services", {"minimal": "true"}).json()["contents"]
    assert len(minimal) == 3 and all(set(s) == {"id", "name", "status", "last_modified"}
                                     for s in minimal)  # fmt: skip
    response = client.get(f"{API}/services", {"format": "ndjson", "per_page": "1"})
    assert response["Content-Type"] == "application/x-ndjson"
    lines = response.content.decode().splitlines()
    assert len(lines) == 3 and all(json.loads(line)["id"] for line in lines)


def test_service_at_locations_by_postcode_and_proximity(api_directory):
    client = Client()
    near = client.get(f"{API}/service_at_locations", {"postcode": "53100"}).json()
    assert [s["location"]["name"] for s in near["contents"]] == ["ΚΠΑ2 Φλώρινας"]
    assert near["contents"][0]["service"]["name"] == "Συμβουλευτική απασχόλησης"
    far = client.get(f"{API}/service_at_locations", {"postcode": "10431"}).json()
    assert far["empty"]
    within = client.get(
        f"{API}/service_at_locations", {"postcode": "53100", "proximity": "100"}
    ).json()
    assert within["total_items"] == 1


def test_organisation_with_simple_or_full_services(api_directory):
    client = Client()
    pk = api_directory["social"].pk
    simple = client.get(f"{API}/organizations/{pk}").json()
    assert simple["services"] and all("phones" not in s for s in simple["services"])
    full = client.get(f"{API}/organizations/{pk}", {"full_service": "true"}).json()
    assert all("service_areas" in s for s in full["services"])


def test_taxonomies_and_their_terms(network):
    client = Client()
    taxonomies = client.get(f"{API}/taxonomies").json()["contents"]
    need = next(t for t in taxonomies if t["name"] == hsds.TAX_NEED)
    terms = client.get(f"{API}/taxonomy_terms", {"taxonomy_id": need["id"], "per_page": 100}).json()
    assert {t["code"] for t in terms["contents"]} == set(hsds.m.Need.values)
    assert client.get(f"{API}/taxonomies/nope").status_code == 404
    assert client.get(f"{API}/taxonomy_terms/nope").status_code == 404


def test_unknown_records_are_404(network):
    client = Client()
    for path in ("services", "organizations", "service_at_locations"):
        assert client.get(f"{API}/{path}/00000000-0000-4000-8000-000000000000").status_code == 404


def test_the_root_points_at_the_specification_it_serves(network):
    client = Client()
    root = client.get(f"{API}/").json()
    assert root["version"] == "3.0"
    served = client.get(root["openapi_url"]).json()
    assert set(served["paths"]) == set(SPEC["paths"])
    assert served["info"]["title"].startswith("Koinotita")
