"""Grevena's supervisor records the 2020 amendment in a real browser (Debian's Chromium,
Greek first) and sees the new end date and budget, with the charts drawn under CSP."""

import pytest
from playwright.sync_api import expect

from koinotita.testing.browser import log_in, open_login
from koinotita.testing.users import PASSWORD

pytestmark = pytest.mark.browser


def test_supervisor_records_grevenas_2020_amendment(page, live_server, greg, grevena_operation):  # noqa: F811
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    open_login(page, live_server)
    log_in(page, "greg", PASSWORD)
    page.goto(f"{live_server.url}/funding/{grevena_operation.pk}/")
    expect(page.locator("#current-end")).to_have_text("31/05/2020")
    expect(page.locator("#current-budget")).to_have_text("199.800,00 €")

    page.get_by_role("link", name="Καταχώριση τροποποίησης").click()
    page.locator("#id_date").fill("2020-01-22")
    page.locator("#id_decision_ref").fill("ΑΔΑ: ΩΔ3Ε7ΛΗ-ΓΡΕ")
    page.locator("#id_reason").fill("Παράταση της χρηματοδότησης έως 31/05/2023")
    page.locator("#id_new_end_date").fill("2023-05-31")
    page.locator("#id_new_budget").fill("266.400,00")
    page.locator("main button[type=submit]").click()

    expect(page).to_have_url(f"{live_server.url}/funding/{grevena_operation.pk}/")
    expect(page.locator(".messages")).to_contain_text("Η τροποποίηση καταχωρίστηκε")
    expect(page.locator("#current-end")).to_have_text("31/05/2023")
    expect(page.locator("#current-budget")).to_have_text("266.400,00 €")
    timeline = page.locator("#amendment-timeline .amendment")
    expect(timeline).to_have_count(1)
    expect(timeline).to_contain_text("199.800,00 € → 266.400,00 €")
    expect(timeline).to_contain_text("31/05/2020 → 31/05/2023")
    # Chart.js (vendored, no inline script) has drawn both charts.
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-burn') !== undefined")
    assert page.evaluate("() => Chart.getChart('chart-years') !== undefined")
    assert not [e for e in errors if "Content Security Policy" in e], errors
