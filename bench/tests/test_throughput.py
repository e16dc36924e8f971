import io
import re

import pytest
from django.core.management import call_command

from bench.runner import main as run_benchmark
from koinotita.audit.models import AuditEvent
from koinotita.people.models import Person
from koinotita.reception.models import Contact


@pytest.fixture
def generated(network):
    call_command(
        "synth", "--centres", "3", "--persons", "300", "--contacts", "1500", "--seed", "7",
        stdout=io.StringIO(),
    )  # fmt: skip


def test_throughput_benchmark_runs_through_the_services_and_can_roll_back(generated):
    persons, contacts = Person.objects.count(), Contact.objects.count()
    events = AuditEvent.objects.count()
    out = io.StringIO()
    run_benchmark(["throughput", "--n", "4", "--rollback"], out)
    text = out.getvalue()
    for label in ("register", "consent", "contact"):
        assert re.search(rf"^\s+{label}\s+4\s", text, re.MULTILINE), text
    assert Person.objects.count() == persons and Contact.objects.count() == contacts
    assert AuditEvent.objects.count() == events


def test_throughput_benchmark_commits_each_call_by_default(generated):
    persons = Person.objects.count()
    run_benchmark(["throughput", "--n", "3"], io.StringIO())
    assert Person.objects.count() == persons + 4  # three timed, one counted for queries
    assert AuditEvent.objects.filter(action="person.created").count() == 4
