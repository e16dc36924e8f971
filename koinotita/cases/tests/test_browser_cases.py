"""A case in a real browser, in Greek: open it, add a goal, log a session, request
closure; the supervisor approves."""

import pytest
from playwright.sync_api import expect

from koinotita.cases.models import Case, Goal, Session
from koinotita.testing.browser import log_in, open_login
from koinotita.testing.people import person_make
from koinotita.testing.users import PASSWORD

pytestmark = pytest.mark.browser


def test_open_case_add_goal_log_session_and_close_with_supervisor_approval(
    page,  # noqa: F811
    live_server,
    alice,
    sam,
    network,
):
    person_make(
        actor=alice,
        centre=network["kastoria"],
        fields={"family_name": "Καραγιάννη", "given_name": "Μαρίνα", "sex": "F"},
    )

    open_login(page, live_server)
    log_in(page, "alice", PASSWORD)
    page.goto(live_server.url + "/cases/")
    page.locator("#case-q").fill("Καραγιάννη")
    page.locator("#case-q").press("Enter")
    page.locator("#case-person-results a").first.click()

    expect(page.locator("main h1")).to_contain_text("Άνοιγμα υπόθεσης")
    page.locator("#id_reason").fill("Κίνδυνος έξωσης")
    page.locator("main button[type=submit]").click()
    expect(page.locator("[data-testid=case-status]")).to_contain_text("Ανοικτή")
    case = Case.objects.get()

    # The plan: one goal, with an action (the section and its form open on demand).
    page.locator("#section-plan > summary").click()
    page.locator("#section-plan details.on-demand > summary").click()
    page.locator("#goal_domain").select_option("housing")
    page.locator("#goal_title").fill("Εξασφάλιση στέγης")
    page.locator("#goal_actions").fill("Αίτηση για επίδομα στέγασης")
    page.locator("form[action$='/goals/new/'] button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Το σχέδιο αποθηκεύτηκε.")
    expect(page.locator("#plan")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Εξασφάλιση στέγης")

    # A session with the person.
    page.locator(f"a[href='/cases/{case.pk}/sessions/new/']").click()
    page.locator("#id_mode").select_option("phone")
    page.locator("#id_minutes").fill("25")
    page.locator("main button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Η συνεδρία καταγράφηκε.")
    expect(page.locator("[data-testid=case-status]")).to_contain_text("Σε εξέλιξη")

    # Closure, with the goal's outcome.
    goal = Goal.objects.get()
    page.locator(f"a[href='/cases/{case.pk}/close/']").click()
    page.locator("#id_reason").select_option("goals_achieved")
    page.locator(f"#id_goal_{goal.pk}_status").select_option("achieved")
    page.locator("main button[type=submit]").click()
    expect(page.locator("#closure")).to_contain_text("Αίτημα κλεισίματος")

    # The supervisor approves from their home.
    page.locator(".user-box button[type=submit]").click()
    open_login(page, live_server)
    log_in(page, "sam", PASSWORD)
    closures = page.locator("#team-closures + ul")
    expect(closures).to_contain_text(f"#{case.pk}")
    closures.locator("button[value=approve]").click()
    expect(page.locator(".messages")).to_contain_text("Η υπόθεση έκλεισε.")

    case.refresh_from_db()
    assert case.status == "closed" and case.closure_reason == "goals_achieved"
    assert Session.objects.filter(case=case).count() == 1
    goal.refresh_from_db()
    assert goal.status == "achieved"
