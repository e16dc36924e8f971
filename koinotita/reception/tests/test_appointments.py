"""Appointments: booking without double booking, check-in into a contact, the day and week
views, scope (another centre gets 404) and the audit trail.

The clock is fixed (`clock` fixture) on Tuesday 5 March 2030, 09:00 in Athens, so that
"in the past", "today" and the opening hours do not depend on when the tests run.
"""

import threading
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from koinotita.accounts.models import User
from koinotita.accounts.scoping import Capability, scope_for
from koinotita.accounts.services import role_grant
from koinotita.audit.models import AuditEvent
from koinotita.organisations.models import Region, Site
from koinotita.people.services import consent_withdraw
from koinotita.reception import services
from koinotita.reception.models import Appointment, Contact
from koinotita.reception.selectors import (
    appointment_day_for,
    appointment_week_for,
    staff_list_for,
)
from koinotita.testing.clients import logged_in
from koinotita.testing.identifiers import make_amka
from koinotita.testing.people import person_make

ATHENS = ZoneInfo("Europe/Athens")
TODAY = date(2030, 3, 5)  # a Tuesday
NOW = datetime(2030, 3, 5, 9, 0, tzinfo=ATHENS)
TOMORROW = TODAY + timedelta(days=1)

NAMES = [
    ("Παπαδοπούλου", "Ελένη", "F"),
    ("Γεωργίου", "Νικόλαος", "M"),
    ("Δημητρίου", "Μαρία", "F"),
    ("Ιωάννου", "Κωνσταντίνος", "M"),
    ("Αθανασίου", "Σοφία", "F"),
]


def at(hour: int, minute: int = 0, day: date = TODAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ATHENS)


class Clock:
    def __init__(self, moment: datetime):
        self.moment = moment

    def now(self) -> datetime:
        return self.moment.astimezone(UTC)


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    fixed = Clock(NOW)
    monkeypatch.setattr(timezone, "now", fixed.now)
    return fixed


def register(actor, centre, n: int = 0, *, consent: bool = True):
    family, given, sex = NAMES[n % len(NAMES)]
    born = date(1960 + n, 1 + n % 12, 10 + n % 15)
    person = person_make(
        actor=actor,
        centre=centre,
        fields={
            "family_name": family,
            "given_name": given,
            "father_name": "Γεώργιος",
            "sex": sex,
            "birth_date": born,
            "amka": make_amka(born, sex, serial=n + 1),
        },
        consent_given_on=TODAY - timedelta(days=30),
    )
    if not consent:  # the person withdrew it yesterday
        consent_withdraw(
            actor=actor,
            consent=person.consents.get(),
            reason="Το ζήτησε",
            on=TODAY - timedelta(days=1),
        )
    return person


@pytest.fixture
def sites(network):
    return {
        "main": Site.objects.get(code="kastoria-main"),
        "antenna": Site.objects.get(code="kastoria-antenna-nestorio"),
        "florina": Site.objects.get(code="florina-main"),
    }


@pytest.fixture
def person(alice, network):
    return register(alice, network["kastoria"], 0)


@pytest.fixture
def other_person(alice, network):
    return register(alice, network["kastoria"], 1)


def book(actor, person, staff, site, start, end=None, **kwargs):
    return services.appointment_book(
        actor=actor,
        person=person,
        staff=staff,
        site=site,
        starts_at=start,
        ends_at=end or start + timedelta(minutes=30),
        **kwargs,
    )


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# --- booking ----------------------------------------------------------------------------------


def test_booking_works_and_is_audited_against_the_person(rita, bob, person, sites):
    appointment = services.appointment_book(
        actor=rita,
        person=person,
        staff=bob,
        site=sites["main"],
        starts_at=at(10),
        duration=45,
        purpose="  Επίδομα   στέγασης ",
    )
    appointment.refresh_from_db()
    assert appointment.centre_id == person.centre_id
    assert appointment.staff == bob and appointment.booked_by == rita
    assert appointment.ends_at == at(10, 45)
    assert appointment.status == Appointment.Status.BOOKED
    assert appointment.purpose == "Επίδομα στέγασης"
    event = AuditEvent.objects.get(action="appointment.booked")
    assert (event.object_type, event.object_id) == ("people.person", str(person.pk))
    assert event.actor == rita and event.centre_id == person.centre_id
    assert event.detail["appointment"] == appointment.pk


def test_default_length_is_thirty_minutes(rita, bob, person, sites):
    appointment = services.appointment_book(
        actor=rita, person=person, staff=bob, site=sites["main"], starts_at=at(11)
    )
    assert appointment.ends_at - appointment.starts_at == timedelta(minutes=30)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ((10, 0), (10, 30)),  # the same slot
        ((10, 15), (10, 45)),  # overlaps the end
        ((9, 45), (10, 15)),  # overlaps the start
        ((10, 10), (10, 20)),  # inside
        ((9, 30), (11, 0)),  # around
    ],
)
def test_double_booking_of_the_same_staff_is_refused(
    rita, bob, person, other_person, sites, start, end
):
    book(rita, person, bob, sites["main"], at(10), at(10, 30))
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        # another person, another site of the centre: still the same worker's time
        book(rita, other_person, bob, sites["antenna"], at(*start), at(*end))
    assert "already has an appointment from 10:00 to 10:30" in errors_of(excinfo)["staff"][0]
    assert "person" not in errors_of(excinfo)
    assert Appointment.objects.count() == 1


@pytest.mark.parametrize(("start", "end"), [((10, 30), (11, 0)), ((9, 30), (10, 0))])
def test_touching_appointments_are_allowed(rita, bob, person, other_person, sites, start, end):
    book(rita, person, bob, sites["main"], at(10), at(10, 30))
    book(rita, other_person, bob, sites["main"], at(*start), at(*end))
    assert Appointment.objects.count() == 2


def test_a_person_cannot_be_booked_twice_at_the_same_time(rita, alice, bob, person, sites):
    book(rita, person, bob, sites["main"], at(10))
    with pytest.raises(ValidationError) as excinfo:
        book(rita, person, alice, sites["main"], at(10, 15))
    assert set(errors_of(excinfo)) == {"person"}


def test_a_cancelled_slot_can_be_booked_again(rita, bob, person, other_person, sites):
    first = book(rita, person, bob, sites["main"], at(10))
    services.appointment_cancel(actor=rita, appointment=first)
    second = book(rita, other_person, bob, sites["main"], at(10))
    assert Appointment.objects.get(pk=first.pk).status == Appointment.Status.CANCELLED
    assert second.status == Appointment.Status.BOOKED
    assert AuditEvent.objects.filter(
        action="appointment.cancelled", object_id=str(person.pk)
    ).exists()


def test_a_person_of_another_centre_is_refused(alice, charlie, bob, network, sites):
    florina_person = register(charlie, network["florina"], 2)
    with pytest.raises(PermissionDenied):  # alice cannot see Florina's records at all
        book(alice, florina_person, bob, sites["main"], at(10))
    regional = User.objects.create_user(username="regina")
    role_grant(
        user=regional,
        role="supervisor",
        level="region",
        place=Region.objects.get(code="dytiki-makedonia"),
    )
    with pytest.raises(ValidationError) as excinfo:  # she sees both, but they do not mix
        book(regional, florina_person, bob, sites["main"], at(10))
    assert set(errors_of(excinfo)) == {"person"}
    assert not Appointment.objects.exists()


def test_staff_of_another_centre_or_without_personal_data_is_refused(
    rita, charlie, mona, ada, nobody, person, sites
):
    for staff in (charlie, mona, ada, nobody):
        with translation.override("en"), pytest.raises(ValidationError) as excinfo:
            book(rita, person, staff, sites["main"], at(10))
        assert "does not work at this centre" in errors_of(excinfo)["staff"][0]
    assert not Appointment.objects.exists()


def test_a_site_of_another_centre_is_refused(alice, bob, person, sites):
    with pytest.raises(PermissionDenied):
        book(alice, person, bob, sites["florina"], at(10))


def test_a_booking_outside_scope_is_refused(charlie, mona, bob, person, sites):
    for actor in (charlie, mona):
        with pytest.raises(PermissionDenied):
            book(actor, person, bob, sites["main"], at(10))


@pytest.mark.parametrize(
    ("start", "end", "field", "text"),
    [
        (at(8), at(8, 30), "starts_at", "in the past"),
        (at(10), at(9, 50), "ends_at", "end after it starts"),
        (at(10), at(10), "ends_at", "end after it starts"),
        (at(6, 30, TOMORROW), at(7, 0, TOMORROW), "starts_at", "between 07:00 and 21:00"),
        (at(20, 45), at(21, 15), "starts_at", "between 07:00 and 21:00"),
        (at(22), at(22, 30), "starts_at", "between 07:00 and 21:00"),
        (at(10), at(10, 0, TODAY + timedelta(days=1)), "ends_at", "at most 8 hours"),
        (at(10, 0, TODAY + timedelta(days=400)), None, "starts_at", "a year ahead"),
    ],
)
def test_impossible_times_are_refused(rita, bob, person, sites, start, end, field, text):
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        book(rita, person, bob, sites["main"], start, end)
    assert text in " ".join(errors_of(excinfo)[field])
    assert not Appointment.objects.exists()


def test_a_few_minutes_late_and_the_last_slot_of_the_day_are_fine(rita, bob, person, sites):
    book(rita, person, bob, sites["main"], at(8, 57), at(9, 20))
    book(rita, person, bob, sites["main"], at(20, 30), at(21, 0))
    assert Appointment.objects.count() == 2


# --- check-in, no-show, cancel ----------------------------------------------------------------


def test_check_in_logs_an_in_person_contact_credited_to_the_worker(rita, bob, person, sites, clock):
    appointment = book(rita, person, bob, sites["antenna"], at(9, 30), at(10, 15), purpose="ΚΕΑ")
    clock.moment = at(9, 25)
    appointment = services.appointment_check_in(actor=rita, appointment=appointment)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.ARRIVED
    contact = appointment.contact
    assert list(contact.persons.all()) == [person]
    assert contact.channel == "in_person" and contact.site == sites["antenna"]
    assert contact.staff == bob  # the worker the person came to see, not reception
    assert contact.at == at(9, 25) and contact.minutes == 45 and contact.request == "ΚΕΑ"
    actions = set(
        AuditEvent.objects.filter(
            object_type="people.person", object_id=str(person.pk)
        ).values_list("action", flat=True)
    )
    assert {"appointment.booked", "contact.created", "appointment.arrived"} <= actions


def test_check_in_needs_consent_to_registration(rita, alice, bob, network, sites):
    no_consent = register(alice, network["kastoria"], 3, consent=False)
    appointment = book(rita, no_consent, bob, sites["main"], at(9, 30))
    with pytest.raises(ValidationError) as excinfo:
        services.appointment_check_in(actor=rita, appointment=appointment)
    assert "persons" in errors_of(excinfo)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED and appointment.contact is None
    assert not Contact.objects.exists()


def test_check_in_only_once_and_only_on_the_day(rita, bob, person, other_person, sites):
    tomorrow = book(rita, person, bob, sites["main"], at(10, 0, TODAY + timedelta(days=1)))
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.appointment_check_in(actor=rita, appointment=tomorrow)
    assert "day of the appointment" in excinfo.value.messages[0]
    today = book(rita, other_person, bob, sites["main"], at(9, 30))
    services.appointment_check_in(actor=rita, appointment=today)
    with pytest.raises(ValidationError):
        services.appointment_check_in(actor=rita, appointment=today)
    with pytest.raises(ValidationError):
        services.appointment_cancel(actor=rita, appointment=today)
    assert Contact.objects.count() == 1


def test_no_show_only_after_the_start(rita, bob, person, sites, clock):
    appointment = book(rita, person, bob, sites["main"], at(9, 30))
    with pytest.raises(ValidationError):
        services.appointment_mark_no_show(actor=rita, appointment=appointment)
    clock.moment = at(9, 45)
    services.appointment_mark_no_show(actor=rita, appointment=appointment)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.NO_SHOW
    assert AuditEvent.objects.filter(action="appointment.no_show").exists()


def test_another_centre_cannot_change_an_appointment(rita, bob, charlie, person, sites):
    appointment = book(rita, person, bob, sites["main"], at(9, 30))
    for change in (
        services.appointment_cancel,
        services.appointment_mark_no_show,
        services.appointment_check_in,
    ):
        with pytest.raises(PermissionDenied):
            change(actor=charlie, appointment=appointment)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED


# --- selectors ---------------------------------------------------------------------------------


def test_staff_list_agrees_with_the_scoping_rule(
    alice, bob, charlie, rita, sam, mona, ada, pat, nobody, network
):
    kastoria = network["kastoria"]
    listed = set(staff_list_for(alice, [kastoria.pk]))
    assert listed == {alice, bob, rita, sam}
    for user in User.objects.all():
        expected = scope_for(user).allows(Capability.PERSONAL_DATA, kastoria.pk)
        assert (user in listed) == expected, user
    assert set(staff_list_for(charlie)) == {charlie}  # Florina's staff only
    assert not staff_list_for(charlie, [kastoria.pk]).exists()
    assert not staff_list_for(mona).exists()


def test_day_and_week_show_the_right_appointments(rita, alice, bob, person, other_person, sites):
    thursday = TODAY + timedelta(days=2)
    a = book(rita, person, bob, sites["main"], at(10))
    b = book(rita, other_person, alice, sites["main"], at(10))
    c = book(rita, person, bob, sites["antenna"], at(12, 0, thursday))
    d = book(rita, other_person, bob, sites["main"], at(9, 30))
    next_week = book(rita, person, bob, sites["main"], at(10, 0, TODAY + timedelta(days=7)))
    assert appointment_day_for(rita, day=TODAY, staff=bob) == [d, a]
    assert appointment_day_for(rita, day=TODAY, site=sites["main"]) == [d, a, b]
    assert appointment_day_for(rita, day=TODAY, site=sites["antenna"]) == []
    week = dict(appointment_week_for(rita, day=thursday, staff=bob))
    assert list(week) == [date(2030, 3, n) for n in range(4, 11)]  # Monday to Sunday
    assert week[TODAY] == [d, a] and week[thursday] == [c]
    assert next_week not in [x for day in week.values() for x in day]
    assert appointment_day_for(a.staff, day=TODAY, staff=bob)  # bob sees his own day
    listed = AuditEvent.objects.filter(action="appointment.list", actor=rita)
    assert listed.count() == 4
    assert listed.filter(detail__persons=[person.pk, other_person.pk]).exists()


def test_calendars_of_another_centre_are_empty(rita, charlie, bob, person, sites):
    book(rita, person, bob, sites["main"], at(10))
    assert appointment_day_for(charlie, day=TODAY, staff=bob) == []
    assert appointment_day_for(charlie, day=TODAY, site=sites["main"]) == []


# --- concurrency -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_booking_ends_with_one_appointment(network):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:"):
        # An in-memory SQLite test database shares one connection cache across threads and
        # locks whole tables without waiting; the file database of the demo serialises
        # writers itself (transactions BEGIN IMMEDIATE). So here the receptionists come one
        # after the other, which still checks that the second one is refused.
        receptionists = 1
    else:
        receptionists = 4
    kastoria = network["kastoria"]
    site = Site.objects.get(code="kastoria-main")
    worker = User.objects.create_user(username="worker")
    role_grant(user=worker, role="caseworker", level="centre", place=kastoria)
    desk = []
    for n in range(4):
        user = User.objects.create_user(username=f"desk{n}")
        role_grant(user=user, role="reception", level="centre", place=kastoria)
        desk.append(user)
    persons = [register(desk[0], kastoria, n, consent=False) for n in range(4)]
    rounds = 5
    outcomes: list[str] = []
    errors: list[Exception] = []

    def receptionist(n: int, start_line: threading.Barrier | None):
        try:
            for r in range(rounds):
                if start_line is not None:
                    start_line.wait(timeout=30)
                try:
                    book(desk[n], persons[n], worker, site, at(10 + r), at(10 + r, 45))
                    outcomes.append("booked")
                except ValidationError as exc:
                    assert "staff" in exc.message_dict
                    outcomes.append("refused")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    if receptionists == 1:
        for n in range(4):
            receptionist(n, None)
    else:
        start_line = threading.Barrier(receptionists)
        threads = [
            threading.Thread(target=receptionist, args=(n, start_line))
            for n in range(receptionists)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    assert outcomes.count("booked") == rounds
    assert outcomes.count("refused") == rounds * 3
    for r in range(rounds):
        assert Appointment.objects.filter(staff=worker, starts_at=at(10 + r)).count() == 1


# --- web pages ----------------------------------------------------------------------------------


def test_person_page_links_to_booking(rita, person, client_for):
    page = client_for(rita).get(reverse("people-person-detail", args=[person.pk]))
    assert reverse("reception-appointment-book", args=[person.pk]) in page.content.decode()


def test_home_offers_appointments_to_staff_only(rita, mona, client_for):
    index = reverse("reception-appointment-index")
    home = client_for(rita).get(reverse("web-home"))
    assert index in [a.url for a in home.context["actions"]]
    home = client_for(mona).get(reverse("web-home"))
    assert index not in [a.url for a in home.context["actions"]]
    assert client_for(mona).get(index).status_code == 403


def form(staff, site, **overrides) -> dict:
    data = {
        "staff": staff.pk,
        "site": site.pk,
        "day": TODAY.isoformat(),
        "time": "10:00",
        "duration": "30",
        "purpose": "Ενημέρωση για επιδόματα",
    }
    data.update(overrides)
    return data


def test_reception_books_through_the_form(rita, bob, person, sites, client_for):
    url = reverse("reception-appointment-book", args=[person.pk])
    page = client_for(rita).get(url)
    assert page.status_code == 200
    assert bob in page.context["form"].fields["staff"].queryset
    response = client_for(rita).post(url, form(bob, sites["main"]))
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("reception-appointment-staff-day", args=[bob.pk]) + "?date=2030-03-05"
    )
    assert (appointment.starts_at, appointment.ends_at) == (at(10), at(10, 30))


def test_form_shows_the_clash_and_bad_times_on_their_fields(
    rita, bob, person, other_person, sites, client_for
):
    book(rita, other_person, bob, sites["main"], at(10))
    client = client_for(rita)
    url = reverse("reception-appointment-book", args=[person.pk])
    headers = {"Accept-Language": "en"}
    response = client.post(url, form(bob, sites["main"], time="10:15"), headers=headers)
    assert response.status_code == 200
    assert "already has an appointment" in response.context["form"].errors["staff"][0]
    response = client.post(
        url, form(bob, sites["main"], day="2030-03-06", time="06:00"), headers=headers
    )
    assert "between 07:00 and 21:00" in response.context["form"].errors["time"][0]
    response = client.post(url, form(bob, sites["main"], day="2030-02-30"), headers=headers)
    assert response.context["form"].errors["day"]
    assert Appointment.objects.count() == 1


def test_form_refuses_staff_and_sites_of_another_centre(
    rita, charlie, bob, person, sites, client_for
):
    url = reverse("reception-appointment-book", args=[person.pk])
    response = client_for(rita).post(url, form(charlie, sites["main"]))
    assert response.context["form"].errors["staff"]
    response = client_for(rita).post(url, form(bob, sites["florina"]))
    assert response.context["form"].errors["site"]
    assert not Appointment.objects.exists()


def test_day_and_week_pages_list_the_appointments(
    rita, alice, bob, person, other_person, sites, client_for
):
    book(rita, person, bob, sites["main"], at(10), purpose="Στέγαση")
    book(rita, other_person, alice, sites["antenna"], at(11, 0, TODAY + timedelta(days=1)))
    client = client_for(rita)
    day = client.get(reverse("reception-appointment-staff-day", args=[bob.pk]))
    text = day.content.decode()
    assert "Παπαδοπούλου Ελένη" in text and "Στέγαση" in text and "Γεωργίου" not in text
    assert 'href="?date=2030-03-04"' in text and 'href="?date=2030-03-06"' in text
    assert 'aria-current="date"' in text
    assert reverse("reception-appointment-check-in", args=[Appointment.objects.first().pk]) in text
    site_week = client.get(
        reverse("reception-appointment-site-week", args=[sites["antenna"].pk]),
        {"date": "2030-03-07"},
    )
    text = site_week.content.decode()
    assert "Γεωργίου Νικόλαος" in text and "Παπαδοπούλου" not in text
    assert 'href="?date=2030-02-28"' in text and 'href="?date=2030-03-14"' in text
    site_day = client.get(
        reverse("reception-appointment-site-day", args=[sites["main"].pk]), {"date": "2030-03-06"}
    )
    assert site_day.context["appointments"] == []
    staff_week = client.get(reverse("reception-appointment-staff-week", args=[alice.pk]))
    assert len(staff_week.context["days"]) == 7


def test_a_bad_date_shows_today_with_a_message(rita, bob, client_for):
    response = client_for(rita).get(
        reverse("reception-appointment-staff-day", args=[bob.pk]),
        {"date": "31/02/2030"},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 200 and response.context["day"] == TODAY
    assert "not a valid date" in response.content.decode()


def test_check_in_button_logs_the_contact_and_opens_the_person(
    rita, bob, person, sites, client_for
):
    appointment = book(rita, person, bob, sites["main"], at(9, 30))
    client = client_for(rita)
    assert (
        client.get(reverse("reception-appointment-check-in", args=[appointment.pk])).status_code
        == 405
    )
    response = client.post(reverse("reception-appointment-check-in", args=[appointment.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("people-person-detail", args=[person.pk])
    appointment.refresh_from_db()
    assert appointment.status == "arrived" and appointment.contact.persons.get() == person


def test_check_in_without_consent_explains_why(rita, alice, bob, network, sites, client_for):
    no_consent = register(alice, network["kastoria"], 3, consent=False)
    appointment = book(rita, no_consent, bob, sites["main"], at(9, 30))
    client = client_for(rita)
    response = client.post(
        reverse("reception-appointment-check-in", args=[appointment.pk]),
        follow=True,
        headers={"Accept-Language": "en"},
    )
    assert "has not consented to registration" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == "booked"


def test_cancel_and_no_show_buttons(rita, bob, person, other_person, sites, client_for, clock):
    first = book(rita, person, bob, sites["main"], at(9, 5))
    second = book(rita, other_person, bob, sites["main"], at(10, 30))
    client = client_for(rita)
    back = reverse("reception-appointment-staff-day", args=[bob.pk])
    response = client.post(
        reverse("reception-appointment-cancel", args=[second.pk]), {"next": back}
    )
    assert response["Location"] == back
    response = client.post(
        reverse("reception-appointment-cancel", args=[second.pk]),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("reception-appointment-detail", args=[second.pk])
    response = client.post(reverse("reception-appointment-no-show", args=[first.pk]))
    assert response["Location"] == reverse("reception-appointment-detail", args=[first.pk])
    assert Appointment.objects.get(pk=first.pk).status == "booked"  # it has not started
    clock.moment = at(9, 10)  # (within the 30 minutes a session stays open when idle)
    client.post(reverse("reception-appointment-no-show", args=[first.pk]))
    assert Appointment.objects.get(pk=first.pk).status == "no_show"
    assert Appointment.objects.get(pk=second.pk).status == "cancelled"


def test_detail_page_is_audited_as_a_read_of_the_person(rita, bob, person, sites, client_for):
    appointment = book(rita, person, bob, sites["main"], at(9, 30))
    page = client_for(bob).get(reverse("reception-appointment-detail", args=[appointment.pk]))
    assert page.status_code == 200
    assert reverse("reception-appointment-cancel", args=[appointment.pk]) in page.content.decode()
    assert AuditEvent.objects.filter(
        action="appointment.read", actor=bob, object_id=str(person.pk)
    ).exists()


def test_another_centre_gets_404_on_every_appointment_url(
    rita, alice, bob, charlie, person, sites, client_for
):
    appointment = book(rita, person, bob, sites["main"], at(9, 30))
    client = client_for(charlie)
    gets = [
        reverse("reception-appointment-book", args=[person.pk]),
        reverse("reception-appointment-detail", args=[appointment.pk]),
        reverse("reception-appointment-staff-day", args=[alice.pk]),
        reverse("reception-appointment-staff-week", args=[alice.pk]),
        reverse("reception-appointment-staff-day", args=[rita.pk]),
        reverse("reception-appointment-site-day", args=[sites["main"].pk]),
        reverse("reception-appointment-site-week", args=[sites["antenna"].pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        reverse("reception-appointment-book", args=[person.pk]),
        reverse("reception-appointment-check-in", args=[appointment.pk]),
        reverse("reception-appointment-cancel", args=[appointment.pk]),
        reverse("reception-appointment-no-show", args=[appointment.pk]),
    ]
    for url in posts:
        assert client.post(url, form(charlie, sites["florina"])).status_code == 404, url
    appointment.refresh_from_db()
    assert appointment.status == "booked" and Appointment.objects.count() == 1
    assert not Contact.objects.exists()
    # and Florina's own calendars work for him
    assert (
        client.get(reverse("reception-appointment-staff-day", args=[charlie.pk])).status_code == 200
    )


def test_appointment_pages_stay_within_the_query_budget(
    rita, bob, person, other_person, sites, client_for, django_assert_max_num_queries
):
    appointment = book(rita, person, bob, sites["main"], at(9, 30))
    book(rita, other_person, bob, sites["antenna"], at(11, 0, TODAY + timedelta(days=1)))
    client = client_for(rita)
    urls = [
        reverse("reception-appointment-index"),
        reverse("reception-appointment-book", args=[person.pk]),
        reverse("reception-appointment-detail", args=[appointment.pk]),
        reverse("reception-appointment-staff-day", args=[bob.pk]),
        reverse("reception-appointment-staff-week", args=[bob.pk]),
        reverse("reception-appointment-site-day", args=[sites["main"].pk]),
        reverse("reception-appointment-site-week", args=[sites["main"].pk]),
    ]
    for url in urls:
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200, url


def test_supervisor_of_the_municipality_sees_the_calendars(sam, rita, bob, person, sites):
    appointment = book(rita, person, bob, sites["main"], at(10))
    client = logged_in(sam)
    assert client.get(reverse("reception-appointment-staff-day", args=[bob.pk])).status_code == 200
    assert (
        client.get(reverse("reception-appointment-detail", args=[appointment.pk])).status_code
        == 200
    )
