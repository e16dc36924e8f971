"""Writes of grant operations. Each call: checks permission, validates, writes in one
transaction and records one audit event.

Only supervisors and admins of every centre an operation funds (that is, of its
municipality or above) may change it. The budget and the end date change after creation
only through `amendment_record`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from koinotita.accounts.scoping import Capability, require
from koinotita.audit.services import audit_record
from koinotita.funding.formatting import euro_text, pct_text
from koinotita.funding.imports import ImportFileError, read_expenditures
from koinotita.funding.models import (
    CENT,
    Amendment,
    Category,
    Expenditure,
    ImplementationMode,
    Operation,
    OperationCentre,
    SourceKind,
    YearBudget,
)
from koinotita.funding.selectors import money, operation_current
from koinotita.organisations.models import Centre, Municipality

HUNDRED = Decimal("100.00")
MAX_AMOUNT = Decimal("999999999999.99")


class _System:
    """The actor of loaders run by an operator (the demo): no user, all centres."""

    is_authenticated = False


SYSTEM = _System()


def _may_change(actor, centre_ids) -> bool:
    centre_ids = list(centre_ids)
    if actor is SYSTEM:
        return bool(centre_ids)
    if not centre_ids:
        return False
    return require(actor, Capability.SUPERVISE, centre_ids) or require(
        actor, Capability.ADMINISTER, centre_ids
    )


def _check_change(actor, operation: Operation) -> None:
    centre_ids = OperationCentre.objects.filter(operation=operation).values_list(
        "centre_id", flat=True
    )
    if not _may_change(actor, centre_ids):
        raise PermissionDenied(
            _("Only the supervisors and administrators of the municipality can change it.")
        )


def _audit_centre(operation: Operation):
    link = OperationCentre.objects.filter(operation=operation).order_by("centre_id").first()
    return link.centre_id if link else None


def _lock(operation: Operation) -> Operation:
    """Serialise writes to one operation (budget checks read what the others wrote)."""
    return Operation.objects.select_for_update().get(pk=operation.pk)


def amount_check(value, *, field: str, allow_zero: bool = False) -> Decimal:
    """A Decimal amount with at most two decimals, positive (or zero where allowed)."""
    if isinstance(value, float):
        raise ValidationError({field: [_("Amounts are decimals, never floating point.")]})
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: [_("Enter an amount in euros, e.g. 1234.56.")]}) from None
    if not amount.is_finite():
        raise ValidationError({field: [_("Enter an amount in euros, e.g. 1234.56.")]})
    if amount != amount.quantize(CENT):
        raise ValidationError({field: [_("An amount has at most two decimals (cents).")]})
    if amount < 0:
        raise ValidationError({field: [_("An amount cannot be negative.")]})
    if amount == 0 and not allow_zero:
        raise ValidationError({field: [_("The amount must be greater than zero.")]})
    if amount > MAX_AMOUNT:
        raise ValidationError({field: [_("The amount is too large.")]})
    return amount.quantize(CENT)


def _sources_check(sources) -> list[tuple[str, Decimal]]:
    clean = []
    kinds = set()
    for kind, share in sources:
        if kind not in SourceKind.values:
            raise ValidationError({"sources": [_("Unknown funding source: %(k)s.") % {"k": kind}]})
        if kind in kinds:
            raise ValidationError({"sources": [_("A funding source is listed twice.")]})
        share = amount_check(share, field="sources", allow_zero=True)
        if share == 0:
            continue
        kinds.add(kind)
        clean.append((kind, share))
    if not clean:
        raise ValidationError({"sources": [_("Give the funding sources and their shares.")]})
    if {SourceKind.ESF, SourceKind.ESF_PLUS} <= kinds:
        raise ValidationError({"sources": [_("An operation is funded by the ESF or the ESF+.")]})
    total = sum((share for _kind, share in clean), Decimal("0"))
    if total != HUNDRED:
        raise ValidationError(
            {
                "sources": [
                    _("The shares of the funding sources add up to %(total)s, not 100%%.")
                    % {"total": pct_text(total, 2)}
                ]
            }
        )
    return clean


@transaction.atomic
def operation_create(
    *,
    actor,
    title: str,
    code: str,
    programme: str,
    managing_authority: str,
    beneficiary: Municipality,
    centres: list[Centre],
    start_date: dt.date,
    end_date: dt.date,
    budget,
    sources: list[tuple[str, object]],
    implementation_mode: str,
    priority_axis: str = "",
    positions: list[tuple[str, int]] = (),
    note: str = "",
    is_sample: bool = False,
    request=None,
) -> Operation:
    centres = list(centres)
    if not _may_change(actor, [c.pk for c in centres]):
        raise PermissionDenied(
            _("Only the supervisors and administrators of the municipality can change it.")
        )
    errors: dict[str, list[str]] = {}
    if not centres:
        errors["centres"] = [_("Choose the centre(s) the operation funds.")]
    elif any(c.municipality_id != beneficiary.pk for c in centres):
        errors["centres"] = [_("The centres funded must belong to the beneficiary municipality.")]
    if start_date and end_date and end_date <= start_date:
        errors["end_date"] = [_("The end date must be after the start date.")]
    if implementation_mode not in ImplementationMode.values:
        errors["implementation_mode"] = [_("Choose the implementation mode.")]
    if errors:
        raise ValidationError(errors)
    budget = amount_check(budget, field="budget")
    clean_sources = _sources_check(sources)
    clean_positions = []
    for position_title, count in positions:
        if not str(position_title).strip() or int(count) < 1:
            message = _("Each staff position needs a title and a number.")
            raise ValidationError({"positions": [message]})
        clean_positions.append({"title": str(position_title).strip()[:200], "count": int(count)})
    operation = Operation(
        title=title.strip(),
        code=code.strip(),
        programme=programme.strip(),
        priority_axis=priority_axis.strip(),
        managing_authority=managing_authority.strip(),
        beneficiary=beneficiary,
        start_date=start_date,
        initial_end_date=end_date,
        initial_budget=budget,
        implementation_mode=implementation_mode,
        sources=[{"kind": kind, "share": str(share)} for kind, share in clean_sources],
        positions=clean_positions,
        is_sample=is_sample,
        note=note.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    try:
        operation.full_clean(exclude=["created_by"])
    except ValidationError as exc:
        if "code" in exc.message_dict:
            exc.error_dict["code"] = [
                ValidationError(_("An operation with this MIS code already exists."))
            ]
        raise
    operation.save()
    OperationCentre.objects.bulk_create(
        OperationCentre(operation=operation, centre=c) for c in centres
    )
    audit_record(
        action="funding.operation.created",
        actor=actor,
        obj=operation,
        centre=centres[0].pk,
        request=request,
        detail={"code": operation.code, "budget": str(budget), "end": end_date.isoformat()},
    )
    return operation


UPDATABLE = ("title", "programme", "priority_axis", "managing_authority", "note")


@transaction.atomic
def operation_update(
    *,
    actor,
    operation: Operation,
    implementation_mode: str | None = None,
    positions: list[tuple[str, int]] | None = None,
    request=None,
    **fields,
) -> Operation:
    """Change what describes an operation. Its budget, dates, sources and centres are not
    here: the budget and the end date change only through `amendment_record`."""
    _check_change(actor, operation)
    unknown = set(fields) - set(UPDATABLE)
    if unknown:
        raise ValidationError(
            {
                "__all__": [
                    _("These fields cannot be changed: %(f)s.") % {"f": ", ".join(sorted(unknown))}
                ]
            }
        )
    operation = _lock(operation)
    before = {name: getattr(operation, name) for name in (*UPDATABLE, "implementation_mode")}
    for name, value in fields.items():
        setattr(operation, name, (value or "").strip())
    if implementation_mode is not None:
        if implementation_mode not in ImplementationMode.values:
            raise ValidationError({"implementation_mode": [_("Choose the implementation mode.")]})
        operation.implementation_mode = implementation_mode
    if positions is not None:
        clean = []
        for position_title, count in positions:
            if not str(position_title).strip() or int(count) < 1:
                message = _("Each staff position needs a title and a number.")
                raise ValidationError({"positions": [message]})
            clean.append({"title": str(position_title).strip()[:200], "count": int(count)})
        operation.positions = clean
    operation.full_clean(exclude=["created_by", "code"])
    operation.save()
    changed = {
        name: [str(old), str(getattr(operation, name))]
        for name, old in before.items()
        if old != getattr(operation, name)
    }
    audit_record(
        action="funding.operation.updated",
        actor=actor,
        obj=operation,
        centre=_audit_centre(operation),
        request=request,
        detail={"changed": changed, "positions": positions is not None},
    )
    return operation


@transaction.atomic
def amendment_record(
    *,
    actor,
    operation: Operation,
    date: dt.date,
    decision_ref: str,
    reason: str,
    new_budget=None,
    new_end_date: dt.date | None = None,
    request=None,
) -> Amendment:
    """Record a decision that changes the budget and/or the end date."""
    _check_change(actor, operation)
    operation = _lock(operation)
    amendments = list(Amendment.objects.filter(operation=operation).order_by("seq"))
    current = operation_current(operation, amendments)
    errors: dict[str, list[str]] = {}
    if not decision_ref or not decision_ref.strip():
        errors["decision_ref"] = [_("Give the decision's reference (e.g. its ΑΔΑ).")]
    if not reason or not reason.strip():
        errors["reason"] = [_("Give the reason for the amendment.")]
    if date is None:
        errors["date"] = [_("Give the date of the decision.")]
    elif date > timezone.localdate():
        errors["date"] = [_("The decision date cannot be in the future.")]
    elif amendments and date < amendments[-1].date:
        errors["date"] = [
            _("The decision date is before the previous amendment (%(date)s).")
            % {"date": amendments[-1].date.strftime("%d/%m/%Y")}
        ]
    if errors:
        raise ValidationError(errors)
    budget = current.budget
    if new_budget not in (None, ""):
        budget = amount_check(new_budget, field="new_budget")
    end = current.end_date if new_end_date is None else new_end_date
    if budget == current.budget and end == current.end_date:
        raise ValidationError(
            {"__all__": [_("The amendment changes neither the budget nor the end date.")]}
        )
    if end <= operation.start_date:
        errors["new_end_date"] = [
            _("The new end date must be after the start of the operation (%(date)s).")
            % {"date": operation.start_date.strftime("%d/%m/%Y")}
        ]
    else:
        last_spent = (
            Expenditure.objects.counted().filter(operation=operation).aggregate(d=Max("date"))["d"]
        )
        if last_spent and end < last_spent:
            errors["new_end_date"] = [
                _("There is spending dated %(date)s, after the new end date.")
                % {"date": last_spent.strftime("%d/%m/%Y")}
            ]
    spent = money(
        Expenditure.objects.counted().filter(operation=operation).aggregate(s=Sum("amount"))["s"]
    )
    if budget < spent:
        errors["new_budget"] = [
            _("The new budget (%(budget)s) is below what is already spent (%(spent)s).")
            % {"budget": euro_text(budget), "spent": euro_text(spent)}
        ]
    if errors:
        raise ValidationError(errors)
    amendment = Amendment(
        operation=operation,
        seq=(amendments[-1].seq + 1) if amendments else 1,
        date=date,
        decision_ref=decision_ref.strip(),
        reason=reason.strip(),
        old_budget=current.budget,
        new_budget=budget,
        old_end_date=current.end_date,
        new_end_date=end,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    amendment.full_clean(exclude=["recorded_by", "operation"])
    amendment.save()
    audit_record(
        action="funding.amendment.recorded",
        actor=actor,
        obj=amendment,
        centre=_audit_centre(operation),
        request=request,
        detail={
            "operation": operation.code,
            "decision": amendment.decision_ref,
            "budget": [str(current.budget), str(budget)],
            "end": [current.end_date.isoformat(), end.isoformat()],
        },
    )
    return amendment


@transaction.atomic
def year_budget_set(
    *, actor, operation: Operation, year: int, amounts: dict[str, object], request=None
) -> list[YearBudget]:
    """Set the budget of one year, per category. The yearly budgets together may not
    exceed the operation's current budget."""
    _check_change(actor, operation)
    operation = _lock(operation)
    current = operation_current(operation, list(operation.amendments.all()))
    if not year or not operation.start_date.year <= int(year) <= current.end_date.year:
        raise ValidationError(
            {
                "year": [
                    _("The year must be within the operation (%(first)d–%(last)d).")
                    % {"first": operation.start_date.year, "last": current.end_date.year}
                ]
            }
        )
    unknown = [c for c in amounts if c not in Category.values]
    if unknown:
        raise ValidationError(
            {"category": [_("Unknown category: %(c)s.") % {"c": ", ".join(unknown)}]}
        )
    clean = {
        c: amount_check(amounts.get(c) or 0, field=c, allow_zero=True) for c in Category.values
    }
    others = money(
        YearBudget.objects.filter(operation=operation)
        .exclude(year=year)
        .aggregate(s=Sum("amount"))["s"]
    )
    total = others + sum(clean.values(), Decimal("0"))
    if total > current.budget:
        raise ValidationError(
            {
                "__all__": [
                    _(
                        "The yearly budgets would add up to %(total)s, more than the "
                        "operation's budget (%(budget)s)."
                    )
                    % {"total": euro_text(total), "budget": euro_text(current.budget)}
                ]
            }
        )
    YearBudget.objects.filter(operation=operation, year=year).delete()
    rows = YearBudget.objects.bulk_create(
        YearBudget(operation=operation, year=year, category=c, amount=a)
        for c, a in clean.items()
        if a
    )
    audit_record(
        action="funding.year_budget.set",
        actor=actor,
        obj=operation,
        centre=_audit_centre(operation),
        request=request,
        detail={"year": int(year), **{c: str(a) for c, a in clean.items()}},
    )
    return rows


def _expenditure_errors(
    *, operation: Operation, current, date, category, amount, document_ref, today
) -> tuple[dict[str, list[str]], Decimal | None]:
    errors: dict[str, list[str]] = {}
    clean_amount = None
    if date is None:
        errors["date"] = [_("Give the date of the expenditure.")]
    elif date < operation.start_date or date > current.end_date:
        errors["date"] = [
            _("The date is outside the operation (%(start)s – %(end)s).")
            % {
                "start": operation.start_date.strftime("%d/%m/%Y"),
                "end": current.end_date.strftime("%d/%m/%Y"),
            }
        ]
    elif date > today:
        errors["date"] = [_("An expenditure cannot be dated in the future.")]
    if category not in Category.values:
        errors["category"] = [
            _("Unknown category «%(c)s»: use staff, operating, equipment or actions.")
            % {"c": category}
        ]
    try:
        clean_amount = amount_check(amount, field="amount")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not document_ref or not str(document_ref).strip():
        errors["document_ref"] = [_("Give the document reference (invoice, payroll, …).")]
    elif len(str(document_ref).strip()) > 100:
        errors["document_ref"] = [_("The document reference is longer than 100 characters.")]
    return errors, clean_amount


def _duplicate_message(ref: str) -> str:
    return _("The document reference «%(ref)s» is already recorded in this operation.") % {
        "ref": ref
    }


def _over_budget_message(spent, budget) -> str:
    return _(
        "The spending would reach %(spent)s, more than the operation's budget (%(budget)s)."
    ) % {"spent": euro_text(spent), "budget": euro_text(budget)}


@transaction.atomic
def expenditure_add(
    *,
    actor,
    operation: Operation,
    date: dt.date,
    category: str,
    amount,
    document_ref: str,
    description: str = "",
    request=None,
) -> Expenditure:
    _check_change(actor, operation)
    operation = _lock(operation)
    current = operation_current(operation, list(operation.amendments.all()))
    errors, clean_amount = _expenditure_errors(
        operation=operation,
        current=current,
        date=date,
        category=category,
        amount=amount,
        document_ref=document_ref,
        today=timezone.localdate(),
    )
    ref = (document_ref or "").strip()
    if "document_ref" not in errors and (
        Expenditure.objects.counted().filter(operation=operation, document_ref=ref).exists()
    ):
        errors["document_ref"] = [_duplicate_message(ref)]
    if not errors:
        spent = money(
            Expenditure.objects.counted()
            .filter(operation=operation)
            .aggregate(s=Sum("amount"))["s"]
        )
        if spent + clean_amount > current.budget:
            errors["amount"] = [_over_budget_message(spent + clean_amount, current.budget)]
    if errors:
        raise ValidationError(errors)
    expenditure = Expenditure(
        operation=operation,
        date=date,
        category=category,
        amount=clean_amount,
        document_ref=ref,
        description=(description or "").strip()[:300],
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    expenditure.full_clean(exclude=["recorded_by", "operation"])
    expenditure.save()
    audit_record(
        action="funding.expenditure.recorded",
        actor=actor,
        obj=expenditure,
        centre=_audit_centre(operation),
        request=request,
        detail={"operation": operation.code, "amount": str(clean_amount), "document": ref},
    )
    return expenditure


REVERSAL_REASON_MAX = 300


@transaction.atomic
def expenditure_reverse(
    *, actor, operation: Operation, expenditure_id: int, reason: str, request=None
) -> Expenditure:
    """Reverse a wrong expenditure: it stays listed, marked with who reversed it, when and
    why, and counts in no figure any more. Nothing is deleted; a reversal is not undone
    (the right expenditure is entered again instead)."""
    _check_change(actor, operation)
    operation = _lock(operation)
    expenditure = (
        Expenditure.objects.select_for_update()
        .filter(operation=operation, pk=expenditure_id)
        .first()
    )
    if expenditure is None:
        raise Expenditure.DoesNotExist
    reason = " ".join((reason or "").split())
    errors: dict[str, list[str]] = {}
    if expenditure.reversed_at is not None:
        errors["__all__"] = [
            _("This expenditure was already reversed on %(date)s.")
            % {"date": timezone.localtime(expenditure.reversed_at).strftime("%d/%m/%Y")}
        ]
    if not reason:
        errors["reason"] = [_("Say why the expenditure is reversed.")]
    elif len(reason) > REVERSAL_REASON_MAX:
        errors["reason"] = [
            _("The reason is longer than %(n)d characters.") % {"n": REVERSAL_REASON_MAX}
        ]
    if errors:
        raise ValidationError(errors)
    expenditure.reversed_at = timezone.now()
    expenditure.reversed_by = actor if getattr(actor, "is_authenticated", False) else None
    expenditure.reversal_reason = reason
    expenditure.save(update_fields=["reversed_at", "reversed_by", "reversal_reason"])
    audit_record(
        action="funding.expenditure.reversed",
        actor=actor,
        obj=expenditure,
        centre=_audit_centre(operation),
        request=request,
        reason=reason,
        detail={
            "operation": operation.code,
            "amount": str(expenditure.amount),
            "document": expenditure.document_ref,
            "date": expenditure.date.isoformat(),
        },
    )
    return expenditure


# --- Import -------------------------------------------------------------------------------


class ImportResult:
    def __init__(self, file_name: str):
        self.file_name = file_name
        self.rows_read = 0
        self.written = 0
        self.total = Decimal("0.00")
        self.rejected: list[tuple[int, str]] = []
        self.error = ""

    @property
    def ok(self) -> bool:
        return not self.rejected and not self.error

    def as_dict(self) -> dict:
        return {
            "file": self.file_name,
            "rows_read": self.rows_read,
            "written": self.written,
            "total": str(self.total),
            "rejected": [{"line": line, "reason": reason} for line, reason in self.rejected],
            "error": self.error,
        }


def expenditure_import(
    *, actor, operation: Operation, file_name: str, data: bytes, request=None
) -> ImportResult:
    """Import expenditures from a CSV or XLSX file: all of them, or — if a single row is
    wrong — none, with each rejected row and its reason."""

    _check_change(actor, operation)
    result = ImportResult(file_name)
    try:
        rows = read_expenditures(name=file_name, data=data)
    except ImportFileError as exc:
        result.error = exc.message
        return result
    result.rows_read = len(rows)
    if not rows:
        result.error = _("The file has no expenditures.")
        return result
    try:
        with transaction.atomic():
            locked = _lock(operation)
            current = operation_current(locked, list(locked.amendments.all()))
            today = timezone.localdate()
            existing = set(
                Expenditure.objects.counted()
                .filter(operation=locked)
                .values_list("document_ref", flat=True)
            )
            spent = money(
                Expenditure.objects.counted()
                .filter(operation=locked)
                .aggregate(s=Sum("amount"))["s"]
            )
            seen: dict[str, int] = {}
            objects = []
            for row in rows:
                errors, clean_amount = _expenditure_errors(
                    operation=locked,
                    current=current,
                    date=row.date or locked.start_date,
                    category=row.category,
                    amount=row.amount if row.amount is not None else Decimal("1"),
                    document_ref=row.document_ref,
                    today=today,
                )
                for column, problem in row.problems.items():
                    errors[column] = [problem]  # what could not be read, said as such
                ref = (row.document_ref or "").strip()
                if "document_ref" not in errors:
                    if ref in existing:
                        errors["document_ref"] = [_duplicate_message(ref)]
                    elif ref in seen:
                        errors["document_ref"] = [
                            _("The document reference «%(ref)s» is repeated (line %(line)d).")
                            % {"ref": ref, "line": seen[ref]}
                        ]
                    seen.setdefault(ref, row.line)
                if errors:
                    result.rejected.append(
                        (row.line, " ".join(m for ms in errors.values() for m in ms))
                    )
                    continue
                objects.append(
                    Expenditure(
                        operation=locked,
                        date=row.date,
                        category=row.category,
                        amount=clean_amount,
                        document_ref=ref,
                        description=row.description[:300],
                        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
                    )
                )
            total = sum((o.amount for o in objects), Decimal("0.00"))
            if not result.rejected and spent + total > current.budget:
                result.error = _over_budget_message(spent + total, current.budget)
            if not result.ok:
                raise _NothingWritten
            Expenditure.objects.bulk_create(objects, batch_size=1000)
            result.written, result.total = len(objects), total
            audit_record(
                action="funding.expenditure.imported",
                actor=actor,
                obj=locked,
                centre=_audit_centre(locked),
                request=request,
                detail={"file": file_name, "rows": len(objects), "total": str(total)},
            )
    except _NothingWritten:
        result.written, result.total = 0, Decimal("0.00")
    except IntegrityError:  # a concurrent write took a document reference meanwhile
        result.written, result.total = 0, Decimal("0.00")
        result.error = _("Another user recorded some of these documents meanwhile; try again.")
    return result


class _NothingWritten(Exception):
    pass
