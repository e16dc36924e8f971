"""Finding 10: tokens can expire, and a locked-out user's tokens stop working while the
lockout lasts."""

import io
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from koinotita.accounts.models import ApiToken
from koinotita.accounts.services import api_token_create
from koinotita.audit.models import AuditEvent

CENTRES = "/api/v1/centres"


def get(key: str):
    return Client().get(CENTRES, headers={"Authorization": f"Bearer {key}"})


def lock_out(username: str, client: Client | None = None) -> None:
    client = client or Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts-login"), {"username": username, "password": "wrong-one"})


def test_a_token_with_a_future_expiry_works_and_the_expiry_is_audited(alice):
    expires = timezone.now() + timedelta(days=30)
    token, key = api_token_create(user=alice, name="import", expires_at=expires, actor=None)
    assert get(key).status_code == 200
    event = AuditEvent.objects.get(action="api_token.created")
    assert event.detail["expires_at"].startswith(expires.date().isoformat())


def test_an_expired_token_answers_401(alice):
    token, key = api_token_create(user=alice, expires_at=timezone.now() + timedelta(days=1))
    assert get(key).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = get(key)
    assert response.status_code == 401
    assert response.json()["detail"]


def test_a_token_without_expiry_lasts_until_revoked(alice):
    token, key = api_token_create(user=alice)
    assert token.expires_at is None
    assert get(key).status_code == 200


@pytest.mark.parametrize("delta", [timedelta(0), timedelta(days=-1)])
def test_an_expiry_in_the_past_is_refused_in_greek(alice, delta):
    with pytest.raises(ValidationError) as refused:
        api_token_create(user=alice, expires_at=timezone.now() + delta)
    assert "Η λήξη ενός token πρέπει να είναι στο μέλλον." in str(refused.value)
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.filter(action="api_token.created").exists()


def test_token_create_command_takes_days_and_list_shows_the_expiry(alice):
    out = io.StringIO()
    call_command("token", "create", "alice", "--days", "7", stdout=out)
    key = out.getvalue().strip()
    token = ApiToken.objects.get(user=alice)
    assert timedelta(days=6, hours=23) < token.expires_at - timezone.now() <= timedelta(days=7)
    assert get(key).status_code == 200
    listing = io.StringIO()
    call_command("token", "list", "alice", stdout=listing)
    assert f"active until {token.expires_at:%Y-%m-%d}" in listing.getvalue()
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(days=1))
    listing = io.StringIO()
    call_command("token", "list", "alice", stdout=listing)
    assert "expired" in listing.getvalue()


@pytest.mark.parametrize("days", ["0", "-3"])
def test_token_create_command_refuses_a_non_positive_days(alice, days):
    with pytest.raises(CommandError, match="--days must be at least 1"):
        call_command("token", "create", "alice", "--days", days, stdout=io.StringIO())
    assert not ApiToken.objects.exists()


def test_a_locked_out_users_tokens_stop_working_while_the_lockout_lasts(alice):
    _token, key = api_token_create(user=alice)
    assert get(key).status_code == 200
    lock_out("alice")
    assert AuditEvent.objects.filter(action="login_locked_out").exists()
    assert get(key).status_code == 401
    # The lockout ends after AXES_COOLOFF_TIME: the token works again.
    AccessAttempt.objects.filter(username="alice").update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    assert get(key).status_code == 200


def test_failures_below_the_limit_do_not_stop_the_token(alice):
    _token, key = api_token_create(user=alice)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        Client().post(reverse("accounts-login"), {"username": "alice", "password": "nope"})
    assert get(key).status_code == 200


def test_failures_spread_over_addresses_lock_as_the_login_does(alice):
    """The login locks a user name per address; so does the token check."""
    _token, key = api_token_create(user=alice)
    for address in ("10.0.0.1", "10.0.0.2"):
        client = Client(REMOTE_ADDR=address)
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            client.post(reverse("accounts-login"), {"username": "alice", "password": "nope"})
    assert get(key).status_code == 200
    lock_out("alice", Client(REMOTE_ADDR="10.0.0.3"))
    assert get(key).status_code == 401


def test_one_users_lockout_leaves_another_users_token_alone(alice, bob):
    _token, key = api_token_create(user=bob)
    lock_out("alice")
    assert get(key).status_code == 200
