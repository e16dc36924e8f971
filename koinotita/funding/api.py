"""Grant operations endpoints: operations, amendments, yearly budgets and expenditures.

Amounts travel as strings of exact decimals ("266400.00"), never as JSON floats; amounts
sent as JSON numbers are refused for the same reason. Scope as on the pages: readable by
supervisors, admins and monitors of the region, changeable by supervisors and admins only
(403), 404 for everybody else.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from koinotita.funding import services
from koinotita.funding.models import Category
from koinotita.funding.selectors import (
    centres_for_change,
    expenditure_list_for,
    figures_dict,
    money,
    operation_figures,
    operation_get_for,
    operation_list_for,
    with_current,
)
from koinotita.lib.errors import Count, Id

router = Router(tags=["funding"])


class OperationBrief(Schema):
    id: int
    code: str
    title: str
    beneficiary: str
    start_date: dt.date
    end_date: dt.date
    budget: str
    spent: str
    sample: bool


class SourceOut(Schema):
    kind: str
    share: str


class PositionOut(Schema):
    title: str
    count: int


class OperationOut(Schema):
    id: int
    code: str
    title: str
    programme: str
    priority_axis: str
    managing_authority: str
    beneficiary: str
    centres: list[str]
    start_date: dt.date
    initial_end_date: dt.date
    initial_budget: str
    end_date: dt.date
    budget: str
    implementation_mode: str
    sources: list[SourceOut]
    positions: list[PositionOut]
    sample: bool
    figures: dict


class SourceIn(Schema):
    kind: str
    share: str


class PositionIn(Schema):
    title: str
    count: Count = 1


class OperationIn(Schema):
    title: str
    code: str
    programme: str
    priority_axis: str = ""
    managing_authority: str
    centres: list[str]
    start_date: dt.date
    end_date: dt.date
    budget: str
    sources: list[SourceIn]
    implementation_mode: str
    positions: list[PositionIn] = []
    note: str = ""


class OperationPatch(Schema):
    title: str | None = None
    programme: str | None = None
    priority_axis: str | None = None
    managing_authority: str | None = None
    note: str | None = None
    implementation_mode: str | None = None
    positions: list[PositionIn] | None = None


class AmendmentIn(Schema):
    date: dt.date
    decision_ref: str
    reason: str
    new_budget: str | None = None
    new_end_date: dt.date | None = None


class AmendmentOut(Schema):
    seq: int
    date: dt.date
    decision_ref: str
    reason: str
    old_budget: str
    new_budget: str
    old_end_date: dt.date
    new_end_date: dt.date


class YearBudgetIn(Schema):
    year: Count
    amounts: dict[str, str]


class YearBudgetOut(Schema):
    year: int
    amounts: dict[str, str]
    total: str


class ExpenditureIn(Schema):
    date: dt.date
    category: str
    amount: str
    document_ref: str
    description: str = ""


class ExpenditureOut(Schema):
    id: int
    date: dt.date
    category: str
    amount: str
    document_ref: str
    description: str
    reversed: bool
    reversed_at: dt.datetime | None
    reversal_reason: str


class ReversalIn(Schema):
    reason: str


def _operation_out(operation) -> dict:
    figures = operation_figures(operation)
    return {
        "id": operation.pk,
        "code": operation.code,
        "title": operation.title,
        "programme": operation.programme,
        "priority_axis": operation.priority_axis,
        "managing_authority": operation.managing_authority,
        "beneficiary": operation.beneficiary.code,
        "centres": [centre.code for centre in operation.centre_list],
        "start_date": operation.start_date,
        "initial_end_date": operation.initial_end_date,
        "initial_budget": str(operation.initial_budget),
        "end_date": figures.end,
        "budget": str(figures.budget),
        "implementation_mode": operation.implementation_mode,
        "sources": operation.sources,
        "positions": operation.positions,
        "sample": operation.is_sample,
        "figures": figures_dict(figures),
    }


def _amendment_out(a) -> dict:
    return {
        "seq": a.seq,
        "date": a.date,
        "decision_ref": a.decision_ref,
        "reason": a.reason,
        "old_budget": str(a.old_budget),
        "new_budget": str(a.new_budget),
        "old_end_date": a.old_end_date,
        "new_end_date": a.new_end_date,
    }


def _expenditure_out(e) -> dict:
    return {
        "id": e.pk,
        "date": e.date,
        "category": e.category,
        "amount": str(e.amount),
        "document_ref": e.document_ref,
        "description": e.description,
        "reversed": e.reversed_at is not None,
        "reversed_at": e.reversed_at,
        "reversal_reason": e.reversal_reason,
    }


@router.get("/funding/operations", response=list[OperationBrief])
def operation_list(request, region: str = ""):
    operations = with_current(operation_list_for(request.user)).select_related("beneficiary")
    if region:
        operations = operations.filter(beneficiary__regional_unit__region__code=region)
    return [
        {
            "id": op.pk,
            "code": op.code,
            "title": op.title,
            "beneficiary": op.beneficiary.code,
            "start_date": op.start_date,
            "end_date": op.cur_end,
            "budget": str(money(op.cur_budget)),
            "spent": str(money(op.spent)),
            "sample": op.is_sample,
        }
        for op in operations.order_by("beneficiary__name", "start_date", "code")
    ]


@router.post("/funding/operations", response={201: OperationOut})
def operation_create(request, payload: OperationIn):
    allowed = {c.code: c for c in centres_for_change(request.user)}
    if not allowed:
        raise Http404
    unknown = [code for code in payload.centres if code not in allowed]
    if unknown:
        raise ValidationError(
            {"centres": [_("Unknown centre: %(c)s.") % {"c": ", ".join(unknown)}]}
        )
    centres = [allowed[code] for code in payload.centres]
    if not centres:
        raise ValidationError({"centres": [_("Choose the centre(s) the operation funds.")]})
    operation = services.operation_create(
        actor=request.user,
        title=payload.title,
        code=payload.code,
        programme=payload.programme,
        priority_axis=payload.priority_axis,
        managing_authority=payload.managing_authority,
        beneficiary=centres[0].municipality,
        centres=centres,
        start_date=payload.start_date,
        end_date=payload.end_date,
        budget=payload.budget,
        sources=[(s.kind, s.share) for s in payload.sources],
        implementation_mode=payload.implementation_mode,
        positions=[(p.title, p.count) for p in payload.positions],
        note=payload.note,
        request=request,
    )
    return Status(201, _operation_out(operation_get_for(request.user, operation.pk)))


@router.get("/funding/operations/{int:operation_id}", response=OperationOut)
def operation_detail(request, operation_id: Id):
    return _operation_out(operation_get_for(request.user, operation_id))


@router.patch(
    "/funding/operations/{int:operation_id}",
    response={200: OperationOut},
)
def operation_patch(request, operation_id: Id, payload: OperationPatch):
    """Change what describes the operation; budget and end date change by amendment only."""
    operation = operation_get_for(request.user, operation_id)
    data = payload.dict(exclude_unset=True)
    positions = data.pop("positions", None)
    services.operation_update(
        actor=request.user,
        operation=operation,
        implementation_mode=data.pop("implementation_mode", None),
        positions=[(p["title"], p["count"]) for p in positions] if positions is not None else None,
        request=request,
        **data,
    )
    return _operation_out(operation_get_for(request.user, operation_id))


@router.get("/funding/operations/{int:operation_id}/amendments", response=list[AmendmentOut])
def amendment_list(request, operation_id: Id):
    operation = operation_get_for(request.user, operation_id)
    return [_amendment_out(a) for a in operation.amendments.all()]


@router.post(
    "/funding/operations/{int:operation_id}/amendments",
    response={201: AmendmentOut},
)
def amendment_create(request, operation_id: Id, payload: AmendmentIn):
    operation = operation_get_for(request.user, operation_id)
    amendment = services.amendment_record(
        actor=request.user,
        operation=operation,
        date=payload.date,
        decision_ref=payload.decision_ref,
        reason=payload.reason,
        new_budget=payload.new_budget,
        new_end_date=payload.new_end_date,
        request=request,
    )
    return Status(201, _amendment_out(amendment))


def _year_budgets(operation) -> list[dict]:
    figures = operation_figures(operation)
    return [
        {
            "year": y.year,
            "amounts": {c: str(y.budget[c]) for c in Category.values},
            "total": str(y.budget_total),
        }
        for y in figures.years
        if y.budget_total
    ]


@router.get("/funding/operations/{int:operation_id}/budgets", response=list[YearBudgetOut])
def year_budget_list(request, operation_id: Id):
    return _year_budgets(operation_get_for(request.user, operation_id))


@router.put(
    "/funding/operations/{int:operation_id}/budgets",
    response={200: list[YearBudgetOut]},
)
def year_budget_put(request, operation_id: Id, payload: YearBudgetIn):
    operation = operation_get_for(request.user, operation_id)
    services.year_budget_set(
        actor=request.user,
        operation=operation,
        year=payload.year,
        amounts=payload.amounts,
        request=request,
    )
    return _year_budgets(operation_get_for(request.user, operation_id))


@router.get("/funding/operations/{int:operation_id}/expenditures", response=list[ExpenditureOut])
def expenditure_list(request, operation_id: Id, year: int | None = None):
    operation = operation_get_for(request.user, operation_id)
    expenditures = expenditure_list_for(request.user, operation)
    if year:
        expenditures = expenditures.filter(date__year=year)
    return [_expenditure_out(e) for e in expenditures]


@router.post(
    "/funding/operations/{int:operation_id}/expenditures",
    response={201: ExpenditureOut},
)
def expenditure_create(request, operation_id: Id, payload: ExpenditureIn):
    operation = operation_get_for(request.user, operation_id)
    expenditure = services.expenditure_add(
        actor=request.user,
        operation=operation,
        date=payload.date,
        category=payload.category,
        amount=payload.amount,
        document_ref=payload.document_ref,
        description=payload.description,
        request=request,
    )
    return Status(201, _expenditure_out(expenditure))


@router.post(
    "/funding/operations/{int:operation_id}/expenditures/{int:expenditure_id}/reverse",
    response={200: ExpenditureOut},
)
def expenditure_reverse(request, operation_id: Id, expenditure_id: Id, payload: ReversalIn):
    """Reverse a wrong expenditure: it stays listed as reversed and counts no more."""
    operation = operation_get_for(request.user, operation_id)
    expenditure = services.expenditure_reverse(
        actor=request.user,
        operation=operation,
        expenditure_id=expenditure_id,
        reason=payload.reason,
        request=request,
    )
    return _expenditure_out(expenditure)
