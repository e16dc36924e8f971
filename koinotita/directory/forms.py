from django import forms
from django.utils.translation import gettext_lazy as _

from koinotita.directory.models import CooperationProtocol, Need
from koinotita.lib.forms import greek_order
from koinotita.organisations.models import Municipality
from koinotita.people.models import Category


class DirectorySearchForm(forms.Form):
    """Search by need, municipality and text (any of them; none lists every service)."""

    q = forms.CharField(
        label=_("Words"),
        required=False,
        max_length=200,
        help_text=_(
            "Any word of the service or the organisation, with or without accents, "
            "in Greek or Latin letters."
        ),  # fmt: skip
    )
    need = forms.ChoiceField(label=_("Need"), required=False)
    category = forms.ChoiceField(label=_("Who it is for"), required=False)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        required=False,
        queryset=Municipality.objects.none(),
        empty_label=_("Any municipality"),
    )
    accepting = forms.BooleanField(label=_("Only services accepting referrals"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].choices = [("", _("Any need")), *Need.choices]
        self.fields["category"].choices = [("", _("Anyone")), *Category.choices]
        self.fields["municipality"].queryset = Municipality.objects.order_by("name")
        greek_order(self.fields["municipality"])


class CapacityForm(forms.Form):
    accepting_referrals = forms.BooleanField(label=_("Accepting referrals"), required=False)
    wait_time_days = forms.IntegerField(
        label=_("Waiting time (days)"), required=False, min_value=0, max_value=3650
    )
    wait_time = forms.CharField(label=_("Waiting time (note)"), required=False, max_length=300)


class ServiceCapacityForm(forms.Form):
    """HSDS 3.1 capacity: so many units available now, of a maximum."""

    unit = forms.CharField(
        label=_("Unit"), max_length=200, help_text=_("What is counted: places, beds, parcels.")
    )
    available = forms.DecimalField(
        label=_("Available now"), min_value=0, max_digits=10, decimal_places=2
    )
    maximum = forms.DecimalField(
        label=_("Maximum"), min_value=0, max_digits=10, decimal_places=2, required=False
    )
    description = forms.CharField(label=_("Description"), max_length=500, required=False)
    back = forms.ChoiceField(choices=[("service", "service"), ("list", "list")], required=False,
                             widget=forms.HiddenInput)  # fmt: skip


class ProtocolForm(forms.ModelForm):
    class Meta:
        model = CooperationProtocol
        fields = [
            "centre",
            "organization",
            "title",
            "protocol_number",
            "signed_on",
            "valid_from",
            "valid_until",
            "document",
            "note",
        ]
        widgets = {
            "signed_on": forms.DateInput(attrs={"type": "date"}),
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_until": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, centres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres
        self.fields["organization"].queryset = self.fields["organization"].queryset.order_by("name")
