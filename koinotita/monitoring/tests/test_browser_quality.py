"""The supervisor's journey in a real browser: the centre's report says how many records
the indicators count and links to what blocks a figure; the data-quality page lists the
incomplete participant with what is missing; the link opens the record, the supervisor
puts it right, and the page then lists no one."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from koinotita.monitoring.conftest import enter, make_person
from koinotita.testing.browser import log_in, open_login
from koinotita.testing.users import PASSWORD

pytestmark = pytest.mark.browser


def test_supervisor_finds_and_fixes_the_record_that_blocks_a_figure(
    page, live_server, sam, alice, network
):
    k = network["kastoria"]
    enter(alice, make_person(k, family="Πλήρης", born=dt.date(1980, 1, 1), actor=alice),
          dt.date(2025, 2, 1))  # fmt: skip
    enter(alice, make_person(k, family="Ελλιπής", born=dt.date(1980, 1, 1), actor=alice),
          dt.date(2025, 3, 1), isced="")  # fmt: skip

    open_login(page, live_server)
    log_in(page, "sam", PASSWORD)
    page.goto(
        live_server.url
        + "/monitoring/reports/?scope=centre:kastoria&start=2025-01-01&end=2025-12-31"
        "&set=esfplus2021"
    )
    checks = page.locator("#report-checks")
    expect(checks).to_contain_text("1 από 2")
    page.locator("#quality-link").click()

    expect(page.locator("main h1")).to_contain_text("Ποιότητα δεδομένων")
    expect(page.locator("#quality-share")).to_contain_text("50.0%")
    row = page.locator("#quality-incomplete tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Ελλιπής")
    expect(row).to_contain_text("Επίπεδο εκπαίδευσης")
    quality_url = page.url
    row.get_by_role("link").click()

    expect(page.locator("main h1")).to_contain_text("Εγγραφή εισόδου")
    page.locator("#id_isced").select_option("3-4")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Οι αλλαγές αποθηκεύτηκαν")

    page.goto(quality_url)
    expect(page.locator("#quality-share")).to_contain_text("100.0%")
    expect(page.locator("main")).to_contain_text("Κανένας")
    expect(page.locator("#quality-incomplete")).to_have_count(0)
