"""A database outage: the web answers 503 with the Greek page and Retry-After, the API 503
JSON — never 500. The outage is real: the connection is pointed at a database that cannot
be reached (a closed port on PostgreSQL, a path that cannot exist on SQLite)."""

import contextlib
import socket

import pytest
from django.db import connections

from koinotita.testing.clients import api_client, logged_in


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def unreachable_database():
    """Requests in this block use a connection to a database that is not there; the test's
    own connection (and its transaction) is put back afterwards."""
    real = connections["default"]
    settings = dict(real.settings_dict)
    if real.vendor == "postgresql":
        settings.update(HOST="127.0.0.1", PORT=str(_closed_port()))
        settings["OPTIONS"] = {**settings.get("OPTIONS", {}), "connect_timeout": 2}
    else:
        settings["NAME"] = "/nonexistent-koinotita-dir/koinotita.db"
        settings["TEST"] = {**settings.get("TEST", {}), "NAME": settings["NAME"]}
    broken = type(real)(settings, alias="default")
    connections["default"] = broken
    try:
        yield
    finally:
        broken.close()
        connections["default"] = real


def _client(client):
    client.raise_request_exception = False
    return client


def test_a_page_during_an_outage_is_503_with_the_greek_page(alice):
    client = _client(logged_in(alice))
    with unreachable_database():
        response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert '<html lang="el">' in body
    assert "Προσωρινά μη διαθέσιμο" in body


def test_the_login_page_during_an_outage_is_503_in_english_when_asked(db):
    from django.test import Client

    client = _client(Client(headers={"Accept-Language": "en"}))
    with unreachable_database():
        response = client.post("/accounts/login/", {"username": "a", "password": "b"})
    assert response.status_code == 503
    assert "Unavailable for a moment" in response.content.decode()


@pytest.mark.parametrize("path", ["/api/v1/centres", "/api/v1/people", "/api/v1/cases/1"])
def test_the_api_during_an_outage_is_503_json(alice, path):
    client = _client(api_client(alice, language=None))
    with unreachable_database():
        response = client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"] == (
        "Η υπηρεσία δεν είναι διαθέσιμη για λίγο. Δοκιμάστε ξανά σε ένα λεπτό."
    )


def test_the_database_is_back_after_the_outage(alice):
    client = _client(logged_in(alice))
    with unreachable_database():
        assert client.get("/").status_code == 503
    assert client.get("/").status_code == 200
