"""Persons, households and consent. Every row carries `centre_id`: the owning centre
(ARCHITECTURE: the data shards by centre, so every personal query filters by it)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from koinotita.organisations.models import Centre, Municipality


class Sex(models.TextChoices):
    FEMALE = "F", _("Woman")
    MALE = "M", _("Man")
    NON_BINARY = "X", _("Non-binary")
    UNKNOWN = "U", _("Not stated")


class Category(models.TextChoices):
    """Who the beneficiaries are (domain/services.md), coded."""

    VULNERABLE_GROUP = "vulnerable", _("Member of a socially vulnerable group")
    SOCIAL_PROGRAMME = "programme", _("Beneficiary of social programmes")
    MINIMUM_INCOME = "min_income", _("Beneficiary of the minimum guaranteed income")
    POVERTY = "poverty", _("Living in poverty")
    BASIC_NEEDS = "basic_needs", _("Struggling to cover basic needs or reach services")
    UNEMPLOYED = "unemployed", _("Unemployed")
    DISABILITY = "disability", _("Person with disabilities")
    CRISIS = "crisis", _("Hit by the economic crisis")
    CHILD_AT_RISK = "child_risk", _("Child at risk")
    MIGRANT = "migrant", _("Migrant")
    ROMA = "roma", _("Roma")


class IdDocument(models.TextChoices):
    NONE = "", _("None")
    POLICE_ID = "police_id", _("Police ID card")
    PASSPORT = "passport", _("Passport")
    RESIDENCE_PERMIT = "residence", _("Residence permit")
    PAAYPA = "paaypa", _("Temporary social security number (ΠΑΑΥΠΑ)")
    OTHER = "other", _("Other document")


class Language(models.TextChoices):
    GREEK = "el", _("Greek")
    ENGLISH = "en", _("English")
    ALBANIAN = "sq", _("Albanian")
    ARABIC = "ar", _("Arabic")
    ROMANI = "rom", _("Romani")
    BULGARIAN = "bg", _("Bulgarian")
    RUSSIAN = "ru", _("Russian")
    FARSI = "fa", _("Farsi")
    OTHER = "other", _("Other")


class Relationship(models.TextChoices):
    HEAD = "head", _("Head of household")
    PARTNER = "partner", _("Spouse or partner")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    OTHER = "other", _("Other")


class Settlement(models.Model):
    """A settlement or neighbourhood a centre serves as a whole (a Roma settlement, a village
    a mobile unit visits): mediators are assigned to it."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )

    class Meta:
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        constraints = [
            models.UniqueConstraint(fields=["centre", "name"], name="people_settlement_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Household(models.Model):
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    settlement = models.ForeignKey(
        Settlement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="households",
        verbose_name=_("settlement"),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return f"{_('Household')} #{self.pk}"


class Person(models.Model):
    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="persons", verbose_name=_("centre")
    )
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    given_name_latin = models.CharField(_("given name (Latin)"), max_length=100, blank=True)
    family_name_latin = models.CharField(_("family name (Latin)"), max_length=100, blank=True)
    father_name = models.CharField(_("father's name"), max_length=100, blank=True)
    mother_name = models.CharField(_("mother's name"), max_length=100, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    citizenship = models.CharField(_("citizenship"), max_length=2, default="GR", blank=True)
    amka = models.CharField(_("AMKA"), max_length=11, blank=True)
    afm = models.CharField(_("AFM"), max_length=9, blank=True)
    afm_override_reason = models.CharField(
        _("reason the AFM is accepted despite its check digit"), max_length=300, blank=True
    )
    id_document_type = models.CharField(
        _("ID document"), max_length=12, choices=IdDocument.choices, blank=True, default=""
    )
    id_document_number = models.CharField(_("document number"), max_length=30, blank=True)
    id_document_unverified = models.BooleanField(_("document format not verified"), default=False)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    phone_digits = models.CharField(max_length=20, blank=True, editable=False)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    residence_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality of residence"),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=Language.choices, default=Language.GREEK
    )
    categories = models.JSONField(_("categories"), default=list, blank=True)
    household = models.ForeignKey(
        Household,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("household"),
    )
    household_relationship = models.CharField(
        _("relationship"), max_length=10, choices=Relationship.choices, blank=True
    )
    # The phonetic form of every name (koinotita.lib.greek.phonetic), family name first.
    search_key = models.CharField(max_length=400, editable=False, db_index=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("merged into"),
    )
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "amka"],
                condition=~Q(amka="") & Q(merged_into__isnull=True),
                name="people_person_unique_amka_per_centre",
            ),
            models.UniqueConstraint(
                fields=["centre", "afm"],
                condition=~Q(afm="") & Q(merged_into__isnull=True),
                name="people_person_unique_afm_per_centre",
            ),
            models.UniqueConstraint(
                fields=["centre", "id_document_number"],
                condition=~Q(id_document_number="") & Q(merged_into__isnull=True),
                name="people_person_unique_id_document_per_centre",
            ),
        ]
        indexes = [
            models.Index(fields=["centre", "family_name", "given_name"], name="people_person_name"),
            models.Index(fields=["centre", "birth_date"], name="people_person_birth"),
            models.Index(fields=["amka"], name="people_person_amka"),
            models.Index(fields=["afm"], name="people_person_afm"),
            models.Index(fields=["phone_digits"], name="people_person_phone"),
            models.Index(fields=["id_document_number"], name="people_person_id_document"),
        ]

    def __str__(self) -> str:
        return f"{self.family_name} {self.given_name}"

    @property
    def is_active(self) -> bool:
        return self.merged_into_id is None and self.anonymised_at is None


class Consent(models.Model):
    class Purpose(models.TextChoices):
        REGISTRATION = "registration", _("Registration and support")
        REFERRAL_SHARING = "referral", _("Sharing with a partner for a referral")
        CONTACT_SMS = "sms", _("Contact by SMS")
        CONTACT_EMAIL = "email", _("Contact by e-mail")

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    # No index of its own: (person, purpose) below serves every lookup by person.
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="consents", db_index=False
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    partner = models.CharField(_("partner organisation"), max_length=200, blank=True)
    # The directory organisation a consent to share names (people.recipients); blank on a
    # referral consent whose free-text partner matched no organisation.
    recipient_key = models.CharField(_("recipient in the directory"), max_length=64, blank=True)
    given_on = models.DateField(_("given on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_reason = models.CharField(_("reason for withdrawal"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["person", "purpose"], name="people_consent_purpose")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.given_on})"

    @property
    def recipient_unmatched(self) -> bool:
        """A consent to share whose recipient is a name the directory does not know."""
        return self.purpose == self.Purpose.REFERRAL_SHARING and not self.recipient_key


class PersonMerge(models.Model):
    """A merge of a duplicate record into the one kept, with what moved, so it can be undone."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    duplicate = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    moved = models.JSONField(default=dict)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("merge of records")
        verbose_name_plural = _("merges of records")

    def __str__(self) -> str:
        return f"{self.duplicate_id} → {self.kept_id}"


class MediatorAssignment(models.Model):
    """A supervisor gives a mediator a person, a household or a settlement: the persons a
    mediator may see (koinotita.accounts.scoping, ASSIGNED PERSONS ONLY). Ended, never
    deleted."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="mediator_assignments",
        verbose_name=_("mediator"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("household"),
    )
    settlement = models.ForeignKey(
        Settlement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("settlement"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("assignment to a mediator")
        verbose_name_plural = _("assignments to mediators")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(person__isnull=False, household__isnull=True, settlement__isnull=True)
                    | Q(person__isnull=True, household__isnull=False, settlement__isnull=True)
                    | Q(person__isnull=True, household__isnull=True, settlement__isnull=False)
                ),
                name="people_assignment_one_target",
            )
        ]
        indexes = [models.Index(fields=["mediator", "centre"], name="people_assignment_mediator")]

    def __str__(self) -> str:
        return f"{self.mediator_id} → {self.target}"

    @property
    def target(self):
        return self.person or self.household or self.settlement
