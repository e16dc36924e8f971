"""The directory in a real browser (Debian's Chromium, the fixtures of web/tests): a
caseworker searches by need, municipality and text, opens a service and sees its details."""

import pytest
from playwright.sync_api import expect

from koinotita.organisations.models import Municipality
from koinotita.testing.browser import log_in, open_login
from koinotita.testing.users import PASSWORD

pytestmark = pytest.mark.browser


def test_caseworker_finds_a_service_by_need_municipality_and_text_and_opens_it(
    page, live_server, alice, small_directory
):
    open_login(page, live_server)
    log_in(page, "alice", PASSWORD)
    expect(page).to_have_url(live_server.url + "/")

    page.goto(f"{live_server.url}/directory/")
    results = page.locator("#results tbody tr")
    expect(results).to_have_count(3)  # no criteria: every active service
    page.locator("#id_need").select_option("elderly")
    nestorio = Municipality.objects.get(code="nestorio")
    page.locator("#id_municipality").select_option(str(nestorio.pk))
    page.locator("#id_q").fill("ΒΟΗΘΕΙΑ")  # upper case, no accents
    page.locator("form[role=search] button[type=submit]").click()
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Βοήθεια στο Σπίτι")
    expect(results.first).to_contain_text("Νεστόριο")

    # Another municipality: the service does not serve it.
    florina = Municipality.objects.get(code="florina")
    page.locator("#id_municipality").select_option(str(florina.pk))
    page.locator("form[role=search] button[type=submit]").click()
    expect(results).to_have_count(0)
    expect(page.locator("#results")).to_contain_text("Καμία υπηρεσία")

    page.locator("#id_municipality").select_option(str(nestorio.pk))
    page.locator("form[role=search] button[type=submit]").click()
    page.locator("#results a", has_text="Βοήθεια στο Σπίτι").click()
    expect(page.locator("main h1")).to_have_text("Βοήθεια στο Σπίτι")
    details = page.locator("main dl.details")
    expect(details).to_contain_text("Νεστόριο")
    expect(details).to_contain_text("Καστοριά")
    expect(page.locator("main")).to_contain_text("Κοινωνική Υπηρεσία Δήμου Καστοριάς")
