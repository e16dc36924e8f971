"""Every page of case files: it works for the team, and another centre's worker gets 404."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from koinotita.audit.models import AuditEvent
from koinotita.cases import services
from koinotita.cases.models import Attachment, Case, Goal, Note, Session, Task

TODAY = date.today()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def web(user, lang="en"):
    client = Client(headers={"Accept-Language": lang})
    client.force_login(user)
    return client


@pytest.fixture
def full_case(alice, sam, case, person):
    goal = services.goal_add(
        actor=alice, case=case, plan_version=1, domain="housing", title="Στέγη"
    )
    note = services.note_add(actor=alice, case=case, text="σημείωση", level="team")
    task = services.task_create(
        actor=alice, case=case, title="Τηλέφωνο", assignee=alice, due_on=TODAY
    )
    attachment = services.attachment_add(
        actor=alice, case=case, title="Βεβαίωση", upload=SimpleUploadedFile("b.pdf", PDF)
    )
    req = services.closure_request(
        actor=alice,
        case=case,
        reason="declined",
        open_tasks="cancel",
        goal_outcomes={goal.pk: {"status": "dropped"}},
    )
    return {
        "case": case,
        "goal": goal,
        "note": note,
        "task": task,
        "attachment": attachment,
        "closure": req,
    }


def get_urls(full):
    case = full["case"]
    return [
        reverse("cases-case-detail", args=[case.pk]),
        reverse("cases-case-open", args=[case.person_id]),
        reverse("cases-assessment-new", args=[case.pk]),
        reverse("cases-session-new", args=[case.pk]),
        reverse("cases-closure-new", args=[case.pk]),
        reverse("cases-transfer-new", args=[case.pk]),
        reverse("cases-attachment-download", args=[full["attachment"].pk]),
    ]


def post_urls(full):
    case, goal = full["case"], full["goal"]
    action = goal.actions.first()
    urls = [
        reverse("cases-case-status", args=[case.pk]),
        reverse("cases-case-reassign", args=[case.pk]),
        reverse("cases-case-member-add", args=[case.pk]),
        reverse("cases-goal-add", args=[case.pk]),
        reverse("cases-goal-status", args=[case.pk, goal.pk]),
        reverse("cases-action-add", args=[case.pk, goal.pk]),
        reverse("cases-plan-agree", args=[case.pk]),
        reverse("cases-note-add", args=[case.pk]),
        reverse("cases-attachment-add", args=[case.pk]),
        reverse("cases-task-add", args=[case.pk]),
        reverse("cases-task-status", args=[full["task"].pk]),
        reverse("cases-closure-decide", args=[full["closure"].pk]),
        reverse("cases-case-reopen", args=[case.pk]),
        reverse("cases-note-break-glass", args=[full["note"].pk]),
    ]
    if action:
        urls.append(reverse("cases-action-status", args=[case.pk, action.pk]))
    return urls


def test_team_pages_work_in_greek_and_english(alice, full_case):
    for lang in ("el", "en"):
        client = web(alice, lang)
        for url in get_urls(full_case):
            assert client.get(url).status_code == 200, url
    for url in ("cases-case-list", "cases-my-tasks", "cases-transfer-incoming"):
        assert web(alice).get(reverse(url)).status_code == 200


def test_case_page_in_greek(alice, full_case):
    html = web(alice, "el").get(reverse("cases-case-detail", args=[full_case["case"].pk]))
    assert "Σχέδιο" in html.content.decode() or "Plan" not in html.content.decode()


def test_other_centre_gets_404_on_every_page(charlie, full_case):
    client = web(charlie)
    for url in get_urls(full_case):
        assert client.get(url).status_code == 404, url
    for url in post_urls(full_case):
        assert client.post(url, {"plan_version": 1, "status": "active"}).status_code == 404, url
    full_case["case"].refresh_from_db()
    assert full_case["case"].status == "open"


def test_other_centre_case_not_listed(charlie, full_case):
    html = web(charlie).get(reverse("cases-case-list")).content.decode()
    assert f"#{full_case['case'].pk}<" not in html


def test_reception_has_no_case_pages(rita, full_case):
    client = web(rita)
    assert client.get(reverse("cases-case-list")).status_code == 403
    assert client.get(reverse("cases-case-detail", args=[full_case["case"].pk])).status_code == 404


def test_open_case_add_goal_session_and_close_through_pages(alice, sam, person):
    client = web(alice)
    response = client.post(
        reverse("cases-case-open", args=[person.pk]),
        {"reason": "Ανεργία", "priority": "high", "lead_worker": alice.pk, "opened_on": TODAY},
    )
    case = Case.objects.get()
    assert response.status_code == 302
    response = client.post(
        reverse("cases-goal-add", args=[case.pk]),
        {
            "plan_version": 1,
            "domain": "employment",
            "title": "Εργασία",
            "actions": "ΟΑΕΔ\nΒιογραφικό",
        },
    )
    goal = Goal.objects.get()
    assert goal.actions.count() == 2
    # A stale form: told, not overwritten.
    response = client.post(
        reverse("cases-goal-add", args=[case.pk]),
        {"plan_version": 1, "domain": "income", "title": "Επίδομα"},
        follow=True,
    )
    assert "Someone else changed this plan" in response.content.decode()
    assert Goal.objects.count() == 1
    response = client.post(
        reverse("cases-session-new", args=[case.pk]),
        {
            "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "kind": "individual",
            "mode": "phone",
            "minutes": 20,
            "persons": [person.pk],
            "note_level": "team",
        },
    )
    assert response.status_code == 302 and Session.objects.count() == 1
    response = client.post(
        reverse("cases-closure-new", args=[case.pk]),
        {"reason": "goals_achieved", f"goal_{goal.pk}_status": "achieved"},
    )
    assert response.status_code == 302
    closure = case.closure_requests.get()
    response = web(sam).post(
        reverse("cases-closure-decide", args=[closure.pk]), {"decision": "approve"}
    )
    case.refresh_from_db()
    assert case.status == "closed"


def test_session_with_no_participants_shows_a_message(alice, case):
    response = web(alice).post(
        reverse("cases-session-new", args=[case.pk]),
        {
            "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "kind": "individual",
            "mode": "phone",
            "minutes": 20,
            "note_level": "team",
        },
    )
    assert response.status_code == 200
    assert "Choose who took part in the session." in response.content.decode()
    assert not Session.objects.exists()


def test_session_no_participants_message_in_greek(alice, case):
    response = web(alice, "el").post(
        reverse("cases-session-new", args=[case.pk]),
        {
            "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "kind": "individual",
            "mode": "phone",
            "minutes": 20,
            "note_level": "team",
        },
    )
    assert "Επιλέξτε ποιοι συμμετείχαν στη συνεδρία." in response.content.decode()


# --- Attachments ------------------------------------------------------------------------------


def test_attachment_is_stored_outside_web_root_and_served_audited(alice, bob, case, settings):
    a = services.attachment_add(
        actor=alice, case=case, title="Βεβαίωση", upload=SimpleUploadedFile("b.pdf", PDF)
    )
    path = settings.DOCUMENTS_DIR / a.storage_name
    assert path.read_bytes() == PDF
    assert not str(path).startswith(str(settings.STATIC_ROOT))
    response = web(bob).get(reverse("cases-attachment-download", args=[a.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(action="case.attachment.read", actor_id=bob.pk).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.pdf", b"MZ\x90\x00" + b"\x00" * 100, "Programs"),
        ("run.sh", b"#!/bin/sh\nrm -rf /\n", "Programs"),
        ("x.pdf", b"\x7fELF\x02\x01", "Programs"),
        ("notes.txt", b"hello", "Only PDF"),
        ("fake.jpg", PDF, "does not match"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_bad_attachments_are_refused_and_nothing_saved(alice, case, name, content, message):
    from django.core.exceptions import ValidationError

    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.attachment_add(
            actor=alice, case=case, title="", upload=SimpleUploadedFile(name, content)
        )
    assert message in " ".join(exc.value.messages)
    assert not Attachment.objects.exists()


def test_too_large_attachment_is_refused(alice, case, settings):
    from django.core.exceptions import ValidationError

    settings.DOCUMENTS_MAX_BYTES = 100
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.attachment_add(
            actor=alice, case=case, title="", upload=SimpleUploadedFile("a.pdf", PDF * 10)
        )
    assert "too large" in " ".join(exc.value.messages)
    assert not Attachment.objects.exists()


# --- Tasks and the reminder -------------------------------------------------------------------


def test_my_tasks_lists_overdue_first(alice, case):
    later = services.task_create(
        actor=alice, case=case, title="Μετά", assignee=alice, due_on=TODAY + timedelta(days=3)
    )
    late = services.task_create(
        actor=alice, case=case, title="Αργά", assignee=alice, due_on=TODAY - timedelta(days=1)
    )
    html = web(alice).get(reverse("cases-my-tasks")).content.decode()
    assert html.index("Αργά") < html.index("Μετά")
    assert "Overdue" in html
    assert {later.pk, late.pk} == set(Task.objects.values_list("pk", flat=True))


def test_standalone_task_from_my_tasks(alice, network):
    response = web(alice).post(
        reverse("cases-my-tasks"),
        {
            "title": "Σύσκεψη",
            "assignee": alice.pk,
            "due_on": TODAY,
            "centre": network["kastoria"].pk,
        },
    )
    assert response.status_code == 302
    assert Task.objects.get().case is None


def test_remind_emails_each_worker_their_due_and_overdue_tasks(alice, bob, case):
    alice.email, bob.email = "alice@example.org", ""
    alice.save()
    bob.save()
    services.task_create(actor=alice, case=case, title="Σήμερα", assignee=alice, due_on=TODAY)
    services.task_create(
        actor=alice, case=case, title="Χθες", assignee=alice, due_on=TODAY - timedelta(days=1)
    )
    services.task_create(
        actor=alice, case=case, title="Αύριο", assignee=alice, due_on=TODAY + timedelta(days=1)
    )
    services.task_create(actor=alice, case=case, title="Bob", assignee=bob, due_on=TODAY)
    call_command("remind")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    assert "Σήμερα" in message.body and "Χθες" in message.body and "Αύριο" not in message.body
    assert case.person.family_name not in message.body  # no personal data by e-mail


# --- Homes ------------------------------------------------------------------------------------


def test_caseworker_home_shows_cases_tasks_and_appointments(alice, case):
    services.task_create(actor=alice, case=case, title="Κλήση ΔΥΠΑ", assignee=alice, due_on=TODAY)
    html = web(alice).get("/").content.decode()
    assert f'href="/cases/{case.pk}/"' in html
    assert "Κλήση ΔΥΠΑ" in html


def test_caseworker_home_lists_a_case_once_when_lead_and_team_member(alice, case):
    case.members.create(user=alice, centre=case.centre)  # as an older team list may hold
    html = web(alice).get("/").content.decode()
    assert html.count(f'href="/cases/{case.pk}/"') == 1


def test_supervisor_home_shows_team_and_closures(alice, sam, case):
    services.closure_request(actor=alice, case=case, reason="declined")
    html = web(sam).get("/").content.decode()
    assert "Closure requests waiting" in html
    assert f"/cases/{case.pk}/" in html
    assert case.person.family_name not in html  # aggregates and case numbers only
    assert web(sam).get(reverse("cases-team") + "?days=5").status_code == 200


def test_team_view_is_for_supervisors_only(alice):
    assert web(alice).get(reverse("cases-team")).status_code == 403


def test_home_pages_query_count_stays_small(alice, bob, sam, person, django_assert_max_num_queries):
    for n in range(15):
        c = services.case_open(
            actor=alice, person=person, reason=f"r{n}", opened_on=TODAY - timedelta(days=60)
        )
        services.task_create(
            actor=alice, case=c, title=f"t{n}", assignee=alice, due_on=TODAY - timedelta(days=n)
        )
    services.case_open(actor=bob, person=person, reason="bob")
    for user in (alice, sam):
        client = web(user)
        client.get("/")  # warm up the session and the translations
        with django_assert_max_num_queries(12):
            assert client.get("/").status_code == 200
    client = web(sam)
    client.get(reverse("cases-team"))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("cases-team")).status_code == 200


def test_note_levels_labelled(alice, case):
    assert set(Note.Level.values) == {"team", "restricted", "clinical"}


def test_case_list_pages_through_all_cases(alice, person, monkeypatch):
    from koinotita.cases import views

    monkeypatch.setattr(views, "CASE_PAGE", 2)
    made = [services.case_open(actor=alice, person=person, reason=f"r{n}") for n in range(3)]
    client = web(alice)
    first = client.get(reverse("cases-case-list") + "?mine=1").content.decode()
    assert first.count('href="/cases/') - first.count('href="/cases/new') >= 2
    assert "page=2" in first and "mine=1" in first
    second = client.get(reverse("cases-case-list") + "?mine=1&page=2").content.decode()
    assert f'href="/cases/{made[0].pk}/"' in second  # the oldest, on the last page
    assert f'href="/cases/{made[0].pk}/"' not in first
    assert "page=3" not in second and "page=1" in second
    assert client.get(reverse("cases-case-list") + "?page=x").status_code == 200
