"""Reception's side of the public requests for an appointment: the centre's list, the
answer (confirm as an ordinary appointment, propose, decline), the e-mail to the citizen,
the other centre's 404 and the audit trail."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from koinotita.audit.models import AuditEvent
from koinotita.reception import services
from koinotita.reception.models import Appointment, AppointmentRequest
from koinotita.testing.clients import logged_in
from koinotita.testing.people import person_make
from koinotita.testing.users import user_with_role


@pytest.fixture
def fiona(network):
    return user_with_role("fiona", "reception", "centre", network["florina"])


@pytest.fixture
def antenna(network):
    return network["florina"].sites.get(code="florina-antenna-prespes")


@pytest.fixture
def waiting(antenna):
    return services.appointment_request_submit(
        site=antenna,
        name="Μαρία Παπαδοπούλου",
        phone="6971234567",
        email="maria@example.org",
        reason="Ελάχιστο εγγυημένο εισόδημα",
        consent=True,
    )


def _tomorrow_at_ten():
    day = timezone.localdate() + timedelta(days=1)
    return day, "10:00"


def test_reception_sees_the_centres_pending_requests_audited(fiona, waiting):
    response = logged_in(fiona).get(reverse("reception-request-list"))
    assert response.status_code == 200 and "Μαρία Παπαδοπούλου" in response.content.decode()
    event = AuditEvent.objects.get(action="appointment_request.list")
    assert event.detail["requests"] == [waiting.pk]


def test_another_centres_reception_does_not_see_it(rita, waiting):
    client = logged_in(rita)  # Kastoria's reception
    assert "Μαρία" not in client.get(reverse("reception-request-list")).content.decode()
    url = reverse("reception-request-detail", args=[waiting.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "decline"}).status_code == 404
    waiting.refresh_from_db()
    assert waiting.status == "pending"


def test_opening_a_request_is_audited_and_lists_persons_with_the_same_phone(
    fiona, waiting, network
):
    person = person_make(
        actor=fiona,
        centre=network["florina"],
        fields={"family_name": "Παπαδοπούλου", "given_name": "Μαρία", "phone": "697 123 4567"},
    )
    response = logged_in(fiona).get(reverse("reception-request-detail", args=[waiting.pk]))
    text = response.content.decode()
    assert f"?person={person.pk}" in text
    assert "given_name=%CE%9C" in text  # the register link carries the name
    assert AuditEvent.objects.filter(
        action="appointment_request.read", object_id=str(waiting.pk)
    ).exists()


def test_confirming_books_an_ordinary_appointment_and_tells_the_citizen(
    fiona, waiting, network, antenna, django_capture_on_commit_callbacks
):
    person = person_make(
        actor=fiona,
        centre=network["florina"],
        fields={"family_name": "Παπαδοπούλου", "given_name": "Μαρία", "phone": "6971234567"},
    )
    day, time = _tomorrow_at_ten()
    client = logged_in(fiona)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reception-request-detail", args=[waiting.pk]),
            {
                "action": "confirm",
                "person": person.pk,
                "staff": fiona.pk,
                "day": day.isoformat(),
                "time": time,
                "duration": 30,
            },
        )
    assert response.status_code == 302, response.content.decode()
    appointment = Appointment.objects.get()
    assert appointment.person == person and appointment.site == antenna
    waiting.refresh_from_db()
    assert waiting.status == "confirmed" and waiting.appointment == appointment
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["maria@example.org"]
    assert "10:00" in mail.outbox[0].body and "Ελάχιστο" not in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="appointment_request.confirmed").exists()
    day_page = client.get(
        reverse("reception-appointment-site-day", args=[antenna.pk]), {"date": day.isoformat()}
    )
    assert "Παπαδοπούλου" in day_page.content.decode()


def test_confirming_needs_a_person_and_a_time(fiona, waiting):
    response = logged_in(fiona).post(
        reverse("reception-request-detail", args=[waiting.pk]), {"action": "confirm"}
    )
    assert response.status_code == 200
    assert not Appointment.objects.exists()
    waiting.refresh_from_db()
    assert waiting.status == "pending"


def test_a_person_of_another_centre_cannot_be_linked(fiona, waiting, network, alice):
    stranger = person_make(
        actor=alice,
        centre=network["kastoria"],
        fields={"family_name": "Ξένη", "given_name": "Άννα"},
    )
    day, time = _tomorrow_at_ten()
    response = logged_in(fiona).post(
        reverse("reception-request-detail", args=[waiting.pk]),
        {"action": "confirm", "person": stranger.pk, "staff": fiona.pk, "day": day, "time": time},
    )
    assert response.status_code == 200
    assert "Δεν υπάρχει τέτοιο πρόσωπο" in response.content.decode()
    assert not Appointment.objects.exists()


def test_proposing_another_time_and_declining_tell_the_citizen(
    fiona, waiting, antenna, django_capture_on_commit_callbacks
):
    day, time = _tomorrow_at_ten()
    client = logged_in(fiona)
    url = reverse("reception-request-detail", args=[waiting.pk])
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url, {"action": "propose", "day": day, "time": time})
    assert answer.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == "proposed" and waiting.proposed_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url, {"action": "decline", "note": "Καλέστε μας."})
    assert answer.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == "declined"
    assert [len(m.body) > 0 for m in mail.outbox] == [True, True]
    assert "Καλέστε μας." in mail.outbox[1].body
    again = client.post(url, {"action": "decline"})
    assert "έχει ήδη απαντηθεί" in again.content.decode()


def test_old_answered_requests_are_purged(waiting):
    AppointmentRequest.objects.filter(pk=waiting.pk).update(
        status="declined", answered_at=timezone.now() - timedelta(days=91)
    )
    assert services.appointment_request_purge() == 1
    assert not AppointmentRequest.objects.exists()
