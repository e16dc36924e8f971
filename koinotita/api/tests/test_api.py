import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from koinotita.accounts.models import ApiToken
from koinotita.audit.models import AuditEvent


def create_token(username: str) -> str:
    out = io.StringIO()
    call_command("token", "create", username, "--name", "tests", stdout=out)
    return out.getvalue().strip()


def get(path: str, token: str | None = None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return Client().get(path, headers=headers)


def test_token_create_prints_a_key_and_stores_only_its_hash(alice):
    key = create_token("alice")
    assert key.startswith("kt_") and len(key) > 40
    token = ApiToken.objects.get(user=alice)
    assert key not in (token.key_hash, token.prefix)
    assert key.startswith(token.prefix)
    assert AuditEvent.objects.filter(action="api_token.created").exists()


def test_token_create_for_an_unknown_user_fails_clearly(db):
    with pytest.raises(CommandError, match="No user named 'ghost'"):
        create_token("ghost")


def test_centres_lists_what_the_token_user_may_see(alice):
    response = get("/api/v1/centres", create_token("alice"))
    assert response.status_code == 200
    [centre] = response.json()
    assert centre["code"] == "kastoria"
    kinds = {(s["kind"], s["serves_municipality"]) for s in centre["sites"]}
    assert kinds == {("main", "kastoria"), ("antenna", "nestorio")}


def test_worker_of_another_centre_never_sees_this_centre(charlie):
    codes = [c["code"] for c in get("/api/v1/centres", create_token("charlie")).json()]
    assert codes == ["florina"]


def test_monitor_sees_every_centre_of_the_region(mona):
    codes = {c["code"] for c in get("/api/v1/centres", create_token("mona")).json()}
    assert len(codes) == 10 and "almyros" not in codes


def test_no_token_bad_token_and_revoked_token_get_401(alice):
    assert get("/api/v1/centres").status_code == 401
    assert get("/api/v1/centres", "kt_not-a-real-token").status_code == 401
    key = create_token("alice")
    prefix = ApiToken.objects.get(user=alice).prefix
    call_command("token", "revoke", prefix, stdout=io.StringIO())
    response = get("/api/v1/centres", key)
    assert response.status_code == 401
    assert response.json()["detail"]


def test_token_of_a_deactivated_user_stops_working(alice):
    key = create_token("alice")
    alice.is_active = False
    alice.save()
    assert get("/api/v1/centres", key).status_code == 401


def test_openapi_schema_is_published(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/centres" in schema["paths"]
    assert "BearerToken" in schema["components"]["securitySchemes"]


def test_api_answers_in_the_language_asked(db):
    greek = Client().get("/api/v1/centres", headers={"Accept-Language": "el"}).json()
    english = Client().get("/api/v1/centres", headers={"Accept-Language": "en"}).json()
    assert english["detail"] == "Missing or invalid API token."
    assert greek["detail"] != english["detail"]


def test_token_list_never_shows_keys(alice):
    key = create_token("alice")
    out = io.StringIO()
    call_command("token", "list", stdout=out)
    assert "alice" in out.getvalue()
    assert key not in out.getvalue()
