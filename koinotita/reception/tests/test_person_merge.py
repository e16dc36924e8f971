"""Merging a duplicate record into the one kept, and undoing it (people.merge) — with the
person's contacts and appointments, which move through reception's personal-data contract
(its link table of a contact's persons)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from koinotita.accounts.models import User
from koinotita.accounts.services import role_grant
from koinotita.audit.models import AuditEvent
from koinotita.organisations.models import Municipality, Site
from koinotita.people.merge import (
    person_merge,
    person_merge_list_for,
    person_merge_preview,
    person_merge_undo,
)
from koinotita.people.models import Consent, Person, PersonMerge
from koinotita.people.privacy import person_anonymise
from koinotita.people.search import person_search
from koinotita.people.selectors import person_list_for
from koinotita.people.services import (
    consent_record,
    household_join,
    person_update,
)
from koinotita.reception.models import Appointment, ContactPerson, Service
from koinotita.reception.services import contact_log
from koinotita.testing.identifiers import make_amka
from koinotita.testing.people import person_make

BORN = date(1979, 11, 2)
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def site(network):
    return Site.objects.get(centre=network["kastoria"], kind=Site.Kind.MAIN)


def register(actor, centre, **fields) -> Person:
    person = person_make(actor=actor, centre=centre, fields=fields, confirm=True)
    return person


def log(actor, site, persons, **extra):
    return contact_log(
        actor=actor,
        site=site,
        persons=persons,
        at=timezone.now() - timedelta(hours=1),
        channel="in_person",
        services=list(Service.objects.filter(code="information")),
        minutes=15,
        **extra,
    )


@pytest.fixture
def kept(alice, network, site):
    """The older record: names and birth date, an ID card, no AMKA, phone or household."""
    person = register(
        alice,
        network["kastoria"],
        family_name="Γεωργίου",
        given_name="Δημήτρης",
        sex="M",
        birth_date=BORN,
        id_document_number="ΑΚ 654321",
    )
    log(alice, site, [person], request_text="Πρώτη επίσκεψη")
    return person


@pytest.fixture
def other(alice, network):
    return register(alice, network["kastoria"], family_name="Γεωργίου", given_name="Ελένη")


@pytest.fixture
def duplicate(alice, rita, network, site, kept, other):
    """The same man registered again: AMKA, phone, e-mail, father's name, household,
    contacts (one shared with the kept record), an appointment and a consent."""
    person = register(
        rita,
        network["kastoria"],
        family_name="Γεωργιου",
        given_name="Δημητρης",
        sex="U",
        father_name="Κωνσταντίνος",
        amka=make_amka(BORN, "M"),
        phone="2467 0 12345",
        email="dimitris@example.gr",
        residence_municipality=Municipality.objects.get(code="kastoria"),
        categories=["unemployed"],
    )
    consent_record(actor=rita, person=person, purpose="sms", given_on=date.today(), note="κινητό")
    household_join(actor=alice, person=person, relationship="partner", with_person=other)
    log(rita, site, [person], request_text="Επίδομα στέγασης")
    log(rita, site, [kept, person], request_text="Οικογενειακή επίσκεψη")
    Appointment.objects.create(
        centre=site.centre,
        site=site,
        person=person,
        staff=alice,
        starts_at=timezone.now() + timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=1, minutes=30),
        booked_by=rita,
    )
    person.refresh_from_db()
    kept.refresh_from_db()
    return person


@pytest.fixture
def boss(network):
    """A national supervisor: sees every centre, so that cross-centre refusals are reached."""
    user = User.objects.create_user(username="boss", password="correct-horse-battery")
    role_grant(user=user, role="supervisor", level="national", place=None)
    return user


def snapshot(*persons) -> dict:
    ids = [p.pk for p in persons]
    records = {
        row["id"]: {k: v for k, v in row.items() if k != "updated_at"}
        for row in Person.objects.filter(pk__in=ids).values()
    }
    return {
        "persons": records,
        "consents": sorted(Consent.objects.filter(person_id__in=ids).values_list("pk", "person")),
        "contact_links": sorted(
            ContactPerson.objects.filter(person_id__in=ids).values_list("contact", "person")
        ),
        "appointments": sorted(
            Appointment.objects.filter(person_id__in=ids).values_list("pk", "person")
        ),
        "household_members": sorted(
            Person.objects.filter(household__isnull=False).values_list(
                "pk", "household", "household_relationship"
            )
        ),
    }


def test_merge_moves_everything_and_fills_the_blanks(sam, alice, kept, duplicate, other):
    dup_links = set(
        ContactPerson.objects.filter(person=duplicate).values_list("contact", flat=True)
    )
    dup_consents = set(Consent.objects.filter(person=duplicate).values_list("pk", flat=True))
    dup_appointments = set(duplicate.appointments.values_list("pk", flat=True))

    merge = person_merge(actor=sam, kept=kept, duplicate=duplicate)

    kept.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.merged_into == kept and duplicate.household_id is None
    assert not ContactPerson.objects.filter(person=duplicate).exists()
    assert not Consent.objects.filter(person=duplicate).exists()
    assert not duplicate.appointments.exists()
    assert dup_links <= set(
        ContactPerson.objects.filter(person=kept).values_list("contact", flat=True)
    )
    assert ContactPerson.objects.filter(person=kept).count() == 3  # 1 own + 2, one shared
    assert dup_consents <= set(Consent.objects.filter(person=kept).values_list("pk", flat=True))
    assert dup_appointments == set(kept.appointments.values_list("pk", flat=True))
    # Blank fields were filled; the kept record's own values stayed.
    assert kept.amka == duplicate.amka and kept.phone == "2467 0 12345"
    assert kept.phone_digits == duplicate.phone_digits
    assert kept.email == "dimitris@example.gr" and kept.father_name == "Κωνσταντίνος"
    assert kept.categories == ["unemployed"]
    assert kept.residence_municipality.code == "kastoria"
    assert (kept.family_name, kept.given_name, kept.sex) == ("Γεωργίου", "Δημήτρης", "M")
    assert kept.id_document_number == "ΑΚ654321"
    assert kept.household_id == other.household_id and kept.household_relationship == "partner"
    # What moved is recorded for the undo.
    moved = merge.moved
    assert set(moved["rows"]["people.consent.person"]) == dup_consents
    assert set(moved["rows"]["reception.appointment.person"]) == dup_appointments
    assert len(moved["rows"]["reception.contactperson.person"]) == 1
    assert len(moved["links_dropped"]["reception.contactperson.person"]) == 1
    assert moved["filled"]["amka"] == {"old": "", "value": duplicate.amka}
    assert moved["filled"]["residence_municipality"]["old"] is None
    assert "sex" not in moved["filled"] and "family_name" not in moved["filled"]
    assert moved["household"]["kept_joined"] is True
    # The duplicate is gone from lists and search; the kept record is found by its AMKA.
    assert not person_list_for(alice).filter(pk=duplicate.pk).exists()
    found = [p.pk for p in person_search(alice, duplicate.amka).persons]
    assert found == [kept.pk]


def test_merge_is_audited_on_both_records(sam, kept, duplicate):
    merge = person_merge(actor=sam, kept=kept, duplicate=duplicate)
    events = AuditEvent.objects.filter(action="person.merged")
    assert sorted(events.values_list("object_id", flat=True)) == sorted(
        [str(kept.pk), str(duplicate.pk)]
    )
    assert all(e.detail["merge"] == merge.pk and e.actor_username == "sam" for e in events)
    assert "amka" in events.first().detail["filled"]


def test_undo_restores_exactly_the_previous_state(sam, kept, duplicate, other):
    before = snapshot(kept, duplicate, other)
    merge = person_merge(actor=sam, kept=kept, duplicate=duplicate)
    assert snapshot(kept, duplicate, other) != before

    person_merge_undo(actor=sam, merge=merge)

    assert snapshot(kept, duplicate, other) == before
    merge.refresh_from_db()
    assert merge.undone_at is not None and merge.undone_by == sam
    events = AuditEvent.objects.filter(action="person.merge_undone")
    assert sorted(events.values_list("object_id", flat=True)) == sorted(
        [str(kept.pk), str(duplicate.pk)]
    )
    assert person_list_for(sam).filter(pk=duplicate.pk).exists()


def test_a_kept_record_with_a_household_keeps_it(sam, alice, kept, duplicate, other):
    own = household_join(actor=alice, person=kept, relationship="head")
    before = snapshot(kept, duplicate, other)
    merge = person_merge(actor=sam, kept=kept, duplicate=duplicate)
    kept.refresh_from_db()
    duplicate.refresh_from_db()
    assert kept.household == own and kept.household_relationship == "head"
    assert duplicate.household_id is None  # it left the other household
    assert merge.moved["household"]["kept_joined"] is False

    person_merge_undo(actor=sam, merge=merge)

    assert snapshot(kept, duplicate, other) == before


def test_undo_keeps_a_field_changed_since_the_merge(sam, alice, kept, duplicate):
    merge = person_merge(actor=sam, kept=kept, duplicate=duplicate)
    kept.refresh_from_db()
    person_update(actor=alice, person=kept, fields={"email": "new@example.gr"})

    person_merge_undo(actor=sam, merge=merge)

    kept.refresh_from_db()
    assert kept.email == "new@example.gr"
    assert kept.amka == "" and kept.phone == ""  # the other filled fields were cleared
    event = AuditEvent.objects.get(action="person.merge_undone", object_id=str(kept.pk))
    assert event.detail["changed_since_merge"] == ["email"]


def test_a_merge_is_undone_once(sam, kept, duplicate):
    merge = person_merge(actor=sam, kept=kept, duplicate=duplicate)
    person_merge_undo(actor=sam, merge=merge)
    with pytest.raises(ValidationError):
        person_merge_undo(actor=sam, merge=merge)
    assert AuditEvent.objects.filter(action="person.merge_undone").count() == 2


def test_undo_is_refused_when_the_identifier_was_taken_since(sam, alice, network, kept):
    kept_amka = make_amka(BORN, "M", serial=7)
    person_update(actor=alice, person=kept, fields={"amka": kept_amka})
    dup_amka = make_amka(BORN, "M", serial=8)
    duplicate = register(alice, network["kastoria"], family_name="Α", given_name="Β", amka=dup_amka)
    merge = person_merge(actor=sam, kept=kept, duplicate=duplicate)
    # The duplicate's AMKA is free again once merged: someone registers it anew.
    newcomer = register(alice, network["kastoria"], family_name="Γ", given_name="Δ", amka=dup_amka)

    with pytest.raises(ValidationError) as excinfo:
        person_merge_undo(actor=sam, merge=merge)
    assert "ΑΜΚΑ" in excinfo.value.messages[0]
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == kept.pk
    assert newcomer.amka == dup_amka


def test_undo_is_refused_once_the_kept_record_is_anonymised(sam, kept, duplicate):
    merge = person_merge(actor=sam, kept=kept, duplicate=duplicate)
    person_anonymise(actor=sam, person=kept, reason="Αίτημα διαγραφής")
    with pytest.raises(ValidationError):
        person_merge_undo(actor=sam, merge=merge)


def test_a_record_cannot_be_merged_with_itself(sam, kept):
    with pytest.raises(ValidationError) as excinfo:
        person_merge(actor=sam, kept=kept, duplicate=kept)
    assert "με τον εαυτό της" in excinfo.value.messages[0]
    assert not PersonMerge.objects.exists()


def test_records_of_two_centres_cannot_be_merged(boss, alice, charlie, network, kept):
    florina = register(charlie, network["florina"], family_name="Γεωργίου", given_name="Δ")
    with pytest.raises(ValidationError) as excinfo:
        person_merge(actor=boss, kept=kept, duplicate=florina)
    assert "του ίδιου Κέντρου" in excinfo.value.messages[0]
    florina.refresh_from_db()
    assert florina.merged_into_id is None


def test_a_merged_or_anonymised_record_cannot_be_merged(sam, alice, network, kept, duplicate):
    third = register(alice, network["kastoria"], family_name="Γεωργίου", given_name="Τρίτος")
    person_merge(actor=sam, kept=kept, duplicate=duplicate)
    with pytest.raises(ValidationError):
        person_merge(actor=sam, kept=third, duplicate=duplicate)
    with pytest.raises(ValidationError):
        person_merge(actor=sam, kept=duplicate, duplicate=third)
    person_anonymise(actor=sam, person=third, reason="Αίτημα")
    with pytest.raises(ValidationError):
        person_merge(actor=sam, kept=kept, duplicate=third)
    assert PersonMerge.objects.count() == 1


def test_only_a_supervisor_merges(alice, kept, duplicate):
    with pytest.raises(PermissionDenied):
        person_merge(actor=alice, kept=kept, duplicate=duplicate)
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id is None


def test_preview_shows_what_will_be_filled_and_moved(kept, duplicate):
    with translation.override("en"):
        preview = person_merge_preview(kept=kept, duplicate=duplicate)
    fills = {f.name for f in preview.fields if f.fills}
    assert {"amka", "phone", "email", "father_name", "residence_municipality"} <= fills
    assert not {"family_name", "sex", "id_document_number"} & fills
    assert dict(preview.moves) == {"consents": 2, "contact persons": 2, "appointments": 1}
    assert preview.problems == []


# --- web ---------------------------------------------------------------------------------


def test_supervisor_merges_through_the_pages(client_for, sam, kept, duplicate):
    client = client_for(sam)
    choose = reverse("people-person-merge", args=[kept.pk])
    confirm = reverse("people-person-merge-confirm", args=[kept.pk, duplicate.pk])

    found = client.get(choose, {"q": "Γεωργιου Δημ"}, **EN)
    assert found.status_code == 200
    body = found.content.decode()
    assert confirm in body  # the duplicate is offered
    assert reverse("people-person-merge-confirm", args=[kept.pk, kept.pk]) not in body

    assert client.get(choose, {"record": duplicate.pk})["Location"] == confirm

    page = client.get(confirm, **EN)
    assert page.status_code == 200
    body = page.content.decode()
    assert duplicate.amka in body and "Κωνσταντίνος" in body and "ΑΚ654321" in body
    assert AuditEvent.objects.filter(action="person.read", object_id=str(duplicate.pk)).exists()

    unconfirmed = client.post(confirm, {}, **EN)
    assert unconfirmed.status_code == 200
    assert "Confirm that the records are the same person." in unconfirmed.content.decode()
    assert not PersonMerge.objects.exists()

    done = client.post(confirm, {"same_person": "on"})
    assert done.status_code == 302
    assert done["Location"] == reverse("people-person-detail", args=[kept.pk])
    assert client.get(reverse("people-person-detail", args=[duplicate.pk])).status_code == 404

    history = client.get(reverse("people-person-merges", args=[kept.pk]), **EN)
    merge = PersonMerge.objects.get()
    undo = reverse("people-person-merge-undo", args=[kept.pk, merge.pk])
    assert undo in history.content.decode()

    assert client.post(undo)["Location"] == reverse("people-person-merges", args=[kept.pk])
    merge.refresh_from_db()
    assert merge.undone_at is not None
    assert client.get(reverse("people-person-detail", args=[duplicate.pk])).status_code == 200


def test_unknown_record_number_is_explained(client_for, sam, kept, charlie, network):
    florina = register(charlie, network["florina"], family_name="Α", given_name="Β")
    client = client_for(sam)
    for number in ("999999", "abc", str(kept.pk), str(florina.pk)):
        response = client.get(
            reverse("people-person-merge", args=[kept.pk]), {"record": number}, **EN
        )
        assert response.status_code == 200, number
        assert "No other active record with this number" in response.content.decode()


def test_refused_undo_is_explained(client_for, sam, kept, duplicate):
    merge = person_merge(actor=sam, kept=kept, duplicate=duplicate)
    person_merge_undo(actor=sam, merge=merge)
    client = client_for(sam)
    url = reverse("people-person-merge-undo", args=[kept.pk, merge.pk])
    response = client.post(url, follow=True, **EN)
    assert "already undone" in response.content.decode()


def test_merge_history_lists_merges_for_supervisors(sam, kept, duplicate):
    merge = person_merge(actor=sam, kept=kept, duplicate=duplicate)
    assert list(person_merge_list_for(sam, kept)) == [merge]


def merge_urls(kept, duplicate, merge):
    return [
        ("get", reverse("people-person-merge", args=[kept.pk]), {"q": "Γεωργίου"}),
        ("get", reverse("people-person-merge", args=[kept.pk]), {"record": duplicate.pk}),
        ("get", reverse("people-person-merge-confirm", args=[kept.pk, duplicate.pk]), {}),
        (
            "post",
            reverse("people-person-merge-confirm", args=[kept.pk, duplicate.pk]),
            {"same_person": "on"},
        ),
        ("get", reverse("people-person-merges", args=[kept.pk]), {}),
        ("post", reverse("people-person-merge-undo", args=[kept.pk, merge.pk]), {}),
    ]


@pytest.fixture
def undone_merge(sam, kept, duplicate):
    merge = person_merge(actor=sam, kept=kept, duplicate=duplicate)
    person_merge_undo(actor=sam, merge=merge)
    return merge


def test_other_centre_gets_404_on_every_merge_url(
    client_for, charlie, kept, duplicate, undone_merge
):
    client = client_for(charlie)
    for method, url, data in merge_urls(kept, duplicate, undone_merge):
        assert getattr(client, method)(url, data).status_code == 404, (method, url)
    assert PersonMerge.objects.count() == 1


def test_caseworker_gets_403_on_every_merge_url(client_for, alice, kept, duplicate, undone_merge):
    client = client_for(alice)
    for method, url, data in merge_urls(kept, duplicate, undone_merge):
        assert getattr(client, method)(url, data).status_code == 403, (method, url)
    assert PersonMerge.objects.count() == 1


def test_merge_of_an_already_merged_record_is_404_in_the_pages(
    client_for, sam, alice, network, kept, duplicate
):
    person_merge(actor=sam, kept=kept, duplicate=duplicate)
    url = reverse("people-person-merge-confirm", args=[kept.pk, duplicate.pk])
    assert client_for(sam).post(url, {"same_person": "on"}).status_code == 404
    assert PersonMerge.objects.count() == 1


def test_comparison_page_reads_both_records_in_few_queries(
    client_for, sam, kept, duplicate, django_assert_max_num_queries
):
    client = client_for(sam)
    client.get(reverse("people-person-detail", args=[kept.pk]))  # session and caches warm
    url = reverse("people-person-merge-confirm", args=[kept.pk, duplicate.pk])
    # session, user, roles, centres of the municipality, both records in one query, two
    # audited reads (three statements each), the rows to move in one query, and the
    # session's save (an update in a savepoint): 15 statements.
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200
    reads = AuditEvent.objects.filter(action="person.read")
    assert {str(kept.pk), str(duplicate.pk)} <= set(reads.values_list("object_id", flat=True))
