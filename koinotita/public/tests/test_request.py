"""Asking for an appointment: lands in the chosen site's centre as pending, creates no
Person, audited; bad input gets a clear message and saves nothing; floods and bots are
refused and counted."""

import pytest
from django.core import mail
from django.urls import reverse

from koinotita.audit.models import AuditEvent
from koinotita.people.models import Person
from koinotita.public.tests.conftest import request_data, shown_seconds_ago
from koinotita.reception.models import AppointmentRequest, RequestRefusal
from koinotita.testing.queries import at_most


def test_a_request_lands_pending_at_the_sites_centre(catalogue, client, network):
    response = client.post(reverse("public-request"), request_data())
    assert response.status_code == 200
    assert "Το αίτημά σας στάλθηκε" in response.content.decode()
    found = AppointmentRequest.objects.get()
    assert found.centre == network["florina"] and found.site.code == "florina-antenna-prespes"
    assert found.status == "pending" and found.phone_digits == "6971234567"
    assert found.consented_at is not None
    assert not Person.objects.exists()
    event = AuditEvent.objects.get(action="appointment_request.received")
    assert event.object_id == str(found.pk) and event.centre_id == network["florina"].pk
    assert "Μαρία" not in str(event.detail)  # the audit names the request, not its words
    assert not response.cookies


def test_a_request_is_accepted_in_at_most_12_queries(catalogue, client):
    data = request_data()
    with at_most(12):
        response = client.post(reverse("public-request"), data)
    assert response.status_code == 200


def test_a_preselected_site_is_chosen_on_the_form(catalogue, client):
    text = client.get(reverse("public-request"), {"site": "florina-antenna-prespes"}).content
    assert b'value="florina-antenna-prespes" selected' in text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"phone": "12345"}, "έγκυρος αριθμός τηλεφώνου"),
        ({"email": "not-an-address", "phone": ""}, "έγκυρη διεύθυνση e-mail"),
        ({"phone": "", "email": ""}, "Δώστε ένα τηλέφωνο ή μια διεύθυνση e-mail"),
        ({"reason": "   "}, "Γράψτε σύντομα"),
        ({"name": ""}, "Γράψτε το όνομά σας"),
        ({"site": "atlantis-main"}, "Επιλέξτε ένα από τα σημεία"),
        ({"site": ""}, "Επιλέξτε ένα από τα σημεία"),
        ({"consent": ""}, "συμφωνείτε να επικοινωνήσουμε"),
    ],
)
def test_bad_input_says_why_and_saves_nothing(catalogue, client, overrides, message):
    response = client.post(reverse("public-request"), request_data(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AppointmentRequest.objects.exists()
    assert not AuditEvent.objects.filter(action="appointment_request.received").exists()


def test_bad_input_in_english(catalogue, client):
    response = client.post(reverse("public-request"), request_data(phone="12", lang="en"))
    assert "not a valid phone number" in response.content.decode()


def test_the_honeypot_and_a_too_quick_form_are_refused_and_counted(catalogue, client):
    for data in (request_data(website="http://spam"), request_data(started=shown_seconds_ago(0))):
        response = client.post(reverse("public-request"), data)
        assert response.status_code == 400
        assert "στάλθηκε πολύ γρήγορα" in response.content.decode()
    assert not AppointmentRequest.objects.exists()
    assert RequestRefusal.objects.get(why="bot").count == 2


def test_a_flood_from_one_address_is_refused_with_429_and_counted(catalogue, client, settings):
    settings.PUBLIC_RATE_ADDRESS = "3/h"
    answers = [
        client.post(reverse("public-request"), request_data(phone=f"69712345{n:02d}")).status_code
        for n in range(6)
    ]
    assert answers == [200, 200, 200, 429, 429, 429]
    assert AppointmentRequest.objects.count() == 3
    assert RequestRefusal.objects.get(why="rate_address").count == 3
    text = client.post(reverse("public-request"), request_data()).content.decode()
    assert "Πάρα πολλά αιτήματα" in text and "Too many requests" not in text.split("<h1>")[0]


def test_many_requests_for_one_phone_are_refused(catalogue, client, settings):
    settings.PUBLIC_RATE_PHONE = "2/d"
    codes = []
    for n in range(3):
        codes.append(
            client.post(
                reverse("public-request"),
                request_data(phone="+30 697 123 4567"),
                REMOTE_ADDR=f"10.0.0.{n}",
            ).status_code
        )
    assert codes == [200, 200, 429]
    assert RequestRefusal.objects.get(why="rate_phone").count == 1


def test_a_sites_daily_cap_refuses_more(catalogue, client, settings):
    settings.PUBLIC_REQUESTS_PER_SITE_PER_DAY = 2
    codes = [
        client.post(
            reverse("public-request"),
            request_data(phone=f"69712345{n:02d}"),
            REMOTE_ADDR=f"10.1.0.{n}",
        ).status_code
        for n in range(3)
    ]
    assert codes == [200, 200, 429]
    assert RequestRefusal.objects.get(why="daily_cap").count == 1


def test_nothing_typed_is_shown_to_another_visitor(catalogue, client):
    client.post(reverse("public-request"), request_data(name="Ξενοφών Μυστικός"))
    other = type(client)()
    for name in ("public-index", "public-request", "public-programmes", "public-check"):
        assert "Μυστικός" not in other.get(reverse(name)).content.decode()
    assert not mail.outbox
