"""The two-factor journey in a real browser: log in, enrol an authenticator app, see the
recovery codes once, log out, log back in with a recovery code."""

from base64 import b32decode

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from koinotita.audit.models import AuditEvent
from koinotita.testing.browser import log_in, open_login
from koinotita.testing.users import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def require_2fa(settings):
    settings.REQUIRE_2FA = True


def code_from_secret(shown: str) -> str:
    """What an authenticator app shows for the key typed from the page."""
    return f"{totp(b32decode(shown.replace(' ', ''))):06d}"


def test_enrol_keep_recovery_codes_and_log_in_with_one(page, live_server, alice):
    open_login(page, live_server)
    log_in(page, "alice", PASSWORD)

    expect(page).to_have_url(live_server.url + "/accounts/2fa/setup/?next=/")
    expect(page.locator("main h1")).to_have_text("Ρύθμιση ελέγχου ταυτότητας δύο παραγόντων")
    expect(page.locator("figure.qr svg")).to_be_visible()
    page.locator("#id_token").fill(code_from_secret(page.locator("code.secret").inner_text()))
    page.locator("main button[type=submit]").click()

    expect(page).to_have_url(live_server.url + "/accounts/2fa/recovery-codes/?next=/")
    codes = page.locator("ul.recovery-codes code")
    expect(codes).to_have_count(10)
    kept = codes.all_inner_texts()
    expect(page.locator("main")).to_contain_text("Εμφανίζονται μόνο τώρα.")

    page.reload()  # shown once: not again
    expect(page.locator("ul.recovery-codes")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Έχετε 10 αχρησιμοποίητους κωδικούς ανάκτησης.")
    assert kept[0] not in page.content()

    page.goto(live_server.url + "/")
    expect(page.locator(".user-box")).to_be_visible()
    page.locator(".user-box button[type=submit]").click()
    expect(page).to_have_url(live_server.url + "/accounts/login/")

    page.goto(live_server.url + "/")
    log_in(page, "alice", PASSWORD)
    expect(page).to_have_url(live_server.url + "/accounts/2fa/verify/?next=/")
    expect(page.locator("main")).to_contain_text("κωδικούς ανάκτησης")
    page.locator("#id_token").fill(kept[0].upper())
    page.locator("main button[type=submit]").click()

    # In, and offered to set up a new phone, which she may decline.
    expect(page.locator(".messages")).to_contain_text("απομένουν 9")
    page.get_by_role("link", name="Κράτηση της τωρινής εφαρμογής").click()
    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator("main h1")).to_contain_text("Alice")

    actions = set(AuditEvent.objects.filter(actor=alice).values_list("action", flat=True))
    assert {"2fa.enrolled", "2fa.recovery_code_used"} <= actions
