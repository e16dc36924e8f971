import datetime

import pytest

from koinotita.directory.models import (
    CooperationProtocol,
    Location,
    Organization,
    Service,
    ServiceArea,
    ServiceAtLocation,
)
from koinotita.directory.services import (
    directory_load_sample,
    location_save,
    organisation_save,
    service_save,
)
from koinotita.organisations.models import Municipality


@pytest.fixture
def sample_directory(network):
    report = directory_load_sample()
    assert report.ok, [p.text_en for p in report.problems]
    return report


def make_service(organization, name, *, needs=(), municipalities=(), **fields) -> Service:
    service = service_save(
        service=Service(organization=organization, name=name, needs=list(needs), **fields),
        actor=None,
    )
    for code in municipalities:
        ServiceArea.objects.create(
            service=service, municipality=Municipality.objects.get(code=code), name=code
        )
    return service


@pytest.fixture
def small_directory(network):
    """Two organisations, three services, one location in Florina; a protocol of
    Kastoria's centre with the employment office."""
    kastoria = Municipality.objects.get(code="kastoria")
    florina = Municipality.objects.get(code="florina")
    social = organisation_save(
        organization=Organization(
            name="Κοινωνική Υπηρεσία Δήμου Καστοριάς",
            description="Δημοτική κοινωνική υπηρεσία.",
            kind="municipal",
            municipality=kastoria,
        ),
        actor=None,
    )
    dypa = organisation_save(
        organization=Organization(
            name="ΔΥΠΑ Φλώρινας",
            description="Υπηρεσία απασχόλησης.",
            kind="public",
            municipality=florina,
        ),
        actor=None,
    )
    food = make_service(
        social, "Κοινωνικό Παντοπωλείο", needs=["food"], municipalities=["kastoria"]
    )
    elderly = make_service(
        social, "Βοήθεια στο Σπίτι", needs=["elderly"], municipalities=["kastoria", "nestorio"]
    )
    jobs = make_service(
        dypa, "Συμβουλευτική απασχόλησης", needs=["employment"], accepting_referrals=False
    )
    office = location_save(
        location=Location(organization=dypa, name="ΚΠΑ2 Φλώρινας", municipality=florina),
        actor=None,
    )
    ServiceAtLocation.objects.create(service=jobs, location=office)
    protocol = CooperationProtocol.objects.create(
        centre=network["kastoria"],
        organization=dypa,
        title="Μνημόνιο συνεργασίας για την απασχόληση",
        signed_on=datetime.date(2026, 1, 10),
        valid_from=datetime.date(2026, 1, 10),
    )
    return {
        "social": social,
        "dypa": dypa,
        "food": food,
        "elderly": elderly,
        "jobs": jobs,
        "office": office,
        "protocol": protocol,
    }
