"""The catalogue of social programmes and benefits, their dated parameters, the saved
pre-screenings of households and the help a centre gives with applications.

The catalogue and its parameters are reference data (no centre); pre-screenings and
applications are personal data and carry `centre_id` like every personal table."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from koinotita.organisations.models import Centre
from koinotita.people.models import Person


def _in_language(greek: str, english: str) -> str:
    if (get_language() or "el").startswith("en") and english:
        return english
    return greek


class ApplyChannel(models.TextChoices):
    PLATFORM = "platform", _("On the national platform")
    CENTRE = "centre", _("Through the Community Centre")
    MUNICIPALITY = "municipality", _("Through the municipality")
    IN_PERSON = "in_person", _("In person at the managing body")


class Programme(models.Model):
    """One programme or benefit a centre informs about (domain/programmes.md)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Greek)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    managing_body = models.CharField(_("managing body (Greek)"), max_length=300)
    managing_body_en = models.CharField(_("managing body (English)"), max_length=300, blank=True)
    gives = models.TextField(_("what it gives (Greek)"))
    gives_en = models.TextField(_("what it gives (English)"), blank=True)
    who_for = models.TextField(_("who it is for (Greek)"))
    who_for_en = models.TextField(_("who it is for (English)"), blank=True)
    apply_channels = models.JSONField(_("where to apply"), default=list, blank=True)
    apply_url = models.URLField(_("platform link"), blank=True)
    how_to_apply = models.TextField(_("how to apply (Greek)"), blank=True)
    how_to_apply_en = models.TextField(_("how to apply (English)"), blank=True)
    centre_role = models.TextField(_("the centre's role (Greek)"), blank=True)
    centre_role_en = models.TextField(_("the centre's role (English)"), blank=True)
    legal_source = models.CharField(_("legal source"), max_length=400)
    unknown_figures = models.TextField(
        _("figures not known"),
        blank=True,
        help_text=_("What the catalogue does not know yet (a rule answers 'cannot tell')."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return _in_language(self.name, self.name_en)

    @property
    def managing_body_label(self) -> str:
        return _in_language(self.managing_body, self.managing_body_en)

    @property
    def gives_label(self) -> str:
        return _in_language(self.gives, self.gives_en)

    @property
    def who_for_label(self) -> str:
        return _in_language(self.who_for, self.who_for_en)

    @property
    def how_to_apply_label(self) -> str:
        return _in_language(self.how_to_apply, self.how_to_apply_en)

    @property
    def centre_role_label(self) -> str:
        return _in_language(self.centre_role, self.centre_role_en)

    def apply_channel_labels(self) -> list[str]:
        labels = dict(ApplyChannel.choices)
        return [str(labels[c]) for c in self.apply_channels if c in labels]


class ProgrammeDocument(models.Model):
    """One entry of a programme's documents checklist."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="documents")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("document (Greek)"), max_length=300)
    name_en = models.CharField(_("document (English)"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("document needed")
        verbose_name_plural = _("documents needed")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code"], name="programmes_document_code_unique"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return _in_language(self.name, self.name_en)


class ProgrammeVersion(models.Model):
    """Who changed what of a programme, when: one row per save, written by the service."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("version"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)
    changes = models.JSONField(_("changes"), default=dict)  # field -> [before, after]
    snapshot = models.JSONField(_("snapshot"), default=dict)  # the whole programme after

    class Meta:
        verbose_name = _("programme version")
        verbose_name_plural = _("programme versions")
        ordering = ["programme", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "version"], name="programmes_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} v{self.version}"


class Parameter(models.Model):
    """An amount or threshold of a programme's rule, valid from a day (to a day), with the
    decision it comes from. Two values of one key never overlap (services.parameter_save)."""

    class Unit(models.TextChoices):
        EUR = "eur", _("euros")
        EUR_MONTH = "eur_month", _("euros a month")
        MONTHS = "months", _("months")
        DATE = "date", _("date (yyyymmdd)")
        NUMBER = "number", _("number")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="parameters")
    key = models.SlugField(_("key"), max_length=60)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    legal_source = models.CharField(_("legal source"), max_length=400)
    note = models.CharField(_("note"), max_length=400, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("parameter")
        verbose_name_plural = _("parameters")
        ordering = ["programme", "key", "valid_from"]
        indexes = [
            models.Index(fields=["programme", "key", "valid_from"], name="programmes_param_key")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="programmes_parameter_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        end = self.valid_to.isoformat() if self.valid_to else "…"
        return f"{self.key} = {self.value} ({self.valid_from.isoformat()}–{end})"


class Verdict(models.TextChoices):
    PROBABLY = "probably", _("Probably eligible")
    PROBABLY_NOT = "probably_not", _("Probably not eligible")
    CANNOT_TELL = "cannot_tell", _("Cannot tell")


class Prescreening(models.Model):
    """A saved, dated pre-screening of a household over the catalogue: never a decision.
    `facts` are what was known; `results` are each programme's verdict, reasons, missing
    facts, amount, the rule version and the parameters used. Never changed once saved."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    on = models.DateField(_("date of the assessment"))
    facts = models.JSONField(_("facts"), default=dict)
    results = models.JSONField(_("results"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pre-screening")
        verbose_name_plural = _("pre-screenings")
        indexes = [
            models.Index(fields=["person", "created_at"], name="programmes_prescreen_person"),
            models.Index(fields=["centre", "created_at"], name="programmes_prescreen_centre"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.on.isoformat()}"


class Application(models.Model):
    """The help a centre gives with one person's application to one programme."""

    class State(models.TextChoices):
        PREPARATION = "preparation", _("In preparation")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        NEEDS_DOCUMENTS = "needs_documents", _("Needs documents")
        ENDED = "ended", _("Ended")

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="+", verbose_name=_("programme")
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PREPARATION
    )
    documents = models.JSONField(_("documents collected"), default=list, blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    reference_number = models.CharField(_("reference number"), max_length=60, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    decision_on = models.DateField(_("decision date"), null=True, blank=True)
    amount = models.DecimalField(
        _("monthly amount granted"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    renewal_on = models.DateField(_("renewal / reapplication date"), null=True, blank=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("worker"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [
            models.Index(fields=["person"], name="programmes_application_person"),
            models.Index(fields=["centre", "state"], name="programmes_application_state"),
            models.Index(fields=["staff", "state"], name="programmes_application_staff"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "reference_number"],
                condition=~Q(reference_number=""),
                name="programmes_application_reference_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme_id}:{self.person_id} {self.state}"


class ApplicationStep(models.Model):
    """The append-only history of an application: who did what, when."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("action"), max_length=20)
    state = models.CharField(_("state after"), max_length=16, choices=Application.State.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("time"), auto_now_add=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("application step")
        verbose_name_plural = _("application steps")
        ordering = ["application", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.action}"
