from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koinotita.audit.models import AuditEvent
from koinotita.testing.users import PASSWORD

LOGIN = reverse("accounts-login")


def post_login(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


def test_login_page_is_greek_by_default(db):
    response = Client().get(LOGIN)
    assert response.status_code == 200
    assert '<html lang="el">' in response.content.decode()


def test_valid_login_reaches_home_and_is_audited(alice):
    client = Client()
    response = post_login(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("web-home")
    event = AuditEvent.objects.filter(action="login").latest("id")
    assert event.actor == alice
    assert event.ip == "127.0.0.1"


def test_wrong_password_and_unknown_user_get_the_same_answer(alice):
    wrong_password = post_login(Client(), "alice", "not-her-password")
    unknown_user = post_login(Client(), "no-such-user", "whatever")
    assert wrong_password.status_code == unknown_user.status_code == 200
    message = "Λάθος όνομα χρήστη ή κωδικός."
    assert message in wrong_password.content.decode()
    assert message in unknown_user.content.decode()
    errors = [r.context["form"].non_field_errors() for r in (wrong_password, unknown_user)]
    assert errors[0] == errors[1]


def test_failed_login_is_audited_without_the_password(alice):
    post_login(Client(), "alice", "secret-guess-123")
    event = AuditEvent.objects.filter(action="login_failed").latest("id")
    assert event.detail == {"username": "alice"}
    assert "secret-guess-123" not in str(event.detail)
    assert event.actor is None


def test_inactive_user_cannot_log_in_and_gets_no_hint(alice):
    alice.is_active = False
    alice.save()
    response = post_login(Client(), "alice", PASSWORD)
    assert response.status_code == 200
    assert "Λάθος όνομα χρήστη ή κωδικός." in response.content.decode()


def test_repeated_failures_lock_the_login_even_with_the_right_password(alice):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "alice", "wrong-password")
    response = post_login(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login_locked_out").exists()


def test_a_lockout_of_one_user_does_not_lock_another(alice, bob):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "alice", "wrong-password")
    assert post_login(client, "bob", PASSWORD).status_code == 302


def test_logout_is_a_post_and_is_audited(alice, client_for):
    client = client_for(alice)
    assert client.get(reverse("accounts-logout")).status_code == 405
    response = client.post(reverse("accounts-logout"))
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="logout", actor=alice).exists()
    assert client.get(reverse("web-home")).status_code == 302


def test_session_expires_after_inactivity(alice):
    client = Client()
    post_login(client, "alice", PASSWORD)
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert not settings.SESSION_SAVE_EVERY_REQUEST  # IdleTimeoutMiddleware renews it


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_requests_renew_the_session_at_most_once_a_minute(alice, monkeypatch):
    clock = [1_000_000.0]
    monkeypatch.setattr("koinotita.accounts.middleware.time.time", lambda: clock[0])
    client = Client()
    post_login(client, "alice", PASSWORD)
    client.get(reverse("web-home"))
    first = _expiry(client)
    clock[0] += 30
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("web-home")).status_code == 200
    assert not [q for q in captured if q["sql"].startswith('UPDATE "django_session"')]
    assert _expiry(client) == first  # within the minute: not saved
    clock[0] += 31
    client.get(reverse("web-home"))
    assert _expiry(client) > first  # a minute on: the idle clock starts again


def test_open_redirect_after_login_is_refused(alice):
    response = Client().post(
        LOGIN, {"username": "alice", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("web-home")


def test_pages_need_login(db):
    for name in ("web-home", "organisations-centre-list", "audit-event-list"):
        response = Client().get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
