from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koinotita.lib.forms import greek_order
from koinotita.people.fields import CATEGORIES, fieldsets, typed
from koinotita.people.models import Category, Consent, Person, Relationship
from koinotita.people.recipients import recipient_choices


class PersonForm(forms.ModelForm):
    """Parses what reception types; people.services validates and normalises the rest."""

    categories = forms.MultipleChoiceField(
        label=_("Categories"),
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    confirm = forms.BooleanField(
        label=_("I have checked the warnings above; save anyway."), required=False
    )
    registration_consent = forms.BooleanField(
        label=_("The person consents today to registration and support by the centre."),
        help_text=_(
            "Without this consent nobody can be registered: log an anonymous contact instead."
        ),
        required=True,
        error_messages={
            "required": _(
                "The person must consent to registration; otherwise log an anonymous contact."
            )
        },
    )

    class Meta:
        model = Person
        fields = typed()
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, centres=None, supervisor=False, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # consent is asked when registering; later, on its own page
            del self.fields["registration_consent"]
        for name in ("amka", "afm", "phone"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.fields["family_name"].widget.attrs["autofocus"] = True
        if not supervisor:
            del self.fields["afm_override_reason"]
        if centres is not None and len(centres) > 1:
            self.fields["centre"] = greek_order(
                forms.ModelChoiceField(queryset=centres, label=_("Centre"))
            )
        if "residence_municipality" in self.fields:
            greek_order(self.fields["residence_municipality"])

    def fieldsets(self) -> list[tuple[str, list]]:
        """The typed fields in their fieldsets (people.fields), the categories apart."""
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for group, legend, names in fieldsets()
            if group != CATEGORIES
        ]

    def person_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("confirm", None)
        data.pop("registration_consent", None)
        data.pop("centre", None)
        data["categories"] = list(data.get("categories") or [])
        return data


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Consent.Purpose.choices)
    recipient_key = forms.ChoiceField(
        label=_("Recipient (for a referral)"),
        required=False,
        help_text=_(
            "The organisation of the directory the person agreed to share with; the consent "
            "covers all its services."
        ),
    )
    given_on = forms.DateField(
        label=_("Given on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("given_on", timezone.localdate())
        self.initial.setdefault("purpose", Consent.Purpose.REGISTRATION)
        self.fields["recipient_key"].choices = [("", "—")] + [
            (r.key, r.name) for r in recipient_choices()
        ]


class ConsentWithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the consent withdrawn?"),
        max_length=300,
        help_text=_("For example: the person asked for it at the front desk, in writing."),
    )
    confirm = forms.BooleanField(
        label=_("I have told the person what the withdrawal stops, and they want it."),
        error_messages={"required": _("Confirm that the person wants the withdrawal.")},
    )


class HouseholdForm(forms.Form):
    relationship = forms.ChoiceField(label=_("Relationship"), choices=Relationship.choices)
    with_person = forms.IntegerField(
        label=_("Record number of a household member (leave empty for a new household)"),
        required=False,
        min_value=1,
    )


class AssignmentForm(forms.Form):
    """A supervisor gives a mediator one person, household or settlement (by its number)."""

    mediator = forms.ModelChoiceField(label=_("Mediator"), queryset=None)
    person = forms.IntegerField(label=_("Person number"), required=False, min_value=1)
    household = forms.IntegerField(label=_("Household number"), required=False, min_value=1)
    settlement = forms.ModelChoiceField(label=_("Settlement"), queryset=None, required=False)

    def __init__(self, *args, mediators=None, settlements=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediator"].queryset = mediators
        self.fields["settlement"].queryset = settlements

    def clean(self):
        data = super().clean()
        given = [k for k in ("person", "household", "settlement") if data.get(k)]
        if len(given) != 1:
            raise forms.ValidationError(
                _("Give one person, one household or one settlement / Ανάθεση ενός μόνο.")
            )
        return data


class SettlementForm(forms.Form):
    name = forms.CharField(label=_("Name of the settlement"), max_length=200)
