"""Fixtures of the referral tests: a small directory, a person with consent, partners."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from koinotita.directory.models import Organization, Service
from koinotita.people.services import consent_record
from koinotita.referrals.services import (
    partner_membership_grant,
    referral_create,
    referral_send,
)
from koinotita.testing.identifiers import make_amka
from koinotita.testing.people import person_make

AMKA = make_amka(date(1980, 3, 14), "F")


@pytest.fixture(autouse=True)
def _documents(settings, tmp_path):
    settings.DOCUMENTS_DIR = tmp_path / "documents"
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def org(db):
    return Organization.objects.create(
        name="Κέντρο Ψυχικής Υγείας Καστοριάς",
        alternate_name="ΚΨΥ Καστοριάς",
        description="Δημόσια δομή ψυχικής υγείας.",
        email="kpsy@example.org",
    )


@pytest.fixture
def other_org(db):
    return Organization.objects.create(
        name="ΔΥΠΑ Καστοριάς", description="Υπηρεσία απασχόλησης.", email="dypa@example.org"
    )


@pytest.fixture
def service(org):
    return Service.objects.create(
        organization=org, name="Ψυχολογική υποστήριξη ενηλίκων", email="kpsy-adults@example.org"
    )


@pytest.fixture
def other_service(other_org):
    return Service.objects.create(organization=other_org, name="Συμβουλευτική απασχόλησης")


@pytest.fixture
def person(alice, network):
    p = person_make(
        actor=alice,
        centre=network["kastoria"],
        fields={
            "family_name": "Ζήση",
            "given_name": "Μαρία",
            "birth_date": date(1980, 3, 14),
            "sex": "F",
            "amka": AMKA,
            "phone": "6970001111",
            "email": "maria@example.org",
            "address": "Μητροπόλεως 5",
        },
    )
    return p


@pytest.fixture
def consent(alice, person, org):
    # The recipient chosen from the directory, as the consent form does.
    return consent_record(
        actor=alice,
        person=person,
        purpose="referral",
        recipient_key=str(org.pk),
        given_on=date.today(),
    )


@pytest.fixture
def draft(alice, person, service):
    return referral_create(
        actor=alice,
        person=person,
        service=service,
        reason="Χρειάζεται ψυχολογική υποστήριξη μετά από απώλεια.",
        urgency="priority",
        shared_fields=["name", "phone"],
        response_due=timezone.localdate() + timedelta(days=10),
    )


@pytest.fixture
def sent(alice, draft, consent):
    return referral_send(actor=alice, referral=draft)


@pytest.fixture
def pat_member(pat, org):
    partner_membership_grant(user=pat, organization=org, centre=pat.role_assignments.get().centre)
    return pat


@pytest.fixture
def florina_person(charlie, network):
    p = person_make(
        actor=charlie,
        centre=network["florina"],
        fields={"family_name": "Πέτρου", "given_name": "Γιάννης"},
    )
    return p
