"""The centre's main activity record: contacts, the service catalogue, appointments."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from koinotita.organisations.models import Centre, Site
from koinotita.people.models import Person


class Service(models.Model):
    """The catalogue of services a centre gives (domain/services.md), admin-editable."""

    class Axis(models.TextChoices):
        A = "A", _("A. Reception – Information – Support")
        B = "B", _("B. Cooperation with services and structures")
        C = "C", _("C. Living standards and social inclusion")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    axis = models.CharField(_("axis"), max_length=1, choices=Axis.choices)
    name = models.CharField(_("name (Greek)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("service catalogue")
        ordering = ["axis", "order", "name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if (get_language() or "el").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    HOME_VISIT = "home_visit", _("Home visit")
    ANTENNA = "antenna", _("At the antenna")
    OUTREACH = "outreach", _("Outreach")


class Contact(models.Model):
    """Every time a person (or a family, or an anonymous visitor) is served."""

    # No index of its own: (centre, at) below serves every lookup by centre.
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+", db_index=False)
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site")
    )
    at = models.DateTimeField(_("date and time"))
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("staff member"),
    )
    persons = models.ManyToManyField(
        Person, through="ContactPerson", related_name="contacts", verbose_name=_("persons")
    )
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    request = models.TextField(_("what was asked"), max_length=2000, blank=True)
    services = models.ManyToManyField(
        Service, blank=True, related_name="+", verbose_name=_("services given")
    )
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=0)
    note = models.CharField(_("short note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [models.Index(fields=["centre", "at"], name="reception_contact_centre_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_channel_display()}"


class ContactPerson(models.Model):
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    # No index of their own: (contact, person) is unique, and person has its named index.
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+", db_index=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", db_index=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "person"], name="reception_contactperson_unique"
            )
        ]
        indexes = [models.Index(fields=["person"], name="reception_contactperson_person")]

    def __str__(self) -> str:
        return f"{self.contact_id}:{self.person_id}"


class Appointment(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        ARRIVED = "arrived", _("Arrived")
        CANCELLED = "cancelled", _("Cancelled")
        NO_SHOW = "no_show", _("Did not come")

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("person")
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("staff member"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.BOOKED
    )
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    contact = models.OneToOneField(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="appointment"
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="reception_appointment_ends_after_start",
            )
        ]
        indexes = [
            models.Index(fields=["centre", "starts_at"], name="reception_appt_centre_start"),
            models.Index(fields=["staff", "starts_at"], name="reception_appt_staff_start"),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} {self.person_id}"


class AppointmentRequest(models.Model):
    """A citizen's request for an appointment, typed on the public pages (no login). It holds
    only what the citizen typed; it creates no Person. Reception confirms it (an ordinary
    Appointment, with a person linked or registered), proposes another time, or declines;
    the citizen is told by e-mail when they gave one."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        CONFIRMED = "confirmed", _("Confirmed")
        PROPOSED = "proposed", _("Another time proposed")
        DECLINED = "declined", _("Declined")

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site")
    )
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    phone_digits = models.CharField(max_length=20, blank=True, editable=False)
    email = models.EmailField(_("e-mail"), blank=True)
    reason = models.TextField(_("reason"), max_length=1000)
    preferred_times = models.CharField(_("times that suit"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=5, default="el")
    consented_at = models.DateTimeField(_("consent to be contacted"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    proposed_at = models.DateTimeField(_("time proposed"), null=True, blank=True)
    answer_note = models.CharField(_("note to the citizen"), max_length=500, blank=True)
    appointment = models.OneToOneField(
        Appointment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="public_request",
    )

    class Meta:
        verbose_name = _("appointment request")
        verbose_name_plural = _("appointment requests")
        indexes = [
            models.Index(fields=["centre", "status", "created_at"], name="reception_req_centre"),
            models.Index(fields=["site", "created_at"], name="reception_req_site_day"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} #{self.pk}"


class RequestRefusal(models.Model):
    """How many public requests were refused on a day and why (a flood, a bot, a site's
    daily cap): counts only, for the supervisor; never what was typed."""

    class Why(models.TextChoices):
        RATE_ADDRESS = "rate_address", _("Too many requests from one address")
        RATE_PHONE = "rate_phone", _("Too many requests for one phone")
        BOT = "bot", _("Filled in by a program")
        DAILY_CAP = "daily_cap", _("The site's daily limit was reached")

    day = models.DateField(_("day"))
    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    why = models.CharField(_("why"), max_length=20, choices=Why.choices)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("refused public requests")
        verbose_name_plural = _("refused public requests")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "centre", "why"], name="reception_refusal_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.why} {self.count}"


class Reminder(models.Model):
    """A message sent (or tried) to a citizen: an appointment reminder or the documents to
    bring. Logged WITHOUT its content (the text is made from the appointment when sent); a
    failed one stays `failed` until `reception.reminders.reminder_retry` sends it."""

    class Kind(models.TextChoices):
        APPOINTMENT = "appointment", _("Appointment reminder")
        DOCUMENTS = "documents", _("Documents to bring")

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("E-mail")

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed, to retry")

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=6, choices=Channel.choices)
    documents = models.JSONField(default=list, blank=True)  # names of documents, no text
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=100, blank=True)  # the kind of failure, no content
    gateway_id = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        indexes = [models.Index(fields=["centre", "status"], name="reception_reminder_status")]

    def __str__(self) -> str:
        return f"{self.kind} {self.channel} {self.status}"
