"""Pages of monitoring: thin views — read the input, call one selector or service, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from koinotita.accounts.scoping import Capability, centres_for, scope_for
from koinotita.audit.services import audit_record
from koinotita.lib import uploads
from koinotita.lib.forms import add_service_errors
from koinotita.lib.uploads import accepts_files
from koinotita.monitoring import services
from koinotita.monitoring.checks import flag_checks
from koinotita.monitoring.dashboards import dashboard_for, dashboard_table_csv
from koinotita.monitoring.exports import FORMATS, XLSX_TYPE, quality_xlsx, report_file
from koinotita.monitoring.forms import (
    EntryForm,
    ExitForm,
    FollowUpForm,
    ImportForm,
    QualityForm,
    ReportForm,
    SubmitForm,
)
from koinotita.monitoring.imports import COLUMNS, ImportFileError
from koinotita.monitoring.imports import participation_import as import_file
from koinotita.monitoring.indicators import indicator_set
from koinotita.monitoring.programme_figures import FORMATS as PROGRAMME_FORMATS
from koinotita.monitoring.programme_figures import programme_figures_file, programme_figures_for
from koinotita.monitoring.quality import quality_report_for
from koinotita.monitoring.reports import Report, report_build, report_for_viewer
from koinotita.monitoring.selectors import (
    participation_get_for,
    participation_initial,
    participation_list_for_person,
    participation_page_for,
    report_scope_choices,
    report_scope_for,
    submission_get_for,
    submission_list_for,
    submission_status,
)
from koinotita.organisations.models import Centre
from koinotita.people.search import person_search
from koinotita.people.selectors import person_get_for


def _require_any(user, *capabilities) -> None:
    scope = scope_for(user)
    if not any(scope.has_any(c) for c in capabilities):
        raise PermissionDenied


@require_GET
@login_required
def index(request):
    _require_any(request.user, Capability.AGGREGATES, Capability.CASE_FILES)
    scope = scope_for(request.user)
    return render(
        request,
        "monitoring/index.html",
        {
            "keeps_records": scope.has_any(Capability.CASE_FILES),
            "aggregates": scope.has_any(Capability.AGGREGATES),
            "supervises": scope.has_any(Capability.SUPERVISE),
            "supervised": list(centres_for(request.user, Capability.SUPERVISE)),
        },
    )


@require_GET
@login_required
def participation_list(request):
    _require_any(request.user, Capability.CASE_FILES)
    records = participation_page_for(request.user, request=request)
    found = None
    query = request.GET.get("q", "").strip()
    if query:
        found = person_search(request.user, query, request=request)
    return render(
        request,
        "monitoring/participation_list.html",
        {"records": records, "q": query, "found": found},
    )


@accepts_files
@require_http_methods(["GET", "POST"])
@login_required
def participation_import(request):
    """A supervisor brings in a spreadsheet of ESF records for one of their centres: «check»
    writes nothing, «import» writes every row or — if any is rejected — none; either way
    the page lists every rejected row with its reason."""

    _require_any(request.user, Capability.SUPERVISE)
    centres = list(centres_for(request.user, Capability.SUPERVISE))
    if request.method == "POST":
        code = request.POST.get("centre", "")
        if code and code not in {c.code for c in centres}:
            raise Http404  # a centre outside the supervisor's scope
    form = ImportForm(request.POST or None, request.FILES or None, centres=centres)
    report = None
    if request.method == "POST" and form.is_valid():
        centre = next(c for c in centres if c.code == form.cleaned_data["centre"])
        upload = form.cleaned_data["file"]
        try:
            report = import_file(
                actor=request.user,
                centre=centre,
                name=upload.name,
                data=uploads.read_upload(upload, max_bytes=settings.IMPORT_MAX_BYTES),
                dry_run=request.POST.get("action") != "import",
                request=request,
            )
        except ImportFileError as exc:
            form.add_error("file", exc.messages)
        except PermissionDenied:
            raise Http404 from None
        else:
            if report.written:
                messages.success(
                    request,
                    ngettext(
                        "%(n)d participation record was imported.",
                        "%(n)d participation records were imported.",
                        report.written,
                    )
                    % {"n": report.written},
                )
    return render(
        request,
        "monitoring/import.html",
        {"form": form, "report": report, "columns": COLUMNS},
    )


@require_http_methods(["GET", "POST"])
@login_required
def person_participations(request, pk: int):
    person = person_get_for(request.user, pk, request=request)
    if not scope_for(request.user).allows(Capability.CASE_FILES, person.centre_id):
        raise Http404
    form = EntryForm(request.POST or None, initial=participation_initial(person))
    if request.method == "POST" and form.is_valid():
        try:
            record = services.participation_enter(
                actor=request.user, person=person, fields=form.cleaned_data, request=request
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if record.is_anonymous:
                messages.warning(
                    request,
                    _(
                        "No consent to be recorded: the entry was kept as an anonymous "
                        "participant, without a link to the person and without the sensitive "
                        "answers."
                    ),
                )
            else:
                messages.success(request, _("The entry record was saved."))
            _warn_flags(request, record)
            return redirect("monitoring-person", pk=person.pk)
    return render(
        request,
        "monitoring/person.html",
        {
            "person": person,
            "records": participation_list_for_person(request.user, person),
            "form": form,
        },
    )


def _warn_flags(request, record) -> None:
    """Say which record-level checks the saved record fails (it is kept, flagged)."""
    for check in flag_checks(record.flags):
        messages.warning(request, str(check.message))


def _record_form(request, pk: int, form_class, service, title: str):
    record = participation_get_for(request.user, pk, request=request)
    form = form_class(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form_class.Meta.fields}
        record.refresh_from_db()
        try:
            service(actor=request.user, record=record, fields=fields, request=request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            _warn_flags(request, record)
            if record.person_id:
                return redirect("monitoring-person", pk=record.person_id)
            return redirect("monitoring-participation-list")
    return render(
        request, "monitoring/record_form.html", {"record": record, "form": form, "title": title}
    )


@require_http_methods(["GET", "POST"])
@login_required
def participation_entry(request, pk: int):
    return _record_form(
        request, pk, EntryForm, services.participation_update_entry, _("Entry record")
    )


@require_http_methods(["GET", "POST"])
@login_required
def participation_exit(request, pk: int):
    return _record_form(request, pk, ExitForm, services.participation_exit, _("Exit record"))


@require_http_methods(["GET", "POST"])
@login_required
def participation_followup(request, pk: int):
    return _record_form(
        request, pk, FollowUpForm, services.participation_followup, _("Six-month follow-up")
    )


def _report_request(request):
    scopes = report_scope_choices(request.user)
    if not scopes:
        raise PermissionDenied
    data = request.GET if "scope" in request.GET else None
    form = ReportForm(data, scopes=scopes)
    if data is not None and "scope" in form.errors:
        report_scope_for(request.user, request.GET.get("scope", ""))  # 404 if out of scope
    return form


@require_GET
@login_required
def report(request):
    form = _report_request(request)
    context = {"form": form}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        report_scope = report_scope_for(request.user, data["scope"])
        built = report_build(
            report_scope=report_scope,
            indicator_set=indicator_set(data["set"]),
            start=data["start"],
            end=data["end"],
        )
        shown = report_for_viewer(built, suppress_cells=report_scope.suppress)
        fmt = request.GET.get("format", "")
        if fmt in FORMATS:
            return _download(shown, fmt)
        context.update(report=shown, report_scope=report_scope)
        if report_scope.level == "centre" and scope_for(request.user).allows(
            Capability.SUPERVISE, report_scope.centre_ids[0]
        ):
            context["supervises_centre"] = True
            context["submit_form"] = SubmitForm(
                initial={
                    "centre": report_scope.code,
                    "start": data["start"],
                    "end": data["end"],
                    "set": data["set"],
                }
            )
        if report_scope.level != "centre":
            context["status"] = submission_status(
                request.user,
                report_scope,
                start=data["start"],
                end=data["end"],
                set_key=data["set"],
            )
    return render(request, "monitoring/report.html", context)


def _download(report: Report, fmt: str) -> HttpResponse:
    content, content_type, name = report_file(report, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
@login_required
def report_submit(request):
    form = SubmitForm(request.POST)
    if not form.is_valid():
        raise Http404
    data = form.cleaned_data
    report_scope = report_scope_for(request.user, f"centre:{data['centre']}")
    centre = Centre.objects.get(pk=report_scope.centre_ids[0])
    try:
        submission = services.report_submit(
            actor=request.user,
            centre=centre,
            start=data["start"],
            end=data["end"],
            set_key=data["set"],
            note=data["note"],
            request=request,
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("monitoring-report")
    messages.success(
        request,
        _("The report was locked and submitted (version %(n)d).") % {"n": submission.version},
    )
    return redirect("monitoring-submission-detail", pk=submission.pk)


@require_GET
@login_required
def submission_list(request):
    _require_any(request.user, Capability.AGGREGATES)
    submissions = submission_list_for(request.user).order_by(
        "-period_end", "centre__name", "-version"
    )[:200]
    return render(request, "monitoring/submission_list.html", {"submissions": submissions})


@require_GET
@login_required
def submission_detail(request, pk: int):
    submission = submission_get_for(request.user, pk)
    report_scope = report_scope_for(request.user, f"centre:{submission.centre.code}")
    snapshot = Report.from_json(submission.figures)
    shown = report_for_viewer(snapshot, suppress_cells=report_scope.suppress)
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        return _download(shown, fmt)
    return render(
        request,
        "monitoring/submission_detail.html",
        {"submission": submission, "report": shown},
    )


@require_GET
@login_required
def quality(request, code: str):
    """What keeps the centre's figures from being true: incomplete participants, records
    failing a check, each with a link to fix it; the share the indicators can count."""
    form = QualityForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else QualityForm({}).clean_all()
    chosen = indicator_set(data["set"])
    fmt = request.GET.get("format", "")
    centre, found = quality_report_for(
        request.user,
        code,
        indicator_set=chosen,
        start=data["start"],
        end=data["end"],
        request=request,
        how="xlsx" if fmt == "xlsx" else "page",
    )
    if fmt == "xlsx":
        response = HttpResponse(quality_xlsx(centre, found), content_type=XLSX_TYPE)
        name = f"data-quality-{centre.code}-{found.start}-{found.end}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(
        request,
        "monitoring/quality.html",
        {"centre": centre, "quality": found, "form": form, "indicator_set": chosen},
    )


@require_GET
@login_required
def dashboard(request):
    scopes = [
        (spec, label) for spec, label in report_scope_choices(request.user) if spec != "national"
    ]
    if not scopes:
        raise PermissionDenied
    spec = request.GET.get("scope") or scopes[0][0]
    report_scope = report_scope_for(request.user, spec)
    board = dashboard_for(report_scope)
    chart = request.GET.get("download")
    if chart:
        content, name = dashboard_table_csv(board, chart)
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(
        request,
        "monitoring/dashboard.html",
        {"board": board, "scopes": scopes, "spec": spec, "report_scope": report_scope},
    )


@require_GET
@login_required
def programme_figures(request):
    _require_any(request.user, Capability.AGGREGATES)
    figures = programme_figures_for(request.user)
    return render(request, "monitoring/programme_figures.html", {"figures": figures})


@require_GET
@login_required
def programme_figures_export(request, fmt: str):
    _require_any(request.user, Capability.AGGREGATES)
    if fmt not in PROGRAMME_FORMATS:
        raise Http404
    content, content_type, filename = programme_figures_file(
        programme_figures_for(request.user), fmt
    )
    audit_record(
        action="programme.figures_exported",
        actor=request.user,
        request=request,
        detail={"format": fmt},
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
