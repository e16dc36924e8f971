"""A consent to share names its recipient from the directory, and a referral is matched to it
by the organisation's identity, never by how its name was typed (issue 14, blocker 1)."""

import json
import re
from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from koinotita.directory.models import Organization
from koinotita.lib.greek import sort_key
from koinotita.people.models import Consent
from koinotita.people.services import consent_record
from koinotita.people.tests.test_import import HEADER, csv_bytes, eleni, nikos, run
from koinotita.referrals.models import State
from koinotita.referrals.services import referral_send
from koinotita.referrals.tests.test_api import api

TODAY = date.today()


def test_a_consent_for_the_short_name_lets_the_referral_to_the_full_name_be_sent(
    alice, person, org, draft
):
    consent = consent_record(
        actor=alice, person=person, purpose="referral", partner="ΚΨΥ Καστοριάς", given_on=TODAY
    )
    assert consent.recipient_key == str(org.pk) and consent.partner == org.name
    assert referral_send(actor=alice, referral=draft).state == State.SENT


def test_a_recipient_the_directory_does_not_know_is_refused(alice, person):
    with pytest.raises(ValidationError) as caught:
        consent_record(
            actor=alice, person=person, purpose="referral", partner="Κάποιος φορέας", given_on=TODAY
        )
    assert "partner" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        consent_record(
            actor=alice, person=person, purpose="referral", recipient_key="nope", given_on=TODAY
        )
    assert "recipient_key" in caught.value.message_dict
    assert not person.consents.filter(purpose="referral").exists()


def test_a_name_two_organisations_share_must_be_chosen_by_id(alice, person, org):
    Organization.objects.create(name="Κέντρο Ψυχικής Υγείας Καστοριάς", description="Άλλο.")
    with pytest.raises(ValidationError):
        consent_record(
            actor=alice, person=person, purpose="referral", partner=org.name, given_on=TODAY
        )
    chosen = consent_record(
        actor=alice, person=person, purpose="referral", recipient_key=str(org.pk), given_on=TODAY
    )
    assert chosen.recipient_key == str(org.pk)


def test_the_match_is_by_identity_not_by_the_name_written(alice, person, org, other_org, draft):
    # A consent naming another organisation does not cover this one, whatever its text says.
    Consent.objects.create(
        centre=person.centre,
        person=person,
        purpose="referral",
        partner=org.name,
        recipient_key=str(other_org.pk),
        given_on=TODAY,
        recorded_by=alice,
    )
    with pytest.raises(ValidationError):
        referral_send(actor=alice, referral=draft)


def test_a_refusal_says_why_and_links_to_the_consent_form_for_that_recipient(
    alice, client_for, person, org, draft
):
    client = client_for(alice)
    response = client.post(
        reverse("referrals-referral-send", args=[draft.pk]), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    body = response.content.decode()
    assert f"has not consented to sharing with «{org.name}»" in body
    link = reverse("people-consent-add", args=[person.pk])
    link += f"?purpose=referral&amp;recipient_key={org.pk}"
    assert link in body
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert f'<option value="{org.pk}" selected>' in form
    assert '<option value="referral" selected>' in form
    saved = client.post(
        reverse("people-consent-add", args=[person.pk]),
        {"purpose": "referral", "recipient_key": str(org.pk), "given_on": TODAY.isoformat()},
    )
    assert saved.status_code == 302
    assert referral_send(actor=alice, referral=draft).state == State.SENT


def test_the_consent_form_offers_the_directory_not_a_text_box(alice, client_for, person, org):
    page = client_for(alice).get(reverse("people-consent-add", args=[person.pk])).content.decode()
    assert '<select name="recipient_key"' in page and f'value="{org.pk}"' in page
    assert 'name="partner"' not in page


def test_the_api_records_a_consent_by_recipient_id_and_refuses_an_unknown_name(alice, person, org):
    client = api(alice)
    path = f"/api/v1/people/{person.pk}/consents"

    def post(body):
        return client.post(path, json.dumps(body), content_type="application/json")

    made = post({"purpose": "referral", "given_on": TODAY.isoformat(), "recipient_id": str(org.pk)})
    assert made.status_code == 201, made.json()
    assert made.json()["recipient_id"] == str(org.pk) and made.json()["partner"] == org.name
    unknown = post({"purpose": "referral", "given_on": TODAY.isoformat(), "partner": "Άγνωστος"})
    assert unknown.status_code == 422 and "partner" in unknown.json()["errors"]
    by_name = post(
        {"purpose": "referral", "given_on": TODAY.isoformat(), "partner": "κψυ καστοριας"}
    )
    assert by_name.status_code == 201 and by_name.json()["recipient_id"] == str(org.pk)


def test_free_text_consents_are_matched_by_the_migration_or_marked_unmatched(
    alice, client_for, person, org
):
    migration = __import__(
        "koinotita.referrals.migrations.0006_consent_recipients_from_directory",
        fromlist=["match_free_text_consents"],
    )

    def old_consent(text):
        return Consent.objects.create(
            centre=person.centre,
            person=person,
            purpose="referral",
            partner=text,
            given_on=TODAY,
            recorded_by=alice,
        )

    matched, unmatched = old_consent("κψυ  ΚΑΣΤΟΡΙΑΣ"), old_consent("Ο παιδίατρος της γειτονιάς")
    migration.match_free_text_consents(apps, None)
    matched.refresh_from_db()
    unmatched.refresh_from_db()
    assert matched.recipient_key == str(org.pk) and matched.partner == "κψυ  ΚΑΣΤΟΡΙΑΣ"
    assert unmatched.recipient_key == "" and unmatched.recipient_unmatched
    page = client_for(alice).get(
        reverse("people-person-detail", args=[person.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "not matched to the directory" in page.content.decode()


def test_the_partner_home_counts_the_waiting_referrals_and_names_the_organisation(
    pat_member, client_for, sent, org
):
    html = client_for(pat_member).get(reverse("web-home")).content.decode()
    assert "Παραπομπές προς τον φορέα σας" in html
    assert f'<p class="card-title">{org.name}</p>' in html
    assert "1 παραπομπή περιμένει την απάντησή σας" in html
    roles = html[html.index('id="my-roles"') :]
    assert org.name in roles and "Κέντρο Κοινότητας" not in roles


def test_an_import_names_the_recipients_of_its_consents_from_the_directory(sam, network):
    org = Organization.objects.create(
        name="Κέντρο Ψυχικής Υγείας Καστοριάς", alternate_name="ΚΨΥ Καστοριάς", description="."
    )
    header = [*HEADER, "Διαβίβαση σε"]
    rows = [
        eleni(**{"Διαβίβαση σε": "κψυ καστοριας"}),
        nikos(**{"Διαβίβαση σε": "Φορέας που δεν υπάρχει"}),
    ]
    report = run(sam, network["kastoria"], csv_bytes(rows, header=header), partial=True)
    assert [r.line for r in report.rejected] == [3]
    assert "Φορέας που δεν υπάρχει" in report.rejected[0].reason
    shared = Consent.objects.get(person__given_name="Ελένη", purpose="referral")
    assert shared.recipient_key == str(org.pk) and shared.partner == org.name


def test_the_referral_page_names_the_referring_worker_and_the_centres_phone_and_email(
    alice, client_for, sent
):
    centre = sent.centre
    centre.phone, centre.email = "2467 0 12345", "kk@kastoria.example.gr"
    centre.save(update_fields=["phone", "email"])
    html = client_for(alice).get(reverse("referrals-referral-detail", args=[sent.pk])).content
    html = html.decode()
    assert "Επαγγελματίας που παραπέμπει" in html
    assert (alice.get_full_name() or alice.username) in html
    assert "2467 0 12345" in html and "kk@kastoria.example.gr" in html


def test_the_service_picker_keeps_the_persons_municipality_and_need(
    alice, client_for, person, service, other_service
):
    url = reverse("referrals-referral-new", args=[person.pk])
    page = client_for(alice).get(url + "?everywhere=on").content.decode()
    assert 'name="need"' in page and 'name="everywhere"' in page
    select = page.split('<select name="service"')[1].split("</select>")[0]
    labels = re.findall(r'<option value="[^"]+"[^>]*>([^<]*)</option>', select)
    assert len(labels) == 2  # every service, since "everywhere" was asked for
    assert labels == sorted(labels, key=lambda t: sort_key(t))
