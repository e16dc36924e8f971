from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koinotita.activities.models import AttendeeCategory, DistributionKind, Kind


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(
        label=_("Date"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, initial=60)
    site = forms.ModelChoiceField(label=_("Site"), queryset=None, required=False)
    place = forms.CharField(label=_("Or a place"), max_length=200, required=False)
    series = forms.ModelChoiceField(label=_("Series"), queryset=None, required=False)
    note = forms.CharField(label=_("Short note"), max_length=500, required=False)

    def __init__(self, *args, sites=None, series=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["series"].queryset = series


class AttendeeForm(forms.Form):
    person = forms.IntegerField(label=_("Person number"), min_value=1)


class CountsForm(forms.Form):
    """The anonymous attendees per category (negative numbers refused by the service)."""

    def __init__(self, *args, initial_counts=None, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in AttendeeCategory.choices:
            self.fields[code] = forms.IntegerField(
                label=label, required=False, initial=(initial_counts or {}).get(code)
            )


class VolunteerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    skills = forms.CharField(label=_("Skills"), max_length=300, required=False)


class HoursForm(forms.Form):
    volunteer = forms.ModelChoiceField(label=_("Volunteer"), queryset=None)
    hours = forms.DecimalField(label=_("Hours"), max_digits=5, decimal_places=2)

    def __init__(self, *args, volunteers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = volunteers


class DistributionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DistributionKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(
        label=_("Date"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )


class StockForm(forms.Form):
    name = forms.CharField(label=_("Item"), max_length=200)
    quantity = forms.IntegerField(label=_("Quantity received"), min_value=1)
    unit = forms.CharField(label=_("Unit"), max_length=30, initial="τεμ.")


class HandoutForm(forms.Form):
    person = forms.IntegerField(label=_("Recipient (person number)"), min_value=1)
    acknowledged = forms.BooleanField(label=_("The recipient acknowledged receipt"), required=False)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.IntegerField(
                label=f"{item.name} ({item.unit})", required=False
            )
