"""Browser tests' scaffolding, loaded as a pytest plugin (`-p koinotita.testing.browser` in
pyproject.toml): Debian's Chromium driven by Playwright with the launch flags this machine
needs (`browser`, `page` fixtures), and the steps every journey starts with.

The browser speaks Greek first (Accept-Language el-GR), as the centres' computers do. Tests
that use it carry the `browser` marker.
"""

import os

import pytest
from playwright.sync_api import Page, expect, sync_playwright

# Playwright's sync API runs an asyncio loop in this thread; Django's ORM calls made by the
# fixtures would otherwise refuse to run "from an async context".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server, transactional_db):
    context = browser.new_context(locale="el-GR", extra_http_headers={"Accept-Language": "el"})
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    # Pages load some sections after themselves (htmx): let the last requests finish
    # before the database is emptied behind the live server.
    tab.wait_for_load_state("networkidle")
    context.close()


def open_page(page: Page, url: str) -> None:
    """Go to `url` and wait until the sections it loads after itself (htmx) are in: the
    test database behind the live server (SQLite in memory, shared cache) refuses, rather
    than waits for, a write that meets another request's."""
    page.goto(url)
    page.wait_for_load_state("networkidle")


def open_login(page: Page, live_server) -> None:
    page.goto(live_server.url + "/")
    expect(page).to_have_url(live_server.url + "/accounts/login/?next=/")
    expect(page.locator("html")).to_have_attribute("lang", "el")


def log_in(page: Page, username: str, password: str) -> None:
    # The labels are translated; the inputs are found by the ids the labels point to.
    expect(page.locator("label[for='id_username']")).to_be_visible()
    expect(page.locator("label[for='id_password']")).to_be_visible()
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main button[type=submit]").click()
