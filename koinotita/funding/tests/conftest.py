"""Funding fixtures: an operation of Kastoria (sam supervises it, mona monitors it, charlie
and fiona are of Florina), and Grevena's 2014-2020 operation before its 2020 amendment."""

import datetime as dt
from decimal import Decimal

import pytest

from koinotita.funding import services
from koinotita.funding.models import ImplementationMode, SourceKind
from koinotita.organisations.models import Centre, Municipality
from koinotita.testing.users import user_with_role


def make_operation(centre_code: str, **overrides):
    centre = Centre.objects.select_related("municipality").get(code=centre_code)
    fields = {
        "title": f"Λειτουργία: {centre.name}",
        "code": f"MIS-{centre_code}",
        "programme": "ΕΠ Δυτική Μακεδονία 2014-2020",
        "priority_axis": "ΑΠ 9 · 9iv",
        "managing_authority": "ΕΥΔ ΕΠ Δυτικής Μακεδονίας",
        "beneficiary": centre.municipality,
        "centres": [centre],
        "start_date": dt.date(2022, 1, 1),
        "end_date": dt.date(2024, 12, 31),
        "budget": Decimal("120000.00"),
        "sources": [(SourceKind.ESF, "80"), (SourceKind.NATIONAL, "20")],
        "implementation_mode": ImplementationMode.CONTRACTED,
        "positions": [("Κοινωνικός λειτουργός", 1), ("Ψυχολόγος", 1)],
    }
    fields.update(overrides)
    return services.operation_create(actor=services.SYSTEM, **fields)


@pytest.fixture
def operation(network):
    """Kastoria's operation: 2022–2024, 120,000 €."""
    return make_operation("kastoria")


@pytest.fixture
def grevena_operation(network):
    """Grevena's operation as it stood before the amendment of 22 January 2020."""
    return make_operation(
        "grevena",
        title="Κέντρο Κοινότητας Δήμου Γρεβενών",
        code="5002468",
        start_date=dt.date(2017, 6, 1),
        end_date=dt.date(2020, 5, 31),
        budget=Decimal("199800.00"),
    )


@pytest.fixture
def fiona(network):
    """Supervisor of the municipality of Florina: another municipality."""
    return user_with_role(
        "fiona", "supervisor", "municipality", Municipality.objects.get(code="florina")
    )


@pytest.fixture
def greg(network):
    """Supervisor of the municipality of Grevena."""
    return user_with_role(
        "greg", "supervisor", "municipality", Municipality.objects.get(code="grevena")
    )


@pytest.fixture
def kadmin(network):
    """Administrator of the municipality of Kastoria."""
    return user_with_role(
        "kadmin", "admin", "municipality", Municipality.objects.get(code="kastoria")
    )


@pytest.fixture
def tina(network):
    """Monitor of Thessaly: another region."""
    from koinotita.organisations.models import Region

    return user_with_role("tina", "monitor", "region", Region.objects.get(code="thessalia"))


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """Requests in English activate English in the thread (LocaleMiddleware does not undo
    it); leave the default language behind for whatever test runs next."""
    from django.conf import settings
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)
