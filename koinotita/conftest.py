"""Shared fixtures: the real network of places.md and a cast of named users.

- alice: caseworker at Kastoria's centre        - bob: her colleague at Kastoria
- charlie: caseworker at Florina (another centre) - rita: reception at Kastoria
- sam: supervisor of the municipality of Kastoria - mona: monitor of Western Macedonia
- ada: national administrator                    - pat: partner (no centre opens to him)
- nobody: an account with no role anywhere
"""

import pytest
from django.conf import settings
from django.utils import translation

from koinotita.audit.actions import register_actions
from koinotita.organisations.models import Centre, Municipality, Region
from koinotita.organisations.services import network_load_reference
from koinotita.testing.clients import logged_in
from koinotita.testing.users import user_with_role


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language, Greek. A request through the test client
    activates the language it asked for in this thread and leaves it active; without this,
    one English request would turn the messages of every later test English."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The reference network of places.md, loaded once per test database; every test's
    transaction rolls back to it."""
    with django_db_blocker.unblock():
        network_load_reference()


@pytest.fixture
def network(db):
    if not Centre.objects.filter(code="almyros").exists():
        network_load_reference()  # a transactional test flushed the database before
    return {
        "kastoria": Centre.objects.get(code="kastoria"),
        "florina": Centre.objects.get(code="florina"),
        "almyros": Centre.objects.get(code="almyros"),
    }


@pytest.fixture
def alice(network):
    return user_with_role("alice", "caseworker", "centre", network["kastoria"])


@pytest.fixture
def bob(network):
    return user_with_role("bob", "caseworker", "centre", network["kastoria"])


@pytest.fixture
def charlie(network):
    return user_with_role("charlie", "caseworker", "centre", network["florina"])


@pytest.fixture
def rita(network):
    return user_with_role("rita", "reception", "centre", network["kastoria"])


@pytest.fixture
def sam(network):
    return user_with_role(
        "sam", "supervisor", "municipality", Municipality.objects.get(code="kastoria")
    )


@pytest.fixture
def mona(network):
    return user_with_role("mona", "monitor", "region", Region.objects.get(code="dytiki-makedonia"))


@pytest.fixture
def ada(network):
    return user_with_role("ada", "admin", "national")


@pytest.fixture
def pat(network):
    return user_with_role("pat", "partner", "centre", network["kastoria"])


@pytest.fixture
def nobody(network):
    return user_with_role("nobody")


@pytest.fixture
def client_for():
    return logged_in


# The audit tests write events of their own kinds.
register_actions(
    "tests",
    {
        name: name
        for name in (
            "test.read", "test.one", "test.two", "test.kastoria", "test.florina",
            "test.global", "test.greek", "test.concurrent", "test.rolled_back", "changed",
        )
    },
)  # fmt: skip
