"""The demo's case files."""

from koinotita.accounts.models import User
from koinotita.cases.models import Case
from koinotita.cases.tests.conftest import make_person
from koinotita.demo.cases import demo_cases_ensure
from koinotita.demo.users import demo_users_ensure


def test_demo_cases_are_idempotent_and_led_by_the_demo_caseworker(network):
    demo_users_ensure()
    worker = User.objects.get(username="caseworker")
    for n in range(6):
        make_person(worker, network["kastoria"], "Δοκιμή" + "αβγδεζ"[n], "Άννα")
    assert demo_cases_ensure(count=5) == 5
    assert demo_cases_ensure(count=5) == 0
    assert Case.objects.filter(lead_worker=worker).exists()
    assert all(c.centre_id == c.person.centre_id for c in Case.objects.select_related("person"))
