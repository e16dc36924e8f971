"""What a worker types: the household's facts for a pre-screening, and the steps of an
application. Forms normalise input; the services validate and decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koinotita.people.models import Relationship
from koinotita.programmes.rules import Facts, Member

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES, NO = "yes", "no"
TRISTATE = [("", _("Not known")), (YES, _("Yes")), (NO, _("No"))]


def _tristate(value):
    return {YES: True, NO: False}.get(value)


def tristate_initial(value: bool | None) -> str:
    return {True: YES, False: NO}.get(value, "")


class TristateField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=TRISTATE, coerce=_tristate, empty_value=None, **kwargs)
        self.required = False


class MemberForm(forms.Form):
    age = forms.IntegerField(label=_("Age"), required=False, min_value=0, max_value=120)
    relationship = forms.ChoiceField(
        label=_("Relationship"),
        choices=[("", "—"), *Relationship.choices],
        required=False,
    )
    disability = TristateField(label=_("Disability"))
    unemployed = TristateField(label=_("Unemployed"))


MemberFormSet = forms.formset_factory(MemberForm, extra=2, max_num=20, validate_max=True)


class MoneyField(forms.DecimalField):
    """An amount in euros; empty is "not known". Negative amounts reach the service, which
    refuses them with its message (one rule, every way in)."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=12, decimal_places=2, required=False, **kwargs)


class HouseholdForm(forms.Form):
    on = forms.DateField(label=_("Date of the assessment"), widget=DATE)
    income_6m = MoneyField(
        label=_("Household income of the last six months (€)"),
        help_text=_("Every member's income, all sources, over the last six months."),
    )
    deposits = MoneyField(label=_("Deposits (€)"))
    real_estate = MoneyField(label=_("Taxable value of real estate (€)"))
    single_parent = TristateField(label=_("Single-parent family"))
    renting = TristateField(label=_("Rents the main home"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("on", timezone.localdate())


def facts_from_forms(household: HouseholdForm, members) -> Facts:
    """The facts typed in; empty member rows (no age, no relationship) are left out."""
    rows = [
        Member(
            age=f.cleaned_data.get("age"),
            relationship=f.cleaned_data.get("relationship") or "",
            disability=f.cleaned_data.get("disability"),
            unemployed=f.cleaned_data.get("unemployed"),
        )
        for f in members.forms
        if f.cleaned_data
        and (f.cleaned_data.get("age") is not None or f.cleaned_data.get("relationship"))
    ]
    data = household.cleaned_data
    return Facts(
        members=tuple(rows),
        income_6m=data.get("income_6m"),
        deposits=data.get("deposits"),
        real_estate=data.get("real_estate"),
        single_parent=data.get("single_parent"),
        renting=data.get("renting"),
    )


def initial_from_facts(facts: Facts) -> tuple[dict, list[dict]]:
    household = {
        "income_6m": facts.income_6m,
        "deposits": facts.deposits,
        "real_estate": facts.real_estate,
        "single_parent": tristate_initial(facts.single_parent),
        "renting": tristate_initial(facts.renting),
    }
    members = [
        {
            "age": m.age,
            "relationship": m.relationship,
            "disability": tristate_initial(m.disability),
            "unemployed": tristate_initial(m.unemployed),
        }
        for m in facts.members
    ]
    return household, members


class ApplicationCreateForm(forms.Form):
    programme = forms.ModelChoiceField(queryset=None, label=_("Programme"))

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes


class DocumentsForm(forms.Form):
    documents = forms.MultipleChoiceField(
        label=_("Documents collected"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].choices = [(d.code, d.label) for d in programme.documents.all()]


class SubmitForm(forms.Form):
    submitted_on = forms.DateField(label=_("Submitted on"), widget=DATE)
    reference_number = forms.CharField(label=_("Reference number"), max_length=60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("submitted_on", timezone.localdate())


class DecisionForm(forms.Form):
    step = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("approve", _("Approved")),
            ("reject", _("Rejected")),
            ("ask_documents", _("Documents asked for")),
        ],
    )
    decision_on = forms.DateField(label=_("Decision date"), widget=DATE)
    amount = forms.DecimalField(
        label=_("Monthly amount granted (€)"), max_digits=10, decimal_places=2, required=False
    )
    renewal_on = forms.DateField(
        label=_("Renewal date"),
        required=False,
        widget=DATE,
        help_text=_("Leave empty to compute it from the programme's approval period."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("decision_on", timezone.localdate())
