"""The registry of audit actions: every action named once, with a label in both languages,
and nothing written under a name nobody registered."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import translation

from koinotita.audit.actions import action_label, register_actions, registered_actions
from koinotita.audit.models import AuditEvent
from koinotita.audit.services import audit_record


def test_an_unregistered_action_is_refused_and_nothing_is_written(db):
    with pytest.raises(ValueError, match="person.raed"):
        audit_record(action="person.raed")
    assert not AuditEvent.objects.exists()


def test_every_app_action_has_a_greek_label():
    untranslated = []
    for name, owner in registered_actions().items():
        if owner == "tests":
            continue
        with translation.override("en"):
            english = action_label(name)
        with translation.override("el"):
            greek = action_label(name)
        if english == name or greek == english:
            untranslated.append(name)
    assert untranslated == []


def test_two_apps_cannot_register_the_same_action():
    with pytest.raises(ImproperlyConfigured, match="person.read"):
        register_actions("intruder", {"person.read": "x"})


def test_each_app_registers_the_actions_it_writes():
    owners = registered_actions()
    assert owners["person.created"] == "people"
    assert owners["contact.created"] == "reception"
    assert owners["referral.sent"] == "referrals"
    assert owners["case.note.break_glass"] == "cases"


def test_the_audit_page_shows_each_events_label(sam, network, client_for):
    audit_record(action="person.search", actor=sam, centre=network["kastoria"])
    page = client_for(sam).get(reverse("audit-event-list")).content.decode()
    assert "Αναζήτησε ωφελούμενους" in page
