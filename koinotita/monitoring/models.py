"""ESF participation records (entry, exit, six-month follow-up), submitted report snapshots
and the monthly rollup the dashboards read.

Every personal row carries `centre_id`: the owning centre (ARCHITECTURE: the data shards by
centre, so every personal query filters by it; work across centres is aggregate-only).

A participation keeps, at entry, a copy of the facts the indicators need (sex, age at entry)
so that the indicators are computed from this table alone, in one SQL pass, and stay true
when the person's record later changes or is anonymised. A participant recorded without
consent has no link to a person (`person` is empty, `is_anonymous` is set): counted where
the rules allow, never dropped.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from koinotita.organisations.models import Centre, Site
from koinotita.people.models import Person, Sex


class Answer(models.TextChoices):
    """A sensitive question: yes, no, or the participant declined to answer."""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    DECLINED = "declined", _("Declined to answer")


class LabourStatus(models.TextChoices):
    UNEMPLOYED = "unemployed", _("Unemployed")
    INACTIVE = "inactive", _("Inactive")
    EMPLOYED = "employed", _("Employed (self-employed included)")


class Isced(models.TextChoices):
    ISCED_0 = "0", _("Less than primary (ISCED 0)")
    ISCED_1_2 = "1-2", _("Primary or lower secondary (ISCED 1–2)")
    ISCED_3_4 = "3-4", _("Upper secondary or post-secondary (ISCED 3–4)")
    ISCED_5_8 = "5-8", _("Tertiary (ISCED 5–8)")


class ExitStatus(models.TextChoices):
    """The one labour-market situation on leaving (the last one, if several within 28 days)."""

    EMPLOYED = "employed", _("Employed (self-employed included)")
    JOB_SEARCHING = "job_searching", _("Job-searching")
    EDUCATION = "education", _("In education or training")
    INACTIVE = "inactive", _("Inactive, not searching")


class FollowUpStatus(models.TextChoices):
    EMPLOYED = "employed", _("Employed (self-employed included)")
    UNEMPLOYED = "unemployed", _("Unemployed")
    EDUCATION = "education", _("In education or training")
    INACTIVE = "inactive", _("Inactive")


class Participation(models.Model):
    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name=_("person"),
    )
    is_anonymous = models.BooleanField(_("anonymous participant"), default=False)
    # --- entry -------------------------------------------------------------------------
    entry_date = models.DateField(_("entry date"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    age_at_entry = models.PositiveSmallIntegerField(_("age at entry"), null=True, blank=True)
    labour_status = models.CharField(
        _("labour-market status at entry"),
        max_length=12,
        choices=LabourStatus.choices,
        blank=True,
    )
    unemployed_months = models.PositiveSmallIntegerField(
        _("months unemployed"), null=True, blank=True
    )
    in_education = models.BooleanField(_("in education or training"), default=False)
    self_employed = models.BooleanField(_("self-employed"), default=False)
    isced = models.CharField(_("education level"), max_length=3, choices=Isced.choices, blank=True)
    jobless_household = models.BooleanField(_("jobless household"), default=False)
    dependent_children = models.BooleanField(_("household with dependent children"), default=False)
    single_adult = models.BooleanField(_("single adult with dependent children"), default=False)
    # Off: the household situation was not recorded (the record is then incomplete and
    # counts only in the participants' total).
    household_known = models.BooleanField(
        _("household situation recorded"), default=True, db_default=True
    )
    migrant = models.CharField(
        _("migrant"), max_length=8, choices=Answer.choices, default=Answer.NO
    )
    foreign_background = models.CharField(
        _("foreign background"), max_length=8, choices=Answer.choices, default=Answer.NO
    )
    third_country = models.BooleanField(_("third-country national"), default=False)
    minority = models.CharField(
        _("minority (Roma included)"), max_length=8, choices=Answer.choices, default=Answer.NO
    )
    disability = models.CharField(
        _("disability"), max_length=8, choices=Answer.choices, default=Answer.NO
    )
    other_disadvantage = models.CharField(
        _("other disadvantage"), max_length=8, choices=Answer.choices, default=Answer.NO
    )
    homeless = models.BooleanField(_("homeless or housing exclusion"), default=False)
    rural = models.BooleanField(_("living in a rural area"), default=False)
    # --- exit --------------------------------------------------------------------------
    exit_date = models.DateField(_("exit date"), null=True, blank=True)
    exit_status = models.CharField(
        _("situation on leaving"), max_length=14, choices=ExitStatus.choices, blank=True
    )
    exit_self_employed = models.BooleanField(_("self-employed on leaving"), default=False)
    qualification_gained = models.BooleanField(_("gained a qualification"), default=False)
    exit_observed_on = models.DateField(_("situation observed on"), null=True, blank=True)
    # --- six-month follow-up -----------------------------------------------------------
    followup_on = models.DateField(_("follow-up date"), null=True, blank=True)
    followup_status = models.CharField(
        _("situation six months after leaving"),
        max_length=12,
        choices=FollowUpStatus.choices,
        blank=True,
    )
    improved_situation = models.BooleanField(_("improved labour-market situation"), default=False)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # The codes of the record-level checks it fails as warnings (koinotita.monitoring
    # .checks), comma-separated; written by every service that writes the record.
    flags = models.CharField(_("validation flags"), max_length=60, blank=True, db_default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("participation record")
        verbose_name_plural = _("participation records")
        constraints = [
            models.CheckConstraint(
                condition=Q(exit_date__isnull=True) | Q(exit_date__gte=models.F("entry_date")),
                name="monitoring_participation_exit_after_entry",
            ),
            models.CheckConstraint(
                condition=Q(exit_date__isnull=False) | Q(exit_status=""),
                name="monitoring_participation_result_needs_exit",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(is_anonymous=True),
                name="monitoring_participation_person_or_anonymous",
            ),
        ]
        indexes = [
            models.Index(fields=["centre", "entry_date"], name="monitoring_part_centre_entry"),
            models.Index(fields=["centre", "exit_date"], name="monitoring_part_centre_exit"),
            models.Index(fields=["person"], name="monitoring_part_person"),
            models.Index(
                fields=["centre", "entry_date"],
                condition=~Q(flags=""),
                name="monitoring_part_flagged",
            ),
        ]

    def __str__(self) -> str:
        return _("Participation #%(n)s (%(date)s)") % {"n": self.pk, "date": self.entry_date}


class Submission(models.Model):
    """A centre's report for a period, locked and submitted by a supervisor: a snapshot of
    the figures as they were (JSON) and the indicator set version. Never updated; a
    resubmission is a new row with the next version."""

    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    version = models.PositiveSmallIntegerField(_("version"))
    indicator_set = models.CharField(_("indicator set"), max_length=20)
    indicator_version = models.CharField(_("definitions version"), max_length=40)
    figures = models.JSONField(_("figures"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("submitted report")
        verbose_name_plural = _("submitted reports")
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "period_start", "period_end", "indicator_set", "version"],
                name="monitoring_submission_unique_version",
            )
        ]
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.centre_id} {self.period_start}–{self.period_end} v{self.version}"


class RollupCell(models.Model):
    """One monthly figure of one centre (and site, where it has one): aggregate only.
    Built by `koinotita monitoring rollup`; the dashboards read nothing else."""

    class Measure(models.TextChoices):
        CONTACTS = "contacts", _("Contacts")
        SERVICES = "services", _("Services given")
        REFERRALS = "referrals", _("Referral outcomes")
        CASES_OPEN = "cases_open", _("Open cases")
        PERSONS = "persons", _("Persons by category")

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, null=True, related_name="+")
    month = models.DateField()  # the first day of the month
    measure = models.CharField(max_length=12, choices=Measure.choices)
    key = models.CharField(max_length=40)  # channel, axis, state, category
    value = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["centre", "measure", "month"], name="monitoring_rollup_lookup")
        ]

    def __str__(self) -> str:
        return f"{self.centre_id} {self.month} {self.measure} {self.key}: {self.value}"


class RollupRun(models.Model):
    """When the rollup was last brought up to date (shown on the dashboards as «as of»)."""

    # The centre whose figures were refreshed; empty: every centre (what the command does).
    centre = models.ForeignKey(
        Centre, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    from_month = models.DateField(null=True)
    rebuild = models.BooleanField(default=False)
    cells = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-finished_at"]

    def __str__(self) -> str:
        return f"{self.finished_at:%Y-%m-%d %H:%M}"


class ParticipantSummary(models.Model):
    """One row per participant, derived from their participation records so that a report
    is one scan with conditional counts (no sort, no join): the first entry's answers and
    the last record's results (`l_*`, with the days from exit to the observation and to the
    follow-up). Written by the services that write the records (koinotita.monitoring.summary)
    and by a merge of persons; `koinotita monitoring summarise` rebuilds it.

    `participant` is the person's id, or minus the record's id for an anonymous participant
    (who cannot be matched to a re-entry). No foreign key to the person on purpose: a merge
    re-points the records, and the summary is then recomputed from them."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="+")
    participant = models.BigIntegerField()
    # The participant's first record: the row goes with it (no record, no participant).
    first = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="+")
    is_anonymous = models.BooleanField(default=False)
    entry_date = models.DateField()
    sex = models.CharField(max_length=1)
    age_at_entry = models.PositiveSmallIntegerField(null=True)
    labour_status = models.CharField(max_length=12)
    unemployed_months = models.PositiveSmallIntegerField(null=True)
    in_education = models.BooleanField(default=False)
    isced = models.CharField(max_length=3)
    jobless_household = models.BooleanField(default=False)
    dependent_children = models.BooleanField(default=False)
    single_adult = models.BooleanField(default=False)
    household_known = models.BooleanField(default=True, db_default=True)
    migrant = models.CharField(max_length=8)
    foreign_background = models.CharField(max_length=8)
    third_country = models.BooleanField(default=False)
    minority = models.CharField(max_length=8)
    disability = models.CharField(max_length=8)
    other_disadvantage = models.CharField(max_length=8)
    homeless = models.BooleanField(default=False)
    rural = models.BooleanField(default=False)
    l_exit_date = models.DateField(null=True)
    l_exit_status = models.CharField(max_length=14, blank=True)
    l_qualification_gained = models.BooleanField(default=False)
    l_followup_status = models.CharField(max_length=12, blank=True)
    l_improved_situation = models.BooleanField(default=False)
    l_obs_days = models.IntegerField(null=True)
    l_fu_days = models.IntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "participant"], name="monitoring_summary_one_per_participant"
            )
        ]
        indexes = [
            models.Index(fields=["centre", "entry_date"], name="monitoring_summary_entry"),
            models.Index(fields=["centre", "l_exit_date"], name="monitoring_summary_exit"),
        ]

    def __str__(self) -> str:
        return f"{self.centre_id}/{self.participant} {self.entry_date}"
