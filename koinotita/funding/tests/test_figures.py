"""Burn rate, forecast and warnings; the demo's figures; the summary command; and totals
that agree to the cent in page, exports, API and command."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from koinotita.funding import services
from koinotita.funding.formatting import euro_text
from koinotita.funding.models import Expenditure, Operation
from koinotita.funding.selectors import operation_figures
from koinotita.funding.tests.conftest import make_operation
from koinotita.testing.clients import logged_in

D = Decimal


def add(op, day, amount, ref, category="staff"):
    return services.expenditure_add(
        actor=services.SYSTEM,
        operation=op,
        date=day,
        category=category,
        amount=amount,
        document_ref=ref,
    )


def figures(op, as_of):
    return operation_figures(Operation.objects.get(pk=op.pk), as_of=as_of)


def codes(f):
    return [w.code for w in f.warnings]


def test_on_plan_no_warning_and_linear_forecast(operation):
    # 2022-01-01 .. 2024-12-31 is 1096 days; by 2023-07-01, 547 days have passed.
    add(operation, dt.date(2022, 6, 1), "59890.51", "a")
    f = figures(operation, dt.date(2023, 7, 1))
    assert f.elapsed_pct == D("49.9") and f.spent_pct == D("49.9")
    assert codes(f) == []
    assert f.forecast_spent == D("120000.00") and f.forecast_balance == D("0.00")
    assert f.burn_per_month == D("3332.57")


def test_ahead_of_plan_and_overrun(operation):
    add(operation, dt.date(2022, 3, 1), "60000.00", "a")
    f = figures(operation, dt.date(2022, 7, 1))
    assert "ahead" in codes(f) and "overrun" in codes(f)
    assert f.forecast_balance < 0


def test_behind_plan_uses_the_yearly_budgets(operation):
    services.year_budget_set(
        actor=services.SYSTEM, operation=operation, year=2022, amounts={"staff": "60000.00"}
    )
    services.year_budget_set(
        actor=services.SYSTEM, operation=operation, year=2023, amounts={"staff": "40000.00"}
    )
    add(operation, dt.date(2022, 6, 1), "30000.00", "a")
    f = figures(operation, dt.date(2023, 1, 1))
    assert f.planned_to_date == D("60109.59")  # 2022 in full and 1/365 of 2023
    assert "behind" in codes(f)
    assert "behind" not in codes(figures(operation, dt.date(2022, 2, 1)))  # too early to say


def test_end_near_with_money_left(operation):
    add(operation, dt.date(2022, 6, 1), "100000.00", "a")
    with translation.override("el"):
        f = figures(operation, dt.date(2024, 11, 1))
        assert "Λήξη με αδιάθετο υπόλοιπο" in [w.label for w in f.warnings]
    assert "end_near" in codes(f)
    message = next(w.message for w in f.warnings if w.code == "end_near")
    assert "60 ημέρες" in message and "20.000,00 €" in message
    assert "end_near" not in codes(figures(operation, dt.date(2024, 6, 1)))


def test_a_finished_operation_has_no_plan_warnings(operation):
    add(operation, dt.date(2022, 6, 1), "10.00", "a")
    assert codes(figures(operation, dt.date(2026, 1, 1))) == []


def test_euro_formats():
    assert euro_text(D("266400"), language="el") == "266.400,00 €"
    assert euro_text(D("266400"), language="en") == "€266,400.00"
    assert euro_text(D("-0.05"), language="el") == "−0,05 €"
    assert euro_text(D("1234567.891"), language="el") == "1.234.567,89 €"


def test_summary_command_json(operation, network):
    add(operation, dt.date(2022, 6, 1), "0.10", "a")
    other = make_operation("florina", code="MIS-FL", budget=D("0.20"))
    add(other, dt.date(2022, 6, 1), "0.20", "b")
    out = io.StringIO()
    call_command("funding", "summary", "--region", "dytiki-makedonia", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["totals"] == {
        "budget": "120000.20",
        "spent": "0.30",
        "balance": "119999.90",
        "forecast_balance": data["totals"]["forecast_balance"],
    }
    assert [o["code"] for o in data["operations"]] == ["MIS-kastoria", "MIS-FL"]
    text = io.StringIO()
    call_command("funding", "summary", "--region", "dytiki-makedonia", stdout=text)
    assert "120000.20" in text.getvalue()
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="known: dytiki-makedonia, thessalia"):
        call_command("funding", "summary", "--region", "attiki")


cents = st.decimals(min_value=D("0.01"), max_value=D("9999.99"), places=2)


@settings(
    max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(amounts=st.lists(cents, min_size=1, max_size=25))
def test_totals_agree_to_the_cent_everywhere(sam, operation, amounts):
    from openpyxl import load_workbook

    Expenditure.objects.filter(operation=operation).delete()
    for i, amount in enumerate(amounts):
        add(operation, dt.date(2022, 1, 1) + dt.timedelta(days=i * 37), amount, f"h{i}",
            category=("staff", "operating", "equipment", "actions")[i % 4])  # fmt: skip
    expected = sum(amounts, D("0.00"))
    client = logged_in(sam)
    page = client.get(reverse("funding-operation-detail", args=[operation.pk])).content.decode()
    assert f'id="spent-total">{euro_text(expected, language="el")}' in page
    book = load_workbook(io.BytesIO(
        client.get(reverse("funding-operation-export", args=[operation.pk, "xlsx"])).getvalue()
    ))  # fmt: skip
    per_row = [D(str(r[2])) for r in list(book.worksheets[3].iter_rows(values_only=True))[1:-1]]
    assert sum(per_row, D("0.00")) == expected
    years = list(book.worksheets[2].iter_rows(values_only=True))
    assert D(str(years[-1][-2])) == expected
    assert sum((D(str(r[-2])) for r in years[1:-1]), D("0.00")) == expected
    out = io.StringIO()
    call_command("funding", "summary", "--region", "dytiki-makedonia", "--json", stdout=out)
    assert D(json.loads(out.getvalue())["totals"]["spent"]) == expected
