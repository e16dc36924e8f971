"""The import of persons in the web UI, for supervisors: upload → report → confirm.

Nothing is written until the supervisor confirms; the confirmation checks the file again.
Other roles get 403; a centre outside the supervisor's scope, or someone else's pending
import, is a 404. The rules themselves live in koinotita/people/imports.py.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from koinotita.accounts.scoping import Capability, centres_for, scope_for
from koinotita.lib import uploads
from koinotita.lib.uploads import accepts_files
from koinotita.organisations.models import Centre
from koinotita.people import imports


class ImportUploadForm(forms.Form):
    centre = forms.ChoiceField(label=gettext_lazy("Centre"))
    file = forms.FileField(
        label=gettext_lazy("File (CSV or XLSX)"),
        help_text=gettext_lazy(
            "CSV in UTF-8 or Windows-1253, separated by ; or , — or an Excel .xlsx file "
            "(first sheet). The first line holds the column headers."
        ),
    )

    def __init__(self, *args, centres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].choices = [(c.code, c.label) for c in centres]
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx,text/csv"


def _supervised_centres(user):
    if not scope_for(user).has_any(Capability.SUPERVISE):
        raise PermissionDenied
    return list(centres_for(user, Capability.SUPERVISE))


def _centre_in_scope(user, centre_id: int) -> Centre:
    if not scope_for(user).allows(Capability.SUPERVISE, centre_id):
        raise Http404
    return Centre.objects.get(pk=centre_id)


def _pending_for(request, token: str):
    _supervised_centres(request.user)
    pending = imports.pending_import_get(user=request.user, token=token)
    if pending is None:
        raise Http404
    return pending, _centre_in_scope(request.user, pending.centre_id)


@accepts_files
@require_http_methods(["GET", "POST"])
@login_required
def import_upload(request):
    centres = _supervised_centres(request.user)
    if request.method == "POST":
        code = request.POST.get("centre", "")
        if code and code not in {c.code for c in centres}:
            raise Http404  # a centre outside the supervisor's scope
    form = ImportUploadForm(request.POST or None, request.FILES or None, centres=centres)
    if request.method == "POST" and form.is_valid():
        centre = next(c for c in centres if c.code == form.cleaned_data["centre"])
        upload = form.cleaned_data["file"]
        try:
            data = uploads.read_upload(upload, max_bytes=settings.IMPORT_MAX_BYTES)
            table = imports.import_file_read(name=upload.name, data=data)
            report = imports.person_import_check(actor=request.user, centre=centre, table=table)
        except ValidationError as exc:  # ImportFileError: the file as a whole
            form.add_error("file", exc.messages)
        else:
            pending = imports.pending_import_save(
                user=request.user, centre=centre, file_name=upload.name, data=data, report=report
            )
            return redirect("people-import-review", token=pending.token)
    context = {"form": form, "columns": imports.COLUMNS}
    return render(request, "people/import_upload.html", context)


@require_GET
@login_required
def import_review(request, token: str):
    pending, centre = _pending_for(request, token)
    report = pending.report
    context = {
        "pending": pending,
        "centre": centre,
        "report": report,
        "more_rejected": max(report["rejected"] - len(report["rejected_rows"]), 0),
        "more_warnings": max(report["warnings"] - len(report["warning_rows"]), 0),
    }
    return render(request, "people/import_report.html", context)


@require_POST
@login_required
def import_confirm(request, token: str):
    pending, centre = _pending_for(request, token)
    partial = request.POST.get("mode") == "partial"
    try:
        report = imports.pending_import_confirm(
            pending=pending, actor=request.user, centre=centre, partial=partial, request=request
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if report.written:
            messages.success(
                request,
                ngettext(
                    "%(n)d person was imported.", "%(n)d persons were imported.", report.written
                )
                % {"n": report.written},
            )
        else:
            messages.error(request, report.error)
    return redirect("people-import-review", token=pending.token)


@require_GET
@login_required
def import_rejected_csv(request, token: str):
    pending, _centre = _pending_for(request, token)
    response = HttpResponse(
        imports.pending_import_rejected_csv(pending), content_type="text/csv; charset=utf-8"
    )
    stem = pending.file_name.rsplit(".", 1)[0] or "import"
    safe = "".join(ch if (ch.isascii() and ch.isalnum()) or ch in "-_" else "_" for ch in stem)[:60]
    response["Content-Disposition"] = f'attachment; filename="{safe}-rejected.csv"'
    return response
