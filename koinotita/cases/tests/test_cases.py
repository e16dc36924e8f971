from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from koinotita.audit.models import AuditEvent
from koinotita.cases import services
from koinotita.cases.models import Case, CaseEvent, ClosureRequest, Goal, Session, Task
from koinotita.cases.selectors import case_get_for, case_timeline

TODAY = date.today()


def test_open_case_writes_history_and_audit(alice, case, person):
    assert case.centre_id == person.centre_id
    assert case.status == Case.Status.OPEN
    assert case.lead_worker == alice
    events = case_timeline(case)
    assert [e.kind for e in events] == [CaseEvent.Kind.OPENED]
    assert AuditEvent.objects.filter(action="case.opened", object_id=str(case.pk)).exists()


def test_reception_cannot_open_a_case(rita, person):
    with pytest.raises(PermissionDenied):
        services.case_open(actor=rita, person=person, reason="x")
    assert not Case.objects.exists()


def test_open_case_in_the_future_or_without_reason_is_refused(alice, person):
    with pytest.raises(ValidationError) as exc:
        services.case_open(
            actor=alice, person=person, reason=" ", opened_on=TODAY + timedelta(days=2)
        )
    assert {"reason", "opened_on"} <= set(exc.value.message_dict)
    assert not Case.objects.exists()


def test_status_lifecycle_is_kept_in_history(alice, case):
    services.case_set_status(actor=alice, case=case, status="active")
    services.case_set_status(actor=alice, case=case, status="suspended", note="Ταξίδι")
    services.case_set_status(actor=alice, case=case, status="active")
    rows = [(e.from_status, e.to_status) for e in reversed(case_timeline(case))]
    assert rows[1:] == [("open", "active"), ("active", "suspended"), ("suspended", "active")]


def test_suspending_needs_a_note_and_closing_needs_a_request(alice, case):
    with pytest.raises(ValidationError):
        services.case_set_status(actor=alice, case=case, status="suspended")
    with pytest.raises(ValidationError):
        services.case_set_status(actor=alice, case=case, status="closed")
    case.refresh_from_db()
    assert case.status == "open"


def test_colleague_not_on_team_cannot_change_the_case(bob, case):
    with pytest.raises(PermissionDenied):
        services.case_set_status(actor=bob, case=case, status="active")


def test_goal_target_before_opening_is_refused(alice, case):
    with pytest.raises(ValidationError) as exc:
        services.goal_add(
            actor=alice,
            case=case,
            plan_version=case.plan_version,
            domain="housing",
            title="Στέγη",
            target_date=case.opened_on - timedelta(days=1),
        )
    assert "target_date" in exc.value.message_dict
    assert not Goal.objects.exists()
    case.refresh_from_db()
    assert case.plan_version == 1  # nothing partial: the version bump rolled back too


def test_second_writer_of_the_plan_is_told_not_overwritten(alice, bob, case):
    services.case_member_add(actor=alice, case=case, user=bob)
    read_version = case.plan_version
    services.goal_add(
        actor=alice, case=case, plan_version=read_version, domain="housing", title="Στέγη"
    )
    with pytest.raises(services.StalePlan):
        services.goal_add(
            actor=bob, case=case, plan_version=read_version, domain="income", title="Επίδομα"
        )
    assert list(Goal.objects.values_list("title", flat=True)) == ["Στέγη"]


def test_assessment_repeated_shows_first_and_latest(alice, case):
    from koinotita.cases.selectors import assessment_compare, assessment_list

    services.assessment_record(
        actor=alice, case=case, assessed_on=case.opened_on, ratings={"housing": (5, "Άστεγη")}
    )
    services.assessment_record(
        actor=alice, case=case, assessed_on=TODAY, ratings={"housing": (2, "")}
    )
    rows = {r["domain"]: r for r in assessment_compare(assessment_list(case))}
    housing = rows["Στέγαση"] if "Στέγαση" in rows else rows["Housing"]
    assert housing["first"].rating == 5 and housing["latest"].rating == 2
    assert housing["change"] == -3
    case.refresh_from_db()
    assert case.status == "active"


def test_assessment_with_bad_rating_saves_nothing(alice, case):
    with pytest.raises(ValidationError):
        services.assessment_record(
            actor=alice, case=case, assessed_on=TODAY, ratings={"housing": (7, "")}
        )
    assert not case.assessments.exists()


def test_session_without_participants_is_refused(alice, case):
    with pytest.raises(ValidationError) as exc:
        services.session_log(
            actor=alice,
            case=case,
            held_at=timezone.now(),
            kind="individual",
            mode="in_person",
            minutes=30,
            persons=[],
            note_text="κάτι",
        )
    assert "persons" in exc.value.message_dict
    assert not Session.objects.exists()
    assert not case.notes.exists()


def test_session_updates_last_contact(alice, case, person):
    at = timezone.now() - timedelta(hours=1)
    services.session_log(
        actor=alice,
        case=case,
        held_at=at,
        kind="family",
        mode="home_visit",
        minutes=45,
        persons=[person],
    )
    case.refresh_from_db()
    assert case.last_contact_at == at
    assert case.status == "active"


def test_closing_with_open_tasks_asks_what_to_do(alice, sam, case):
    services.task_create(actor=alice, case=case, title="Αίτηση", assignee=alice, due_on=TODAY)
    with pytest.raises(ValidationError) as exc:
        services.closure_request(actor=alice, case=case, reason="goals_achieved")
    assert "open_tasks" in exc.value.message_dict
    assert not ClosureRequest.objects.exists()
    req = services.closure_request(
        actor=alice, case=case, reason="goals_achieved", open_tasks="detach"
    )
    closed = services.closure_approve(actor=sam, closure=req)
    assert closed.status == "closed" and closed.closure_reason == "goals_achieved"
    task = Task.objects.get()
    assert task.case_id is None and task.status == "open"


def test_goals_need_an_outcome_at_closure(alice, sam, case):
    goal = services.goal_add(
        actor=alice, case=case, plan_version=1, domain="housing", title="Στέγη"
    )
    with pytest.raises(ValidationError) as exc:
        services.closure_request(actor=alice, case=case, reason="moved_away")
    assert "goal_outcomes" in exc.value.message_dict
    req = services.closure_request(
        actor=alice,
        case=case,
        reason="moved_away",
        goal_outcomes={goal.pk: {"status": "not_achieved", "outcome": "Μετακόμισε"}},
    )
    services.closure_approve(actor=sam, closure=req)
    goal.refresh_from_db()
    assert goal.status == "not_achieved" and goal.outcome == "Μετακόμισε"


def test_only_a_supervisor_approves_closure(alice, case):
    req = services.closure_request(actor=alice, case=case, reason="declined")
    with pytest.raises(PermissionDenied):
        services.closure_approve(actor=alice, closure=req)
    case.refresh_from_db()
    assert case.status == "open"


def test_closed_case_cannot_be_edited_but_can_be_reopened(alice, sam, case):
    req = services.closure_request(actor=alice, case=case, reason="declined")
    services.closure_approve(actor=sam, closure=req)
    with pytest.raises(ValidationError) as exc:
        services.note_add(actor=alice, case=case, text="κάτι")
    assert exc.value.code == "closed"
    services.case_reopen(actor=alice, case=case, note="Επέστρεψε")
    case.refresh_from_db()
    assert case.status == "active" and case.closed_on is None
    kinds = [e.kind for e in case_timeline(case)]
    assert kinds[:2] == ["reopened", "closed"]


def test_supervisor_reassigns_and_former_lead_stays_on_team(alice, bob, sam, case):
    services.case_reassign(actor=sam, case=case, lead_worker=bob)
    case.refresh_from_db()
    assert case.lead_worker == bob
    assert case.members.filter(user=alice).exists()
    with pytest.raises(PermissionDenied):
        services.case_reassign(actor=bob, case=case, lead_worker=alice)


def test_reassign_to_other_centre_worker_is_refused(sam, charlie, case):
    with pytest.raises(ValidationError):
        services.case_reassign(actor=sam, case=case, lead_worker=charlie)


def test_other_centre_gets_404(charlie, case):
    from django.http import Http404

    with pytest.raises(Http404):
        case_get_for(charlie, case.pk)


def test_mediator_sees_only_cases_they_are_on(mia, alice, case, person):
    from django.http import Http404

    from koinotita.cases.selectors import case_list_for

    assert not case_list_for(mia).exists()
    with pytest.raises(Http404):
        case_get_for(mia, case.pk)
    services.case_member_add(actor=alice, case=case, user=mia)
    assert case_get_for(mia, case.pk) == case
    with pytest.raises(PermissionDenied):  # mediators do not change cases
        services.note_add(actor=mia, case=case, text="x")
