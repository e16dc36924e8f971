"""Privacy actions (people.privacy): the subject-access export (JSON, PDF) and anonymisation
(erasure) — with the person's contacts and appointments, which take part through
reception's personal-data contract (reception/privacy.py)."""

import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from koinotita.audit.models import AuditEvent
from koinotita.organisations.models import Municipality, Site
from koinotita.people.merge import person_merge
from koinotita.people.models import Consent, Person
from koinotita.people.privacy import (
    ANONYMOUS_FAMILY_NAME,
    BLANKED,
    person_anonymise,
    person_export,
)
from koinotita.people.search import person_search
from koinotita.people.selectors import person_list_for
from koinotita.people.services import household_join
from koinotita.reception.models import Appointment, Contact, ContactPerson, Service
from koinotita.reception.services import contact_log
from koinotita.testing.identifiers import make_afm, make_amka
from koinotita.testing.pdf import pdf_fonts_and_characters
from koinotita.testing.people import person_make

BORN = date(1985, 3, 14)
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def site(network):
    return Site.objects.get(centre=network["kastoria"], kind=Site.Kind.MAIN)


def register(actor, centre, **fields) -> Person:
    person = person_make(actor=actor, centre=centre, fields=fields, confirm=True)
    return person


@pytest.fixture
def person(alice, network):
    return register(
        alice,
        network["kastoria"],
        family_name="Παπαδοπούλου",
        given_name="Ελένη",
        father_name="Γεώργιος",
        mother_name="Μαρία",
        sex="F",
        birth_date=BORN,
        amka=make_amka(BORN, "F"),
        afm=make_afm(1234),
        id_document_number="ΑΒ 123456",
        phone="697 123 4567",
        email="eleni@example.gr",
        address="Μητροπόλεως 12",
        postal_code="52100",
        residence_municipality=Municipality.objects.get(code="kastoria"),
        preferred_language="sq",
        categories=["unemployed", "min_income"],
    )


@pytest.fixture
def spouse(alice, network, person):
    other = register(
        alice,
        network["kastoria"],
        family_name="Παπαδόπουλος",
        given_name="Νίκος",
        sex="M",
        address="Μητροπόλεως 12",
    )
    household_join(actor=alice, person=person, relationship="partner", with_person=other)
    person.refresh_from_db()
    return other


@pytest.fixture
def history(rita, alice, person, spouse, site):
    """Two contacts (one with the spouse too) and an appointment."""
    services = list(Service.objects.filter(code__in=["information", "application-help"]))
    now = timezone.now()
    first = contact_log(
        actor=rita,
        site=site,
        persons=[person],
        at=now - timedelta(days=3),
        channel="in_person",
        services=services,
        request_text="Αίτηση για το ελάχιστο εισόδημα της Ελένης",
        minutes=25,
        note="Φέρνει το εκκαθαριστικό την Πέμπτη",
    )
    second = contact_log(
        actor=alice,
        site=site,
        persons=[person, spouse],
        at=now - timedelta(days=1),
        channel="phone",
        services=services[:1],
        request_text="Στέγαση",
        minutes=10,
    )
    appointment = Appointment.objects.create(
        centre=site.centre,
        site=site,
        person=person,
        staff=alice,
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2, minutes=30),
        purpose="Συνέντευξη για τη στέγαση της Ελένης",
        booked_by=rita,
    )
    return {"contacts": [first, second], "appointment": appointment}


def export_url(person, fmt):
    return reverse("people-person-export", args=[person.pk, fmt])


# --- export ------------------------------------------------------------------------------


def test_supervisor_exports_everything_as_json(client_for, sam, alice, person, spouse, history):
    client_for(alice).get(reverse("people-person-detail", args=[person.pk]))  # a read to list
    response = client_for(sam).get(export_url(person, "json"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    stamp = timezone.localdate().strftime("%Y%m%d")
    assert response["Content-Disposition"] == (
        f'attachment; filename="koinotita-person-{person.pk}-{stamp}.json"'
    )
    assert "no-store" in response["Cache-Control"]
    assert "Παπαδοπούλου".encode() in response.content  # UTF-8, not \u escapes
    data = json.loads(response.content.decode("utf-8"))
    assert data["format"] == "koinotita.subject-access/1"
    record = data["person"]
    assert record["id"] == person.pk
    assert record["amka"] == person.amka and record["afm"] == person.afm
    assert record["father_name"] == "Γεώργιος" and record["mother_name"] == "Μαρία"
    assert record["birth_date"] == "1985-03-14"
    assert record["categories"] == ["unemployed", "min_income"]
    assert record["residence_municipality"]["code"] == "kastoria"
    assert record["registered_by"]["username"] == "alice"
    household = data["household"]
    assert household["relationship"] == "partner"
    assert household["other_members"] == [{"name": "Παπαδόπουλος Νίκος", "relationship": "head"}]
    assert [c["purpose"] for c in data["consents"]] == ["registration"]
    contacts = data["contacts"]
    assert [c["channel"] for c in contacts] == ["in_person", "phone"]
    assert {s["code"] for s in contacts[0]["services"]} == {"information", "application-help"}
    assert contacts[0]["request"].startswith("Αίτηση") and contacts[0]["minutes"] == 25
    assert contacts[1]["other_persons"] == 1
    assert data["appointments"][0]["purpose"].startswith("Συνέντευξη")
    assert (
        data["appointments"][0]["starts_at"]
        == timezone.localtime(history["appointment"].starts_at).isoformat()
    )
    actions = [(e["action"], e["by"]["username"]) for e in data["audit_events"]]
    assert ("person.created", "alice") in actions
    assert ("person.read", "alice") in actions
    assert ("contact.created", "rita") in actions
    assert ("consent.given", "alice") in actions
    assert data["merges"] == [] and data["merged_records"] == []
    event = AuditEvent.objects.get(action="person.exported", object_id=str(person.pk))
    assert event.actor_username == "sam" and event.detail["format"] == "json"


def test_export_has_the_same_structure_for_a_bare_record(sam, alice, network, person, spouse):
    bare = person_make(
        actor=alice, centre=network["kastoria"], fields={"family_name": "Α", "given_name": "Β"}
    )
    full = json.loads(person_export(actor=sam, person=person, fmt="json").content)
    empty = json.loads(person_export(actor=sam, person=bare, fmt="json").content)
    assert set(full) == set(empty)
    assert set(full["person"]) == set(empty["person"])
    assert empty["household"] is None and empty["contacts"] == []


def test_export_includes_the_records_merged_into_it(sam, alice, network, person):
    duplicate = register(alice, network["kastoria"], family_name="Παπαδοπουλου", given_name="Ε")
    person_merge(actor=sam, kept=person, duplicate=duplicate)
    data = json.loads(person_export(actor=sam, person=person, fmt="json").content)
    assert [r["id"] for r in data["merged_records"]] == [duplicate.pk]
    assert data["merges"][0]["duplicate"] == duplicate.pk
    assert len(data["consents"]) == 2  # its own and the one moved from the duplicate
    assert ("person.merged", str(duplicate.pk)) in {
        (e["action"], e["record_id"]) for e in data["audit_events"]
    }


def test_supervisor_exports_a_readable_pdf(client_for, sam, person, spouse, history):
    response = client_for(sam).get(export_url(person, "pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith(f'-{person.pk}-{date.today():%Y%m%d}.pdf"')
    assert response.content.startswith(b"%PDF-")
    assert len(response.content) > 10_000
    fonts, characters = pdf_fonts_and_characters(response.content)
    assert any(font.startswith("DejaVu") for font in fonts), fonts
    # The Greek of the record was drawn with real glyphs of the embedded font.
    assert set("ΠαπαδοπούλουΕλένηΓεώργιοςΜαρίαΜητροπόλεως") <= characters
    event = AuditEvent.objects.get(action="person.exported", object_id=str(person.pk))
    assert event.detail["format"] == "pdf"


def test_export_in_english_renders_too(client_for, sam, person):
    response = client_for(sam).get(export_url(person, "pdf"), **EN)
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")


def test_unknown_export_format_is_404(client_for, sam, person):
    assert client_for(sam).get(export_url(person, "xml")).status_code == 404
    assert not AuditEvent.objects.filter(action="person.exported").exists()


def test_caseworker_cannot_export(client_for, alice, rita, person):
    for user in (alice, rita):
        assert client_for(user).get(export_url(person, "json")).status_code == 403
    with pytest.raises(PermissionDenied):
        person_export(actor=alice, person=person, fmt="json")
    assert not AuditEvent.objects.filter(action="person.exported").exists()


def test_privacy_page_lists_the_actions(client_for, sam, person):
    response = client_for(sam).get(reverse("people-person-privacy", args=[person.pk]), **EN)
    assert response.status_code == 200
    body = response.content.decode()
    assert export_url(person, "pdf") in body and export_url(person, "json") in body
    assert reverse("people-person-anonymise", args=[person.pk]) in body
    assert "cannot be undone" in body


def test_person_page_shows_privacy_links_to_supervisors_only(client_for, sam, alice, person):
    link = reverse("people-person-privacy", args=[person.pk])
    detail = reverse("people-person-detail", args=[person.pk])
    assert link in client_for(sam).get(detail).content.decode()
    assert link not in client_for(alice).get(detail).content.decode()


PRIVACY_URLS = [
    ("get", "people-person-privacy", {}),
    ("get", "people-person-export", {"fmt": "json"}),
    ("get", "people-person-export", {"fmt": "pdf"}),
    ("get", "people-person-anonymise", {}),
    ("post", "people-person-anonymise", {}),
]


@pytest.mark.parametrize(("method", "name", "kwargs"), PRIVACY_URLS)
def test_other_centre_gets_404(client_for, charlie, person, method, name, kwargs):
    url = reverse(name, kwargs={"pk": person.pk, **kwargs})
    data = {"reason": "x", "confirmed": "True"} if method == "post" else {}
    assert getattr(client_for(charlie), method)(url, data).status_code == 404
    person.refresh_from_db()
    assert person.anonymised_at is None


@pytest.mark.parametrize(("method", "name", "kwargs"), PRIVACY_URLS)
def test_caseworker_of_the_centre_gets_403(client_for, alice, person, method, name, kwargs):
    url = reverse(name, kwargs={"pk": person.pk, **kwargs})
    data = {"reason": "x", "confirmed": "True"} if method == "post" else {}
    assert getattr(client_for(alice), method)(url, data).status_code == 403
    person.refresh_from_db()
    assert person.anonymised_at is None


# --- anonymisation -----------------------------------------------------------------------


def centre_figures(centre):
    contacts = Contact.objects.filter(centre=centre)
    return {
        "contacts": contacts.count(),
        "persons_served": ContactPerson.objects.filter(centre=centre).count(),
        "minutes": contacts.aggregate(m=Sum("minutes"))["m"],
        "services": Contact.services.through.objects.filter(contact__centre=centre).count(),
        "by_channel": sorted(contacts.values_list("channel", flat=True)),
        "appointments": Appointment.objects.filter(centre=centre).count(),
        "persons": Person.objects.filter(centre=centre).count(),
        "women": Person.objects.filter(centre=centre, sex="F").count(),
        "born_1985": Person.objects.filter(centre=centre, birth_date__year=1985).count(),
        "unemployed": sum(
            "unemployed" in p.categories for p in Person.objects.filter(centre=centre)
        ),
    }


def test_anonymise_erases_every_identifying_field(sam, alice, person, spouse, history):
    identifiers = (person.amka, person.afm, person.phone_digits)
    municipality = person.residence_municipality_id

    person_anonymise(actor=sam, person=person, reason="Αίτημα διαγραφής αρ. πρωτ. 1234")

    person.refresh_from_db()
    assert person.family_name == ANONYMOUS_FAMILY_NAME
    assert person.given_name == f"#{person.pk}"
    assert str(person) == f"Ανωνυμοποιημένο πρόσωπο #{person.pk}"
    for name in BLANKED:
        assert getattr(person, name) == "", name
    assert person.id_document_unverified is False
    assert person.preferred_language == "el"
    assert person.household_id is None
    assert person.anonymised_at is not None
    # What statistics need stays.
    assert person.birth_date == date(1985, 7, 1)
    assert person.sex == "F"
    assert person.residence_municipality_id == municipality
    assert person.categories == ["unemployed", "min_income"]
    assert person.centre.code == "kastoria"
    # Free text about the person is gone; the activity stays.
    for contact in history["contacts"]:
        contact.refresh_from_db()
        assert contact.request == "" and contact.note == ""
        assert contact.services.exists() and contact.minutes > 0
    appointment = Appointment.objects.get(pk=history["appointment"].pk)
    assert appointment.purpose == "" and appointment.status == "booked"
    consents = Consent.objects.filter(person=person)
    assert consents.exists()
    assert all(c.withdrawn_on == timezone.localdate() and c.withdrawn_by == sam for c in consents)
    # Nothing finds it any more.
    assert not person_list_for(alice).filter(pk=person.pk).exists()
    for query in ("Παπαδοπούλου", "Papadopoulou", "Ελένη", *identifiers):
        assert person.pk not in [p.pk for p in person_search(alice, query).persons], query
    assert not Person.objects.filter(amka=identifiers[0]).exists()
    # The spouse keeps the household and its address.
    spouse.refresh_from_db()
    assert spouse.household is not None and spouse.household.address == "Μητροπόλεως 12"


def test_anonymise_keeps_the_centres_figures(sam, person, spouse, history, network):
    before = centre_figures(network["kastoria"])
    person_anonymise(actor=sam, person=person, reason="Αίτημα του προσώπου")
    assert centre_figures(network["kastoria"]) == before


def test_anonymise_is_audited_with_its_reason(sam, person):
    person_anonymise(actor=sam, person=person, reason="  Αίτημα   διαγραφής ")
    event = AuditEvent.objects.get(action="person.anonymised", object_id=str(person.pk))
    assert event.actor_username == "sam"
    assert event.reason == "Αίτημα διαγραφής"
    assert event.detail["consents_withdrawn"] == 1


def test_anonymised_person_page_is_404(client_for, sam, alice, person):
    person_anonymise(actor=sam, person=person, reason="Αίτημα")
    for user in (alice, sam):
        client = client_for(user)
        assert client.get(reverse("people-person-detail", args=[person.pk])).status_code == 404
        assert client.get(export_url(person, "json")).status_code == 404


def test_a_household_left_empty_loses_its_address(sam, alice, person):
    household = household_join(actor=alice, person=person, relationship="head")
    assert household.address == "Μητροπόλεως 12"
    person.refresh_from_db()
    person_anonymise(actor=sam, person=person, reason="Αίτημα")
    household.refresh_from_db()
    assert household.address == "" and household.postal_code == ""


def test_records_merged_into_the_person_are_anonymised_with_it(sam, alice, network, person):
    person.phone = ""
    person.save()
    duplicate = register(
        alice,
        network["kastoria"],
        family_name="Παπαδοπούλου",
        given_name="Έλενα",
        phone="6970001122",
    )
    merge = person_merge(actor=sam, kept=person, duplicate=duplicate)
    assert merge.moved["filled"]["phone"]["value"] == "6970001122"

    person_anonymise(actor=sam, person=person, reason="Αίτημα")

    duplicate.refresh_from_db()
    assert duplicate.anonymised_at is not None
    assert duplicate.family_name == ANONYMOUS_FAMILY_NAME and duplicate.phone == ""
    merge.refresh_from_db()
    assert merge.moved["scrubbed"] is True
    assert "6970001122" not in json.dumps(merge.moved)
    assert AuditEvent.objects.filter(
        action="person.anonymised", object_id=str(duplicate.pk)
    ).exists()


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_anonymise_needs_a_reason(sam, person, reason):
    with pytest.raises(ValidationError) as excinfo:
        person_anonymise(actor=sam, person=person, reason=reason)
    assert "reason" in excinfo.value.message_dict
    person.refresh_from_db()
    assert person.anonymised_at is None and person.family_name == "Παπαδοπούλου"


def test_only_a_supervisor_anonymises(alice, person):
    with pytest.raises(PermissionDenied):
        person_anonymise(actor=alice, person=person, reason="Αίτημα")
    person.refresh_from_db()
    assert person.anonymised_at is None


def test_anonymise_refuses_an_anonymised_or_merged_record(sam, alice, network, person):
    duplicate = register(alice, network["kastoria"], family_name="Α", given_name="Β")
    person_merge(actor=sam, kept=person, duplicate=duplicate)
    with pytest.raises(ValidationError):
        person_anonymise(actor=sam, person=duplicate, reason="Αίτημα")
    person_anonymise(actor=sam, person=person, reason="Αίτημα")
    with pytest.raises(ValidationError):
        person_anonymise(actor=sam, person=person, reason="Αίτημα")
    assert AuditEvent.objects.filter(action="person.anonymised").count() == 2  # kept + merged


def test_anonymise_in_the_web_takes_a_reason_and_a_confirmation(client_for, sam, person):
    client = client_for(sam)
    url = reverse("people-person-anonymise", args=[person.pk])

    page = client.get(url, **EN)
    assert page.status_code == 200 and "cannot be undone" in page.content.decode()

    empty = client.post(url, {}, **EN)
    assert empty.status_code == 200 and "This field is required." in empty.content.decode()
    missing = client.post(url, {"reason": " "}, **EN)
    assert missing.status_code == 200
    assert "This field is required." in missing.content.decode()

    step = client.post(url, {"reason": "Αίτημα διαγραφής"}, **EN)
    assert step.status_code == 200
    body = step.content.decode()
    assert "irreversible" in body and "Αίτημα διαγραφής" in body
    person.refresh_from_db()
    assert person.anonymised_at is None  # nothing happens before the confirmation

    done = client.post(url, {"reason": "Αίτημα διαγραφής", "confirmed": "True"}, **EN)
    assert done.status_code == 302 and done["Location"] == reverse("people-person-search")
    person.refresh_from_db()
    assert person.anonymised_at is not None
    assert AuditEvent.objects.get(action="person.anonymised").reason == "Αίτημα διαγραφής"
