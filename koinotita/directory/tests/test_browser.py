"""The directory in a real browser (Debian's Chromium, the fixtures of web/tests): a
caseworker searches by need, municipality and text, opens a service and sees its details."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from koinotita.directory.models import ChangeReport, Service, VerificationRequest
from koinotita.directory.services import verification_token
from koinotita.organisations.models import Municipality
from koinotita.testing.browser import log_in, open_login, open_page
from koinotita.testing.users import PASSWORD, user_with_role

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


def test_supervisor_works_through_the_services_to_verify_and_a_partner_answers_by_link(
    page, live_server, sam, small_directory
):
    """The supervisor follows the directory's count to the list, answers "still right" for
    one service and "changed" for the other; the partner then confirms by the e-mailed link
    at phone width, without an account."""
    Service.objects.filter(pk=small_directory["food"].pk).update(
        last_verified_on=timezone.localdate().replace(year=timezone.localdate().year - 2)
    )
    open_login(page, live_server)
    log_in(page, "sam", PASSWORD)
    open_page(page, f"{live_server.url}/directory/")
    page.get_by_role("link", name="2 υπηρεσίες προς επιβεβαίωση").click()
    expect(page.locator("main h1")).to_have_text("Υπηρεσίες προς επιβεβαίωση")
    rows = page.locator("section[aria-labelledby=due-heading] tbody tr")
    expect(rows).to_have_count(2)
    food_row = rows.filter(has_text="Κοινωνικό Παντοπωλείο")
    food_row.get_by_role("button", name="Ισχύει").click()
    expect(page.locator("main")).to_contain_text("σημειώθηκε ως επιβεβαιωμένη σήμερα")
    expect(rows).to_have_count(1)
    row = rows.filter(has_text="Βοήθεια στο Σπίτι")
    row.locator("summary").click()
    row.get_by_label("Τι άλλαξε (προαιρετικά)").fill("Δεν εξυπηρετεί πλέον το Νεστόριο")
    row.get_by_role("button", name="Καταγραφή της αλλαγής").click()
    expect(page.locator("main")).to_contain_text("η εγγραφή διορθώνεται από διαχειριστή")
    expect(page.locator("section.panel-warning")).to_contain_text("Δεν εξυπηρετεί πλέον")

    partner = user_with_role("penny", "partner", "centre", small_directory["protocol"].centre)
    vrequest = VerificationRequest.objects.create(
        organization=small_directory["social"],
        user=partner,
        email="penny@example.org",
        month=timezone.localdate().replace(day=1),
        nonce="browser-test-nonce",
        expires_at=timezone.now() + datetime.timedelta(days=31),
    )
    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 800})
    open_page(page, f"{live_server.url}/directory/confirm/{verification_token(vrequest)}/")
    expect(page.locator("main h1")).to_have_text("Ισχύουν ακόμη οι υπηρεσίες σας;")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    section = page.locator("section.panel", has_text="Βοήθεια στο Σπίτι")
    section.get_by_label("Τι άλλαξε").fill("Και τα Σάββατα")
    section.get_by_role("button", name="Δήλωση της αλλαγής").click()
    expect(page.locator("main")).to_contain_text("η απάντησή σας καταγράφηκε")
    assert ChangeReport.objects.filter(via="partner_link", note="Και τα Σάββατα").exists()
