import time

import pytest
from django.core import signing

from koinotita.programmes.reference import programmes_load_reference
from koinotita.public.forms import _STARTED_SALT
from koinotita.testing.users import user_with_role


@pytest.fixture
def catalogue(network):
    programmes_load_reference()


@pytest.fixture
def florina_reception(network):
    return user_with_role("fiona", "reception", "centre", network["florina"])


@pytest.fixture(autouse=True)
def _fresh_limits(settings):
    """Each test its own cache, so that the rate limits start from zero."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"public-{time.monotonic_ns()}",
        }
    }


def shown_seconds_ago(seconds: float = 60) -> str:
    return signing.dumps(time.time() - seconds, salt=_STARTED_SALT)


def request_data(**overrides) -> dict:
    data = {
        "site": "florina-antenna-prespes",
        "name": "Μαρία Παπαδοπούλου",
        "phone": "697 123 4567",
        "email": "maria@example.org",
        "reason": "Θέλω πληροφορίες για το ελάχιστο εγγυημένο εισόδημα.",
        "preferred_times": "Πρωί",
        "consent": "on",
        "website": "",
        "started": shown_seconds_ago(),
    }
    data.update(overrides)
    return data
