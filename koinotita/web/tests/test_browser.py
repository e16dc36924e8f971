"""The shell in a real browser (koinotita/testing/browser.py): Debian's Chromium against the
live server."""

import pytest
from playwright.sync_api import expect

from koinotita.testing.browser import log_in, open_login
from koinotita.testing.users import PASSWORD

pytestmark = pytest.mark.browser


def test_reception_logs_in_sees_greek_home_and_switches_to_english(page, live_server, rita):
    open_login(page, live_server)
    log_in(page, "rita", PASSWORD)

    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "el")
    heading = page.locator("main h1")
    expect(heading).to_contain_text("Rita")
    expect(page.locator("main a[href='/network/']")).to_be_visible()

    page.locator(".lang-switch button[name=language][value=en]").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(live_server.url + "/")
    expect(heading).to_contain_text("Welcome")
    expect(heading).to_contain_text("Rita")
    expect(page.locator("main a[href='/network/']")).to_be_visible()
    expect(page.locator(".lang-switch button[name=language][value=el]")).to_be_visible()


def test_wrong_password_shows_an_error_and_no_home(page, live_server, rita):
    open_login(page, live_server)
    log_in(page, "rita", PASSWORD + "-wrong")

    error = page.locator(".error-summary")
    expect(error).to_be_visible()
    expect(error).to_have_attribute("role", "alert")
    expect(error).not_to_be_empty()
    expect(page).to_have_url(live_server.url + "/accounts/login/?next=/")
    expect(page.locator("#id_password")).to_be_visible()
    expect(page.locator(".user-box")).to_have_count(0)
    expect(page.locator("main a[href='/network/']")).to_have_count(0)


def test_keyboard_user_can_skip_to_main_content(page, live_server):
    open_login(page, live_server)

    # The login form autofocuses the user name field, so a first Tab from there would go to
    # the password. Walk back with Shift+Tab until focus leaves the page: the next Tab is
    # then the first stop of the document, as for a keyboard user arriving at the page.
    for _ in range(20):
        if not page.evaluate("document.hasFocus()"):
            break
        page.keyboard.press("Shift+Tab")
    assert not page.evaluate("document.hasFocus()"), "Shift+Tab never left the page"

    page.keyboard.press("Tab")

    skip_link = page.locator("a.skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_have_attribute("href", "#main")
    expect(skip_link).to_be_visible()
    expect(page.locator(":focus")).to_have_count(1)

    page.keyboard.press("Enter")

    expect(page.locator("main#main")).to_be_focused()
    expect(page).to_have_url(live_server.url + "/accounts/login/?next=/#main")
