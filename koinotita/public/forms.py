"""What a visitor types on the public pages. Forms parse; the services and rules decide."""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from koinotita.lib.forms import greek_order
from koinotita.programmes.forms import MoneyField, TristateField
from koinotita.programmes.rules import Facts, Member

MEMBER_ROWS = 6
_STARTED_SALT = "koinotita.public.request-started"


class MunicipalityForm(forms.Form):
    municipality = forms.ModelChoiceField(
        queryset=None, label=_("Where do you live?"), empty_label=_("Choose your municipality")
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["municipality"].label_from_instance = lambda m: m.label
        greek_order(self.fields["municipality"])


class MemberForm(forms.Form):
    age = forms.IntegerField(label=_("Age"), required=False, min_value=0, max_value=120)
    disability = TristateField(label=_("Certified disability"))
    unemployed = TristateField(label=_("Unemployed"))


MemberFormSet = forms.formset_factory(
    MemberForm, extra=MEMBER_ROWS, max_num=MEMBER_ROWS, validate_max=True
)


class SelfCheckForm(forms.Form):
    income_6m = MoneyField(
        label=_("All the household's income of the last six months (€)"),
        help_text=_("Wages, pensions, benefits, rents: every member, every source."),
    )
    deposits = MoneyField(label=_("Money in the bank today, all members (€)"))
    real_estate = MoneyField(
        label=_("Taxable value of houses and land (€)"),
        help_text=_("As in the ENFIA statement; 0 if you own none."),
    )
    single_parent = TristateField(label=_("Are you a single parent living with your children?"))
    renting = TristateField(label=_("Do you rent the home you live in?"))


def facts_from_answers(form: SelfCheckForm, members) -> Facts:
    """The household as answered; member rows left empty are not members."""
    rows = tuple(
        Member(
            age=f.cleaned_data.get("age"),
            disability=f.cleaned_data.get("disability"),
            unemployed=f.cleaned_data.get("unemployed"),
        )
        for f in members.forms
        if f.cleaned_data
        and any(f.cleaned_data.get(k) is not None for k in ("age", "disability", "unemployed"))
    )
    data = form.cleaned_data
    return Facts(
        members=rows,
        income_6m=data.get("income_6m"),
        deposits=data.get("deposits"),
        real_estate=data.get("real_estate"),
        single_parent=data.get("single_parent"),
        renting=data.get("renting"),
    )


def started_token() -> str:
    """When the form was shown, signed: a bot that posts at once is told apart."""
    return signing.dumps(time.time(), salt=_STARTED_SALT)


def seconds_since(token: str) -> float | None:
    """How long ago the form was shown, or None when the token is not ours (or too old)."""
    try:
        started = signing.loads(token or "", salt=_STARTED_SALT, max_age=24 * 3600)
    except signing.BadSignature:
        return None
    return time.time() - float(started)


class RequestForm(forms.Form):
    site = forms.ChoiceField(label=_("Where"), choices=(), required=False)
    name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        help_text=_("A phone or an e-mail address, so that we can answer you."),
    )
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    reason = forms.CharField(
        label=_("What would you like to discuss?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few words are enough. Do not write health details or ID numbers."),
    )
    preferred_times = forms.CharField(
        label=_("Days and times that suit you (optional)"), max_length=200, required=False
    )
    consent = forms.BooleanField(
        label=_("I agree that the centre contacts me about this request."), required=False
    )
    # Left empty by people (it is not shown); programs fill every field.
    website = forms.CharField(label=_("Leave this empty"), required=False)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].choices = [("", _("Choose a site"))] + [
            (s.code, f"{s.label} — {s.centre.label}") for s in sites
        ]
        self.fields["site"].error_messages["invalid_choice"] = _(
            "Choose one of the sites in the list."
        )
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "inputmode": "email"})
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        if not self.is_bound:
            self.initial["started"] = started_token()

    def is_bot(self) -> bool:
        """The honeypot was filled, or the form came back faster than a person types."""
        if self.data.get("website"):
            return True
        elapsed = seconds_since(self.data.get("started", ""))
        return elapsed is None or elapsed < settings.PUBLIC_REQUEST_MIN_SECONDS
