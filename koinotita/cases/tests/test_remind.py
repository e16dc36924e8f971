"""`koinotita remind` (cases/reminders.py): each worker's tasks due today and overdue, in
one Greek e-mail with links and no personal data; nothing due, no e-mail. The sections
other apps add are tested with them (referrals/tests/test_remind.py)."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from koinotita.cases import services

TODAY = date.today()


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://koinotita.example.org"


def test_due_and_overdue_tasks_in_one_email_to_their_assignee(alice, bob, case):
    for user in (alice, bob):
        user.email = f"{user.username}@example.org"
        user.save()
    services.task_create(actor=alice, case=case, title="Κλήση ΔΥΠΑ", assignee=alice, due_on=TODAY)
    late = services.task_create(
        actor=alice, case=case, title="Έγγραφα ΚΕΠΑ", assignee=alice, due_on=TODAY
    )
    type(late).objects.filter(pk=late.pk).update(due_on=TODAY - timedelta(days=3))
    call_command("remind")
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    message = mail.outbox[0]
    assert "1 με προθεσμία σήμερα, 1 εκπρόθεσμες" in message.subject
    assert "Κλήση ΔΥΠΑ" in message.body and "Έγγραφα ΚΕΠΑ" in message.body
    assert f"https://koinotita.example.org/cases/{case.pk}/" in message.body
    assert case.person.family_name not in message.body


def test_a_task_due_tomorrow_sends_nothing(alice, case):
    alice.email = "alice@example.org"
    alice.save()
    services.task_create(
        actor=alice, case=case, title="Αύριο", assignee=alice, due_on=TODAY + timedelta(days=1)
    )
    call_command("remind")
    assert mail.outbox == []
