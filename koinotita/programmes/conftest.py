"""Fixtures of the programmes app: the reference catalogue (with the minimum income's dated
parameters) and a household of two adults and two children."""

from datetime import date
from decimal import Decimal

import pytest

from koinotita.programmes.models import Programme
from koinotita.programmes.reference import programmes_load_reference
from koinotita.programmes.rules import Facts, Member


@pytest.fixture
def catalogue(db):
    programmes_load_reference()
    return {p.code: p for p in Programme.objects.all()}


def family(income_6m="600", deposits="1000", real_estate="0", **overrides) -> Facts:
    """Two adults and two children; money as strings so that tests read like the form."""
    values = {
        "members": (
            Member(age=40, relationship="head"),
            Member(age=38, relationship="partner"),
            Member(age=10, relationship="child"),
            Member(age=7, relationship="child"),
        ),
        "income_6m": None if income_6m is None else Decimal(income_6m),
        "deposits": None if deposits is None else Decimal(deposits),
        "real_estate": None if real_estate is None else Decimal(real_estate),
        "single_parent": False,
        "renting": True,
    }
    values.update(overrides)
    return Facts(**values)


BEFORE = date(2023, 11, 30)
AFTER = date(2023, 12, 1)
