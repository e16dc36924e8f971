from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from koinotita.audit.models import AuditEvent
from koinotita.people.models import Person
from koinotita.people.services import (
    DuplicatePerson,
    NeedsConfirmation,
    consent_record,
    consent_withdraw,
    person_update,
)
from koinotita.testing.identifiers import make_afm, make_amka
from koinotita.testing.people import person_make
from koinotita.testing.queries import at_most

BORN = date(1985, 3, 14)


def fields(**overrides) -> dict:
    data = {
        "family_name": "Παπαδοπούλου",
        "given_name": "Ελένη",
        "father_name": "Γεώργιος",
        "sex": "F",
        "birth_date": BORN,
        "amka": make_amka(BORN, "F"),
    }
    data.update(overrides)
    return data


def register(actor, centre, **overrides) -> Person:
    return person_make(actor=actor, centre=centre, fields=fields(**overrides), confirm=False)


def test_registration_normalises_and_derives(alice, network):
    person = register(
        alice,
        network["kastoria"],
        family_name="  Παπαδοπούλου ",
        phone="+30 697 123 4567",
        id_document_number="ab 123456",
        afm="EL " + make_afm(1234),
    )
    assert person.family_name == "Παπαδοπούλου"
    assert person.family_name_latin == "Papadopoulou"
    assert person.given_name_latin == "Eleni"
    assert person.phone_digits == "6971234567"
    assert person.id_document_number == "ΑΒ123456"  # Latin letters stored as Greek
    assert person.id_document_type == "police_id"
    assert not person.id_document_unverified
    assert person.afm == make_afm(1234)
    assert person.search_key == "papadopulu eleni"
    assert AuditEvent.objects.filter(action="person.created", object_id=str(person.pk)).exists()


@pytest.mark.parametrize(
    ("overrides", "field", "code_or_text"),
    [
        ({"amka": "1234"}, "amka", "11"),
        ({"amka": "01013099999"}, "amka", "check digit"),
        ({"amka": "1401a500012"}, "amka", "digits"),
        ({"afm": "123456789"}, "afm", "check digit"),
        ({"afm": "000000000"}, "afm", "zeros"),
        ({"birth_date": date.today() + timedelta(days=1), "amka": ""}, "birth_date", "future"),
        ({"birth_date": date(1850, 1, 1), "amka": ""}, "birth_date", "120"),
        ({"family_name": "   "}, "family_name", "required"),
        ({"given_name": "Pαύλος"}, "given_name", "mixes"),
        ({"given_name": "Ελένη2"}, "given_name", "letters"),
        ({"family_name": "Π" * 101}, "family_name", "100"),
        ({"phone": "12"}, "phone", "not a valid phone number"),
        ({"phone": "12345678"}, "phone", "not a valid phone number"),
        ({"email": "not-an-email"}, "email", "email address"),
        ({"categories": ["aliens"]}, "categories", "aliens"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(alice, network, overrides, field, code_or_text):
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        register(alice, network["kastoria"], **overrides)
    messages = " ".join(excinfo.value.message_dict.get(field, []))
    assert code_or_text.lower() in messages.lower(), excinfo.value.message_dict
    assert not Person.objects.exists()


def test_greek_message_for_a_short_amka(alice, network):
    with pytest.raises(ValidationError) as excinfo:
        register(alice, network["kastoria"], amka="1234")
    assert excinfo.value.message_dict["amka"] == ["Ο ΑΜΚΑ πρέπει να έχει 11 ψηφία (έχει 4)."]


def test_amka_disagreeing_with_birth_date_or_sex_is_a_warning_to_confirm(alice, network):
    other_day = make_amka(date(1985, 3, 15), "M")
    with pytest.raises(NeedsConfirmation) as excinfo:
        register(alice, network["kastoria"], amka=other_day)
    assert len(excinfo.value.warnings) == 2
    assert not Person.objects.exists()
    person = person_make(
        actor=alice, centre=network["kastoria"], fields=fields(amka=other_day), confirm=True
    )
    assert person.pk


def test_same_amka_in_scope_is_refused_with_a_link_to_the_record(alice, bob, network):
    first = register(alice, network["kastoria"])
    with pytest.raises(DuplicatePerson) as excinfo:
        register(bob, network["kastoria"], given_name="Μαρία")
    assert excinfo.value.existing == first
    assert Person.objects.count() == 1


def test_same_afm_or_id_card_is_refused(alice, network):
    register(alice, network["kastoria"], afm=make_afm(77), id_document_number="Κ123456")
    with pytest.raises(DuplicatePerson):
        register(alice, network["kastoria"], amka="", afm=make_afm(77), given_name="Άννα")
    with pytest.raises(DuplicatePerson):
        register(
            alice, network["kastoria"], amka="", id_document_number="k 123456", given_name="Άννα"
        )


def test_another_centre_may_register_the_same_amka(alice, charlie, network):
    register(alice, network["kastoria"])
    assert register(charlie, network["florina"]).centre == network["florina"]


def test_similar_name_and_same_birth_date_is_a_possible_duplicate(alice, network):
    first = register(alice, network["kastoria"], amka="")
    with pytest.raises(NeedsConfirmation) as excinfo:
        register(
            alice, network["kastoria"], amka="", family_name="Papadopoulou", given_name="Eleni"
        )
    assert excinfo.value.look_alikes == [first]


def test_cannot_register_in_a_centre_outside_scope(alice, network):
    with pytest.raises(PermissionDenied):
        register(alice, network["florina"])


def test_monitor_cannot_register_anyone(mona, network):
    with pytest.raises(PermissionDenied):
        register(mona, network["kastoria"])


def test_afm_override_needs_a_supervisor(alice, sam, network):
    with pytest.raises(ValidationError) as excinfo:
        register(
            alice, network["kastoria"], amka="", afm="123456789", afm_override_reason="Παλιός ΑΦΜ"
        )
    assert "afm_override_reason" in excinfo.value.message_dict
    person = register(
        sam, network["kastoria"], amka="", afm="123456789", afm_override_reason="Παλιός ΑΦΜ"
    )
    assert person.afm == "123456789"


def test_update_is_audited_with_the_changed_fields(alice, network):
    person = register(alice, network["kastoria"])
    person_update(actor=alice, person=person, fields={"phone": "2467 0 12345"})
    event = AuditEvent.objects.filter(action="person.updated").latest("id")
    assert event.detail == {"fields": ["phone"]}


def test_consent_lifecycle(alice, network):
    person = register(alice, network["kastoria"])
    consent = consent_record(
        actor=alice, person=person, purpose="registration", given_on=date.today()
    )
    consent_withdraw(actor=alice, consent=consent, reason="Το ζήτησε")
    consent.refresh_from_db()
    assert consent.withdrawn_on == date.today() and consent.withdrawn_by == alice
    with pytest.raises(ValidationError):
        consent_record(actor=alice, person=person, purpose="referral", given_on=date.today())
    with pytest.raises(ValidationError):
        consent_record(
            actor=alice, person=person, purpose="sms", given_on=date.today() + timedelta(days=2)
        )


# --- the web pages ------------------------------------------------------------------------


def form_data(**overrides) -> dict:
    data = {k: v for k, v in fields(**overrides).items()}
    data["birth_date"] = data["birth_date"].isoformat() if data.get("birth_date") else ""
    data.setdefault("preferred_language", "el")
    data.setdefault("citizenship", "GR")
    data.setdefault("registration_consent", "on")
    return data


def test_reception_registers_through_the_form_and_goes_on_to_log_the_contact(rita, client_for):
    response = client_for(rita).post(reverse("people-person-register"), form_data())
    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reception-contact-log", args=[person.pk])
    consent = person.consents.get()
    assert consent.purpose == "registration"
    assert consent.recorded_by == rita
    assert consent.given_on == timezone.localdate()


def test_registration_without_consent_is_refused_and_saves_nothing(rita, client_for):
    data = form_data()
    del data["registration_consent"]
    response = client_for(rita).post(reverse("people-person-register"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["registration_consent"]
    assert not Person.objects.exists()


def test_editing_a_record_does_not_ask_for_registration_consent_again(rita, network, client_for):
    person = register(rita, network["kastoria"])
    data = form_data(given_name="Ελένη-Μαρία")
    del data["registration_consent"]
    response = client_for(rita).post(reverse("people-person-edit", args=[person.pk]), data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.given_name == "Ελένη-Μαρία"


def test_form_shows_field_errors_and_saves_nothing(rita, client_for):
    response = client_for(rita).post(reverse("people-person-register"), form_data(amka="12"))
    assert response.status_code == 200
    assert response.context["form"].errors["amka"]
    assert not Person.objects.exists()


def test_form_asks_to_confirm_warnings_then_saves(rita, client_for):
    client = client_for(rita)
    data = form_data(amka=make_amka(date(1990, 1, 1), "F"))
    first = client.post(reverse("people-person-register"), data)
    assert first.status_code == 200 and first.context["warnings"]
    assert not Person.objects.exists()
    second = client.post(reverse("people-person-register"), {**data, "confirm": "on"})
    assert second.status_code == 302


def test_form_links_to_the_existing_record_on_duplicate(rita, alice, network, client_for):
    existing = register(alice, network["kastoria"])
    response = client_for(rita).post(reverse("people-person-register"), form_data())
    assert response.context["existing"] == existing
    assert reverse("people-person-detail", args=[existing.pk]) in response.content.decode()


def test_person_page_is_audited_and_scoped(alice, bob, charlie, network, client_for):
    person = register(alice, network["kastoria"])
    url = reverse("people-person-detail", args=[person.pk])
    assert client_for(bob).get(url).status_code == 200
    assert AuditEvent.objects.filter(
        action="person.read", actor=bob, object_id=str(person.pk)
    ).exists()
    for name in ("people-person-detail", "people-person-edit", "people-consent-add"):
        assert client_for(charlie).get(reverse(name, args=[person.pk])).status_code == 404


def test_other_centre_cannot_withdraw_a_consent(alice, charlie, network, client_for):
    person = register(alice, network["kastoria"])
    consent = consent_record(
        actor=alice, person=person, purpose="registration", given_on=date.today()
    )
    url = reverse("people-consent-withdraw", args=[person.pk, consent.pk])
    assert client_for(charlie).get(url).status_code == 404
    assert client_for(charlie).post(url, {"reason": "x", "confirm": "on"}).status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_a_consent_is_withdrawn_on_the_web_only_with_a_reason_and_confirmation(
    alice, network, client_for
):
    person = register(alice, network["kastoria"])
    consent = person.consents.get()
    client = client_for(alice)
    url = reverse("people-consent-withdraw", args=[person.pk, consent.pk])
    page = client.get(url)
    assert "ανώνυμες επαφές" in page.content.decode()  # what the withdrawal stops
    assert client.post(url).status_code == 200  # the form again, with its errors
    assert client.post(url, {"reason": "Το ζήτησε"}).status_code == 200  # not confirmed
    consent.refresh_from_db()
    assert consent.withdrawn_on is None
    response = client.post(url, {"reason": "Το ζήτησε", "confirm": "on"})
    assert response.status_code == 302
    consent.refresh_from_db()
    assert (consent.withdrawn_on, consent.withdrawn_reason) == (date.today(), "Το ζήτησε")
    event = AuditEvent.objects.get(action="consent.withdrawn")
    assert event.actor == alice and event.detail["person"] == person.pk


def test_another_persons_consent_answers_404(alice, network, client_for):
    person = register(alice, network["kastoria"])
    other = register(alice, network["kastoria"], amka="", given_name="Άλλος", birth_date=None)
    url = reverse("people-consent-withdraw", args=[other.pk, person.consents.get().pk])
    assert client_for(alice).get(url).status_code == 404


def test_monitor_and_partner_cannot_open_reception(mona, pat, client_for):
    for user in (mona, pat):
        assert client_for(user).get(reverse("people-person-search")).status_code == 403
        assert client_for(user).get(reverse("people-person-register")).status_code == 403


def test_person_page_stays_within_the_query_budget(alice, network, client_for):
    person = register(alice, network["kastoria"])
    client = client_for(alice)
    with at_most(12):  # statements that do work, as production runs them (no savepoints)
        assert client.get(reverse("people-person-detail", args=[person.pk])).status_code == 200
