"""Each role's main job in a real browser, at 1366 px and at 390 px (issue 14): every page
the journeys visit is checked for horizontal scrolling on the phone, axe-core violations
(critical, serious, moderate: none allowed) and English left on a Greek page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from koinotita.lib.greek import elot743
from koinotita.testing.browser import (
    DESKTOP,
    PHONE,
    checked_context,
    log_in,
    open_page,
    page_problems,
)
from koinotita.testing.world import PASSWORD, build_world

pytestmark = pytest.mark.browser

LONG_WORD = "α" * 10_000  # one unbroken 10,000-character word


@pytest.fixture
def world(transactional_db):
    return build_world()


def _journeys(world):
    home = world.home
    case, person = home.case, home.person
    return {
        "reception": [
            reverse("web-home"),
            reverse("people-person-search") + "?q=" + elot743(person.family_name),
            reverse("people-person-detail", args=[person.pk]),
            reverse("reception-appointment-index"),
        ],
        "caseworker": [
            reverse("web-home"),
            reverse("cases-case-detail", args=[case.pk]),
            reverse("cases-my-tasks"),
            reverse("referrals-referral-list"),
            reverse("referrals-referral-detail", args=[home.referral.pk]),
            reverse("referrals-referral-new", args=[person.pk]),
            reverse("directory-search"),
        ],
        "mediator": [reverse("web-home"), reverse("cases-case-list")],
        "supervisor": [
            reverse("web-home"),
            reverse("cases-team"),
            reverse("audit-event-list"),
            reverse("referrals-figures"),
        ],
        "partner": [
            reverse("web-home"),
            reverse("referrals-inbox"),
            reverse("referrals-inbox-detail", args=[home.referral.pk]),
        ],
        "monitor": [reverse("web-home"), reverse("monitoring-index")],
        "admin": [reverse("admin:index"), reverse("admin:accounts_user_changelist")],
    }


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366px", "390px"])
def test_every_role_does_its_main_job_on_pages_without_faults(
    browser, live_server, world, viewport
):
    phone = viewport is PHONE
    problems = []
    for role, urls in _journeys(world).items():
        context = checked_context(browser, viewport)
        page = context.new_page()
        page.goto(live_server.url + reverse("accounts-login"))
        log_in(page, world.users[role].username, PASSWORD)
        page.wait_for_load_state("networkidle")
        for url in urls:
            open_page(page, live_server.url + url)
            for section in page.locator("details.case-section").all():
                section.evaluate("d => d.open = true")
            problems += page_problems(page, phone=phone)
        if role == "caseworker":
            problems += _caseworker_writes_a_long_note_and_finishes_a_task(
                page, live_server, world, phone
            )
        page.wait_for_load_state("networkidle")
        context.close()
    assert not problems, "\n".join(problems)


def _caseworker_writes_a_long_note_and_finishes_a_task(page, live_server, world, phone):
    case = world.home.case
    open_page(page, live_server.url + reverse("cases-case-detail", args=[case.pk]))
    page.locator("#section-notes > summary").click()
    page.locator("#section-notes details.on-demand > summary").click()
    page.locator("#section-notes textarea[name=text]").fill(LONG_WORD)
    page.locator("#section-notes form button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    page.locator("#section-notes > summary").click()
    page.locator("#section-tasks > summary").click()
    done = page.locator("#section-tasks button", has_text="Ολοκληρώθηκε").first
    expect(done).to_be_visible()
    colour, background = done.evaluate(
        "b => [getComputedStyle(b).color, getComputedStyle(b).backgroundColor]"
    )
    assert colour != background  # the button of blocker 4 can be seen
    problems = page_problems(page, phone=phone)
    done.click()
    expect(page.locator(".messages")).to_be_visible()
    return problems
