"""The region's dashboard in a real browser, as the monitor: charts (canvas, drawn by
Chart.js from the page's JSON under the strict CSP) with their tables, and no person."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from koinotita.monitoring.conftest import enter, make_person
from koinotita.monitoring.dashboards import rollup_refresh
from koinotita.testing.browser import log_in, open_login
from koinotita.testing.users import PASSWORD

pytestmark = pytest.mark.browser


def test_monitor_sees_the_region_dashboard_and_no_person(page, live_server, mona, alice, network):  # noqa: F811
    names = []
    for i in range(7):
        family = f"Δοκιμαστοπούλου{'α' * i}"
        names.append(family)
        person = make_person(network["kastoria"], family=family, actor=alice,
                             categories=["unemployed"], born=dt.date(1980, 1, 1))  # fmt: skip
        enter(alice, person, dt.date(2025, 3, 1), labour_status="unemployed",
              unemployed_months=13)  # fmt: skip
    rollup_refresh(rebuild=True)

    open_login(page, live_server)
    log_in(page, "mona", PASSWORD)
    page.goto(live_server.url + "/monitoring/dashboard/?scope=region:dytiki-makedonia")

    expect(page.locator("main h1")).to_contain_text("Μακεδον")
    canvases = page.locator("main canvas")
    expect(canvases).to_have_count(5)
    # Chart.js drew each chart: it sizes the canvas and marks it as its own.
    for i in range(5):
        expect(canvases.nth(i)).to_have_attribute("style", re.compile("height"))
    expect(page.locator("main table.monitoring-table")).to_have_count(5)
    categories = page.locator("table[data-table='categories']")
    expect(categories).to_contain_text("7")
    html = page.content()
    for family in names:
        assert family not in html
    assert "Δοκιμαστοπούλου" not in page.locator("body").inner_text()
