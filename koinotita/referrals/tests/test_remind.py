"""`koinotita remind` with the referrals' section (referrals/reminders.py): one e-mail per
worker, in Greek, with their due and overdue tasks and their overdue referrals, links to the
pages and no personal data; nothing due, no e-mail."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from koinotita.cases import services
from koinotita.directory.models import Organization, Service
from koinotita.people.services import consent_record
from koinotita.referrals.models import Referral
from koinotita.referrals.services import referral_create, referral_send

TODAY = date.today()


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://koinotita.example.org"


@pytest.fixture
def case(alice, person):
    return services.case_open(actor=alice, person=person, reason="Χάσαμε το σπίτι")


@pytest.fixture
def overdue_referral(alice, person):
    org = Organization.objects.create(name="ΔΥΠΑ Καστοριάς", description="Απασχόληση.")
    service = Service.objects.create(organization=org, name="Συμβουλευτική απασχόλησης")
    consent_record(actor=alice, person=person, purpose="referral", partner=org.name, given_on=TODAY)
    referral = referral_create(
        actor=alice,
        person=person,
        service=service,
        reason="Αναζητά εργασία.",
        shared_fields=["name"],
        response_due=TODAY + timedelta(days=10),
    )
    referral = referral_send(actor=alice, referral=referral)
    # Twelve days later: the answer was due two days ago.
    Referral.objects.filter(pk=referral.pk).update(response_due=TODAY - timedelta(days=2))
    mail.outbox.clear()  # whatever sending the referral mailed
    return referral


def with_email(*users):
    for user in users:
        user.email = f"{user.username}@example.org"
        user.save()


def test_tasks_and_overdue_referrals_in_one_greek_email(alice, bob, case, overdue_referral):
    with_email(alice, bob)
    services.task_create(actor=alice, case=case, title="Κλήση ΔΥΠΑ", assignee=alice, due_on=TODAY)
    call_command("remind")
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]  # bob: nothing due
    message = mail.outbox[0]
    assert "1 καθυστερημένη παραπομπή" in message.subject  # one: singular (ngettext)
    body = message.body
    assert "Κλήση ΔΥΠΑ" in body
    assert f"https://koinotita.example.org/cases/{case.pk}/" in body
    assert "Καθυστερημένες παραπομπές:" in body
    assert f"https://koinotita.example.org/referrals/{overdue_referral.pk}/" in body
    assert "Συμβουλευτική απασχόλησης" in body
    assert (TODAY - timedelta(days=2)).strftime("%d/%m/%Y") in body
    person = case.person
    assert person.family_name not in body and "Αναζητά" not in body  # nothing personal


def test_overdue_referrals_alone_are_reason_enough(alice, sam, overdue_referral):
    with_email(alice, sam)
    call_command("remind")
    # The worker who made it, and the supervisor of the centre (as on their home pages).
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "sam@example.org"]
    assert all(f"/referrals/{overdue_referral.pk}/" in m.body for m in mail.outbox)


def test_nothing_due_no_email(alice, bob, case, overdue_referral):
    with_email(alice, bob)
    Referral.objects.filter(pk=overdue_referral.pk).update(response_due=TODAY + timedelta(days=1))
    services.task_create(
        actor=alice, case=case, title="Αύριο", assignee=alice, due_on=TODAY + timedelta(days=1)
    )
    call_command("remind")
    assert mail.outbox == []
