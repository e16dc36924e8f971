"""Grant operations: the funding behind each Community Centre.

An operation (πράξη) is funded by a programme, implemented by a beneficiary body (the
municipality), and funds one or more of its centres. Its budget and end date change only
through amendments (τροποποιήσεις): the operation keeps its *initial* budget and end date,
and the current ones are derived from the amendment history (see selectors.operation_current).

Operation figures are not personal data: no person is named anywhere in this app.
Money is always `Decimal` with two places (`MONEY`), never a float.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from koinotita.organisations.models import Centre, Municipality

MONEY = {"max_digits": 14, "decimal_places": 2}
CENT = Decimal("0.01")


class ImplementationMode(models.TextChoices):
    OWN_MEANS = "own_means", _("Own means (own staff)")
    CONTRACTED = "contracted", _("Contracted")


class Category(models.TextChoices):
    STAFF = "staff", _("Staff")
    OPERATING = "operating", _("Operating costs")
    EQUIPMENT = "equipment", _("Equipment")
    ACTIONS = "actions", _("Actions")


class SourceKind(models.TextChoices):
    ESF = "esf", _("European Social Fund (ESF)")
    ESF_PLUS = "esf_plus", _("European Social Fund Plus (ESF+)")
    NATIONAL = "national", _("National contribution")
    OWN = "own", _("Own resources")


class Operation(models.Model):
    title = models.CharField(_("title"), max_length=300)
    code = models.CharField(
        _("MIS code"), max_length=30, unique=True, help_text=_("The operation's MIS/ΟΠΣ code.")
    )
    programme = models.CharField(_("programme"), max_length=300)
    priority_axis = models.CharField(
        _("priority axis / specific objective"), max_length=300, blank=True
    )
    managing_authority = models.CharField(_("managing authority"), max_length=300)
    beneficiary = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="operations",
        verbose_name=_("beneficiary body"),
    )
    centres = models.ManyToManyField(
        Centre,
        through="OperationCentre",
        related_name="operations",
        verbose_name=_("centres funded"),
    )
    start_date = models.DateField(_("start date"))
    initial_end_date = models.DateField(_("initial end date"))
    initial_budget = models.DecimalField(
        _("initial budget"), **MONEY, validators=[MinValueValidator(CENT)]
    )
    implementation_mode = models.CharField(
        _("implementation mode"), max_length=20, choices=ImplementationMode.choices
    )
    sources = models.JSONField(
        _("funding sources"),
        default=list,
        help_text=_('Each source and its share: [{"kind": "esf", "share": "80.00"}].'),
    )
    positions = models.JSONField(
        _("staff positions funded"),
        default=list,
        blank=True,
        help_text=_('Each position and how many: [{"title": "…", "count": 1}].'),
    )
    is_sample = models.BooleanField(
        _("sample data"), default=False, help_text=_("Plausible figures made up for the demo.")
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("operation")
        verbose_name_plural = _("operations")
        ordering = ["beneficiary__name", "start_date", "code"]
        constraints = [
            models.CheckConstraint(
                name="funding_operation_end_after_start",
                condition=models.Q(initial_end_date__gt=models.F("start_date")),
            ),
            models.CheckConstraint(
                name="funding_operation_budget_positive",
                condition=models.Q(initial_budget__gt=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"

    @property
    def source_list(self) -> list[tuple[str, str, Decimal]]:
        """(kind, label, share) of each funding source; the shares add up to 100."""
        labels = dict(SourceKind.choices)
        return [
            (s["kind"], labels.get(s["kind"], s["kind"]), Decimal(s["share"])) for s in self.sources
        ]

    @property
    def centre_list(self) -> list[Centre]:
        """The centres funded, as read with the operation (see selectors.operation_get_for)."""
        cached = getattr(self, "_centres", None)
        if cached is None:
            cached = [link.centre for link in self.links.all()]  # prefetched, or one query
        return cached


class OperationCentre(models.Model):
    """A centre funded by an operation (the centres belong to the beneficiary)."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="links")
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "centre"], name="funding_operationcentre_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.operation_id} → {self.centre_id}"


class Amendment(models.Model):
    """One change of budget and/or end date. Append-only: the history is the truth."""

    operation = models.ForeignKey(Operation, on_delete=models.PROTECT, related_name="amendments")
    seq = models.PositiveIntegerField(_("number"))
    date = models.DateField(_("decision date"))
    decision_ref = models.CharField(
        _("decision reference"), max_length=100, help_text=_("E.g. the decision's ΑΔΑ.")
    )
    reason = models.TextField(_("reason"))
    old_budget = models.DecimalField(_("old budget"), **MONEY)
    new_budget = models.DecimalField(_("new budget"), **MONEY)
    old_end_date = models.DateField(_("old end date"))
    new_end_date = models.DateField(_("new end date"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["operation", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["operation", "seq"], name="funding_amendment_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.seq}. {self.date:%d/%m/%Y} {self.decision_ref}"

    @property
    def changes_budget(self) -> bool:
        return self.old_budget != self.new_budget

    @property
    def changes_end(self) -> bool:
        return self.old_end_date != self.new_end_date


class YearBudget(models.Model):
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="year_budgets")
    year = models.PositiveSmallIntegerField(_("year"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    amount = models.DecimalField(_("amount"), **MONEY, validators=[MinValueValidator(0)])

    class Meta:
        verbose_name = _("yearly budget")
        verbose_name_plural = _("yearly budgets")
        ordering = ["operation", "year", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "year", "category"], name="funding_yearbudget_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.category} {self.amount}"


class ExpenditureQuerySet(models.QuerySet):
    def counted(self) -> "ExpenditureQuerySet":
        """The expenditures that count: every figure, total and check leaves reversed ones out."""
        return self.filter(reversed_at__isnull=True)


class Expenditure(models.Model):
    """Money spent. A wrong entry is never deleted or edited: it is reversed (with who, when
    and why), stays listed as reversed, and counts nowhere; the right one can then be entered,
    with the same document reference if need be."""

    operation = models.ForeignKey(Operation, on_delete=models.PROTECT, related_name="expenditures")
    date = models.DateField(_("date"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    amount = models.DecimalField(_("amount"), **MONEY, validators=[MinValueValidator(CENT)])
    document_ref = models.CharField(_("document reference"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    reversed_at = models.DateTimeField(_("reversed"), null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reversed by"),
    )
    reversal_reason = models.CharField(_("reason for the reversal"), max_length=300, blank=True)

    objects = ExpenditureQuerySet.as_manager()

    class Meta:
        verbose_name = _("expenditure")
        verbose_name_plural = _("expenditures")
        ordering = ["operation", "date", "pk"]
        constraints = [
            # A document counts once; a reversed entry frees its reference for the right one.
            models.UniqueConstraint(
                fields=["operation", "document_ref"],
                condition=models.Q(reversed_at__isnull=True),
                name="funding_expenditure_document_counted_unique",
            ),
            models.CheckConstraint(
                name="funding_expenditure_reversal_has_reason",
                condition=models.Q(reversed_at__isnull=True) | ~models.Q(reversal_reason=""),
            ),
            models.CheckConstraint(
                name="funding_expenditure_amount_positive", condition=models.Q(amount__gt=0)
            ),
        ]
        indexes = [models.Index(fields=["operation", "date"], name="funding_exp_op_date")]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.document_ref} {self.amount}"
