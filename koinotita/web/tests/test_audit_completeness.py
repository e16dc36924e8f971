"""Audit completeness: every person-facing page and API read of koinotita/testing/routes.py,
opened by a user allowed to, writes an audit event naming each person it shows (the record
read, `detail.person`, or one of `detail.persons` of a list), and the trail's hash chains
verify afterwards (`koinotita audit verify`)."""

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from koinotita.audit.models import AuditEvent
from koinotita.audit.selectors import audit_verify
from koinotita.testing.routes import API, PERSONAL, WEB
from koinotita.testing.world import build_world

READS_WEB = {name: route for name, route in WEB.items() if route.kind == PERSONAL and route.reads}
READS_API = {
    key: route
    for key, route in API.items()
    if route.kind == PERSONAL and route.reads and key.startswith("GET ")
}


@pytest.fixture
def world(db, settings, tmp_path):
    settings.DOCUMENTS_DIR = tmp_path / "documents"
    settings.VAR_DIR = tmp_path
    settings.SITE_URL = "http://testserver"
    return build_world()


def names(event: AuditEvent, person_id: int) -> bool:
    detail = event.detail or {}
    return (
        (event.object_type == "people.person" and event.object_id == str(person_id))
        or detail.get("person") == person_id
        or person_id in (detail.get("persons") or [])
    )


def _unaudited(world, where, response, persons, before: int) -> list[str]:
    if response.status_code != 200:
        return [f"{where}: answered {response.status_code} to its reader"]
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    events = list(AuditEvent.objects.filter(pk__gt=before))
    if not persons and not events:
        return [f"{where}: its read wrote no audit event"]
    return [
        f"{where}: no audit event names person #{p.pk} ({[e.action for e in events]})"
        for p in persons
        if not any(names(e, p.pk) for e in events)
    ]


def _last_event() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_every_person_facing_read_is_audited(world):
    failures, pages = [], 0
    clients = {}
    for role, user in world.users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    for name, route in READS_WEB.items():
        url = reverse(name, kwargs=route.kwargs(world.home) if route.kwargs else None)
        before = _last_event()
        response = clients[route.reader].get(url)
        if response.status_code == 405:
            continue  # a write: its service audits it
        pages += 1
        failures += _unaudited(world, name, response, route.reads(world.home), before)
    for key, route in READS_API.items():
        kwargs = route.kwargs(world.home) if route.kwargs else {}
        path = re.sub(r"\{(\w+)\}", lambda m, kw=kwargs: str(kw[m.group(1)]), key[4:])
        token = world.tokens[route.reader]
        before = _last_event()
        response = Client(headers={"Authorization": f"Bearer {token}"}).get(path)
        pages += 1
        failures += _unaudited(world, key, response, route.reads(world.home), before)
    assert failures == [], "\n".join(failures)
    assert pages >= 50, pages
    result = audit_verify()
    assert result.ok, [str(b) for b in result.broken]
    call_command("audit", "verify")  # the operator's command agrees
    print(f"\naudit completeness: {pages} person-facing reads, each audited")
