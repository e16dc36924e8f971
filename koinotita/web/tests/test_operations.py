"""The operator's side: settings from the environment, the demo, production checks."""

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from koinotita.accounts.models import RoleAssignment, User
from koinotita.lib import env
from koinotita.organisations.models import Centre


def run_koinotita(*args: str, **environment: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("KOINOTITA_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    clean.update(environment)
    return subprocess.run(
        [sys.executable, "-m", "koinotita", *args],
        capture_output=True,
        text=True,
        env=clean,
        timeout=120,
    )


PRODUCTION = {
    "KOINOTITA_SECRET_KEY": "prod-" + "s3cr3t-K3y" * 8,
    "KOINOTITA_DATABASE_URL": "sqlite:///:memory:",
    "KOINOTITA_ALLOWED_HOSTS": "koinotita.example.gr",
}


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("KOINOTITA_DEBUG", "maybe"),
        ("KOINOTITA_REQUIRE_2FA", "perhaps"),
        ("KOINOTITA_PORT", "eighty"),
        ("KOINOTITA_DATABASE_URL", "mysql://root@localhost/db"),
        ("KOINOTITA_ALLOWED_HOSTS", "a,,b"),
        ("KOINOTITA_SESSION_IDLE_MINUTES", "0"),
    ],
)
def test_bad_environment_value_stops_start_up_naming_the_variable(variable, value):
    result = run_koinotita("check", **{**PRODUCTION, variable: value})
    assert result.returncode != 0
    assert variable in result.stderr
    assert "Μη έγκυρη τιμή" in result.stderr  # Greek first, English too
    assert "Invalid value" in result.stderr


def test_missing_secret_key_stops_start_up(tmp_path):
    env_without_key = {k: v for k, v in PRODUCTION.items() if k != "KOINOTITA_SECRET_KEY"}
    result = run_koinotita("check", KOINOTITA_VAR_DIR=str(tmp_path), **env_without_key)
    assert result.returncode != 0
    assert "KOINOTITA_SECRET_KEY" in result.stderr


def test_short_secret_key_is_refused():
    result = run_koinotita("check", **{**PRODUCTION, "KOINOTITA_SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "KOINOTITA_SECRET_KEY" in result.stderr


def test_deploy_check_is_clean_under_production_settings():
    result = run_koinotita("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_catches_debug_in_production():
    result = run_koinotita(
        "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, KOINOTITA_DEBUG="true"
    )
    assert result.returncode != 0


def test_env_helpers_read_good_values(monkeypatch):
    monkeypatch.setenv("X_BOOL", "Yes")
    monkeypatch.setenv("X_INT", " 42 ")
    monkeypatch.setenv("X_LIST", "a, b")
    assert env.env_bool("X_BOOL", False) is True
    assert env.env_int("X_INT", 0) == 42
    assert env.env_list("X_LIST", []) == ["a", "b"]
    assert env.env_bool("X_UNSET", True) is True
    with pytest.raises(ImproperlyConfigured, match="X_INT"):
        monkeypatch.setenv("X_INT", "4.2")
        env.env_int("X_INT", 0)


def test_demo_can_run_twice(db):
    for _ in range(2):
        out = io.StringIO()
        call_command("demo", "--no-serve", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000/" in text
    assert "reception-demo" in text
    assert Centre.objects.count() == 11
    roles = set(RoleAssignment.objects.values_list("role", flat=True))
    assert roles == {
        "reception",
        "caseworker",
        "mediator",
        "supervisor",
        "partner",
        "monitor",
        "admin",
    }
    assert User.objects.filter(username="reception").count() == 1
    assert RoleAssignment.objects.filter(user__username="reception").count() == 1
    assert User.objects.get(username="supervisor").check_password("supervisor-demo")


def test_network_json_on_the_command_line_is_utf8_greek(tmp_path):
    environment = {
        "KOINOTITA_SECRET_KEY": PRODUCTION["KOINOTITA_SECRET_KEY"],
        "KOINOTITA_DATABASE_URL": f"sqlite:///{tmp_path / 'network.db'}",
        "KOINOTITA_VAR_DIR": str(tmp_path),
    }
    assert run_koinotita("migrate", "-v0", **environment).returncode == 0
    result = run_koinotita("network", "--load-reference", "--json", **environment)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    names = [r["name"] for r in data["regions"]]
    assert names == ["Περιφέρεια Δυτικής Μακεδονίας", "Περιφέρεια Θεσσαλίας"]
