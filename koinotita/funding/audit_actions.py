from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "funding.operation.created": _("Created a funded operation"),
    "funding.operation.updated": _("Changed a funded operation"),
    "funding.amendment.recorded": _("Recorded an amendment of an operation"),
    "funding.year_budget.set": _("Set a year's budget"),
    "funding.expenditure.recorded": _("Recorded an expenditure"),
    "funding.expenditure.reversed": _("Reversed an expenditure"),
    "funding.expenditure.imported": _("Imported expenditures"),
}
