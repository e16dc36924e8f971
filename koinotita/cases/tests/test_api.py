from datetime import date, timedelta

import pytest
from django.utils import timezone

from koinotita.cases import services
from koinotita.cases.models import Case, Goal, Session, Task
from koinotita.testing.clients import api_client as api

TODAY = date.today()


def post(client, path, data):
    return client.post(path, data, content_type="application/json")


def test_open_case_assess_plan_session_and_task(alice, person):
    client = api(alice)
    response = post(client, "/api/v1/cases", {"person": person.pk, "reason": "Στέγαση"})
    assert response.status_code == 201, response.content
    case_id = response.json()["id"]
    assert response.json()["lead_worker"] == "alice"

    response = post(
        client,
        f"/api/v1/cases/{case_id}/assessments",
        {"assessed_on": str(TODAY), "items": [{"domain": "housing", "rating": 4, "note": ""}]},
    )
    assert response.status_code == 201
    assert client.get(f"/api/v1/cases/{case_id}/assessments").json()[0]["items"][0]["rating"] == 4

    response = post(
        client,
        f"/api/v1/cases/{case_id}/goals",
        {"plan_version": 1, "domain": "housing", "title": "Σπίτι", "actions": ["Αίτηση"]},
    )
    assert response.status_code == 201
    assert response.json()["actions"][0]["text"] == "Αίτηση"
    # The same version again: the plan changed meanwhile -> 409, nothing written.
    response = post(
        client,
        f"/api/v1/cases/{case_id}/goals",
        {"plan_version": 1, "domain": "income", "title": "Επίδομα"},
    )
    assert response.status_code == 409
    assert Goal.objects.count() == 1

    response = post(
        client,
        f"/api/v1/cases/{case_id}/sessions",
        {
            "held_at": timezone.now().isoformat(),
            "kind": "individual",
            "mode": "phone",
            "minutes": 15,
            "persons": [person.pk],
        },
    )
    assert response.status_code == 201
    assert client.get(f"/api/v1/cases/{case_id}/sessions").json()[0]["persons"] == [person.pk]

    response = post(
        client, "/api/v1/tasks", {"title": "Κλήση", "due_on": str(TODAY), "case": case_id}
    )
    assert response.status_code == 201
    tasks = client.get("/api/v1/tasks").json()
    assert [t["title"] for t in tasks] == ["Κλήση"]
    response = post(client, f"/api/v1/tasks/{tasks[0]['id']}/status", {"status": "done"})
    assert response.status_code == 200 and response.json()["status"] == "done"


def test_bad_input_answers_422_and_saves_nothing(alice, case):
    client = api(alice)
    response = post(
        client,
        f"/api/v1/cases/{case.pk}/goals",
        {
            "plan_version": 1,
            "domain": "housing",
            "title": "Σπίτι",
            "target_date": str(case.opened_on - timedelta(days=3)),
        },
    )
    assert response.status_code == 422
    assert "target_date" in response.json()["errors"]
    response = post(
        client,
        f"/api/v1/cases/{case.pk}/sessions",
        {"held_at": timezone.now().isoformat(), "kind": "group", "mode": "phone", "minutes": 5},
    )
    assert response.status_code == 422
    assert "persons" in response.json()["errors"]
    assert not Goal.objects.exists() and not Session.objects.exists()


def test_other_centre_gets_404_on_every_endpoint(charlie, case, person):
    client = api(charlie)
    for path in ("", "/assessments", "/goals", "/sessions", "/notes"):
        assert client.get(f"/api/v1/cases/{case.pk}{path}").status_code == 404, path
    for path, data in (
        ("/goals", {"plan_version": 1, "domain": "housing", "title": "x"}),
        ("/notes", {"text": "x"}),
        ("/assessments", {"assessed_on": str(TODAY), "items": []}),
        (
            "/sessions",
            {"held_at": timezone.now().isoformat(), "kind": "group", "mode": "phone", "minutes": 5},
        ),
    ):
        assert post(client, f"/api/v1/cases/{case.pk}{path}", data).status_code == 404, path
    assert post(client, "/api/v1/cases", {"person": person.pk, "reason": "x"}).status_code == 404
    assert (
        post(
            client, "/api/v1/tasks", {"title": "x", "due_on": str(TODAY), "case": case.pk}
        ).status_code
        == 404
    )
    assert client.get("/api/v1/cases").json()["items"] == []


def test_other_centre_cannot_touch_a_task(alice, charlie, case):
    task = services.task_create(actor=alice, case=case, title="t", assignee=alice, due_on=TODAY)
    assert (
        post(api(charlie), f"/api/v1/tasks/{task.pk}/status", {"status": "done"}).status_code == 404
    )
    task.refresh_from_db()
    assert task.status == "open"


def test_reception_cannot_open_cases_by_api(rita, person):
    response = post(api(rita), "/api/v1/cases", {"person": person.pk, "reason": "x"})
    assert response.status_code == 403
    assert not Case.objects.exists()


def test_task_list_is_overdue_first(alice, case):
    for n, title in ((3, "later"), (-2, "late"), (0, "today")):
        services.task_create(
            actor=alice, case=case, title=title, assignee=alice, due_on=TODAY + timedelta(days=n)
        )
    tasks = api(alice).get("/api/v1/tasks").json()
    assert [t["title"] for t in tasks] == ["late", "today", "later"]
    assert [t["overdue"] for t in tasks] == [True, False, False]
    assert Task.objects.count() == 3


@pytest.mark.parametrize("status", ["open", "active"])
def test_case_list_filters_by_status(alice, case, status):
    items = api(alice).get(f"/api/v1/cases?status={status}").json()["items"]
    assert [c["id"] for c in items] == ([case.pk] if status == "open" else [])
