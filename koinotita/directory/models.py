"""The directory of organisations and the services they offer, modelled on the Open
Referral Human Services Data Specification (HSDS) 3.0.

Tables and fields keep HSDS's names (Organization, Service, Location, ServiceAtLocation,
Address, Contact, Phone, Schedule, ServiceArea, Language, CostOption, RequiredDocument), and
every row's primary key is its HSDS id (a UUID), so that an import of the same file updates
rather than duplicates. What HSDS does not have a field for — the kind of organisation, the
needs a service meets, the categories of beneficiaries it serves, whether it accepts
referrals and how long one waits — is exported as HSDS `attributes` against Koinotita's own
taxonomies (see koinotita.directory.hsds).

The directory is not personal data: it has no `centre_id` and is read without centre
scoping. Only cooperation protocols belong to a centre.
"""

import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from koinotita.organisations.models import Centre, Municipality


def documents_storage():
    return FileSystemStorage(location=settings.DOCUMENTS_DIR)


class OrganizationKind(models.TextChoices):
    MUNICIPAL = "municipal", _("Municipal service")
    PUBLIC = "public", _("Public service")
    HEALTH = "health", _("Health or mental-health body")
    NGO = "ngo", _("NGO")
    VOLUNTEER = "volunteer", _("Volunteer group")
    SOCIAL_ENTERPRISE = "social_enterprise", _("Social enterprise")
    CHURCH = "church", _("Church or charity")
    OTHER = "other", _("Other")


class Need(models.TextChoices):
    """What a service helps with: the directory's own taxonomy of needs."""

    INCOME = "income", _("Benefits and income support")
    EMPLOYMENT = "employment", _("Employment and training")
    HEALTH = "health", _("Health care")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    ADDICTION = "addiction", _("Addiction")
    CHILD_PROTECTION = "child_protection", _("Child protection")
    FAMILY = "family", _("Family support")
    FOOD = "food", _("Food and material aid")
    HOUSING = "housing", _("Housing and shelter")
    LEGAL = "legal", _("Legal aid")
    EDUCATION = "education", _("Education")
    DISABILITY = "disability", _("Disability")
    ELDERLY = "elderly", _("Care of the elderly")
    VIOLENCE = "violence", _("Violence against women")
    MIGRANTS = "migrants", _("Migrants and refugees")
    ROMA = "roma", _("Roma inclusion")


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    DEFUNCT = "defunct", _("Defunct")
    TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")


class LocationType(models.TextChoices):
    PHYSICAL = "physical", _("Physical")
    POSTAL = "postal", _("Postal")
    VIRTUAL = "virtual", _("Virtual")


class Verifiable(models.Model):
    """When a record was last checked against reality, and by whom."""

    last_verified_on = models.DateField(_("last verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_by_name = models.CharField(
        _("verified by (name or e-mail)"),
        max_length=200,
        blank=True,
        help_text=_("Who verified it, as recorded (also for verifications imported from HSDS)."),
    )
    is_sample = models.BooleanField(
        _("sample data"), default=False, help_text=_("Fictitious record shipped for the demo.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Organization(Verifiable):
    id = models.UUIDField(_("HSDS id"), primary_key=True, default=uuid.uuid4)
    name = models.CharField(_("name"), max_length=300)
    alternate_name = models.CharField(_("alternate name"), max_length=300, blank=True)
    description = models.TextField(_("description"))
    kind = models.CharField(
        _("kind"), max_length=20, choices=OrganizationKind.choices, default=OrganizationKind.OTHER
    )
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    legal_status = models.CharField(_("legal status"), max_length=200, blank=True)
    year_incorporated = models.PositiveSmallIntegerField(
        _("year incorporated"), null=True, blank=True
    )
    uri = models.CharField(_("persistent identifier (URI)"), max_length=500, blank=True)
    logo = models.URLField(_("logo (web address)"), max_length=500, blank=True)
    parent_organization = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent organisation"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality of the seat"),
        help_text=_("A supervisor of this municipality may keep the organisation up to date."),
    )
    search_key = models.CharField(max_length=1000, editable=False, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Location(Verifiable):
    id = models.UUIDField(_("HSDS id"), primary_key=True, default=uuid.uuid4)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="locations",
        verbose_name=_("organisation"),
    )
    location_type = models.CharField(
        _("location type"), max_length=10, choices=LocationType.choices, default="physical"
    )
    url = models.URLField(_("web address"), blank=True)
    name = models.CharField(_("name"), max_length=300, blank=True)
    alternate_name = models.CharField(_("alternate name"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    transportation = models.TextField(_("how to get there"), blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    external_identifier = models.CharField(_("external identifier"), max_length=200, blank=True)
    external_identifier_type = models.CharField(
        _("external identifier type"), max_length=200, blank=True
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name or str(self.pk)


class Address(models.Model):
    class AddressType(models.TextChoices):
        PHYSICAL = "physical", _("Physical")
        POSTAL = "postal", _("Postal")
        VIRTUAL = "virtual", _("Virtual")

    id = models.UUIDField(_("HSDS id"), primary_key=True, default=uuid.uuid4)
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="addresses", verbose_name=_("location")
    )
    attention = models.CharField(_("attention of"), max_length=200, blank=True)
    address_1 = models.CharField(_("address"), max_length=300)
    address_2 = models.CharField(_("address (continued)"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=200)
    region = models.CharField(_("region"), max_length=200, blank=True)
    state_province = models.CharField(_("regional unit"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=20)
    country = models.CharField(_("country"), max_length=2, default="GR")
    address_type = models.CharField(
        _("address type"), max_length=10, choices=AddressType.choices, default="physical"
    )

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")

    def __str__(self) -> str:
        return f"{self.address_1}, {self.postal_code} {self.city}"


class Service(Verifiable):
    id = models.UUIDField(_("HSDS id"), primary_key=True, default=uuid.uuid4)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="services",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=300)
    alternate_name = models.CharField(_("alternate name"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("web address"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    interpretation_services = models.TextField(_("interpretation services"), blank=True)
    application_process = models.TextField(_("how to apply"), blank=True)
    fees_description = models.TextField(_("fees"), blank=True)
    accreditations = models.TextField(_("accreditations"), blank=True)
    licenses = models.TextField(_("licences"), blank=True)
    alert = models.TextField(_("alert"), blank=True)
    needs = models.JSONField(_("needs met"), default=list, blank=True)
    # Eligibility: free text plus a structured age range and beneficiary categories
    # (koinotita.people.models.Category codes).
    eligibility_description = models.TextField(_("eligibility"), blank=True)
    minimum_age = models.PositiveSmallIntegerField(
        _("minimum age"), null=True, blank=True, validators=[MaxValueValidator(130)]
    )
    maximum_age = models.PositiveSmallIntegerField(
        _("maximum age"), null=True, blank=True, validators=[MaxValueValidator(130)]
    )
    eligibility_categories = models.JSONField(_("beneficiary categories"), default=list, blank=True)
    # Capacity.
    accepting_referrals = models.BooleanField(_("accepting referrals"), default=True)
    wait_time = models.CharField(_("waiting time"), max_length=300, blank=True)
    wait_time_days = models.PositiveIntegerField(
        _("waiting time (days)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    last_modified = models.DateTimeField(_("last modified"), null=True, blank=True)
    # Derived, written by the services: " need1 need2 " for a portable LIKE filter, and the
    # phonetic words (koinotita.lib.greek.phonetic) of the service and its organisation,
    # and the Snowball stems of their Greek words (koinotita.lib.greek.stem_key).
    needs_key = models.CharField(max_length=400, editable=False, blank=True)
    categories_key = models.CharField(max_length=400, editable=False, blank=True)
    search_key = models.CharField(max_length=2000, editable=False, blank=True)
    stem_key = models.CharField(max_length=2000, editable=False, blank=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["status", "name"], name="directory_service_status"),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceAtLocation(models.Model):
    id = models.UUIDField(_("HSDS id"), primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        related_name="service_at_locations",
        verbose_name=_("service"),
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.CASCADE,
        related_name="service_at_locations",
        verbose_name=_("location"),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("service at a location")
        verbose_name_plural = _("services at locations")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "location"], name="directory_service_at_location_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} @ {self.location}"


class Contact(models.Model):
    id = models.UUIDField(_("HSDS id"), primary_key=True, default=uuid.uuid4)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts",
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    department = models.CharField(_("department"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name or self.department or str(self.pk)


class Phone(models.Model):
    id = models.UUIDField(_("HSDS id"), primary_key=True, default=uuid.uuid4)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    number = models.CharField(_("number"), max_length=50)
    extension = models.PositiveIntegerField(_("extension"), null=True, blank=True)
    type = models.CharField(_("type"), max_length=30, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("phone")
        verbose_name_plural = _("phones")

    def __str__(self) -> str:
        return self.number


class Schedule(models.Model):
    """Opening hours (HSDS schedule: iCalendar-like recurrence plus free text)."""

    id = models.UUIDField(_("HSDS id"), primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="schedules",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    dtstart = models.DateField(_("first occurrence"), null=True, blank=True)
    timezone = models.DecimalField(
        _("UTC offset"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    until = models.DateField(_("until"), null=True, blank=True)
    count = models.PositiveIntegerField(_("count"), null=True, blank=True)
    wkst = models.CharField(_("week starts"), max_length=2, blank=True)
    freq = models.CharField(_("frequency"), max_length=10, blank=True)
    interval = models.PositiveIntegerField(_("interval"), null=True, blank=True)
    byday = models.CharField(_("days"), max_length=100, blank=True)
    byweekno = models.CharField(_("weeks"), max_length=100, blank=True)
    bymonthday = models.CharField(_("days of month"), max_length=100, blank=True)
    byyearday = models.CharField(_("days of year"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    schedule_link = models.URLField(_("schedule link"), blank=True)
    attending_type = models.CharField(_("attending type"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")

    def __str__(self) -> str:
        return self.description or f"{self.byday} {self.opens_at}–{self.closes_at}"


class ServiceArea(models.Model):
    id = models.UUIDField(_("HSDS id"), primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        related_name="service_areas",
        verbose_name=_("service"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    extent = models.TextField(_("extent"), blank=True)
    extent_type = models.CharField(_("extent type"), max_length=50, blank=True)
    uri = models.CharField(_("URI"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")
        indexes = [
            models.Index(fields=["municipality", "service"], name="directory_area_municipality")
        ]

    def __str__(self) -> str:
        return self.name


class Language(models.Model):
    id = models.UUIDField(_("HSDS id"), primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="languages"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="languages"
    )
    phone = models.ForeignKey(
        Phone, on_delete=models.CASCADE, null=True, blank=True, related_name="languages"
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    code = models.CharField(_("code"), max_length=20, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        return self.name or self.code


class CostOption(models.Model):
    id = models.UUIDField(_("HSDS id"), primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="cost_options", verbose_name=_("service")
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    option = models.CharField(_("option"), max_length=300, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR", blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    amount_description = models.CharField(_("amount description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("cost")
        verbose_name_plural = _("costs")

    def __str__(self) -> str:
        return self.option or str(self.amount)


class RequiredDocument(models.Model):
    id = models.UUIDField(_("HSDS id"), primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        related_name="required_documents",
        verbose_name=_("service"),
    )
    document = models.CharField(_("document"), max_length=500)
    uri = models.URLField(_("link"), blank=True)

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")

    def __str__(self) -> str:
        return self.document


class Unit(models.Model):
    """What a capacity counts (HSDS 3.1 `unit`): places, beds, appointments, food parcels."""

    id = models.UUIDField(_("HSDS id"), primary_key=True, default=uuid.uuid4)
    name = models.CharField(_("name"), max_length=200)
    scheme = models.CharField(_("scheme"), max_length=200, blank=True)
    identifier = models.CharField(_("identifier"), max_length=200, blank=True)
    uri = models.URLField(_("URI"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServiceCapacity(models.Model):
    """How much of a service is available now (HSDS 3.1 `service_capacity`): so many units
    available of a maximum, as of when it was last updated."""

    id = models.UUIDField(_("HSDS id"), primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="capacities", verbose_name=_("service")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    available = models.DecimalField(
        _("available"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    maximum = models.DecimalField(
        _("maximum"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    description = models.TextField(_("description"), blank=True)
    updated = models.DateTimeField(_("updated"))

    class Meta:
        verbose_name = _("capacity")
        verbose_name_plural = _("capacities")
        ordering = ["unit__name"]

    def __str__(self) -> str:
        return f"{self.available} {self.unit}"


class CooperationProtocol(models.Model):
    """A memorandum of cooperation between a Community Centre and an organisation."""

    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="protocols",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("title"), max_length=300)
    protocol_number = models.CharField(_("protocol number"), max_length=100, blank=True)
    signed_on = models.DateField(_("signed on"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    document = models.FileField(
        _("document"), upload_to="protocols/%Y/", storage=documents_storage, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("cooperation protocol")
        verbose_name_plural = _("cooperation protocols")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="directory_protocol_valid_until_after_from",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ChangeReport(models.Model):
    """Someone said a service's record no longer matches reality: a supervisor from the
    verification list, or the partner who runs it through their monthly confirmation link.
    It stays open until the record is verified again."""

    class Via(models.TextChoices):
        STAFF = "staff", _("staff")
        PARTNER_LINK = "partner_link", _("the partner's confirmation link")

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="change_reports", verbose_name=_("service")
    )
    note = models.TextField(_("what changed"), blank=True)
    via = models.CharField(_("reported through"), max_length=20, choices=Via.choices)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reported_by_name = models.CharField(_("reported by (name or e-mail)"), max_length=200)
    reported_at = models.DateTimeField(_("reported"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("reported change")
        verbose_name_plural = _("reported changes")
        ordering = ["-reported_at"]
        indexes = [models.Index(fields=["service", "resolved_at"])]

    def __str__(self) -> str:
        return f"{self.service} ({self.reported_at:%Y-%m-%d})"


class VerificationRequest(models.Model):
    """The monthly e-mail that asks a partner to confirm their organisation's services,
    with a signed link (directory.services.verification_mail). One per organisation,
    recipient and month, so that a rerun of the mailing sends nothing twice."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="verification_requests",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("recipient"),
    )
    email = models.EmailField(_("e-mail"))
    month = models.DateField(_("month"), help_text=_("The first day of the month it asks for."))
    nonce = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("verification request")
        verbose_name_plural = _("verification requests")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user", "month"], name="directory_verification_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} → {self.email} ({self.month:%Y-%m})"
