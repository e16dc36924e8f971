"""The worker's home shows their applications needing action, within the home's query
budget whatever their number."""

from datetime import timedelta

from django.utils import timezone

from koinotita.programmes.models import Application
from koinotita.programmes.selectors import HOME_APPLICATIONS
from koinotita.programmes.services import application_create

S = Application.State


def _many(alice, person, programme, n):
    """`n` applications of alice's in every state (written directly: volume, not steps)."""
    today = timezone.localdate()
    states = [S.PREPARATION, S.NEEDS_DOCUMENTS, S.SUBMITTED, S.APPROVED, S.ENDED, S.REJECTED]
    Application.objects.bulk_create(
        Application(
            centre_id=person.centre_id,
            person=person,
            programme=programme,
            staff=alice,
            state=states[i % len(states)],
            renewal_on=today + timedelta(days=i % 90) if states[i % len(states)] == S.APPROVED
            else None,
        )
        for i in range(n)
    )  # fmt: skip


def test_the_home_lists_the_applications_needing_action(catalogue, household, alice, client_for):
    application = application_create(
        actor=alice, person=household, programme=catalogue["minimum-income"]
    )
    client = client_for(alice)
    assert 'id="home-applications"' in client.get("/").content.decode()
    fragment = client.get("/programmes/applications/", headers={"HX-Request": "true"})
    assert [a.pk for a, _ in fragment.context["section"]["rows"]] == [application.pk]


def test_a_colleague_does_not_see_them_on_their_home(catalogue, household, alice, bob, client_for):
    application_create(actor=alice, person=household, programme=catalogue["minimum-income"])
    fragment = client_for(bob).get("/programmes/applications/", headers={"HX-Request": "true"})
    assert fragment.context["section"] == {}


def test_the_home_stays_within_twelve_queries_at_volume(
    catalogue, household, alice, client_for, django_assert_max_num_queries
):
    _many(alice, household, catalogue["minimum-income"], 1000)
    client = client_for(alice)
    client.get("/")  # warm up the session and the translations
    with django_assert_max_num_queries(12):
        assert client.get("/").status_code == 200
    with django_assert_max_num_queries(12):
        page = client.get("/programmes/applications/", headers={"HX-Request": "true"})
    section = page.context["section"]
    assert len(section["rows"]) == HOME_APPLICATIONS and section["more"]
    # Renewals soonest first, and nothing ended, rejected or merely submitted.
    assert {a.state for a, _ in section["rows"]} <= {S.PREPARATION, S.NEEDS_DOCUMENTS, S.APPROVED}
