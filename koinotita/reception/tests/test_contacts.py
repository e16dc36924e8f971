from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from koinotita.audit.models import AuditEvent
from koinotita.organisations.models import Site
from koinotita.people.imports import import_file_read, person_import
from koinotita.people.models import Person
from koinotita.people.services import consent_withdraw, household_join
from koinotita.reception.models import Contact, Service
from koinotita.reception.services import contact_log, contact_log_anonymous
from koinotita.testing.people import person_make
from koinotita.testing.queries import at_most


@pytest.fixture
def person(alice, network):
    p = person_make(
        actor=alice,
        centre=network["kastoria"],
        fields={"family_name": "Οικονόμου", "given_name": "Άννα", "sex": "F"},
    )
    return p


@pytest.fixture
def antenna(network):
    return Site.objects.get(code="kastoria-antenna-nestorio")


def log(actor, site, persons, **overrides):
    data = {"at": timezone.now() - timedelta(minutes=5), "channel": "in_person", "minutes": 20}
    data.update(overrides)
    return contact_log(actor=actor, site=site, persons=persons, **data)


def test_contact_is_logged_with_services_and_audited(rita, person, antenna):
    services = list(Service.objects.filter(code__in=["information", "application-help"]))
    contact = log(rita, antenna, [person], services=services, request_text="Ελάχιστο εισόδημα")
    assert set(contact.services.values_list("code", flat=True)) == {
        "information",
        "application-help",
    }
    assert list(contact.persons.all()) == [person]
    assert contact.centre_id == person.centre_id
    assert AuditEvent.objects.filter(action="contact.created", object_id=str(person.pk)).exists()


def test_contact_after_the_registration_consent_was_withdrawn_is_refused(alice, network, antenna):
    no_consent = person_make(
        actor=alice,
        centre=network["kastoria"],
        fields={"family_name": "Νίκου", "given_name": "Γιώργος"},
        consent_given_on=date.today() - timedelta(days=30),
    )
    consent_withdraw(
        actor=alice,
        consent=no_consent.consents.get(),
        reason="Το ζήτησε γραπτώς",
        on=date.today() - timedelta(days=1),
    )
    with pytest.raises(ValidationError) as excinfo:
        log(alice, antenna, [no_consent])
    assert "persons" in excinfo.value.message_dict
    assert not Contact.objects.exists()


def test_anonymous_contact_is_counted_without_personal_data(rita, antenna):
    contact = contact_log_anonymous(
        actor=rita,
        site=antenna,
        at=timezone.now(),
        channel="phone",
        services=[Service.objects.get(code="information")],
        minutes=5,
    )
    assert contact.is_anonymous and not contact.persons.exists()
    assert contact.request == "" and contact.note == ""


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"at": timezone.now() + timedelta(days=1)}, "at"),
        ({"channel": "pigeon"}, "channel"),
        ({"minutes": 1000}, "minutes"),
        ({"minutes": -5}, "minutes"),
    ],
)
def test_bad_contacts_are_refused(rita, person, antenna, overrides, field):
    with pytest.raises(ValidationError) as excinfo:
        log(rita, antenna, [person], **overrides)
    assert field in excinfo.value.message_dict
    assert not Contact.objects.exists()


def test_inactive_service_is_refused(rita, person, antenna):
    service = Service.objects.get(code="mobile")
    service.is_active = False
    service.save()
    with pytest.raises(ValidationError):
        log(rita, antenna, [person], services=[service])


def test_other_centre_cannot_log_at_this_site(charlie, person, antenna):
    with pytest.raises(PermissionDenied):
        log(charlie, antenna, [person])


def test_person_of_another_centre_cannot_be_in_this_contact(charlie, person, network):
    florina = Site.objects.get(code="florina-main")
    with pytest.raises((ValidationError, PermissionDenied)):
        log(charlie, florina, [person])


def test_reception_flow_search_pick_log_in_three_screens(rita, person, client_for):
    client = client_for(rita)
    search = client.get(reverse("people-person-search"), {"q": "oikonomou"})
    assert person in search.context["result"].persons
    log_url = reverse("reception-contact-log", args=[person.pk])
    assert log_url in search.content.decode()  # screen 1 → 2 directly from the results
    form = client.get(log_url)
    assert form.status_code == 200
    response = client.post(
        log_url,
        {
            "site": Site.objects.get(code="kastoria-main").pk,
            "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "channel": "in_person",
            "services": [Service.objects.get(code="information").pk],
            "request_text": "Επίδομα στέγασης",
            "minutes": 15,
        },
    )
    assert response.status_code == 302
    timeline = client.get(response["Location"])  # screen 3: the person's timeline
    assert "Επίδομα στέγασης" in timeline.content.decode()


def test_contact_form_reports_errors_and_saves_nothing(rita, person, client_for):
    response = client_for(rita).post(
        reverse("reception-contact-log", args=[person.pk]),
        {
            "site": Site.objects.get(code="kastoria-main").pk,
            "at": "not a date",
            "channel": "x",
            "minutes": "a",
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"at", "channel", "minutes"}
    assert not Contact.objects.exists()


def test_contact_pages_are_404_for_another_centre(charlie, person, client_for):
    assert (
        client_for(charlie).get(reverse("reception-contact-log", args=[person.pk])).status_code
        == 404
    )


def test_contact_form_offers_only_the_persons_centre_sites(rita, person, client_for):
    form = client_for(rita).get(reverse("reception-contact-log", args=[person.pk])).context["form"]
    codes = set(form.fields["site"].queryset.values_list("code", flat=True))
    assert codes == {"kastoria-main", "kastoria-antenna-nestorio"}


def test_anonymous_contact_page(rita, pat, client_for):
    client = client_for(rita)
    response = client.post(
        reverse("reception-contact-anonymous"),
        {
            "site": Site.objects.get(code="kastoria-main").pk,
            "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "channel": "phone",
            "minutes": 3,
        },
    )
    assert response.status_code == 302
    assert Contact.objects.filter(is_anonymous=True).count() == 1
    assert client_for(pat).get(reverse("reception-contact-anonymous")).status_code == 403


def test_reception_pages_stay_within_twelve_queries(rita, person, antenna, client_for):
    household_join(actor=rita, person=person, relationship="head", address="Ομήρου 1")
    spouse = person_make(
        actor=rita,
        centre=person.centre,
        fields={"family_name": "Οικονόμου", "given_name": "Πέτρος", "sex": "M"},
    )
    household_join(actor=rita, person=spouse, relationship="partner", with_person=person)
    services = list(Service.objects.all()[:3])
    for day in range(30):  # a person with a long timeline
        log(rita, antenna, [person], services=services, at=timezone.now() - timedelta(days=day))
    client = client_for(rita)
    log_url = reverse("reception-contact-log", args=[person.pk])
    pages = [
        reverse("people-person-search") + "?q=oikonomou",
        reverse("people-person-detail", args=[person.pk]),
        log_url,
        reverse("reception-contact-anonymous"),
    ]
    for url in pages:
        with at_most(12):
            assert client.get(url).status_code == 200
    data = {
        "site": antenna.pk,
        "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "channel": "in_person",
        "services": [s.pk for s in services],
        "minutes": 15,
    }
    # Saving writes three rows and the audit event (3 statements: the chain head is read
    # locked, the event inserted, the head moved): 14 in all with the session's two.
    with at_most(14):
        assert client.post(log_url, data).status_code == 302


def test_a_person_brought_by_an_import_can_have_a_contact_logged_straight_away(sam, network):
    data = "Επώνυμο;Όνομα;Συγκατάθεση\nΠαππά;Ελένη;02/11/2026\n".encode()
    table = import_file_read(name="persons.csv", data=data)
    assert person_import(actor=sam, centre=network["kastoria"], table=table).written == 1
    person = Person.objects.get(family_name="Παππά")
    site = Site.objects.get(code="kastoria-main")
    contact = contact_log(
        actor=sam, site=site, persons=[person], channel="in_person", at=timezone.now()
    )
    assert list(contact.persons.all()) == [person]
