"""Capacity as HSDS 3.1 models it (service_capacity: unit, available, maximum, updated):
kept by the supervisor of the organisation's municipality (and, through the keeper hook, by
partners: see referrals/tests/test_capacity_and_figures.py), audited, shown on the service
page, exported in HSDS and imported back; the staff-only figures slot of the page."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from koinotita.audit.models import AuditEvent
from koinotita.directory import hsds, plugins
from koinotita.directory.models import ServiceCapacity, Unit
from koinotita.directory.services import directory_import, service_capacity_save
from koinotita.directory.tests.hsds_validate import SCHEMA_DIR
from koinotita.directory.tests.test_hsds import snapshot


def save_url(service):
    return reverse("directory-service-capacity-save", args=[service.pk])


def test_supervisor_records_capacity_and_it_is_audited(small_directory, sam, client_for):
    food = small_directory["food"]
    client = client_for(sam)
    response = client.post(
        save_url(food),
        {"unit": "οικογένειες", "available": "12", "maximum": "40", "back": "service"},
    )
    assert response.status_code == 302
    capacity = ServiceCapacity.objects.get(service=food)
    assert (capacity.unit.name, capacity.available, capacity.maximum) == (
        "οικογένειες",
        Decimal("12"),
        Decimal("40"),
    )
    event = AuditEvent.objects.filter(
        action="directory.service.capacity", object_id=str(food.pk)
    ).latest("pk")
    assert event.actor_id == sam.pk and event.detail["after"]["available"] == "12"
    # The same unit again updates the row rather than adding one.
    client.post(save_url(food), {"unit": "Οικογένειες", "available": "3", "maximum": "40"})
    assert ServiceCapacity.objects.get(service=food).available == Decimal("3")
    page = client.get(reverse("directory-service-detail", args=[food.pk])).content.decode()
    assert "3 οικογένειες" in page and "40" in page


def test_supervisor_of_another_municipality_gets_404(small_directory, sam, client_for):
    jobs = small_directory["jobs"]  # an organisation of Florina
    response = client_for(sam).post(save_url(jobs), {"unit": "θέσεις", "available": "1"})
    assert response.status_code == 404
    assert not ServiceCapacity.objects.exists()
    assert not AuditEvent.objects.filter(action="directory.service.capacity").exists()


def test_caseworker_sees_capacity_but_cannot_change_it(small_directory, alice, sam, client_for):
    food = small_directory["food"]
    service_capacity_save(service=food, actor=sam, unit_name="μερίδες", available=Decimal(7))
    client = client_for(alice)
    page = client.get(reverse("directory-service-detail", args=[food.pk])).content.decode()
    assert "7 μερίδες" in page and save_url(food) not in page
    assert client.post(save_url(food), {"unit": "x", "available": "1"}).status_code == 404
    capacity = ServiceCapacity.objects.get()
    delete = reverse("directory-capacity-delete", args=[capacity.pk])
    assert client.post(delete).status_code == 404
    assert ServiceCapacity.objects.exists()


def test_more_available_than_the_maximum_is_refused_in_greek(small_directory, sam, client_for):
    food = small_directory["food"]
    response = client_for(sam).post(
        save_url(food), {"unit": "θέσεις", "available": "50", "maximum": "10"}, follow=True
    )
    assert "μέγιστο" in response.content.decode()
    assert not ServiceCapacity.objects.exists()


def test_supervisor_removes_a_capacity(small_directory, sam, client_for):
    food = small_directory["food"]
    capacity = service_capacity_save(service=food, actor=sam, unit_name="θέσεις", available=1)
    response = client_for(sam).post(reverse("directory-capacity-delete", args=[capacity.pk]))
    assert response.status_code == 302 and not ServiceCapacity.objects.exists()
    assert AuditEvent.objects.filter(action="directory.service.capacity").count() == 2


def test_capacity_list_shows_what_the_supervisor_keeps(small_directory, sam, client_for):
    page = client_for(sam).get(reverse("directory-capacity-list")).content.decode()
    assert "Κοινωνικό Παντοπωλείο" in page and "Συμβουλευτική απασχόλησης" not in page


def test_public_page_shows_capacity_never_the_figures(small_directory, sam, client):
    food = small_directory["food"]
    service_capacity_save(service=food, actor=sam, unit_name="μερίδες", available=7)
    page = client.get(reverse("directory-public-service", args=[food.pk])).content.decode()
    assert "7 μερίδες" in page and "referral-figures" not in page


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_capacity_round_trips_through_hsds(small_directory, sam, tmp_path, fmt):
    food = small_directory["food"]
    service_capacity_save(
        service=food, actor=sam, unit_name="μερίδες", available=Decimal("7.5"), maximum=20
    )
    before = snapshot()
    assert before["service_capacity"] and before["unit"]
    target = tmp_path / ("d.json" if fmt == "json" else "csv")
    if fmt == "json":
        with target.open("w", encoding="utf-8") as stream:
            hsds.export_json(stream)
        package = json.loads(target.read_text(encoding="utf-8"))
        [service] = [s for o in package for s in o["services"] if s["id"] == str(food.pk)]
        [capacity] = service["capacities"]
        assert capacity["unit"]["name"] == "μερίδες" and capacity["available"] == 7.5
        assert capacity_errors(capacity) == []
    else:
        hsds.export_csv(target)
        assert "μερίδες" in (target / "units.csv").read_text(encoding="utf-8")
        assert "7.5" in (target / "service_capacity.csv").read_text(encoding="utf-8")
    for table in reversed(hsds.TABLES):
        table.model.objects.all().delete()
    report = directory_import(path=target)
    assert report.ok, [p.text_en for p in report.problems]
    assert snapshot() == before
    assert Unit.objects.get().name == "μερίδες"


def capacity_errors(capacity: dict) -> list[str]:
    """A capacity against HSDS 3.1's service_capacity.json (its unit against unit.json)."""
    folder = SCHEMA_DIR / "3.1"
    resources = [
        (p.name, Resource(json.loads(p.read_text(encoding="utf-8")), specification=DRAFT202012))
        for p in folder.glob("*.json")
    ]
    schema = {"$ref": "service_capacity.json"}
    validator = Draft202012Validator(schema, registry=Registry().with_resources(resources))
    return [e.message for e in validator.iter_errors(capacity)]


def test_staff_see_the_figures_a_registered_source_gives(small_directory, alice, client_for):
    food = small_directory["food"]

    class Figures:
        suppressed, threshold, referrals = False, 5, 9
        median_response_days, acceptance_rate, completion_rate = 2.5, 78, 60

    def source(ids):
        return {str(food.pk): Figures()} if str(food.pk) in map(str, ids) else {}

    plugins.register_service_figures(source)
    try:
        page = client_for(alice).get(reverse("directory-service-detail", args=[food.pk]))
    finally:
        plugins._service_figures.remove(source)
    text = page.content.decode()
    assert "referral-figures" in text and "78%" in text and ("2,5" in text or "2.5" in text)
