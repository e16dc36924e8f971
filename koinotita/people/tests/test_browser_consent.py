"""Withdrawing a consent in a real browser: the worker sees what it stops, gives a reason
and confirms; a bare click withdraws nothing."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from koinotita.audit.models import AuditEvent
from koinotita.testing.browser import log_in, open_login, open_page
from koinotita.testing.people import person_make
from koinotita.testing.users import PASSWORD

pytestmark = pytest.mark.browser


def test_withdrawing_a_consent_asks_for_a_reason_and_says_what_it_stops(
    page, live_server, alice, network
):
    person = person_make(
        actor=alice,
        centre=network["kastoria"],
        fields={"family_name": "Δημάκη", "given_name": "Σοφία", "sex": "F"},
        consent_given_on=date.today() - timedelta(days=10),
    )
    consent = person.consents.get()
    open_login(page, live_server)
    log_in(page, "alice", PASSWORD)
    open_page(page, f"{live_server.url}/people/{person.pk}/")
    page.get_by_role("link", name="Ανάκληση…").click()
    expect(page.get_by_role("heading", name="Ανάκληση συγκατάθεσης")).to_be_visible()
    expect(page.get_by_role("note")).to_contain_text("Τι σταματά η ανάκληση")
    expect(page.get_by_role("note")).to_contain_text("ανώνυμες επαφές")

    page.get_by_role("button", name="Ανάκληση της συγκατάθεσης").click()  # nothing filled in
    expect(page.get_by_text("Επιβεβαιώστε ότι το άτομο θέλει την ανάκληση.")).to_be_visible()
    consent.refresh_from_db()
    assert consent.withdrawn_on is None

    page.get_by_label("Γιατί ανακαλείται η συγκατάθεση;").fill("Το ζήτησε γραπτώς")
    page.get_by_label("Εξήγησα στο άτομο τι σταματά η ανάκληση και τη θέλει.").check()
    page.get_by_role("button", name="Ανάκληση της συγκατάθεσης").click()
    expect(page).to_have_url(f"{live_server.url}/people/{person.pk}/")
    consent.refresh_from_db()
    assert consent.withdrawn_on == date.today()
    assert consent.withdrawn_reason == "Το ζήτησε γραπτώς"
    assert AuditEvent.objects.filter(action="consent.withdrawn", object_id=str(consent.pk)).exists()
