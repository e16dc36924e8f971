"""The leak matrix, generated from the code: every URL pattern (the resolver, walked
recursively) and every OpenAPI operation is classified in koinotita/testing/routes.py, and
every role of the cast requests each with the records of another centre.

- A PERSONAL or CENTRE route with another centre's object answers 404, or 403 to a role the
  route is closed to altogether; to the role that uses the route (`reader`) it is 404, so
  that a 403 never tells that the record exists.
- Any answer, of any route, to any role, is below 500 and never carries the other centre's
  person (family name, phone, AMKA).
"""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from koinotita.testing.routes import (
    ADMIN,
    API,
    GUARDED,
    PERSONAL,
    PUBLIC,
    WEB,
    Route,
    api_operations,
    api_schema,
    is_admin_route,
    url_patterns,
)
from koinotita.testing.world import ROLES, build_world

CAST = (*ROLES, "none", "anonymous")
JSON = "application/json"
API_PAGES = {"api:openapi-json", "api:openapi-view", "api:api-root"}


@pytest.fixture
def world(db, settings, tmp_path):
    settings.DOCUMENTS_DIR = tmp_path / "documents"
    settings.VAR_DIR = tmp_path
    settings.SITE_URL = "http://testserver"
    return build_world()


def _body(response) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode("utf-8", "replace")


GUARDED_ANSWERS = frozenset({403, 404})


def _expected(route: Route, role: str, *, api: bool) -> frozenset[int] | None:
    """What a route answers to `role` asking for another centre's object (None: any answer
    below 500 that shows none of its persons)."""
    if (route.kind not in GUARDED and route.expect is None) or role in route.open_to:
        return None
    if role == "anonymous" and route.kind != PUBLIC:
        return frozenset({401}) if api else frozenset({302})  # to the login page
    expected = route.expect or GUARDED_ANSWERS
    if role == route.reader and 404 in expected:
        return frozenset({404})
    return expected


def _check(failures, where, response, world, role, expected):
    status = response.status_code
    if status >= 500:
        failures.append(f"{where} as {role}: {status}")
        return
    text = _body(response)
    leaked = [m for m in world.away.markers if m in text]
    if leaked:
        failures.append(f"{where} as {role}: {status} shows {leaked}")
    if expected is not None and status not in expected:
        failures.append(f"{where} as {role}: {status}, expected {sorted(expected)}")
    if expected == {302} and status == 302 and "/accounts/login/" not in response["Location"]:
        failures.append(f"{where} as {role}: redirected to {response['Location']}")


# --- the table covers the application, and nothing else -----------------------------------


def test_every_url_pattern_is_classified():
    names = {name for name, _lookup in url_patterns()}
    web = {n for n in names if not is_admin_route(n) and not n.startswith("api:")}
    assert web - set(WEB) == set(), "classify these routes in koinotita/testing/routes.py"
    assert set(WEB) - API_PAGES - web == set(), "routes.py names routes that do not exist"
    # Each API pattern is one of the OpenAPI operations, classified in API.
    operation_ids = [op["operationId"] for op in api_operations().values()]
    for name in {n for n in names if n.startswith("api:")} - API_PAGES:
        short = name.removeprefix("api:")
        assert any(oid.endswith(f"_{short}") for oid in operation_ids), name
    assert any(is_admin_route(n) for n in names)


def test_every_api_operation_is_classified():
    operations = set(api_operations())
    assert operations - set(API) == set(), "classify these operations in routes.py"
    assert set(API) - operations == set(), "routes.py names operations that do not exist"


# --- the matrix ----------------------------------------------------------------------------


def _client(world, role) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def test_web_routes_never_show_another_centres_records(world):
    """Every role in turn (one world for all: the requests must change nothing of it)."""
    failures = []
    for role in CAST:
        _web_matrix(world, role, failures)
    assert failures == []


def _web_matrix(world, role, failures):
    client = _client(world, role)
    admin_pages = [n for n, _l in url_patterns() if is_admin_route(n) and "<" not in n]
    for name, route in [*WEB.items(), *((n, Route(ADMIN)) for n in admin_pages)]:
        try:
            url = reverse(name, kwargs=route.kwargs(world.away) if route.kwargs else None)
        except Exception:  # an admin pattern that needs arguments: the admin matrix's
            continue
        if name in API_PAGES and role != "anonymous":
            continue  # the schema and its viewer: public, the same for everyone, and slow
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url, {})
        expected = _expected(route, role, api=False) if route.kwargs else None
        where = f"{response.request['REQUEST_METHOD']} {name}"
        _check(failures, where, response, world, role, expected)
        if route.kind == PUBLIC and role != "anonymous":
            client = _client(world, role)  # a public page may have logged the client out


def _example(schema: dict, components: dict):
    """The smallest value that the schema accepts (required fields only)."""
    if "$ref" in schema:
        return _example(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return _example(schema[key][0], components)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {k: _example(props[k], components) for k in schema.get("required", [])}
    if kind == "array":
        return []
    if kind == "integer" or kind == "number":
        return 1
    if kind == "boolean":
        return False
    if schema.get("format") == "date":
        return "2030-01-01"
    if schema.get("format") == "date-time":
        return "2030-01-01T10:00:00+02:00"
    return "x"


def _request_body(route: Route, operation: dict, world) -> str | None:
    content = operation.get("requestBody", {}).get("content", {})
    if JSON not in content:
        return None
    components = api_schema()["components"]["schemas"]
    body = _example(content[JSON]["schema"], components)
    if route.body:
        body = {**body, **route.body(world.away)}
    return json.dumps(body)


def test_api_operations_never_show_another_centres_records(world):
    failures = []
    for role in CAST:
        _api_matrix(world, role, failures)
    assert failures == []


def _api_matrix(world, role, failures):
    token = world.tokens.get(role)
    client = Client(headers={"Authorization": f"Bearer {token}"} if token else {})
    operations = api_operations()
    for key, route in API.items():
        method, path = key.split(" ", 1)
        kwargs = route.kwargs(world.away) if route.kwargs else {}
        url = re.sub(r"\{(\w+)\}", lambda m, kw=kwargs: str(kw[m.group(1)]), path)
        body = _request_body(route, operations[key], world)
        call = getattr(client, method.lower())
        response = call(url) if body is None else call(url, data=body, content_type=JSON)
        foreign = route.kwargs or route.body
        expected = _expected(route, role, api=True) if foreign else None
        _check(failures, key, response, world, role, expected)


def test_the_figure(capsys):
    """Routes × roles that the two matrix tests try (shown with `pytest -s`)."""
    web = len(WEB) + sum(1 for n, _l in url_patterns() if is_admin_route(n) and "<" not in n)
    requests = (web + len(API)) * len(CAST) - len(API_PAGES) * (len(CAST) - 1)
    with capsys.disabled():
        print(
            f"\nleak matrix: {web} web routes + {len(API)} API operations, × {len(CAST)} roles"
            f" = {requests} requests"
        )
    assert web > len(WEB) and len(API) > 50


# --- the mediator: the persons of their own centre not assigned to them ----------------------


def _near_check(failures, where, response, world, route):
    status = response.status_code
    if status >= 500:
        failures.append(f"{where}: {status}")
        return
    leaked = [m for m in world.near.markers if m in _body(response)]
    if leaked:
        failures.append(f"{where}: {status} shows {leaked}")
    if route.kind == PERSONAL and route.kwargs and status not in GUARDED_ANSWERS:
        failures.append(f"{where}: {status}, expected 403 or 404")


def _near_kwargs(route, world):
    try:
        return route.kwargs(world.near) if route.kwargs else None
    except AttributeError:
        return False  # the route takes a record the unassigned person has not got


def test_mediator_never_reaches_a_person_not_assigned_to_them(world):
    """Kastoria's mediator, assigned the home person, asks every route for the records of
    another person of Kastoria (`world.near`): a PERSONAL route answers 403 or 404 and no
    answer shows that person."""
    failures = []
    client = _client(world, "mediator")
    for name, route in WEB.items():
        if name in API_PAGES or route.kind == PUBLIC:
            continue
        kwargs = _near_kwargs(route, world)
        if kwargs is False:
            continue
        response = client.get(reverse(name, kwargs=kwargs))
        if response.status_code == 405:
            response = client.post(reverse(name, kwargs=kwargs), {})
        _near_check(
            failures, f"{response.request['REQUEST_METHOD']} {name}", response, world, route
        )
    api = Client(headers={"Authorization": f"Bearer {world.tokens['mediator']}"})
    operations = api_operations()
    for key, route in API.items():
        method, path = key.split(" ", 1)
        kwargs = _near_kwargs(route, world)
        if kwargs is False:
            continue
        url = re.sub(r"\{(\w+)\}", lambda m, kw=kwargs or {}: str(kw[m.group(1)]), path)
        try:
            body = _request_body(route, operations[key], world)
        except AttributeError:
            continue
        call = getattr(api, method.lower())
        response = call(url) if body is None else call(url, data=body, content_type=JSON)
        _near_check(failures, key, response, world, route)
    assert failures == []


def test_mediator_reads_the_person_assigned_to_them(world):
    client = _client(world, "mediator")
    response = client.get(reverse("people-person-detail", kwargs={"pk": world.home.person.pk}))
    assert response.status_code == 200
    assert world.home.markers[0] in _body(response)
