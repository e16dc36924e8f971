"""The supervisor's "cases with no contact in N days": a session of the case and a contact
of the person at reception (after the case opened) both count as contact."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from koinotita.cases import services
from koinotita.cases.selectors import supervisor_team
from koinotita.cases.tests.conftest import make_person
from koinotita.organisations.models import Site
from koinotita.reception.services import contact_log
from koinotita.testing.queries import at_most

TODAY = date.today()


def ago(days: int):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def cases(alice, network):
    """Five cases opened 60 days ago, each with one history of contact."""
    site = Site.objects.get(centre=network["kastoria"], kind=Site.Kind.MAIN)
    names = ["Αλεξίου", "Βασιλείου", "Γεωργίου", "Δημητρίου", "Ευαγγέλου"]
    made = {}
    for key, family in zip(["none", "session", "recent", "old", "before"], names, strict=True):
        person = make_person(alice, network["kastoria"], family, "Μαρία")
        made[key] = services.case_open(
            actor=alice, person=person, reason="Στέγαση", opened_on=TODAY - timedelta(days=60)
        )
    services.session_log(
        actor=alice,
        case=made["session"],
        held_at=ago(5),
        kind="individual",
        mode="phone",
        minutes=10,
        persons=[made["session"].person],
    )
    for key, days in (("recent", 5), ("old", 40), ("before", 90)):
        contact_log(
            actor=alice, site=site, persons=[made[key].person], at=ago(days), channel="phone"
        )
    return made


def test_a_reception_contact_counts_as_contact(sam, cases):
    team = supervisor_team(sam, no_contact_days=30)
    stale = {c.pk: c for c in team["stale"]}
    # A session 5 days ago, or a reception contact 5 days ago: in contact.
    assert cases["session"].pk not in stale and cases["recent"].pk not in stale
    # No contact at all; a reception contact 40 days ago; one before the case opened.
    assert set(stale) == {cases["none"].pk, cases["old"].pk, cases["before"].pk}
    assert stale[cases["none"].pk].last_seen is None
    assert stale[cases["before"].pk].last_seen is None  # before the opening: not the case's
    assert timezone.localdate(stale[cases["old"].pk].last_seen) == TODAY - timedelta(days=40)
    # Oldest contact first (never first of all).
    assert [c.pk for c in team["stale"]][-1] == cases["old"].pk


def test_fewer_days_make_the_older_contacts_stale(sam, cases):
    stale = {c.pk for c in supervisor_team(sam, no_contact_days=3)["stale"]}
    assert stale == {c.pk for c in cases.values()}
    stale = {c.pk for c in supervisor_team(sam, no_contact_days=45)["stale"]}
    assert stale == {cases["none"].pk, cases["before"].pk}


def test_team_page_shows_them_within_its_query_budget(sam, cases):
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(sam)
    url = reverse("cases-team") + "?days=30"
    client.get(url)
    with at_most(12):
        html = client.get(url).content.decode()
    assert f'href="/cases/{cases["old"].pk}/"' in html
    assert f'href="/cases/{cases["recent"].pk}/"' not in html
    assert (TODAY - timedelta(days=40)).strftime("%d/%m/%Y") in html
    assert cases["old"].person.family_name not in html  # case numbers only


def test_other_centre_supervisor_sees_none_of_them(network, cases):
    from koinotita.testing.users import user_with_role

    other = user_with_role("flora", "supervisor", "municipality", network["florina"].municipality)
    assert supervisor_team(other, no_contact_days=30)["stale"] == []
