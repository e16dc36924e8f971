from django.urls import reverse

from koinotita.audit.models import AuditEvent
from koinotita.audit.services import audit_record

URL = reverse("audit-event-list")


def test_supervisor_sees_the_events_of_her_centres_only(sam, alice, charlie, network, client_for):
    audit_record(action="test.kastoria", actor=alice, centre=network["kastoria"])
    audit_record(action="test.florina", actor=charlie, centre=network["florina"])
    response = client_for(sam).get(URL)
    assert response.status_code == 200
    actions = {e.action for e in response.context["page"]}
    assert "test.kastoria" in actions
    assert "test.florina" not in actions


def test_viewing_the_trail_is_itself_audited(sam, client_for):
    client_for(sam).get(URL)
    assert AuditEvent.objects.filter(action="audit.viewed", actor=sam).exists()


def test_filter_by_action(sam, alice, network, client_for):
    audit_record(action="test.one", actor=alice, centre=network["kastoria"])
    audit_record(action="test.two", actor=alice, centre=network["kastoria"])
    page = client_for(sam).get(URL, {"action": "test.two"}).context["page"]
    assert {e.action for e in page} == {"test.two"}


def test_caseworker_monitor_and_partner_may_not_read_the_trail(alice, mona, pat, client_for):
    for user in (alice, mona, pat):
        assert client_for(user).get(URL).status_code == 403
