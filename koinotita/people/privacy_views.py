"""Pages of a supervisor's privacy actions (subject-access export, anonymisation) and of the
merge of duplicate records. A record outside the user's scope is a 404; a user who sees the
record but does not supervise its centre gets a 403. The services check permission again."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from koinotita.accounts.scoping import Capability, scope_for
from koinotita.lib.forms import add_service_errors
from koinotita.people import merge as merging
from koinotita.people import privacy
from koinotita.people.models import Person
from koinotita.people.search import person_search
from koinotita.people.selectors import person_get_for, person_list_for

MERGE_SEARCH_LIMIT = 50


class AnonymiseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        help_text=gettext_lazy(
            "For example: the person asked for erasure (request of 3 March, protocol 1234)."
        ),
        max_length=privacy.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class MergeForm(forms.Form):
    same_person = forms.BooleanField(
        label=gettext_lazy("I have compared the two records: they are the same person."),
        error_messages={"required": gettext_lazy("Confirm that the records are the same person.")},
    )


def _supervised(request, pk: int, *, audit: bool = False) -> Person:
    """The person in scope (else 404) whose centre the user supervises (else 403)."""
    person = person_get_for(request.user, pk, request=request, audit=audit)
    if not scope_for(request.user).allows(Capability.SUPERVISE, person.centre_id):
        raise PermissionDenied
    return person


@require_GET
@login_required
def person_privacy(request, pk: int):
    person = _supervised(request, pk, audit=True)
    return render(request, "people/privacy_actions.html", {"person": person})


@require_GET
@login_required
def person_export(request, pk: int, fmt: str):
    if fmt not in privacy.FORMATS:
        raise Http404
    person = _supervised(request, pk)
    export = privacy.person_export(actor=request.user, person=person, fmt=fmt, request=request)
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=export.filename
    )
    response["Cache-Control"] = "no-store, private"
    return response


@require_http_methods(["GET", "POST"])
@login_required
def person_anonymise(request, pk: int):
    person = _supervised(request, pk, audit=request.method == "GET")
    form = AnonymiseForm(request.POST if request.method == "POST" else None)
    template = "people/privacy_anonymise.html"
    if request.method == "POST" and form.is_valid():
        if not form.cleaned_data["confirmed"]:
            # Second step: show what will happen once more, with the reason, before acting.
            form = AnonymiseForm(initial={**form.cleaned_data, "confirmed": True})
            template = "people/privacy_anonymise_confirm.html"
        else:
            try:
                privacy.person_anonymise(
                    actor=request.user,
                    person=person,
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Record #%(id)s was anonymised.") % {"id": person.pk})
                return redirect("people-person-search")
    return render(request, template, {"person": person, "form": form})


@require_GET
@login_required
def person_merge_choose(request, pk: int):
    """Step 1: find the duplicate, by a search within the centre or by its record number."""
    person = _supervised(request, pk, audit=True)
    query = request.GET.get("q", "").strip()
    number = request.GET.get("record", "").strip()
    candidates, error = None, ""
    same_centre = person_list_for(request.user).filter(centre_id=person.centre_id)
    if number:
        other = None
        if number.lstrip("#").isdigit():
            other = same_centre.exclude(pk=person.pk).filter(pk=int(number.lstrip("#"))).first()
        if other is not None:
            return redirect("people-person-merge-confirm", pk=person.pk, other_pk=other.pk)
        error = _("No other active record with this number in this centre.")
    elif query:
        found = person_search(request.user, query, limit=MERGE_SEARCH_LIMIT, request=request)
        candidates = [
            p for p in found.persons if p.centre_id == person.centre_id and p.pk != person.pk
        ]
    context = {
        "person": person,
        "q": query,
        "record": number,
        "candidates": candidates,
        "error": error,
    }
    return render(request, "people/merge_choose.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def person_merge_confirm(request, pk: int, other_pk: int):
    """Step 2: the two records side by side; confirming merges `other_pk` into `pk`."""
    kept, duplicate = merging.person_merge_pair_for(
        request.user, pk, other_pk, request=request, audit=request.method == "GET"
    )
    form = MergeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            merging.person_merge(
                actor=request.user, kept=kept, duplicate=duplicate, request=request
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Record #%(dup)s was merged into this record.") % {"dup": duplicate.pk},
            )
            return redirect("people-person-detail", pk=kept.pk)
    preview = merging.person_merge_preview(kept=kept, duplicate=duplicate)
    context = {"kept": kept, "duplicate": duplicate, "preview": preview, "form": form}
    return render(request, "people/merge_confirm.html", context)


@require_GET
@login_required
def person_merge_history(request, pk: int):
    person = _supervised(request, pk, audit=True)
    merges = list(merging.person_merge_list_for(request.user, person))
    for merge in merges:
        merge.filled_labels = merging.person_merge_filled_labels(merge)
    return render(request, "people/merge_history.html", {"person": person, "merges": merges})


@require_POST
@login_required
def person_merge_undo(request, pk: int, merge_pk: int):
    person = _supervised(request, pk)
    merge = merging.person_merge_get_for(request.user, person, merge_pk)
    try:
        merging.person_merge_undo(actor=request.user, merge=merge, request=request)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The merge was undone: record #%(dup)s is active again.")
            % {"dup": merge.duplicate_id},
        )
    return redirect("people-person-merges", pk=person.pk)
