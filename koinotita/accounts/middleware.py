import time

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from koinotita.accounts.selectors import has_confirmed_device


class TwoFactorRequiredMiddleware:
    """When KOINOTITA_REQUIRE_2FA is on, a logged-in user must pass a TOTP check first.

    Until then every page but the 2FA pages themselves, logout, language switch and static
    files redirects to enrolment (no device yet) or to verification.
    """

    OPEN_PREFIXES = ("/static/", "/i18n/", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_verify(request):
            name = (
                "accounts-2fa-verify"
                if has_confirmed_device(request.user)
                else "accounts-2fa-setup"
            )
            return redirect(f"{reverse(name)}?next={request.get_full_path()}")
        return self.get_response(request)

    def _must_verify(self, request) -> bool:
        if not settings.REQUIRE_2FA:
            return False
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return False
        path = request.path
        if path.startswith(self.OPEN_PREFIXES):
            return False
        allowed = {
            reverse("accounts-2fa-setup"),
            reverse("accounts-2fa-verify"),
            reverse("accounts-logout"),
        }
        return path not in allowed


class IdleTimeoutMiddleware:
    """The session ends after SESSION_COOKIE_AGE without a request: each request moves its
    expiry on, but saves the session (a write and a commit) at most once a minute — a
    session idle for the whole age minus up to a minute is still ended on time."""

    REFRESH_SECONDS = 60
    KEY = "_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty() or session.modified:
            return response
        now = int(time.time())
        if now - session.get(self.KEY, 0) >= self.REFRESH_SECONDS:
            session[self.KEY] = now
        return response
