"""What referrals teach about each service (median response time, acceptance and completion
over the last 12 months, suppressed below 5), shown to centre staff on the service page and
in the service picker, never to partners; and partners keeping their own services'
capacity (HSDS 3.1) from the partner inbox."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from koinotita.accounts.models import User
from koinotita.audit.models import AuditEvent
from koinotita.directory.models import ServiceCapacity
from koinotita.referrals.models import Direction, Referral, State
from koinotita.referrals.selectors import service_outcomes
from koinotita.testing.browser import TIMEOUT_MS, log_in, open_login
from koinotita.testing.users import PASSWORD

NOW = timezone.now()


def referral(person, service, *, state, days_ago=30, answer_hours=None, accepted=False):
    sent = NOW - timedelta(days=days_ago)
    answered = sent + timedelta(hours=answer_hours) if answer_hours is not None else None
    return Referral.objects.create(
        centre_id=person.centre_id,
        person=person,
        direction=Direction.OUTGOING,
        service=service,
        organization=service.organization,
        reason="Λόγος.",
        state=state,
        created_by=User.objects.order_by("pk").first(),
        sent_at=sent,
        answered_at=answered,
        accepted_at=answered if accepted else None,
    )


@pytest.fixture
def measured(person, florina_person, service):
    """Seven referrals of two centres in the year, answered in 1..7 days; six accepted, one
    declined; four completed, one not; and three that do not count."""
    hours = [24, 48, 72, 96, 120, 144, 168]
    states = [
        State.COMPLETED,
        State.COMPLETED,
        State.COMPLETED,
        State.COMPLETED,
        State.NOT_COMPLETED,
        State.ACCEPTED,
        State.DECLINED,
    ]
    for i, (h, state) in enumerate(zip(hours, states, strict=True)):
        who = person if i % 2 else florina_person
        referral(who, service, state=state, answer_hours=h, accepted=state != State.DECLINED)
    referral(person, service, state=State.COMPLETED, days_ago=400, answer_hours=1, accepted=True)
    referral(person, service, state=State.WITHDRAWN)  # withdrawn before any answer
    return service


def test_the_figures_of_a_service(measured):
    outcome = service_outcomes([measured.pk], now=NOW)[str(measured.pk)]
    assert outcome.referrals == 7
    assert outcome.median_response_days == 4.0
    assert outcome.acceptance_rate == round(100 * 6 / 7)
    assert outcome.completion_rate == 80


def test_figures_are_suppressed_below_five(person, service):
    for h in (1, 2, 3, 4):
        referral(person, service, state=State.COMPLETED, answer_hours=h, accepted=True)
    outcome = service_outcomes([service.pk], now=NOW)[str(service.pk)]
    assert outcome.suppressed
    assert (outcome.median_response_days, outcome.acceptance_rate, outcome.completion_rate) == (
        None,
        None,
        None,
    )
    referral(person, service, state=State.SENT)  # a fifth, not yet answered
    outcome = service_outcomes([service.pk], now=NOW)[str(service.pk)]
    assert not outcome.suppressed
    assert outcome.median_response_days is None  # only four answers


def test_caseworker_sees_the_figures_on_the_service_page(measured, alice, client_for):
    page = client_for(alice).get(reverse("directory-service-detail", args=[measured.pk]))
    text = page.content.decode()
    assert "referral-figures" in text and "86%" in text and "80%" in text
    assert "Ζήση" not in text and "Πέτρου" not in text  # aggregates: no person


def test_caseworker_sees_suppression_below_five(person, service, alice, client_for):
    referral(person, service, state=State.SENT)
    text = client_for(alice).get(reverse("directory-service-detail", args=[service.pk]))
    assert "Λιγότερες από 5 παραπομπές" in text.content.decode()


def test_the_figures_are_in_the_service_picker(measured, alice, person, client_for):
    page = client_for(alice).get(reverse("referrals-referral-new", args=[person.pk]))
    text = page.content.decode()
    assert "απαντά σε 4.0 ημέρες · 86% έγιναν δεκτές · 80% ολοκληρώθηκαν" in text


def test_a_partner_never_sees_the_figures(measured, pat_member, client_for):
    page = client_for(pat_member).get(reverse("directory-service-detail", args=[measured.pk]))
    assert "referral-figures" not in page.content.decode()


def test_partner_keeps_the_capacity_of_their_own_service(service, pat_member, client_for):
    client = client_for(pat_member)
    inbox = client.get(reverse("referrals-inbox")).content.decode()
    assert reverse("directory-capacity-list") in inbox
    listing = client.get(reverse("directory-capacity-list")).content.decode()
    assert service.name in listing
    response = client.post(
        reverse("directory-service-capacity-save", args=[service.pk]),
        {"unit": "ραντεβού", "available": "4", "maximum": "10", "back": "list"},
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "directory-capacity-list"
    )
    capacity = ServiceCapacity.objects.get(service=service)
    assert capacity.available == Decimal("4")
    event = AuditEvent.objects.get(action="directory.service.capacity")
    assert event.actor_id == pat_member.pk and event.object_id == str(service.pk)


def test_partner_of_another_organisation_gets_404(other_service, pat_member, client_for):
    client = client_for(pat_member)
    url = reverse("directory-service-capacity-save", args=[other_service.pk])
    assert client.post(url, {"unit": "θέσεις", "available": "1"}).status_code == 404
    assert other_service.name not in client.get(reverse("directory-capacity-list")).content.decode()
    assert not ServiceCapacity.objects.exists()
    assert not AuditEvent.objects.filter(action="directory.service.capacity").exists()


@pytest.mark.browser
def test_partner_updates_capacity_and_caseworker_refers_knowing_it(
    page, browser, live_server, measured, pat_member, alice, person
):
    """The journey in a real browser: the partner opens the capacity page from the inbox
    and records what is available; the caseworker sees it and the measured figures on the
    service page, and again in the picker of a new referral."""
    open_login(page, live_server)
    log_in(page, "pat", PASSWORD)
    page.goto(f"{live_server.url}/referrals/inbox/")
    page.locator("main a", has_text="Διαθεσιμότητα των υπηρεσιών σας").click()
    form = page.locator("form.capacity-form").first
    form.locator("[name=unit]").fill("ραντεβού")
    form.locator("[name=available]").fill("3")
    form.locator("[name=maximum]").fill("10")
    form.locator("button[type=submit]").click()
    expect(page.locator(".capacities").first).to_contain_text("3 ραντεβού διαθέσιμα")

    staff = browser.new_context(locale="el-GR", extra_http_headers={"Accept-Language": "el"})
    staff.set_default_timeout(TIMEOUT_MS)
    tab = staff.new_page()
    open_login(tab, live_server)
    log_in(tab, "alice", PASSWORD)
    expect(tab).to_have_url(live_server.url + "/")
    tab.goto(f"{live_server.url}/directory/services/{measured.pk}/")
    expect(tab.locator(".capacities")).to_contain_text("3 ραντεβού διαθέσιμα από 10")
    figures = tab.locator("#referral-figures")
    expect(figures).to_contain_text("86%")
    expect(figures).to_contain_text("80%")
    tab.goto(f"{live_server.url}/referrals/new/{person.pk}/")
    option = tab.locator(f"#id_service option[value='{measured.pk}']")
    expect(option).to_contain_text("απαντά σε 4.0 ημέρες")
    staff.close()
