"""Browser tests' scaffolding, loaded as a pytest plugin (`-p koinotita.testing.browser` in
pyproject.toml): Debian's Chromium driven by Playwright with the launch flags this machine
needs (`browser`, `page` fixtures), and the steps every journey starts with.

The browser speaks Greek first (Accept-Language el-GR), as the centres' computers do. Tests
that use it carry the `browser` marker.
"""

import os
import re
from pathlib import Path

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


# --- Checks every page of the role journeys gets --------------------------------------------
#
# axe-core comes from npm (scripts/bootstrap --test puts it in var/axe, not committed). It is
# injected by Playwright into a context opened with bypass_csp, so the application's CSP
# stays as strict as in production and no test-only nonce is needed.

_REPO = Path(__file__).resolve().parents[2]
AXE_JS = Path(
    os.environ.get("KOINOTITA_AXE_JS", _REPO / "var/axe/node_modules/axe-core/axe.min.js")
)
AXE_IMPACTS = ("critical", "serious", "moderate")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def checked_context(browser, viewport: dict):
    """A Greek browser context at `viewport` in which axe can be injected."""
    context = browser.new_context(
        locale="el-GR",
        extra_http_headers={"Accept-Language": "el"},
        viewport=viewport,
        bypass_csp=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context


def horizontal_overflow(page: Page) -> int:
    """How many pixels the page is wider than the screen (0: no horizontal scrolling)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def axe_violations(page: Page, *, every_impact: bool = False) -> list[str]:
    """axe-core's violations of impact critical, serious or moderate on the page (of any
    impact, minor included, with `every_impact`), one line each (rule, impact, how many
    nodes, the first node)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    results = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, n: v.nodes.length,"
        " target: (v.nodes[0] && v.nodes[0].target.join(' ')) || ''}))"
    )
    return [
        f"{v['id']} ({v['impact']}, {v['n']}×: {v['target']})"
        for v in results
        if every_impact or v["impact"] in AXE_IMPACTS
    ]


def _english_phrases() -> list[re.Pattern]:
    """The interface's English source strings (msgids of the Greek catalogues, the
    project's and Django admin's), as patterns to find on a page that should be Greek."""
    import django  # import on use: only the checks of the browser journeys read them

    catalogues = list((_REPO / "koinotita").glob("**/locale/el/LC_MESSAGES/django.po"))
    admin = Path(django.__file__).parent / "contrib/admin/locale/el/LC_MESSAGES/django.po"
    catalogues.append(admin)
    phrases = set()
    for po in catalogues:
        for msgid in re.findall(r'^msgid "(.+)"$', po.read_text(encoding="utf-8"), re.M):
            if re.search(r"[%{}<>\\&]", msgid) or not re.fullmatch(r"[A-Za-z ,.'’-]+", msgid):
                continue
            words = msgid.split()
            if len(words) >= 2 or (len(msgid) >= 5 and msgid[0].isupper()):
                phrases.add(msgid.strip(" ."))
    return [re.compile(r"(?<![\w])" + re.escape(p) + r"(?![\w])") for p in sorted(phrases)]


_ENGLISH: list[re.Pattern] = []
# Latin words a Greek page may show: the other language's name on the language switch, the
# product's name, and the test world's staff (called e.g. "Home-Worker", "Home-Mediator").
ENGLISH_ALLOWED = {"English", "Koinotita", "Mediator", "Worker"}


def english_left(page: Page) -> list[str]:
    """English interface strings shown on a page whose language is Greek."""
    if page.evaluate("document.documentElement.lang") != "el":
        return []
    if not _ENGLISH:
        _ENGLISH.extend(_english_phrases())
    text = page.evaluate("document.body.innerText")
    found = {m.group(0) for p in _ENGLISH for m in [p.search(text)] if m}
    return sorted(found - ENGLISH_ALLOWED)


def page_problems(page: Page, *, phone: bool, every_impact: bool = False) -> list[str]:
    """What is wrong with the page as it stands: horizontal scrolling on a phone, axe-core
    violations (minor ones too with `every_impact`), English left on a Greek page."""
    problems = []
    if phone and (wider := horizontal_overflow(page)) > 0:
        problems.append(f"scrolls horizontally by {wider} px")
    problems += [f"axe: {v}" for v in axe_violations(page, every_impact=every_impact)]
    problems += [f"English: {e}" for e in english_left(page)]
    return [f"{page.url}: {p}" for p in problems]
