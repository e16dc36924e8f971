"""The citizens' pages in a real browser at 390 px (issue 15, "Done when"): a resident of
Prespes finds Florina's antenna, checks what the household might be entitled to, asks for an
appointment there; Florina's reception confirms it and finds it on the day's schedule. Every
public page: axe-core violations of any impact (minor included), horizontal scrolling and
more than 100 KB transferred are faults."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from koinotita.organisations.models import Municipality, Site
from koinotita.reception.models import Appointment, AppointmentRequest
from koinotita.testing.browser import PHONE, checked_context, log_in, open_page, page_problems
from koinotita.testing.people import person_make
from koinotita.testing.users import PASSWORD

pytestmark = pytest.mark.browser

MAX_BYTES = 100_000
ANTENNA = "florina-antenna-prespes"


@pytest.fixture
def phone_page(browser, live_server, transactional_db):
    context = checked_context(browser, PHONE)
    tab = context.new_page()
    tab.received = []  # every response of the page being looked at
    tab.on("response", lambda response: tab.received.append(response))
    yield tab
    tab.wait_for_load_state("networkidle")
    context.close()


@pytest.fixture
def quick_form(settings):
    # The request form refuses what comes back sooner than a person types; the test types
    # fast but waits out this second (see `_wait_out_the_time_check`).
    settings.PUBLIC_REQUEST_MIN_SECONDS = 1


def _transferred(page) -> int:
    """Bytes transferred for the page just loaded (headers and bodies, as received)."""
    total = 0
    for response in page.received:
        sizes = response.request.sizes()
        total += sizes["responseHeadersSize"] + max(sizes["responseBodySize"], 0)
    return total


def _check(page, problems: list[str]) -> None:
    page.wait_for_load_state("networkidle")
    problems += page_problems(page, phone=True, every_impact=True)
    if (size := _transferred(page)) >= MAX_BYTES:
        problems.append(f"{page.url}: {size} bytes transferred")
    page.received.clear()


def _visit(page, url: str, problems: list[str]) -> None:
    page.received.clear()
    open_page(page, url)
    _check(page, problems)


def _self_check_for_two_adults_and_two_children(page) -> None:
    for i, age in enumerate((40, 38, 10, 7)):
        page.locator(f"#id_members-{i}-age").fill(str(age))
        page.locator(f"#id_members-{i}-disability").select_option("no")
        page.locator(f"#id_members-{i}-unemployed").select_option("no")
    page.locator("#id_income_6m").fill("0")
    page.locator("#id_deposits").fill("0")
    page.locator("#id_real_estate").fill("0")
    page.locator("#id_single_parent").select_option("no")
    page.locator("#id_renting").select_option("yes")
    page.received.clear()
    page.locator("form.self-check button[type=submit]").click()


def _wait_out_the_time_check(page) -> None:
    page.wait_for_timeout(1100)


def test_a_resident_of_prespes_asks_florinas_antenna_and_reception_confirms(
    phone_page, live_server, catalogue, florina_reception, network, quick_form
):
    page, problems = phone_page, []
    florina = network["florina"]
    prespes = Municipality.objects.get(code="prespes")
    # Reception will link the request to the person already known at the centre by phone.
    person = person_make(
        actor=florina_reception,
        centre=florina,
        fields={"family_name": "Παπαδοπούλου", "given_name": "Μαρία", "phone": "6971234567"},
    )

    # 1. The nearest site for a resident of Prespes: Florina's antenna.
    _visit(page, live_server.url + reverse("public-index"), problems)
    page.locator("#id_municipality").select_option(str(prespes.pk))
    page.locator("form.finder button[type=submit]").click()
    _check(page, problems)
    nearest = page.locator("section[aria-labelledby=nearest] .site-card")
    expect(nearest).to_have_count(1)
    expect(nearest).to_contain_text("Αντένα εξυπηρέτησης Πρεσπών")
    expect(nearest).to_contain_text("Κέντρο Κοινότητας Δήμου Φλώρινας")

    # 2. The self-check for two adults and two children without income.
    _visit(page, live_server.url + reverse("public-check"), problems)
    _self_check_for_two_adults_and_two_children(page)
    _check(page, problems)
    answer = page.locator("section.results")
    expect(answer).to_contain_text("Ελάχιστο Εγγυημένο Εισόδημα")
    # 216 + 108 + 2 × 54 €: the whole guaranteed amount for this household.
    expect(answer).to_contain_text("432")
    assert "432.00" in answer.inner_text() or "432,00" in answer.inner_text()

    # 3. The request for an appointment, from the antenna's card.
    _visit(page, live_server.url + reverse("public-index"), problems)
    page.locator("#id_municipality").select_option(str(prespes.pk))
    page.locator("form.finder button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    page.received.clear()
    nearest.locator("a.button").click()
    _check(page, problems)
    expect(page.locator("#id_site")).to_have_value(ANTENNA)
    page.locator("#id_name").fill("Μαρία Παπαδοπούλου")
    page.locator("#id_phone").fill("697 123 4567")
    page.locator("#id_reason").fill("Θέλω να κάνω αίτηση για το ελάχιστο εγγυημένο εισόδημα.")
    page.locator("#id_consent").check()
    _wait_out_the_time_check(page)
    page.received.clear()
    page.locator("main form button[type=submit]").click()
    _check(page, problems)
    expect(page.locator("h1")).to_be_visible()
    waiting = AppointmentRequest.objects.get()
    assert waiting.status == "pending" and waiting.site.code == ANTENNA

    # 4. Florina's reception confirms it for tomorrow at 10:00, linked to the person.
    day = timezone.localdate() + timedelta(days=1)
    page.goto(live_server.url + reverse("accounts-login"))
    log_in(page, florina_reception.username, PASSWORD)
    page.wait_for_load_state("networkidle")
    open_page(page, live_server.url + reverse("reception-request-list"))
    page.locator("main a", has_text="Μαρία Παπαδοπούλου").first.click()
    page.wait_for_load_state("networkidle")
    page.locator(f"main a[href$='?person={person.pk}']").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#id_person")).to_have_value(str(person.pk))
    page.locator("#id_action_0").check()
    page.locator("#id_staff").select_option(str(florina_reception.pk))
    page.locator("#id_day").fill(day.isoformat())
    page.locator("#id_time").fill("10:00")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    appointment = Appointment.objects.get()
    assert appointment.person == person and appointment.site.code == ANTENNA

    # 5. ... and finds it on that day's schedule of the antenna.
    antenna = Site.objects.get(code=ANTENNA)
    schedule = reverse("reception-appointment-site-day", args=[antenna.pk])
    open_page(page, live_server.url + schedule + f"?date={day.isoformat()}")
    expect(page.locator("main")).to_contain_text("10:00")
    expect(page.locator("main")).to_contain_text("Παπαδοπούλου")

    assert not problems, "\n".join(problems)


def _fill_the_request(page, *, name="Μαρία Παπαδοπούλου", phone="697 123 4567") -> None:
    page.locator("#id_site").select_option(ANTENNA)
    page.locator("#id_name").fill(name)
    page.locator("#id_phone").fill(phone)
    page.locator("#id_reason").fill("Πληροφορίες για τα επιδόματα.")
    page.locator("#id_consent").check()


def _submit(page, selector: str, problems: list[str]) -> None:
    page.received.clear()
    page.locator(selector).click()
    _check(page, problems)


@pytest.mark.parametrize("language", ["el", "en"])
def test_every_public_page_has_no_axe_violation_no_sideways_scroll_and_is_light(
    phone_page, live_server, catalogue, network, settings, language
):
    settings.PUBLIC_REQUEST_MIN_SECONDS = 0
    settings.PUBLIC_RATE_ADDRESS = "2/h"  # the third request of this address meets the 429
    page, problems = phone_page, []
    query = "?lang=en" if language == "en" else ""
    and_ = "&lang=en" if language == "en" else ""
    base = live_server.url
    prespes = Municipality.objects.get(code="prespes")
    urls = [
        reverse("public-index") + query,
        reverse("public-index") + f"?municipality={prespes.pk}{and_}",
        *(reverse("public-centre", args=[code]) + query for code in network),
        reverse("public-centre", args=["no-such-centre"]) + query,
        reverse("public-programmes") + query,
        reverse("public-programmes") + f"?q=epidoma{and_}",
        reverse("public-programme", args=["no-such-programme"]) + query,
        reverse("public-check") + query,
        reverse("public-request") + query,
        reverse("public-request") + f"?site={ANTENNA}{and_}",
        reverse("public-accessibility") + query,
        reverse("public-privacy") + query,
    ]
    for url in urls:
        _visit(page, base + url, problems)
    programmes = page.locator("main a[href*='/public/programmes/']")
    open_page(page, base + reverse("public-programmes") + query)
    for href in [a.get_attribute("href") for a in programmes.all()]:
        _visit(page, base + href, problems)

    # The self-check's answer, and its answer with answers missing.
    _visit(page, base + reverse("public-check") + query, problems)
    _self_check_for_two_adults_and_two_children(page)
    _check(page, problems)
    expect(page.locator("section.results")).to_be_visible()
    _visit(page, base + reverse("public-check") + query, problems)
    page.locator("#id_members-0-age").fill("40")
    _submit(page, "form.self-check button[type=submit]", problems)

    # The request form with its errors, sent, and refused (429) once the address has sent two.
    _visit(page, base + reverse("public-request") + query, problems)
    _submit(page, "main form button[type=submit]", problems)
    expect(page.locator(".form-errors, .error").first).to_be_visible()
    _fill_the_request(page)
    _submit(page, "main form button[type=submit]", problems)
    assert AppointmentRequest.objects.count() == 1
    _visit(page, base + reverse("public-request") + query, problems)
    _fill_the_request(page, name="Νίκος Παπάς", phone="697 765 4321")
    page.received.clear()
    with page.expect_response(lambda r: r.request.method == "POST") as answered:
        page.locator("main form button[type=submit]").click()
    assert answered.value.status == 429
    _check(page, problems)

    assert not problems, "\n".join(problems)
