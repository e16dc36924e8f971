"""The demo's grant operations: Grevena and Almyros with their published figures."""

import datetime as dt
from decimal import Decimal

import pytest

from koinotita.demo.funding import funding_demo_load
from koinotita.funding.models import Expenditure, Operation
from koinotita.funding.selectors import operation_figures, operation_get_for

D = Decimal


@pytest.mark.slow
def test_demo_has_grevena_and_almyros_with_their_figures(network, mona):
    assert funding_demo_load() == 12
    assert funding_demo_load() == 0  # idempotent
    grevena = operation_get_for(mona, Operation.objects.get(code="5002468").pk)
    f = operation_figures(grevena)
    assert f.budget == D("266400.00") and f.end == dt.date(2023, 5, 31)
    amendment = grevena.amendments.get()
    assert amendment.date == dt.date(2020, 1, 22) and amendment.new_budget == D("266400.00")
    assert "Δυτική Μακεδονία 2014-2020" in grevena.programme
    almyros = Operation.objects.get(code="5010317")
    assert almyros.initial_budget == D("60000.00") and almyros.implementation_mode == "own_means"
    assert round(((almyros.initial_end_date - almyros.start_date).days + 1) / 365.25) == 5
    assert sum(y.amount for y in almyros.year_budgets.filter(year=2017)) == D("19780.00")
    assert not grevena.is_sample and not almyros.is_sample
    assert Operation.objects.filter(is_sample=True).count() == 10
    assert Expenditure.objects.count() > 1000
