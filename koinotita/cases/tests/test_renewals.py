"""The renewal task of an approved application: created with the approval, due before the
renewal date so that the daily reminder reminds the worker, moved or cancelled with it."""

from datetime import timedelta
from decimal import Decimal

from django.core import mail
from django.utils import timezone

from koinotita.cases.models import Task
from koinotita.cases.reminders import send_task_reminders
from koinotita.cases.renewals import REMIND_DAYS_BEFORE
from koinotita.cases.services import case_open, transfer_accept, transfer_request
from koinotita.programmes.services import (
    application_create,
    application_decide,
    application_end,
    application_submit,
)


def _approved(alice, person, programme, *, decided_days_ago=0, renewal_on=None):
    today = timezone.localdate()
    application = application_create(actor=alice, person=person, programme=programme)
    application_submit(
        actor=alice, application=application, reference_number=f"R-{application.pk}",
        submitted_on=today - timedelta(days=decided_days_ago + 5),
    )  # fmt: skip
    return application_decide(
        actor=alice, application=application, step="approve",
        decision_on=today - timedelta(days=decided_days_ago), amount=Decimal("300"),
        renewal_on=renewal_on,
    )  # fmt: skip


def test_an_approval_gives_its_worker_a_renewal_task_before_the_renewal(
    catalogue, household, alice
):
    application = _approved(alice, household, catalogue["minimum-income"])
    task = Task.objects.get(application=application)
    assert task.status == Task.Status.OPEN
    assert task.assignee == alice
    assert task.centre_id == application.centre_id
    assert task.due_on == application.renewal_on - timedelta(days=REMIND_DAYS_BEFORE)
    assert f"#{application.pk}" in task.title
    assert household.family_name not in task.title  # it travels by e-mail: a number only


def test_the_daily_reminder_reminds_the_worker_of_the_renewal(catalogue, household, alice):
    today = timezone.localdate()
    application = _approved(
        alice, household, catalogue["minimum-income"], decided_days_ago=170,
        renewal_on=today + timedelta(days=REMIND_DAYS_BEFORE),
    )  # fmt: skip
    alice.email = "alice@example.org"
    alice.save(update_fields=["email"])
    mail.outbox.clear()
    sent, _ = send_task_reminders(day=today)
    assert sent == 1
    assert f"#{application.pk}" in mail.outbox[0].body
    assert mail.outbox[0].to == [alice.email]


def test_closing_the_application_cancels_its_renewal_task(catalogue, household, alice):
    application = _approved(alice, household, catalogue["minimum-income"])
    application_end(actor=alice, application=application)
    assert Task.objects.get(application=application).status == Task.Status.CANCELLED


def test_a_rejection_gives_no_task(catalogue, household, alice):
    today = timezone.localdate()
    application = application_create(
        actor=alice, person=household, programme=catalogue["minimum-income"]
    )
    application_submit(
        actor=alice, application=application, submitted_on=today, reference_number="R-x"
    )
    application_decide(actor=alice, application=application, step="reject", decision_on=today)
    assert not Task.objects.filter(application=application).exists()


def test_the_application_page_shows_the_renewal_task(catalogue, household, alice, client_for):
    application = _approved(alice, household, catalogue["minimum-income"])
    page = client_for(alice).get(f"/programmes/applications/{application.pk}/")
    assert 'id="renewal-task"' in page.content.decode()


def test_a_transfer_cancels_the_old_renewal_task_and_makes_one_at_the_receiving_centre(
    catalogue, household, alice, charlie, network
):
    application = _approved(alice, household, catalogue["minimum-income"])
    [old_task] = Task.objects.filter(application=application)
    case = case_open(actor=alice, person=household, reason="Ελάχιστο Εγγυημένο Εισόδημα")
    transfer = transfer_request(
        actor=alice, case=case, to_centre=network["florina"],
        consent_given_on=timezone.localdate(), reason="Μετακόμιση στη Φλώρινα",
    )  # fmt: skip
    transfer_accept(actor=charlie, transfer=transfer)

    application.refresh_from_db()
    assert application.centre_id == network["florina"].pk
    assert application.state == "approved" and application.staff == charlie
    old_task.refresh_from_db()
    assert old_task.status == Task.Status.CANCELLED
    assert old_task.centre_id == network["kastoria"].pk  # left where it was, cancelled
    [new_task] = Task.objects.filter(application=application, status=Task.Status.OPEN)
    assert new_task.pk != old_task.pk
    assert new_task.centre_id == network["florina"].pk
    assert new_task.assignee == charlie
    assert new_task.due_on == application.renewal_on - timedelta(days=REMIND_DAYS_BEFORE)
    assert Task.objects.filter(application=application).count() == 2
    # The sending centre's worker has no renewal to do any more.
    assert not Task.objects.filter(assignee=alice, status=Task.Status.OPEN, application=application)
