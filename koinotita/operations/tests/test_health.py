import json
import logging

import pytest
from django.urls import reverse

from koinotita.audit.models import AuditEvent


@pytest.mark.django_db
def test_healthz_says_the_database_and_migrations_are_fine_without_a_login(client):
    response = client.get(reverse("operations-healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["migrations"] == "ok"
    assert set(body) == {"status", "database", "migrations", "last_backup", "audit_verify"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_healthz_writes_no_audit_event_and_holds_no_personal_data(client):
    before = AuditEvent.objects.count()
    client.get(reverse("operations-healthz"))
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_every_request_is_one_json_line_with_its_id_and_no_path(client, caplog):
    with caplog.at_level(logging.INFO, logger="koinotita.requests"):
        response = client.get("/people/12345/?q=Papadopoulos")
    lines = [r.getMessage() for r in caplog.records if r.name == "koinotita.requests"]
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert set(record) == {
        "request_id",
        "user_id",
        "method",
        "route",
        "status",
        "duration_ms",
        "queries",
    }
    assert record["request_id"] == response["X-Request-ID"]
    assert "12345" not in lines[0] and "Papadopoulos" not in lines[0]


@pytest.mark.django_db
def test_the_error_page_shows_the_request_id(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["X-Request-ID"] in response.content.decode()
