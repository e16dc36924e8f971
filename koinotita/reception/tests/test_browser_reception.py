"""The reception flow in a real browser: search → pick or register → log the contact.

Three screens at most, keyboard-friendly, in Greek (the browser asks for el first).
"""

from datetime import date

import pytest
from playwright.sync_api import expect

from koinotita.reception.models import Contact, Service
from koinotita.testing.browser import log_in, open_login
from koinotita.testing.identifiers import make_amka
from koinotita.testing.people import person_make
from koinotita.testing.users import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def catalogue(transactional_db):
    # Browser tests run on a flushed database: the seeded catalogue may be gone.
    service, _ = Service.objects.get_or_create(
        code="information",
        defaults={
            "axis": "A",
            "name": "Ενημέρωση για κοινωνικά προγράμματα και παροχές",
            "name_en": "Information on social programmes and benefits",
        },
    )
    return service


def test_reception_finds_a_person_in_greeklish_and_logs_a_contact(
    page,  # noqa: F811
    live_server,
    rita,
    network,
    catalogue,
):
    born = date(1979, 5, 2)
    person_make(
        actor=rita,
        centre=network["kastoria"],
        fields={
            "family_name": "Καραγιάννης",
            "given_name": "Θεόδωρος",
            "father_name": "Ευάγγελος",
            "sex": "M",
            "birth_date": born,
            "amka": make_amka(born, "M"),
        },
    )

    open_login(page, live_server)
    log_in(page, "rita", PASSWORD)
    page.goto(live_server.url + "/people/")

    # Screen 1: one box, typed as a receptionist would, in Greeklish and without accents.
    page.locator("#q").fill("karagianis theo")
    row = page.locator("#results tbody tr").first
    expect(row).to_contain_text("Καραγιάννης")
    expect(row).to_contain_text("Ευάγγελος")  # father's name tells namesakes apart
    expect(row).to_contain_text("1979")
    row.locator("a[href^='/reception/contacts/new/']").click()

    # Screen 2: the contact, then back to the person's timeline.
    expect(page.locator("main h1")).to_contain_text("Καταγραφή επαφής")
    page.locator("select#id_site").select_option(index=1)
    page.get_by_label(catalogue.name).check()
    page.locator("#id_request_text").fill("Ρώτησε για το επίδομα στέγασης")
    page.locator("#id_minutes").fill("20")
    page.locator("main button[type=submit]").click()

    expect(page.locator("main h1")).to_contain_text("Καραγιάννης")
    timeline = page.locator("main ol").last
    expect(timeline).to_contain_text("Ρώτησε για το επίδομα στέγασης")
    contact = Contact.objects.get()
    assert contact.minutes == 20
    assert list(contact.services.all()) == [catalogue]


def test_reception_registers_a_new_person_and_logs_the_contact_in_three_screens(
    page,  # noqa: F811
    live_server,
    rita,
    network,
    catalogue,
):
    open_login(page, live_server)
    log_in(page, "rita", PASSWORD)
    page.goto(live_server.url + "/people/")

    # Screen 1: nobody found; register, with the typed name carried over.
    page.locator("#q").fill("Ζαχαρίου")
    page.locator("#q").press("Enter")
    page.locator("#results a[href^='/people/new/']").click()

    # Screen 2: registration; the consent box is required.
    expect(page.locator("#id_family_name")).to_have_value("Ζαχαρίου")
    page.locator("#id_given_name").fill("Ιφιγένεια")
    page.locator("#id_father_name").fill("Παναγιώτης")
    page.locator("#id_sex").select_option("F")
    page.locator("#id_birth_date").fill("1992-11-30")
    page.locator("#id_amka").fill(make_amka(date(1992, 11, 30), "F"))
    page.locator("main button[type=submit]").click()
    expect(page.locator("#id_registration_consent")).to_be_visible()
    expect(page.locator(".error-summary")).to_be_visible()
    page.locator("#id_registration_consent").check()
    page.locator("main button[type=submit]").click()

    # Screen 3: straight to the contact form for the new person.
    expect(page.locator("main h1")).to_contain_text("Καταγραφή επαφής")
    page.locator("select#id_site").select_option(index=1)
    page.get_by_label(catalogue.name).check()
    page.locator("main button[type=submit]").click()

    expect(page.locator("main h1")).to_contain_text("Ζαχαρίου")
    contact = Contact.objects.get()
    assert [p.family_name for p in contact.persons.all()] == ["Ζαχαρίου"]
    assert contact.persons.get().consents.filter(purpose="registration").exists()
