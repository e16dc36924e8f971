"""Monitoring endpoints: the indicator report of a scope and period, scoped as the pages
are (a scope outside the caller's is a 404) and suppressed as every figure leaving a centre
is; participation records of a person (CASE_FILES)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from koinotita.monitoring.exports import XLSX_TYPE, quality_xlsx, report_file
from koinotita.monitoring.indicators import DEFAULT_SET, indicator_sets
from koinotita.monitoring.quality import quality_report_for
from koinotita.monitoring.reports import report_build, report_for_viewer
from koinotita.monitoring.selectors import report_scope_for

router = Router(tags=["monitoring"])


class IndicatorQuery(Schema):
    scope: str
    start: date
    end: date
    set: str = DEFAULT_SET
    activity: bool = False
    format: str = "json"  # json, xlsx or csv


def _chosen_set(code: str):
    """The indicator set named `code`, and the field errors so far."""
    chosen = indicator_sets().get(code)
    return chosen, {} if chosen else {"set": [_("Unknown indicator set.")]}


@router.get("/indicators", response={200: dict})
def indicators(request, q: Query[IndicatorQuery]):
    """`?scope=centre:CODE|municipality:CODE|region:CODE|national&start=…&end=…&set=…`:
    the indicator tables (and, with `activity=true`, the activity report) as JSON."""
    report_scope = report_scope_for(request.user, q.scope)
    chosen, errors = _chosen_set(q.set)
    if q.format not in ("json", "xlsx", "csv"):
        errors["format"] = [_("Choose json, xlsx or csv.")]
    if q.end < q.start:
        errors["end"] = [_("The end of the period is before its start.")]
    if errors:
        raise ValidationError(errors)
    built = report_build(
        report_scope=report_scope,
        indicator_set=chosen,
        start=q.start,
        end=q.end,
        activity=q.activity,
    )
    shown = report_for_viewer(built, suppress_cells=report_scope.suppress)
    if q.format != "json":
        content, content_type, name = report_file(shown, q.format)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return shown.as_json()


class QualityQuery(Schema):
    centre: str
    start: date
    end: date
    set: str = DEFAULT_SET
    format: str = "json"  # json or xlsx


@router.get("/data-quality", response={200: dict})
def data_quality(request, q: Query[QualityQuery]):
    """`?centre=CODE&start=…&end=…&set=…`: for a supervisor of the centre, its incomplete
    participants and records failing a check (each with the page that fixes it) and the
    share of participants the indicators can count. Another centre: 404. Audited."""
    chosen, errors = _chosen_set(q.set)
    if q.format not in ("json", "xlsx"):
        errors["format"] = [_("Choose json or xlsx.")]
    if q.end < q.start:
        errors["end"] = [_("The end of the period is before its start.")]
    if errors:
        raise ValidationError(errors)
    centre, found = quality_report_for(
        request.user, q.centre, indicator_set=chosen, start=q.start, end=q.end,
        request=request, how="api",
    )  # fmt: skip
    if q.format == "xlsx":
        response = HttpResponse(quality_xlsx(centre, found), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="data-quality-{centre.code}.xlsx"'
        return response
    return {"centre_code": centre.code, **found.as_json()}
