"""Group and community work: activities (and their series), the attendance of registered
persons and anonymous attendees counted by category, volunteers and their hours, and aid
distributions with their stock and what each household received. Every row carries
`centre_id` (ARCHITECTURE: every personal query filters by centre)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from koinotita.directory.models import Organization
from koinotita.organisations.models import Centre, Site
from koinotita.people.models import Household, Person


class Kind(models.TextChoices):
    """The catalogue of kinds of activity."""

    GROUP_SESSION = "group_session", _("Group session")
    WORKSHOP = "workshop", _("Workshop")
    AWARENESS = "awareness", _("Awareness event")
    COMMUNITY_ACTION = "community", _("Community action")
    OUTREACH_ROUND = "outreach", _("Outreach round")


class AttendeeCategory(models.TextChoices):
    """How anonymous attendees are counted (a person may count in several)."""

    WOMEN = "women", _("Women")
    MEN = "men", _("Men")
    AGE_0_17 = "age_0_17", _("Aged under 18")
    AGE_18_29 = "age_18_29", _("Aged 18–29")
    AGE_30_54 = "age_30_54", _("Aged 30–54")
    AGE_55_64 = "age_55_64", _("Aged 55–64")
    AGE_65 = "age_65", _("Aged 65 and over")
    ROMA = "roma", _("Roma")
    MIGRANT = "migrant", _("Migrants")
    DISABILITY = "disability", _("Persons with disabilities")


class Series(models.Model):
    """A recurring activity (a weekly group): each meeting is an Activity of the series."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("series of activities")
        verbose_name_plural = _("series of activities")

    def __str__(self) -> str:
        return self.title


class Activity(models.Model):
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    series = models.ForeignKey(
        Series,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("series"),
    )
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("site"),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    date = models.DateField(_("date"))
    minutes = models.PositiveIntegerField(_("duration (minutes)"), default=60)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("staff")
    )
    partners = models.ManyToManyField(
        Organization, blank=True, related_name="+", verbose_name=_("partner bodies")
    )
    note = models.CharField(_("short note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Taken offline: the device's id of the record (a second sync finds it) and when it was.
    client_id = models.CharField(max_length=64, blank=True)
    taken_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["centre", "date"], name="activities_activity_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "client_id"],
                condition=~Q(client_id=""),
                name="activities_activity_client_id",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.date})"


class Attendance(models.Model):
    """A registered person attended an activity."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    client_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "person"], name="activities_attendance_unique"
            )
        ]
        indexes = [models.Index(fields=["person"], name="activities_attendance_person")]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.activity_id}"


class AnonymousCount(models.Model):
    """Attendees who did not register, counted by category."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="anonymous")
    category = models.CharField(max_length=16, choices=AttendeeCategory.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "category"], name="activities_anonymous_unique"
            ),
            models.CheckConstraint(condition=Q(count__gte=0), name="activities_anonymous_count"),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.count}"


class Volunteer(models.Model):
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    skills = models.CharField(_("skills"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")

    def __str__(self) -> str:
        return self.name


class VolunteerHours(models.Model):
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="hours")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="volunteering")
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "activity"], name="activities_volunteer_hours_unique"
            ),
            models.CheckConstraint(condition=Q(hours__gt=0), name="activities_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id}: {self.hours}"


# --- Aid distributions ------------------------------------------------------------------------


class DistributionKind(models.TextChoices):
    FOOD = "food", _("Food")
    HYGIENE = "hygiene", _("Hygiene products")
    SCHOOL = "school", _("School supplies")
    CLOTHING = "clothing", _("Clothing")
    OTHER = "other", _("Other")


class Distribution(models.Model):
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=DistributionKind.choices)
    title = models.CharField(_("title"), max_length=200)
    supplier = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("supplying body"),
    )
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    date = models.DateField(_("date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("aid distribution")
        verbose_name_plural = _("aid distributions")

    def __str__(self) -> str:
        return f"{self.title} ({self.date})"


class Item(models.Model):
    """An item of a distribution, with the stock received (handed out: the sum of lines)."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    distribution = models.ForeignKey(Distribution, on_delete=models.CASCADE, related_name="items")
    name = models.CharField(_("item"), max_length=200)
    unit = models.CharField(_("unit"), max_length=30, default="τεμ.")
    received = models.PositiveIntegerField(_("stock received"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["distribution", "name"], name="activities_item_name")
        ]

    def __str__(self) -> str:
        return self.name


class Handout(models.Model):
    """What one household received at one distribution, once, with its acknowledgement."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    distribution = models.ForeignKey(
        Distribution, on_delete=models.CASCADE, related_name="handouts"
    )
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    received_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("received by")
    )
    acknowledged = models.BooleanField(_("the recipient acknowledged receipt"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    client_id = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["distribution", "household"], name="activities_handout_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.household_id} @ {self.distribution_id}"


class HandoutLine(models.Model):
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    handout = models.ForeignKey(Handout, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="lines")
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="activities_line_positive")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} × {self.quantity}"
