"""Pages of grant operations: thin views over funding.selectors and funding.services.

Readable by the supervisors and admins of the funded centres and by the monitors of the
region; changeable by the supervisors and admins only (a monitor gets 403 on a form);
everybody else gets 404.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from koinotita.funding import exports, services
from koinotita.funding.forms import (
    AmendmentForm,
    ExpenditureForm,
    ExpenditureImportForm,
    ExpenditureReverseForm,
    OperationEditForm,
    OperationForm,
    YearBudgetForm,
)
from koinotita.funding.selectors import (
    centres_for_change,
    chart_data,
    expenditure_list_for,
    operation_can_change,
    operation_figures,
    operation_get_for,
    operation_list_for,
    operation_spending,
    region_list_for,
    region_overview_for,
    with_current,
)
from koinotita.lib.forms import add_service_errors
from koinotita.lib.uploads import accepts_files

PAGE_SIZE = 50


class CountedPaginator(Paginator):
    """A paginator told the count (read with the page's figures), so it need not ask."""

    def __init__(self, *args, count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.__dict__["count"] = count  # fills the cached_property


def _changeable(request, pk: int):
    operation = operation_get_for(request.user, pk)
    if not operation_can_change(request.user, operation):
        raise PermissionDenied
    return operation


@login_required
@require_GET
def operation_list(request):
    operations = list(
        with_current(operation_list_for(request.user))
        .select_related("beneficiary__regional_unit__region")
        .order_by("beneficiary__regional_unit__region__name", "beneficiary__name", "start_date")
    )
    can_create = centres_for_change(request.user).exists()
    if not operations and not can_create:
        raise Http404
    return render(
        request,
        "funding/operation_list.html",
        {
            "operations": operations,
            "regions": region_list_for(request.user),
            "can_create": can_create,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def operation_create(request):
    centres = centres_for_change(request.user)
    if not centres.exists():
        raise Http404
    form = OperationForm(request.POST or None, centres=centres)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = list(data["centres"])
        try:
            operation = services.operation_create(
                actor=request.user,
                title=data["title"],
                code=data["code"],
                programme=data["programme"],
                priority_axis=data["priority_axis"],
                managing_authority=data["managing_authority"],
                beneficiary=chosen[0].municipality,
                centres=chosen,
                start_date=data["start_date"],
                end_date=data["end_date"],
                budget=data["budget"],
                sources=form.sources(),
                implementation_mode=data["implementation_mode"],
                positions=data["positions"],
                note=data["note"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The operation was created."))
            return redirect("funding-operation-detail", pk=operation.pk)
    return render(request, "funding/operation_form.html", {"form": form})


@login_required
@require_GET
def operation_detail(request, pk: int):
    operation = operation_get_for(request.user, pk)
    spending = operation_spending(operation)
    figures = operation_figures(operation, expenditures_by=spending.by_year_category)
    paginator = CountedPaginator(
        expenditure_list_for(request.user, operation), PAGE_SIZE, count=spending.count
    )
    return render(
        request,
        "funding/operation_detail.html",
        {
            "op": operation,
            "f": figures,
            "page": paginator.get_page(request.GET.get("page")),
            "chart": chart_data(figures, spending.by_month),
            "can_change": operation_can_change(request.user, operation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def operation_edit(request, pk: int):
    operation = _changeable(request, pk)
    form = OperationEditForm(request.POST or None, initial=OperationEditForm.initial_for(operation))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.operation_update(
                actor=request.user,
                operation=operation,
                implementation_mode=data.pop("implementation_mode"),
                positions=data.pop("positions"),
                request=request,
                **data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The operation was saved."))
            return redirect("funding-operation-detail", pk=operation.pk)
    return render(request, "funding/operation_edit.html", {"form": form, "op": operation})


@login_required
@require_http_methods(["GET", "POST"])
def amendment_create(request, pk: int):
    operation = _changeable(request, pk)
    form = AmendmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.amendment_record(
                actor=request.user,
                operation=operation,
                date=data["date"],
                decision_ref=data["decision_ref"],
                reason=data["reason"],
                new_budget=data["new_budget"],
                new_end_date=data["new_end_date"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The amendment was recorded."))
            return redirect("funding-operation-detail", pk=operation.pk)
    return render(
        request,
        "funding/amendment_form.html",
        {"form": form, "op": operation, "f": operation_figures(operation)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def year_budget_set(request, pk: int):
    operation = _changeable(request, pk)
    form = YearBudgetForm(request.POST or None, initial={"year": request.GET.get("year")})
    if request.method == "POST" and form.is_valid():
        try:
            services.year_budget_set(
                actor=request.user,
                operation=operation,
                year=form.cleaned_data["year"],
                amounts=form.amounts(),
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The yearly budget was saved."))
            return redirect("funding-operation-detail", pk=operation.pk)
    return render(request, "funding/year_budget_form.html", {"form": form, "op": operation})


@login_required
@require_http_methods(["GET", "POST"])
def expenditure_create(request, pk: int):
    operation = _changeable(request, pk)
    form = ExpenditureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.expenditure_add(
                actor=request.user, operation=operation, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The expenditure was recorded."))
            return redirect("funding-operation-detail", pk=operation.pk)
    context = {"form": form, "op": operation}
    return render(request, "funding/expenditure_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def expenditure_reverse(request, pk: int, expenditure_id: int):
    operation = _changeable(request, pk)
    expenditure = get_object_or_404(
        expenditure_list_for(request.user, operation), pk=expenditure_id
    )
    form = ExpenditureReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.expenditure_reverse(
                actor=request.user,
                operation=operation,
                expenditure_id=expenditure.pk,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The expenditure was reversed."))
            return redirect("funding-operation-detail", pk=operation.pk)
    context = {"form": form, "op": operation, "expenditure": expenditure}
    return render(request, "funding/expenditure_reverse.html", context)


@accepts_files
@login_required
@require_http_methods(["GET", "POST"])
def expenditure_import(request, pk: int):
    operation = _changeable(request, pk)
    form = ExpenditureImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        # At most the limit and one byte: expenditure_import refuses a larger file.
        data = upload.read(settings.IMPORT_MAX_BYTES + 1)
        result = services.expenditure_import(
            actor=request.user,
            operation=operation,
            file_name=upload.name,
            data=data,
            request=request,
        )
        if result.ok:
            messages.success(
                request,
                ngettext(
                    "%(n)d expenditure was imported.",
                    "%(n)d expenditures were imported.",
                    result.written,
                )
                % {"n": result.written},
            )
            return redirect("funding-operation-detail", pk=operation.pk)
    status = 422 if result is not None and not result.ok else 200
    return render(
        request,
        "funding/expenditure_import.html",
        {"form": form, "op": operation, "result": result},
        status=status,
    )


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def operation_export(request, pk: int, fmt: str):
    operation = operation_get_for(request.user, pk)
    figures = operation_figures(operation)
    name = f"operation-{operation.code}"
    if fmt == "xlsx":
        handle = exports.operation_xlsx(
            figures, expenditure_list_for(request.user, operation).select_related(None)
        )  # a temporary file, streamed and closed by the response
        return FileResponse(
            handle, as_attachment=True, filename=f"{name}.xlsx", content_type=exports.XLSX_TYPE
        )
    if fmt == "pdf":
        content = exports.operation_pdf(figures, actor=request.user)
        return _download(content, "application/pdf", f"{name}.pdf")
    raise Http404


@login_required
@require_GET
def region_view(request, code: str):
    overview = region_overview_for(request.user, code)
    return render(request, "funding/region.html", {"overview": overview, "region": overview.region})


@login_required
@require_GET
def region_export(request, code: str, fmt: str):
    overview = region_overview_for(request.user, code)
    if fmt == "xlsx":
        return _download(exports.region_xlsx(overview), exports.XLSX_TYPE, f"region-{code}.xlsx")
    if fmt == "pdf":
        content = exports.region_pdf(overview, actor=request.user)
        return _download(content, "application/pdf", f"region-{code}.pdf")
    raise Http404
