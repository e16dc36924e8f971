from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse

from koinotita.cases import services
from koinotita.cases.models import Case, Transfer
from koinotita.cases.selectors import case_get_for
from koinotita.people.models import Consent, Person

TODAY = date.today()


def test_transfer_needs_consent_and_a_reason(alice, case, network):
    with pytest.raises(ValidationError) as exc:
        services.transfer_request(
            actor=alice, case=case, to_centre=network["florina"], consent_given_on=None, reason=""
        )
    assert {"consent_given_on", "reason"} <= set(exc.value.message_dict)
    assert not Transfer.objects.exists()


def test_transfer_accepted_moves_file_and_leaves_read_only_stub(
    alice, charlie, case, person, network
):
    services.goal_add(actor=alice, case=case, plan_version=1, domain="housing", title="Σπίτι")
    services.note_add(actor=alice, case=case, text="σημείωση", level="team")
    transfer = services.transfer_request(
        actor=alice,
        case=case,
        to_centre=network["florina"],
        consent_given_on=TODAY - timedelta(days=1),
        reason="Μετακόμιση στη Φλώρινα",
    )
    # Before acceptance the receiving centre cannot open the case itself.
    with pytest.raises(Http404):
        case_get_for(charlie, case.pk)
    html = Client()
    html.force_login(charlie)
    assert str(person) in html.get(reverse("cases-transfer-incoming")).content.decode()

    new = services.transfer_accept(actor=charlie, transfer=transfer)
    assert new.centre_id == network["florina"].pk and new.lead_worker == charlie
    assert new.person.centre_id == network["florina"].pk and new.person.pk != person.pk
    assert Consent.objects.filter(person=new.person, purpose="registration").exists()
    assert new.goals.get().centre_id == new.centre_id
    assert new.notes.get().centre_id == new.centre_id
    assert case_get_for(charlie, new.pk) == new

    case.refresh_from_db()
    assert case.is_stub and case.status == "closed" and case.closure_reason == "transferred"
    assert not case.goals.exists()  # the file moved
    with pytest.raises(ValidationError):
        services.note_add(actor=alice, case=case, text="κάτι")
    with pytest.raises(ValidationError):
        services.case_reopen(actor=alice, case=case, note="x")
    # The sending centre still sees the stub; the person stays in its records.
    assert case_get_for(alice, case.pk) == case
    with pytest.raises(Http404):
        case_get_for(alice, new.pk)
    assert Person.objects.filter(pk=person.pk, centre=network["kastoria"]).exists()


def test_only_the_receiving_centre_accepts(alice, bob, case, network):
    transfer = services.transfer_request(
        actor=alice, case=case, to_centre=network["florina"], consent_given_on=TODAY, reason="x"
    )
    with pytest.raises(PermissionDenied):
        services.transfer_accept(actor=bob, transfer=transfer)
    assert Case.objects.count() == 1


def test_declined_transfer_keeps_the_case(alice, charlie, case, network):
    transfer = services.transfer_request(
        actor=alice, case=case, to_centre=network["florina"], consent_given_on=TODAY, reason="x"
    )
    services.transfer_decline(actor=charlie, transfer=transfer)
    case.refresh_from_db()
    assert not case.is_stub and case.status == "open"
