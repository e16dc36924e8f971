import pytest
from django.utils import timezone

from koinotita.activities.services import activity_create
from koinotita.organisations.models import Site
from koinotita.testing.people import person_make


@pytest.fixture
def site(network):
    return Site.objects.filter(centre=network["kastoria"]).order_by("pk").first()


@pytest.fixture
def person(alice, network):
    return person_make(
        actor=alice,
        centre=network["kastoria"],
        fields={"family_name": "Ομαδική", "given_name": "Άννα", "sex": "F"},
    )


@pytest.fixture
def activity(alice, network, site):
    return activity_create(
        actor=alice,
        centre=network["kastoria"],
        kind="workshop",
        title="Εργαστήρι μαγειρικής",
        date=timezone.localdate(),
        site=site,
    )
