"""The minimum-income journey in a real browser, in Greek and in English and on a 390-pixel
phone screen: a pre-screening of two adults and two children with six months' income of
600 € shows 300 € a month on 30/11/2023 (200 + 100 + 50 + 50, less 100) and 332 € on
1/12/2023 (216 + 108 + 54 + 54, less 100); the worker records the application, ticks the
documents, submits it with a reference number, records the approval and sees the renewal
task, on the application's page and among their tasks."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from koinotita.programmes.models import Application
from koinotita.testing.browser import log_in, open_login, open_page
from koinotita.testing.users import PASSWORD

pytestmark = pytest.mark.browser

WORDS = {
    "el": {
        "check": "Έλεγχος (δεν αποθηκεύεται τίποτα)",
        "record": "Καταχώριση της υποβολής",
        "decide": "Καταχώριση της απόφασης",
        "renewal": "Ανανέωση της αίτησης",
    },
    "en": {
        "check": "Check (nothing is saved)",
        "record": "Record the submission",
        "decide": "Record the decision",
        "renewal": "Renewal of application",
    },
}


def _no_horizontal_scroll(page) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    culprits = page.evaluate(
        "[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right"
        " > window.innerWidth).map(e => e.tagName + '.' + e.className + '#' + e.id).slice(0, 5)"
    )
    assert wide <= 0, f"{page.url} scrolls sideways by {wide}px: {culprits}"


def _amount_on(page, day: str, width: int) -> str:
    page.locator("#id_on").fill(day)
    page.locator("#id_income_6m").fill("600")
    page.locator("#id_deposits").fill("1000")
    page.locator("#id_real_estate").fill("0")
    page.locator("#id_single_parent").select_option("no")
    page.locator("#id_renting").select_option("yes")
    page.locator("button[name=action][value=check]").click()
    row = page.locator("#results tr[data-programme='minimum-income']")
    expect(row).to_have_attribute("data-verdict", "probably")
    if width < 500:
        _no_horizontal_scroll(page)
    return row.locator(".amount").inner_text()


@pytest.mark.parametrize(("language", "width"), [("el", 1280), ("en", 1280), ("el", 390)])
def test_the_minimum_income_journey(page, live_server, catalogue, household, alice, language,
                                    width):  # fmt: skip
    words = WORDS[language]
    page.set_viewport_size({"width": width, "height": 900})
    open_login(page, live_server)
    log_in(page, "alice", PASSWORD)
    if language == "en":
        page.locator(".lang-switch button[name=language][value=en]").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")

    open_page(page, f"{live_server.url}/programmes/prescreen/{household.pk}/")
    # The household comes from the records: four members, two of them children.
    expect(page.locator("#id_members-3-age")).not_to_have_value("")
    expect(page.locator("#id_members-4-age")).to_have_value("")
    assert re.fullmatch(r"300[.,]00 €", _amount_on(page, "2023-11-30", width))
    assert re.fullmatch(r"332[.,]00 €", _amount_on(page, "2023-12-01", width))
    expect(page.get_by_role("button", name=words["check"])).to_be_visible()

    open_page(
        page,
        f"{live_server.url}/programmes/applications/new/{household.pk}/?programme=minimum-income",
    )
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#documents-form")).to_be_visible()
    application = Application.objects.get()
    boxes = page.locator("#documents-form input[type=checkbox]")
    ticked = boxes.count()
    assert ticked > 0
    for n in range(ticked):
        boxes.nth(n).check()
    page.locator("#documents-form button[type=submit]").click()
    expect(page.locator("#documents-form input[type=checkbox]:checked")).to_have_count(ticked)
    if width < 500:
        _no_horizontal_scroll(page)

    today = timezone.localdate().isoformat()
    page.locator("#submit-form #id_submitted_on").fill(today)
    page.locator("#submit-form #id_reference_number").fill("ΕΕΕ-2026-000777")
    page.get_by_role("button", name=words["record"]).click()
    expect(page.locator("#application-facts")).to_contain_text("ΕΕΕ-2026-000777")

    page.locator("#decision-form #id_step").select_option("approve")
    page.locator("#decision-form #id_decision_on").fill(today)
    page.locator("#decision-form #id_amount").fill("332")
    page.get_by_role("button", name=words["decide"]).click()
    expect(page.locator("#application-state")).to_have_text(
        "Εγκρίθηκε" if language == "el" else "Approved"
    )
    application.refresh_from_db()
    assert application.state == Application.State.APPROVED
    assert application.reference_number == "ΕΕΕ-2026-000777"
    assert len(application.documents) == ticked
    expect(page.locator("#renewal-task")).to_contain_text(f"#{application.pk}")
    if width < 500:
        _no_horizontal_scroll(page)

    open_page(page, f"{live_server.url}/cases/tasks/")
    # The task is written in Greek (the default language): it travels in the daily e-mail.
    expect(page.locator("main")).to_contain_text(f"{WORDS['el']['renewal']} #{application.pk}")
