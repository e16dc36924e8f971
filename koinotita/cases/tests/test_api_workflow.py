"""The API does what the pages do: the plan's goals (with the same 409 on a stale plan),
closure and its approval or refusal, reopening, transfer and its acceptance, attachments,
break-glass. Through HTTP, with the same services; another centre's user gets 404."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from koinotita.audit.models import AuditEvent
from koinotita.cases import services
from koinotita.cases.models import Attachment, Case, ClosureRequest, Goal, NoteAccess, Transfer
from koinotita.testing.clients import api_client as api

TODAY = date.today()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def post(client, path, data=None):
    return client.post(path, data or {}, content_type="application/json")


def put(client, path, data):
    return client.put(path, data, content_type="application/json")


@pytest.fixture
def goal(alice, case):
    return services.goal_add(
        actor=alice, case=case, plan_version=1, domain="housing", title="Σπίτι"
    )


# --- The plan -------------------------------------------------------------------------------


def test_goal_update_and_the_second_writer_is_told(alice, bob, case, goal):
    services.case_member_add(actor=alice, case=case, user=bob)
    path = f"/api/v1/cases/{case.pk}/goals/{goal.pk}"
    version = Case.objects.get(pk=case.pk).plan_version
    response = put(api(alice), path, {"plan_version": version, "status": "in_progress"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "in_progress"
    assert response.json()["title"] == "Σπίτι"  # left out: kept

    # Bob read the same version: his write is refused, in English and in Greek.
    stale = {"plan_version": version, "status": "dropped", "title": "Άλλο"}
    response = put(api(bob), path, stale)
    assert response.status_code == 409
    assert "Someone else changed this plan" in response.json()["detail"]
    response = put(api(bob, language=None), path, stale)
    assert response.status_code == 409
    assert "Κάποιος/α άλλος/η άλλαξε το σχέδιο" in response.json()["detail"]
    goal.refresh_from_db()
    assert (goal.status, goal.title) == ("in_progress", "Σπίτι")


def test_goal_update_bad_input_is_422_and_saves_nothing(alice, case, goal):
    version = Case.objects.get(pk=case.pk).plan_version
    response = put(
        api(alice),
        f"/api/v1/cases/{case.pk}/goals/{goal.pk}",
        {
            "plan_version": version,
            "status": "achieved",
            "target_date": str(case.opened_on - timedelta(days=1)),
        },
    )
    assert response.status_code == 422
    assert "target_date" in response.json()["errors"]
    goal.refresh_from_db()
    assert goal.status == "planned"
    assert Case.objects.get(pk=case.pk).plan_version == version


def test_actions_and_agreement_by_api(alice, case, goal):
    client = api(alice)
    version = Case.objects.get(pk=case.pk).plan_version
    response = post(
        client,
        f"/api/v1/cases/{case.pk}/goals/{goal.pk}/actions",
        {"plan_version": version, "text": "Αίτηση στον δήμο"},
    )
    assert response.status_code == 201
    action = response.json()["actions"][0]
    response = post(
        client,
        f"/api/v1/cases/{case.pk}/actions/{action['id']}/status",
        {"plan_version": version + 1, "status": "done"},
    )
    assert response.status_code == 200 and response.json()["actions"][0]["status"] == "done"
    response = post(
        client, f"/api/v1/cases/{case.pk}/plan/agree", {"plan_version": version, "agreed_on": "x"}
    )
    assert response.status_code == 422
    response = post(
        client,
        f"/api/v1/cases/{case.pk}/plan/agree",
        {"plan_version": version + 2, "agreed_on": str(TODAY)},
    )
    assert response.status_code == 200 and response.json()["plan_agreed_on"] == str(TODAY)


# --- Closure and reopening ------------------------------------------------------------------


def test_closure_requested_refused_approved_and_reopened(alice, sam, case, goal):
    services.task_create(actor=alice, case=case, title="Κλήση", assignee=alice, due_on=TODAY)
    client = api(alice)
    path = f"/api/v1/cases/{case.pk}/closure"
    response = post(client, path, {"reason": "declined"})
    assert response.status_code == 422
    assert {"open_tasks", "goal_outcomes"} <= set(response.json()["errors"])
    assert not ClosureRequest.objects.exists()

    body = {
        "reason": "declined",
        "open_tasks": "cancel",
        "goal_outcomes": {str(goal.pk): {"status": "dropped", "outcome": "Δεν το θέλει"}},
    }
    closure = post(client, path, body).json()
    assert closure["status"] == "pending" and client.get(path).json()["id"] == closure["id"]

    # Only a supervisor decides; a refusal must say why.
    assert post(client, f"/api/v1/closures/{closure['id']}/approve").status_code == 403
    response = post(api(sam, language=None), f"/api/v1/closures/{closure['id']}/reject")
    assert response.status_code == 422
    assert "Εξηγήστε" in response.json()["errors"]["note"][0]
    response = post(
        api(sam), f"/api/v1/closures/{closure['id']}/reject", {"note": "Να ξαναδούμε τη στέγη"}
    )
    assert response.status_code == 200 and response.json()["status"] == "rejected"

    closure = post(client, path, body).json()
    response = post(api(sam), f"/api/v1/closures/{closure['id']}/approve", {"note": "ok"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "closed" and response.json()["closure_reason"] == "declined"
    assert post(client, f"/api/v1/cases/{case.pk}/status", {"status": "active"}).status_code == 422

    response = post(client, f"/api/v1/cases/{case.pk}/reopen", {"note": ""})
    assert response.status_code == 422
    response = post(client, f"/api/v1/cases/{case.pk}/reopen", {"note": "Νέα έξωση"})
    assert response.status_code == 200 and response.json()["status"] == "active"


def test_status_reassign_and_team_by_api(alice, bob, sam, case):
    response = post(api(alice), f"/api/v1/cases/{case.pk}/status", {"status": "suspended"})
    assert response.status_code == 422 and "note" in response.json()["errors"]
    assert post(api(alice), f"/api/v1/cases/{case.pk}/team", {"user": "bob"}).json()["team"] == [
        "bob"
    ]
    response = post(api(alice), f"/api/v1/cases/{case.pk}/reassign", {"lead_worker": "bob"})
    assert response.status_code == 403
    response = post(api(sam), f"/api/v1/cases/{case.pk}/reassign", {"lead_worker": "bob"})
    assert response.status_code == 200 and response.json()["lead_worker"] == "bob"


# --- Transfer -------------------------------------------------------------------------------


def test_transfer_proposed_and_accepted_by_the_receiving_centre(alice, bob, charlie, case):
    client = api(alice)
    path = f"/api/v1/cases/{case.pk}/transfer"
    response = post(client, path, {"to_centre": "florina", "reason": "Μετακόμισε"})
    assert response.status_code == 422
    assert "consent" in response.json()["errors"]["consent_given_on"][0]
    response = post(
        client, path, {"to_centre": "florina", "reason": "Μετακόμισε", "consent_given_on": "x"}
    )
    assert response.status_code == 422
    assert not Transfer.objects.exists()
    response = post(
        client,
        path,
        {"to_centre": "florina", "reason": "Μετακόμισε", "consent_given_on": str(TODAY)},
    )
    assert response.status_code == 201, response.content
    transfer = response.json()
    assert (transfer["from_centre"], transfer["to_centre"]) == ("kastoria", "florina")

    # The receiving centre sees it (the person's name and the reason); the sender cannot
    # accept it.
    incoming = api(charlie).get("/api/v1/transfers").json()
    assert [t["id"] for t in incoming] == [transfer["id"]]
    assert incoming[0]["person"] == "Οικονόμου Άννα"
    assert api(bob).get("/api/v1/transfers").json() == []
    assert post(api(bob), f"/api/v1/transfers/{transfer['id']}/accept").status_code == 404

    response = post(api(charlie), f"/api/v1/transfers/{transfer['id']}/accept")
    assert response.status_code == 201, response.content
    new = response.json()
    assert new["centre"] == "florina" and new["lead_worker"] == "charlie"
    stub = api(alice).get(f"/api/v1/cases/{case.pk}").json()
    assert stub["read_only"] and stub["status"] == "closed"
    assert api(alice).get(f"/api/v1/cases/{new['id']}").status_code == 404


def test_transfer_declined(alice, charlie, case, network):
    transfer = services.transfer_request(
        actor=alice,
        case=case,
        to_centre=network["florina"],
        consent_given_on=TODAY,
        reason="Μετακόμισε",
    )
    response = post(api(charlie), f"/api/v1/transfers/{transfer.pk}/decline", {"note": "όχι"})
    assert response.status_code == 200 and response.json()["status"] == "declined"
    assert post(api(charlie), f"/api/v1/transfers/{transfer.pk}/accept").status_code == 404


# --- Attachments ----------------------------------------------------------------------------


def upload(client, case, name, data, **extra):
    return client.post(
        f"/api/v1/cases/{case.pk}/attachments",
        {"upload": SimpleUploadedFile(name, data), **extra},
    )


def test_attachment_upload_is_checked_and_download_is_scoped_and_audited(
    alice, charlie, case, settings
):
    client = api(alice)
    response = upload(client, case, "run.pdf", b"MZ\x90\x00" + b"\x00" * 50)
    assert response.status_code == 422
    assert "Programs and scripts" in response.json()["errors"]["upload"][0]
    settings.DOCUMENTS_MAX_BYTES = len(PDF)
    response = upload(api(alice, language=None), case, "c.pdf", PDF + b"x")
    assert response.status_code == 422
    assert "πολύ μεγάλο" in response.json()["errors"]["upload"][0]
    response = client.post(f"/api/v1/cases/{case.pk}/attachments", {"title": "χωρίς αρχείο"})
    assert response.status_code == 422
    assert "upload" in response.json()["errors"]
    assert not Attachment.objects.exists()

    response = upload(client, case, "v.pdf", PDF, title="Βεβαίωση")
    assert response.status_code == 201
    doc = response.json()
    assert doc["title"] == "Βεβαίωση" and doc["content_type"] == "application/pdf"
    assert [a["id"] for a in client.get(f"/api/v1/cases/{case.pk}/attachments").json()][0] == (
        doc["id"]
    )
    response = client.get(f"/api/v1/attachments/{doc['id']}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"] == "private, no-store"
    event = AuditEvent.objects.filter(action="case.attachment.read").get()
    assert event.actor_id == alice.pk and event.detail["attachment"] == doc["id"]

    other = api(charlie)
    assert other.get(f"/api/v1/attachments/{doc['id']}").status_code == 404
    assert other.get(f"/api/v1/cases/{case.pk}/attachments").status_code == 404
    assert upload(other, case, "x.pdf", PDF).status_code == 404
    assert Attachment.objects.count() == 1


# --- Break-glass ----------------------------------------------------------------------------


def test_supervisor_opens_a_clinical_note_with_a_reason(alice, sam, case):
    note = services.note_add(actor=alice, case=case, text="ΚΛΙΝΙΚΟ-9", level="clinical")
    client = api(sam)
    sealed = client.get(f"/api/v1/cases/{case.pk}/notes/sealed").json()
    assert [n["id"] for n in sealed] == [note.pk] and "ΚΛΙΝΙΚΟ-9" not in str(sealed)
    assert client.get(f"/api/v1/cases/{case.pk}/notes").json() == []

    response = post(
        api(sam, language=None), f"/api/v1/notes/{note.pk}/break-glass", {"reason": "x"}
    )
    assert response.status_code == 422
    assert "τουλάχιστον 10" in response.json()["errors"]["reason"][0]
    assert "ΚΛΙΝΙΚΟ-9" not in response.content.decode()
    assert not NoteAccess.objects.exists()

    reason = "Αναφορά για κίνδυνο του παιδιού"
    response = post(client, f"/api/v1/notes/{note.pk}/break-glass", {"reason": reason})
    assert response.status_code == 200 and response.json()["text"] == "ΚΛΙΝΙΚΟ-9"
    event = AuditEvent.objects.get(action="case.note.break_glass")
    assert event.reason == reason and event.actor_id == sam.pk
    assert [n["id"] for n in client.get(f"/api/v1/cases/{case.pk}/notes").json()] == [note.pk]
    assert client.get(f"/api/v1/cases/{case.pk}/notes/sealed").json() == []
    # Opened once: a second opening is not needed (and not recorded).
    response = post(client, f"/api/v1/notes/{note.pk}/break-glass", {"reason": reason})
    assert response.status_code == 422 and NoteAccess.objects.count() == 1
    # The author is not a supervisor: nothing to break.
    assert (
        post(api(alice), f"/api/v1/notes/{note.pk}/break-glass", {"reason": reason}).status_code
        == 403
    )


# --- Another centre -------------------------------------------------------------------------


def test_other_centre_gets_404_on_every_new_endpoint(alice, charlie, case, goal, network):
    task = services.task_create(actor=alice, case=case, title="t", assignee=alice, due_on=TODAY)
    closure = services.closure_request(
        actor=alice,
        case=case,
        reason="declined",
        open_tasks="cancel",
        goal_outcomes={goal.pk: {"status": "dropped"}},
    )
    note = services.note_add(actor=alice, case=case, text="ΜΥΣΤΙΚΟ", level="restricted")
    attachment = services.attachment_add(
        actor=alice, case=case, title="", upload=SimpleUploadedFile("b.pdf", PDF)
    )
    action = services.action_add(actor=alice, goal=goal, plan_version=2, text="α")
    client = api(charlie)
    c = f"/api/v1/cases/{case.pk}"
    for path in (f"{c}/closure", f"{c}/attachments", f"{c}/notes/sealed"):
        assert client.get(path).status_code == 404, path
    assert client.get(f"/api/v1/attachments/{attachment.pk}").status_code == 404
    assert (
        put(client, f"{c}/goals/{goal.pk}", {"plan_version": 3, "status": "achieved"}).status_code
        == 404
    )
    for path, data in (
        (f"{c}/goals/{goal.pk}/actions", {"plan_version": 3, "text": "x"}),
        (f"{c}/actions/{action.pk}/status", {"plan_version": 3, "status": "done"}),
        (f"{c}/plan/agree", {"plan_version": 3, "agreed_on": str(TODAY)}),
        (f"{c}/status", {"status": "active"}),
        (f"{c}/reassign", {"lead_worker": "charlie"}),
        (f"{c}/team", {"user": "charlie"}),
        (f"{c}/closure", {"reason": "declined"}),
        (f"{c}/reopen", {"note": "x"}),
        (f"{c}/transfer", {"to_centre": "florina", "reason": "x", "consent_given_on": str(TODAY)}),
        (f"/api/v1/closures/{closure.pk}/approve", {}),
        (f"/api/v1/closures/{closure.pk}/reject", {"note": "x"}),
        (f"/api/v1/notes/{note.pk}/break-glass", {"reason": "θέλω να το διαβάσω"}),
    ):
        response = post(client, path, data)
        assert response.status_code == 404, path
        assert "ΜΥΣΤΙΚΟ" not in response.content.decode()
    transfer = services.transfer_request(
        actor=alice,
        case=case,
        to_centre=network["almyros"],
        consent_given_on=TODAY,
        reason="Μετακόμισε",
    )
    for verb in ("accept", "decline"):
        assert post(client, f"/api/v1/transfers/{transfer.pk}/{verb}").status_code == 404
    assert client.get("/api/v1/transfers").json() == []
    case.refresh_from_db()
    goal.refresh_from_db()
    assert case.status == "open" and goal.status == "planned"
    assert ClosureRequest.objects.get().status == "pending" and not NoteAccess.objects.exists()
    assert Transfer.objects.get().status == "pending"
    assert task.pk and Goal.objects.count() == 1
