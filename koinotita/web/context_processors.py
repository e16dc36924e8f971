from django.conf import settings

from koinotita.web.selectors import menu_for


def koinotita(request):
    """The demo flag and the main menu (empty until the user is fully logged in)."""
    user = getattr(request, "user", None)
    logged_in = user is not None and user.is_authenticated
    verified = logged_in and (not settings.REQUIRE_2FA or user.is_verified())
    return {"demo_mode": settings.DEMO, "navigation": menu_for(user) if verified else []}
