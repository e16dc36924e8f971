"""Operations, amendments, yearly budgets and expenditures through the services: the rules,
the permissions and the bad input of the issue (clear messages, nothing partial saved)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from koinotita.audit.models import AuditEvent
from koinotita.funding import services
from koinotita.funding.models import Amendment, Expenditure, Operation, SourceKind, YearBudget
from koinotita.funding.selectors import operation_current, operation_figures
from koinotita.funding.tests.conftest import make_operation
from koinotita.organisations.models import Centre

D = Decimal


def spend(actor, operation, amount="1000.00", ref="INV-1", day=dt.date(2022, 3, 1), **kw):
    return services.expenditure_add(
        actor=actor,
        operation=operation,
        date=day,
        category=kw.pop("category", "staff"),
        amount=amount,
        document_ref=ref,
        **kw,
    )


def messages_of(exc) -> str:
    return " ".join(m for ms in exc.value.message_dict.values() for m in ms)


# --- Operation ----------------------------------------------------------------------------


def test_supervisor_creates_an_operation_with_sources_and_positions(sam, network):
    op = make_operation("kastoria", code="X1")
    assert op.sources == [
        {"kind": "esf", "share": "80.00"},
        {"kind": "national", "share": "20.00"},
    ]
    assert op.positions == [
        {"title": "Κοινωνικός λειτουργός", "count": 1},
        {"title": "Ψυχολόγος", "count": 1},
    ]
    created = services.operation_create(
        actor=sam,
        title="Νέα πράξη",
        code="X2",
        programme="Π",
        managing_authority="ΕΥΔ",
        beneficiary=network["kastoria"].municipality,
        centres=[network["kastoria"]],
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2025, 12, 31),
        budget=D("345600.00"),
        sources=[(SourceKind.ESF_PLUS, "85"), (SourceKind.NATIONAL, "15")],
        implementation_mode="contracted",
    )
    assert created.initial_budget == D("345600.00")
    assert AuditEvent.objects.filter(action="funding.operation.created", actor=sam).count() == 1


@pytest.mark.parametrize(
    "sources, message",
    [
        ([("esf", "80"), ("national", "10")], "90.00%"),
        ([("esf", "80"), ("national", "30")], "110.00%"),
        ([("esf", "80"), ("esf_plus", "20")], "ESF or the ESF+"),
        ([("erdf", "100")], "Unknown funding source"),
        ([("esf", "-10"), ("national", "110")], "negative"),
    ],
)
def test_shares_must_add_up_to_100(sam, network, sources, message):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.operation_create(
            actor=sam,
            title="T",
            code="BAD",
            programme="P",
            managing_authority="M",
            beneficiary=network["kastoria"].municipality,
            centres=[network["kastoria"]],
            start_date=dt.date(2024, 1, 1),
            end_date=dt.date(2025, 1, 1),
            budget="1000.00",
            sources=sources,
            implementation_mode="own_means",
        )
    assert message in messages_of(exc)
    assert not Operation.objects.filter(code="BAD").exists()


def test_an_operation_ends_after_it_starts_and_funds_centres_of_its_beneficiary(sam, network):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        make_operation(
            "kastoria", code="BAD", start_date=dt.date(2024, 1, 1), end_date=dt.date(2023, 1, 1)
        )
    assert "after the start" in messages_of(exc)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        make_operation("kastoria", code="BAD", centres=[Centre.objects.get(code="argos-orestiko")])
    assert "beneficiary" in messages_of(exc)
    assert not Operation.objects.filter(code="BAD").exists()


def test_duplicate_mis_code_is_refused_in_greek(sam, operation):
    with pytest.raises(ValidationError) as exc:
        make_operation("kastoria")
    assert "κωδικό ΟΠΣ" in messages_of(exc)


def test_only_supervisors_and_admins_of_the_municipality_create(
    network, alice, mona, fiona, kadmin
):
    for outsider in (alice, mona, fiona):
        with pytest.raises(PermissionDenied):
            services.operation_create(
                actor=outsider,
                title="T",
                code="NO",
                programme="P",
                managing_authority="M",
                beneficiary=network["kastoria"].municipality,
                centres=[network["kastoria"]],
                start_date=dt.date(2024, 1, 1),
                end_date=dt.date(2025, 1, 1),
                budget="1000.00",
                sources=[("esf", "100")],
                implementation_mode="own_means",
            )
    assert not Operation.objects.filter(code="NO").exists()
    make = services.operation_create(
        actor=kadmin,
        title="T",
        code="OK",
        programme="P",
        managing_authority="M",
        beneficiary=network["kastoria"].municipality,
        centres=[network["kastoria"]],
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2025, 1, 1),
        budget="1000.00",
        sources=[("own", "100")],
        implementation_mode="own_means",
    )
    assert make.pk


# --- Amendments ---------------------------------------------------------------------------


def test_current_budget_and_end_are_derived_from_the_amendments(greg, grevena_operation):
    op = grevena_operation
    services.amendment_record(
        actor=greg,
        operation=op,
        date=dt.date(2020, 1, 22),
        decision_ref="ΑΔΑ: ΩΔ3Ε7ΛΗ-ΓΡΕ",
        reason="Παράταση έως 31/05/2023",
        new_budget="266400.00",
        new_end_date=dt.date(2023, 5, 31),
    )
    current = operation_current(Operation.objects.get(pk=op.pk))
    assert current == type(current)(budget=D("266400.00"), end_date=dt.date(2023, 5, 31))
    services.amendment_record(
        actor=greg,
        operation=op,
        date=dt.date(2021, 3, 1),
        decision_ref="ΑΔΑ 2",
        reason="Μόνο παράταση",
        new_end_date=dt.date(2023, 6, 30),
    )
    history = list(Amendment.objects.filter(operation=op).order_by("seq"))
    assert [(a.old_budget, a.new_budget) for a in history] == [
        (D("199800.00"), D("266400.00")),
        (D("266400.00"), D("266400.00")),
    ]
    assert [(a.old_end_date, a.new_end_date) for a in history] == [
        (dt.date(2020, 5, 31), dt.date(2023, 5, 31)),
        (dt.date(2023, 5, 31), dt.date(2023, 6, 30)),
    ]
    assert operation_current(Operation.objects.get(pk=op.pk)).end_date == dt.date(2023, 6, 30)
    # The operation row itself keeps the initial values: the history is the truth.
    op.refresh_from_db()
    assert op.initial_budget == D("199800.00") and op.initial_end_date == dt.date(2020, 5, 31)
    assert AuditEvent.objects.filter(action="funding.amendment.recorded").count() == 2


def _amend(actor, op, **kw):
    fields = {
        "date": dt.date(2023, 1, 10),
        "decision_ref": "ΑΔΑ: 1",
        "reason": "Λόγος",
    }
    fields.update(kw)
    return services.amendment_record(actor=actor, operation=op, **fields)


def test_amendment_cannot_move_the_end_before_the_start(sam, operation):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        _amend(sam, operation, new_end_date=dt.date(2021, 12, 1))
    assert "after the start of the operation (01/01/2022)" in messages_of(exc)
    assert not Amendment.objects.exists()


def test_amendment_cannot_cut_the_budget_below_what_is_spent(sam, operation):
    spend(sam, operation, "50000.00")
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        _amend(sam, operation, new_budget="49999.99")
    assert "below what is already spent (€50,000.00)" in messages_of(exc)
    with pytest.raises(ValidationError) as exc:
        _amend(sam, operation, new_budget="49999.99")
    assert "κάτω από" in messages_of(exc)  # Greek first
    assert not Amendment.objects.exists()
    _amend(sam, operation, new_budget="50000.00")  # exactly what is spent is fine


def test_amendment_cannot_end_before_spending_already_recorded(sam, operation):
    spend(sam, operation, day=dt.date(2024, 6, 1))
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        _amend(sam, operation, new_end_date=dt.date(2024, 5, 31))
    assert "01/06/2024" in messages_of(exc)


@pytest.mark.parametrize(
    "fields, message",
    [
        ({}, "neither the budget nor the end date"),
        ({"new_budget": "120000.00"}, "neither the budget nor the end date"),
        ({"decision_ref": " ", "new_budget": "1.00"}, "reference"),
        ({"reason": "", "new_budget": "1.00"}, "reason"),
        ({"date": dt.date(2099, 1, 1), "new_budget": "1.00"}, "future"),
        ({"new_budget": "-5.00"}, "negative"),
        ({"new_budget": "0"}, "greater than zero"),
        ({"new_budget": "100.001"}, "two decimals"),
        ({"new_budget": 100.5}, "never floating point"),
    ],
)
def test_bad_amendments_are_refused_with_a_message(sam, operation, fields, message):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        _amend(sam, operation, **fields)
    assert message in messages_of(exc)
    assert not Amendment.objects.exists()


def test_amendment_dates_follow_each_other(sam, operation):
    _amend(sam, operation, date=dt.date(2023, 5, 1), new_budget="130000.00")
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        _amend(sam, operation, date=dt.date(2023, 4, 1), new_budget="140000.00")
    assert "before the previous amendment (01/05/2023)" in messages_of(exc)


def test_only_supervisors_and_admins_amend(operation, mona, alice, fiona, kadmin, rita):
    for outsider in (mona, alice, fiona, rita):
        with pytest.raises(PermissionDenied):
            _amend(outsider, operation, new_budget="130000.00")
    assert not Amendment.objects.exists()
    _amend(kadmin, operation, new_budget="130000.00")
    assert Amendment.objects.count() == 1


# --- Yearly budgets -----------------------------------------------------------------------


def test_yearly_budget_per_category(sam, operation):
    services.year_budget_set(
        actor=sam,
        operation=operation,
        year=2022,
        amounts={"staff": D("30000.00"), "operating": D("5000.00"), "actions": D("0")},
    )
    services.year_budget_set(
        actor=sam, operation=operation, year=2022, amounts={"staff": D("31000.00")}
    )
    assert list(YearBudget.objects.values_list("year", "category", "amount")) == [
        (2022, "staff", D("31000.00"))
    ]


def test_yearly_budgets_cannot_exceed_the_budget_or_leave_the_dates(sam, operation):
    services.year_budget_set(actor=sam, operation=operation, year=2022, amounts={"staff": "100000"})
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.year_budget_set(
            actor=sam, operation=operation, year=2023, amounts={"staff": "20000.01"}
        )
    assert "€120,000.01" in messages_of(exc)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.year_budget_set(actor=sam, operation=operation, year=2025, amounts={"staff": "1"})
    assert "2022–2024" in messages_of(exc)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.year_budget_set(actor=sam, operation=operation, year=2023, amounts={"food": "1"})
    assert "Unknown category" in messages_of(exc)
    assert YearBudget.objects.count() == 1


# --- Expenditures -------------------------------------------------------------------------


def test_an_expenditure_is_recorded_and_audited(sam, operation):
    e = spend(sam, operation, "1234.56", description="Μισθοδοσία Μαρτίου")
    assert e.amount == D("1234.56") and e.recorded_by == sam
    assert AuditEvent.objects.filter(action="funding.expenditure.recorded").count() == 1


@pytest.mark.parametrize(
    "kw, message",
    [
        ({"day": dt.date(2021, 12, 31)}, "outside the operation (01/01/2022 – 31/12/2024)"),
        ({"day": dt.date(2025, 1, 1)}, "outside the operation"),
        ({"category": "travel"}, "Unknown category «travel»"),
        ({"amount": "-10.00"}, "cannot be negative"),
        ({"amount": "0.00"}, "greater than zero"),
        ({"amount": "10.005"}, "two decimals"),
        ({"amount": 10.5}, "never floating point"),
        ({"amount": "abc"}, "Enter an amount"),
        ({"ref": "  "}, "document reference"),
        ({"amount": "120000.01"}, "more than the operation's budget"),
    ],
)
def test_bad_expenditures_are_refused(sam, operation, kw, message):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        spend(sam, operation, **kw)
    assert message in messages_of(exc)
    assert not Expenditure.objects.exists()
    assert not AuditEvent.objects.filter(action="funding.expenditure.recorded").exists()


def test_document_reference_is_unique_per_operation(sam, operation, network):
    spend(sam, operation, ref="ΤΠΥ-17")
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        spend(sam, operation, ref="ΤΠΥ-17", amount="5.00")
    assert "«ΤΠΥ-17» is already recorded" in messages_of(exc)
    other = make_operation("kastoria", code="MIS-2")
    spend(sam, other, ref="ΤΠΥ-17")  # another operation may hold the same reference
    assert Expenditure.objects.count() == 2


def test_an_expenditure_after_an_extension_is_accepted(sam, operation):
    with pytest.raises(ValidationError):
        spend(sam, operation, day=dt.date(2025, 3, 1))
    _amend(sam, operation, new_end_date=dt.date(2025, 6, 30))
    spend(sam, operation, day=dt.date(2025, 3, 1))


def test_monitor_and_caseworker_cannot_record_spending(operation, mona, alice):
    for user in (mona, alice):
        with pytest.raises(PermissionDenied):
            spend(user, operation)
    assert not Expenditure.objects.exists()


def test_figures_follow_the_spending(sam, operation):
    spend(sam, operation, "10000.10", ref="a", day=dt.date(2022, 2, 1))
    spend(sam, operation, "0.20", ref="b", day=dt.date(2023, 2, 1), category="equipment")
    f = operation_figures(operation, as_of=dt.date(2023, 6, 1))
    assert f.spent == D("10000.30") and f.balance == D("109999.70")
    assert f.by_category["staff"] == D("10000.10") and f.by_category["equipment"] == D("0.20")
