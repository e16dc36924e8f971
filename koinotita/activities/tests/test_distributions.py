"""Aid distributions: stock per item, what each household received once, acknowledgement,
refusals (same household twice, beyond stock, negative), figures per distribution."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from koinotita.activities import selectors, services
from koinotita.activities.models import Handout, HandoutLine
from koinotita.people.services import household_join
from koinotita.testing.clients import logged_in
from koinotita.testing.people import person_make

TODAY = dt.date.today()


@pytest.fixture
def distribution(alice, network):
    d = services.distribution_create(
        actor=alice, centre=network["kastoria"], kind="food", title="Τρόφιμα Δεκεμβρίου", date=TODAY
    )
    services.stock_receive(actor=alice, distribution=d, name="Ρύζι", quantity=10, unit="κιλά")
    services.stock_receive(actor=alice, distribution=d, name="Λάδι", quantity=4, unit="λίτρα")
    return d


def _items(distribution):
    return {i.name: i for i in distribution.items.all()}


def test_handout_and_figures(alice, distribution, person):
    items = _items(distribution)
    services.handout_record(
        actor=alice, distribution=distribution, person=person,
        quantities={items["Ρύζι"].pk: 3, items["Λάδι"].pk: 1}, acknowledged=True,
    )  # fmt: skip
    figures = selectors.distribution_figures(distribution)
    assert (figures.households, figures.acknowledged) == (1, 1)
    assert {f.item.name: (f.received, f.handed_out, f.left) for f in figures.items} == {
        "Ρύζι": (10, 3, 7),
        "Λάδι": (4, 1, 3),
    }


def test_same_household_twice_is_refused(alice, distribution, person, network):
    household_join(actor=alice, person=person, relationship="head")
    person.refresh_from_db()
    partner = person_make(
        actor=alice,
        centre=network["kastoria"],
        fields={"family_name": "Σύζυγος", "given_name": "Κ"},
    )
    household_join(actor=alice, person=partner, relationship="partner", with_person=person)
    partner.refresh_from_db()
    rice = _items(distribution)["Ρύζι"].pk
    services.handout_record(
        actor=alice,
        distribution=distribution,
        person=person,
        quantities={rice: 1},
        acknowledged=True,
    )
    with pytest.raises(ValidationError, match="already received"):
        services.handout_record(
            actor=alice, distribution=distribution, person=partner, quantities={rice: 1},
            acknowledged=True,
        )  # fmt: skip
    assert Handout.objects.count() == 1


def test_beyond_stock_is_refused_and_nothing_written(alice, distribution, person):
    items = _items(distribution)
    with pytest.raises(ValidationError, match="Not enough"):
        services.handout_record(
            actor=alice, distribution=distribution, person=person,
            quantities={items["Ρύζι"].pk: 2, items["Λάδι"].pk: 5}, acknowledged=False,
        )  # fmt: skip
    assert not Handout.objects.exists() and not HandoutLine.objects.exists()


@pytest.mark.parametrize("bad", [None, -1, 0])
def test_empty_or_negative_handout_refused(alice, distribution, person, bad):
    rice = _items(distribution)["Ρύζι"].pk
    quantities = {} if bad is None else {rice: bad}
    with pytest.raises(ValidationError):
        services.handout_record(
            actor=alice, distribution=distribution, person=person, quantities=quantities,
            acknowledged=False,
        )  # fmt: skip


def test_stock_must_be_positive(alice, distribution):
    with pytest.raises(ValidationError):
        services.stock_receive(actor=alice, distribution=distribution, name="Ρύζι", quantity=0)


def test_pages_and_other_centre(alice, charlie, distribution, person):
    client = logged_in(alice)
    assert client.get(reverse("activities-distribution-list")).status_code == 200
    url = reverse("activities-distribution-detail", args=[distribution.pk])
    rice = _items(distribution)["Ρύζι"].pk
    client.post(url, {"person": person.pk, f"item_{rice}": 20})
    response = client.get(url).content.decode()
    assert "Not enough" in response or "Δεν επαρκεί" in response
    client.post(url, {"person": person.pk, f"item_{rice}": 2, "acknowledged": "on"})
    assert Handout.objects.count() == 1
    assert logged_in(charlie).get(url).status_code == 404
