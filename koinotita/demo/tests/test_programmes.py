"""The demo's minimum-income work at Almyros: pre-screenings on both sides of 1-12-2023,
applications in every state, a renewal due soon on the worker's list, made once."""

from datetime import date, timedelta

from django.utils import timezone

from koinotita.accounts.models import User
from koinotita.cases.models import Task
from koinotita.demo.programmes import HOUSEHOLDS, demo_programmes_ensure
from koinotita.demo.users import demo_users_ensure
from koinotita.people.models import Consent, Person
from koinotita.programmes.models import Application, Prescreening
from koinotita.programmes.reference import programmes_load_reference


def test_almyros_has_applications_in_every_state_and_is_made_once(network, client_for):
    demo_users_ensure()
    assert demo_programmes_ensure() == 0  # no catalogue yet: nothing, and no error
    programmes_load_reference()
    made = demo_programmes_ensure()
    assert made == len(HOUSEHOLDS) + 1
    assert demo_programmes_ensure() == 0  # idempotent
    almyros = network["almyros"]
    worker = User.objects.get(username="almyros")
    assert worker.check_password("almyros-demo")

    applications = Application.objects.filter(centre=almyros)
    assert applications.count() == made and {a.staff_id for a in applications} == {worker.pk}
    assert set(applications.values_list("state", flat=True)) == set(Application.State.values)
    submitted = applications.exclude(state__in=["preparation"])
    assert all(a.reference_number and a.submitted_on for a in submitted)

    persons = Person.objects.filter(centre=almyros)
    assert persons.count() == sum(len(h.members) for h in HOUSEHOLDS)
    consenting = Consent.objects.filter(person__in=persons, purpose="registration")
    assert consenting.values("person").distinct().count() == persons.count()

    days = set(Prescreening.objects.filter(centre=almyros).values_list("on", flat=True))
    assert min(days) < date(2023, 12, 1) <= max(days)

    today = timezone.localdate()
    renewals = Task.objects.filter(centre=almyros, assignee=worker, status="open")
    assert renewals.exists()
    assert all(today <= t.due_on <= today + timedelta(days=30) for t in renewals)
    page = client_for(worker).get("/")
    assert page.status_code == 200
