"""Forms of monitoring: they validate and normalise input; the rules are in services.py."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koinotita.monitoring.indicators import DEFAULT_SET, indicator_sets
from koinotita.monitoring.models import Participation
from koinotita.monitoring.services import ENTRY_FIELDS, EXIT_FIELDS, FOLLOWUP_FIELDS
from koinotita.people.import_views import ImportUploadForm


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _dates(form) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.widget = _DateInput()


class EntryForm(forms.ModelForm):
    class Meta:
        model = Participation
        fields = ENTRY_FIELDS

    def __init__(self, *args, anonymous: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self)
        self.fields["age_at_entry"].help_text = _(
            "Filled from the birth date when the person's record holds it."
        )


class ExitForm(forms.ModelForm):
    class Meta:
        model = Participation
        fields = EXIT_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self)
        self.fields["exit_date"].required = True
        self.fields["exit_status"].required = True
        self.fields["exit_observed_on"].help_text = _(
            "Results count when observed within 4 weeks of the exit; empty: on the exit day."
        )


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = Participation
        fields = FOLLOWUP_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self)
        self.fields["followup_on"].required = True
        self.fields["followup_status"].required = True


def _year_start() -> dt.date:
    return timezone.localdate().replace(month=1, day=1)


class ReportForm(forms.Form):
    scope = forms.ChoiceField(label=_("Scope"))
    start = forms.DateField(label=_("From"), widget=_DateInput())
    end = forms.DateField(label=_("To"), widget=_DateInput())
    set = forms.ChoiceField(label=_("Indicator set"))

    def __init__(self, data=None, *, scopes, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["scope"].choices = scopes
        self.fields["set"].choices = [(k, s.name) for k, s in indicator_sets().items()]
        self.fields["set"].initial = DEFAULT_SET
        self.fields["start"].initial = _year_start()
        self.fields["end"].initial = timezone.localdate()
        if scopes:
            self.fields["scope"].initial = scopes[0][0]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end of the period is before its start."))
        return data


class QualityForm(forms.Form):
    """The data-quality page's choice of indicator set and period (this year by default)."""

    set = forms.ChoiceField(label=_("Indicator set"), required=False)
    start = forms.DateField(label=_("From"), widget=_DateInput(), required=False)
    end = forms.DateField(label=_("To"), widget=_DateInput(), required=False)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["set"].choices = [(k, s.name) for k, s in indicator_sets().items()]

    def clean_all(self) -> dict:
        """The defaults, for a page opened without (valid) choices."""
        self.cleaned_data = {}
        return self.clean()

    def clean(self):
        data = super().clean() or {}
        data["set"] = data.get("set") or DEFAULT_SET
        data["start"] = data.get("start") or _year_start()
        data["end"] = data.get("end") or timezone.localdate()
        if data["end"] < data["start"]:
            self.add_error("end", _("The end of the period is before its start."))
        return data


class SubmitForm(forms.Form):
    centre = forms.CharField(widget=forms.HiddenInput)
    start = forms.DateField(widget=forms.HiddenInput)
    end = forms.DateField(widget=forms.HiddenInput)
    set = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ImportForm(ImportUploadForm):
    """The participation import page: a centre the supervisor supervises, and the file —
    the person import's upload form itself, so the same limits, checks and help."""
