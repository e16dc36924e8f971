"""`koinotita synth --applications N`: pre-screenings and applications in bulk for the
synthetic persons already there, marked synthetic, in every state, with their steps."""

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from koinotita.cases.models import Task
from koinotita.programmes.models import Application, ApplicationStep, Prescreening
from koinotita.programmes.reference import programmes_load_reference

SMALL = ["--centres", "3", "--persons", "300", "--contacts", "0", "--seed", "7"]


def synth(*args) -> str:
    out = io.StringIO()
    call_command("synth", *args, stdout=out)
    return out.getvalue()


def test_applications_for_existing_synthetic_persons(network):
    programmes_load_reference()
    synth(*SMALL)
    out = synth("--persons", "0", "--applications", "200", "--seed", "3")
    assert "200 pre-screenings, 200 applications" in out
    applications = Application.objects.all()
    assert applications.count() == 200 == Prescreening.objects.count()
    assert all(a.staff.username.startswith("synth.") for a in applications[:50])
    assert all(a.centre_id == a.person.centre_id for a in applications[:50])
    assert set(applications.values_list("state", flat=True)) == set(Application.State.values)
    submitted = applications.exclude(state="preparation")
    assert all(a.reference_number.startswith("SYN-") and a.submitted_on for a in submitted)
    assert not applications.filter(state="preparation").exclude(reference_number="").exists()
    assert all(a.decision_on >= a.submitted_on for a in submitted.exclude(decision_on=None))
    assert ApplicationStep.objects.exclude(detail={"synthetic": "1"}).count() == 0
    today = timezone.localdate()
    for application in applications.filter(state="approved"):
        assert application.renewal_on > today
        assert Task.objects.get(application=application).centre_id == application.centre_id
    days = set(Prescreening.objects.values_list("on", flat=True))
    assert min(days).isoformat() < "2023-12-01" <= max(days).isoformat()
    # Again: more, with reference numbers of their own.
    synth("--persons", "0", "--applications", "50", "--seed", "3")
    assert Application.objects.count() == 250


def test_applications_without_persons_or_with_a_bad_count(network):
    programmes_load_reference()
    out = synth("--persons", "0", "--applications", "10")
    assert "0 applications" in out and "not enough synthetic persons" in out
    with pytest.raises(CommandError, match=re.escape("--applications must be zero or more")):
        synth("--persons", "0", "--applications", "-1")
    assert not Application.objects.exists()
