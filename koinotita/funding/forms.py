"""Forms of the funding pages: they read and normalise input; the rules are in services."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from koinotita.funding.imports import parse_amount
from koinotita.funding.models import Category, ImplementationMode, SourceKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MoneyField(forms.Field):
    """An amount in euros as people type it: 266.400,00 or 266400.00 or 266400."""

    widget = forms.TextInput

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        value = (value or "").strip() if isinstance(value, str) else value
        if value in self.empty_values:
            return None
        if len(str(value)) > 30:
            raise ValidationError(_("Enter an amount in euros, e.g. 1234,56."))
        try:
            return parse_amount(value)
        except ValueError:
            raise ValidationError(_("Enter an amount in euros, e.g. 1234,56.")) from None


class OperationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    code = forms.CharField(label=_("MIS code"), max_length=30)
    programme = forms.CharField(label=_("Programme"), max_length=300)
    priority_axis = forms.CharField(
        label=_("Priority axis / specific objective"), max_length=300, required=False
    )
    managing_authority = forms.CharField(label=_("Managing authority"), max_length=300)
    centres = forms.ModelMultipleChoiceField(
        label=_("Centres funded"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    start_date = forms.DateField(label=_("Start date"), widget=DATE)
    end_date = forms.DateField(label=_("End date"), widget=DATE)
    budget = MoneyField(label=_("Total budget (€)"))
    eu_fund = forms.ChoiceField(
        label=_("European fund"),
        choices=[(k, k.label) for k in (SourceKind.ESF, SourceKind.ESF_PLUS)],
    )
    eu_share = MoneyField(label=_("Share of the European fund (%)"), required=False)
    national_share = MoneyField(label=_("National share (%)"), required=False)
    own_share = MoneyField(label=_("Own resources (%)"), required=False)
    implementation_mode = forms.ChoiceField(
        label=_("Implementation mode"), choices=ImplementationMode.choices
    )
    positions = forms.CharField(
        label=_("Staff positions funded"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line: the number, then the position, e.g. «2 Social worker»."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, centres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centres"].queryset = centres

    def clean_positions(self):
        positions = []
        for line in self.cleaned_data["positions"].splitlines():
            line = line.strip()
            if not line:
                continue
            match = re.fullmatch(r"(\d+)\s*[x×·.-]?\s*(.+)", line)
            if match:
                positions.append((match.group(2).strip(), int(match.group(1))))
            else:
                positions.append((line, 1))
        return positions

    def sources(self) -> list[tuple[str, object]]:
        data = self.cleaned_data
        return [
            (data["eu_fund"], data.get("eu_share") or 0),
            (SourceKind.NATIONAL, data.get("national_share") or 0),
            (SourceKind.OWN, data.get("own_share") or 0),
        ]


class OperationEditForm(forms.Form):
    """What describes an operation; its budget and end date change only by amendment."""

    title = OperationForm.base_fields["title"]
    programme = OperationForm.base_fields["programme"]
    priority_axis = OperationForm.base_fields["priority_axis"]
    managing_authority = OperationForm.base_fields["managing_authority"]
    implementation_mode = OperationForm.base_fields["implementation_mode"]
    positions = OperationForm.base_fields["positions"]
    note = OperationForm.base_fields["note"]

    clean_positions = OperationForm.clean_positions

    @staticmethod
    def initial_for(operation) -> dict:
        return {
            "title": operation.title,
            "programme": operation.programme,
            "priority_axis": operation.priority_axis,
            "managing_authority": operation.managing_authority,
            "implementation_mode": operation.implementation_mode,
            "positions": "\n".join(f"{p['count']} {p['title']}" for p in operation.positions),
            "note": operation.note,
        }


class AmendmentForm(forms.Form):
    date = forms.DateField(label=_("Decision date"), widget=DATE)
    decision_ref = forms.CharField(
        label=_("Decision reference"), max_length=100, help_text=_("E.g. the decision's ΑΔΑ.")
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    new_end_date = forms.DateField(
        label=_("New end date"),
        required=False,
        widget=DATE,
        help_text=_("Leave empty to keep the end date."),
    )
    new_budget = MoneyField(
        label=_("New total budget (€)"),
        required=False,
        help_text=_("Leave empty to keep the budget."),
    )


class YearBudgetForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    staff = MoneyField(label=Category.STAFF.label, required=False)
    operating = MoneyField(label=Category.OPERATING.label, required=False)
    equipment = MoneyField(label=Category.EQUIPMENT.label, required=False)
    actions = MoneyField(label=Category.ACTIONS.label, required=False)

    def amounts(self) -> dict:
        return {c: self.cleaned_data.get(c) or 0 for c in Category.values}


class ExpenditureForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    category = forms.ChoiceField(
        label=_("Category"),
        choices=Category.choices,
        error_messages={
            "invalid_choice": _(
                "Unknown category «%(value)s»: use staff, operating, equipment or actions."
            )
        },
    )
    amount = MoneyField(label=_("Amount (€)"))
    document_ref = forms.CharField(label=_("Document reference"), max_length=100)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)


class ExpenditureReverseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it reversed?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: entered twice, wrong amount, wrong operation. The expenditure stays "
            "listed as reversed and no longer counts; enter the right one afterwards."
        ),
        error_messages={"required": _("Say why the expenditure is reversed.")},
    )


class ExpenditureImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_(
            "Columns: date, category, amount, document (or ημερομηνία, κατηγορία, ποσό, "
            "παραστατικό). CSV in UTF-8 or Windows-1253, separated by ; or ,."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx,text/csv"
