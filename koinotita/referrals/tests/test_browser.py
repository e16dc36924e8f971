"""The whole loop in a real browser (Debian's Chromium, the fixtures of web/tests): a
caseworker refers, the partner opens the signed link, accepts and reports completion, and
the caseworker sees the outcome."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from koinotita.testing.browser import TIMEOUT_MS, log_in, open_login, open_page
from koinotita.testing.users import PASSWORD

pytestmark = pytest.mark.browser


def test_caseworker_refers_partner_answers_by_link_caseworker_sees_the_outcome(
    page, browser, live_server, alice, person, service, consent
):
    open_login(page, live_server)
    log_in(page, "alice", PASSWORD)
    expect(page).to_have_url(live_server.url + "/")

    open_page(page, f"{live_server.url}/people/{person.pk}/")
    page.locator(f"a[href='/referrals/new/{person.pk}/']").click()
    page.locator("#id_service").select_option(str(service.pk))
    page.locator("#id_reason").fill("Χρειάζεται ψυχολογική υποστήριξη.")
    page.locator("#id_urgency").select_option("priority")
    page.locator("main form[method=post] button[type=submit]").click()

    expect(page.locator(".referral-state")).to_have_attribute("data-state", "draft")
    page.locator("button[data-step=sent]").click()
    expect(page.locator(".referral-state")).to_have_attribute("data-state", "sent")
    referral_url = page.url

    page.locator("#id_email").fill("kpsy@example.org")
    page.locator("form[action$='/links/'] button[type=submit]").click()
    expect(page.locator(".message-success")).to_contain_text("kpsy@example.org")
    assert len(mail.outbox) == 1
    link = re.search(r"(/referrals/r/\S+/)", mail.outbox[0].body).group(1)

    # The partner: no account, no session — only the link.
    partner = browser.new_context(locale="el-GR", extra_http_headers={"Accept-Language": "el"})
    partner.set_default_timeout(TIMEOUT_MS)
    tab = partner.new_page()
    tab.goto(live_server.url + link)
    expect(tab.locator(".shared-fields")).to_contain_text("Ζήση Μαρία")
    expect(tab.locator("main")).not_to_contain_text(person.amka)
    tab.locator("button[data-step=accepted]").click()
    expect(tab.locator(".referral-state")).to_have_attribute("data-state", "accepted")
    tab.locator("#outcome-completed").fill("Ξεκίνησε εβδομαδιαίες συνεδρίες.")
    tab.locator("button[data-step=completed]").click()
    expect(tab.locator(".referral-state")).to_have_attribute("data-state", "completed")
    partner.close()

    page.goto(referral_url)
    expect(page.locator(".referral-state")).to_have_attribute("data-state", "completed")
    expect(page.locator(".referral-outcome")).to_contain_text("Ξεκίνησε εβδομαδιαίες συνεδρίες.")
    open_page(page, f"{live_server.url}/people/{person.pk}/")
    expect(page.locator(".person-referrals")).to_contain_text("Ξεκίνησε εβδομαδιαίες συνεδρίες.")
