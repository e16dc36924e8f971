"""Case files: the case, its team and history, assessments, the plan, sessions, notes,
attachments, tasks, closure requests and transfers.

Every row carries `centre_id`, the owning centre (ARCHITECTURE: the data shards by centre,
so every personal query filters by it). Rows of a case always carry the case's centre.
No business rule lives here: writes are in `services.py`, reads in `selectors.py`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from koinotita.organisations.models import Centre
from koinotita.people.models import Household, Person
from koinotita.programmes.models import Application


class Domain(models.TextChoices):
    """The domains of a needs assessment, to which goals are linked."""

    INCOME = "income", _("Income and benefits")
    HOUSING = "housing", _("Housing")
    EMPLOYMENT = "employment", _("Employment")
    HEALTH = "health", _("Health and disability")
    EDUCATION = "education", _("Education")
    FAMILY = "family", _("Family and care")
    LEGAL = "legal", _("Legal and documents")
    SOCIAL = "social", _("Social participation")


class Rating(models.IntegerChoices):
    """How serious the need is in a domain (1 = no need … 5 = crisis)."""

    NO_NEED = 1, _("1 – No need")
    LOW = 2, _("2 – Low need")
    MODERATE = 3, _("3 – Moderate need")
    HIGH = 4, _("4 – High need")
    CRISIS = 5, _("5 – Crisis")


class Case(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        CLOSED = "closed", _("Closed")

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")
        URGENT = "urgent", _("Urgent")

    class ClosureReason(models.TextChoices):
        GOALS_ACHIEVED = "goals_achieved", _("Goals achieved")
        REFERRED_ON = "referred_on", _("Referred on")
        MOVED_AWAY = "moved_away", _("Moved away")
        NO_CONTACT = "no_contact", _("No longer in contact")
        DECLINED = "declined", _("Declined support")
        DECEASED = "deceased", _("Deceased")
        TRANSFERRED = "transferred", _("Transferred to another centre")
        OTHER = "other", _("Other")

    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="cases", verbose_name=_("person")
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("household"),
    )
    lead_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lead worker"),
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CaseMember",
        related_name="+",
        blank=True,
        verbose_name=_("team"),
    )
    reason = models.TextField(_("reason for opening"), max_length=2000)
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_reason = models.CharField(
        _("reason for closure"), max_length=16, choices=ClosureReason.choices, blank=True
    )
    closure_note = models.TextField(_("closure note"), max_length=2000, blank=True)
    # The last session or contact logged on the case (kept by the services), so that the
    # supervisor's "no contact in N days" is an index scan, not an aggregate over sessions.
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True)
    # Optimistic locking of the plan: every plan write must present the version it read.
    plan_version = models.PositiveIntegerField(default=1)
    plan_agreed_on = models.DateField(_("plan agreed with the person on"), null=True, blank=True)
    # A case transferred away stays at its centre as a read-only stub pointing to the new one.
    transferred_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("transferred to"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True)
                | models.Q(closed_on__gte=models.F("opened_on")),
                name="cases_case_closed_after_opened",
            )
        ]
        indexes = [
            models.Index(fields=["centre", "lead_worker", "status"], name="cases_case_lead"),
            models.Index(fields=["centre", "status", "opened_on"], name="cases_case_status"),
            models.Index(fields=["centre", "last_contact_at"], name="cases_case_last_contact"),
            models.Index(fields=["person"], name="cases_case_person"),
            # The caseworker's home: the first open cases of a worker by priority, oldest
            # first, read in index order.
            models.Index(
                fields=["lead_worker", "priority", "opened_on"],
                condition=models.Q(transferred_to__isnull=True) & ~models.Q(status="closed"),
                name="cases_case_lead_open",
            ),
            # The supervisor's team view: cases not closed per worker, by status and age,
            # counted from the index alone (an index-only scan, no visit to the table).
            models.Index(
                fields=["centre", "lead_worker", "status", "opened_on"],
                condition=models.Q(transferred_to__isnull=True) & ~models.Q(status="closed"),
                name="cases_case_team_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Case')} #{self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def is_stub(self) -> bool:
        return self.transferred_to_id is not None


class CaseMember(models.Model):
    """A worker on the case's team besides the lead worker."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="cases_member_unique")]
        indexes = [models.Index(fields=["user", "centre"], name="cases_member_user")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.user_id}"


class CaseEvent(models.Model):
    """The append-only history of a case, from which its timeline is drawn. Never updated."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Opened")
        STATUS = "status", _("Status changed")
        REASSIGNED = "reassigned", _("Reassigned")
        TEAM = "team", _("Team changed")
        ASSESSMENT = "assessment", _("Assessment")
        PLAN = "plan", _("Plan changed")
        SESSION = "session", _("Session")
        NOTE = "note", _("Note")
        ATTACHMENT = "attachment", _("Attachment")
        TASK = "task", _("Task")
        CLOSURE_REQUESTED = "closure_requested", _("Closure requested")
        CLOSURE_REJECTED = "closure_rejected", _("Closure request rejected")
        CLOSED = "closed", pgettext_lazy("case event", "Closed")
        REOPENED = "reopened", _("Reopened")
        TRANSFER = "transfer", _("Transfer")

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("who")
    )
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    from_status = models.CharField(_("from"), max_length=10, blank=True)
    to_status = models.CharField(_("to"), max_length=10, blank=True)
    note = models.CharField(_("note"), max_length=2000, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case history")
        indexes = [models.Index(fields=["case", "at"], name="cases_event_case_at")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.at:%Y-%m-%d}"

    @property
    def from_label(self) -> str:
        """The status before, in words («Ανοιχτή»), or "" when the event has none."""
        return _status_label(self.from_status)

    @property
    def to_label(self) -> str:
        return _status_label(self.to_status)


def _status_label(code: str) -> str:
    if not code:
        return ""
    try:
        return str(Case.Status(code).label)
    except ValueError:
        return code


class Assessment(models.Model):
    """A needs assessment on a date: one rating and note per domain. Repeatable."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assessments")
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField(_("summary"), max_length=4000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [models.Index(fields=["case", "assessed_on"], name="cases_assessment_case")]

    def __str__(self) -> str:
        return f"{_('Assessment')} {self.assessed_on}"


class AssessmentItem(models.Model):
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="items")
    domain = models.CharField(_("domain"), max_length=12, choices=Domain.choices)
    rating = models.PositiveSmallIntegerField(_("rating"), choices=Rating.choices)
    note = models.CharField(_("note"), max_length=1000, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "domain"], name="cases_assessment_item_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="cases_rating_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.domain}={self.rating}"


class Goal(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        ACHIEVED = "achieved", _("Achieved")
        NOT_ACHIEVED = "not_achieved", _("Not achieved")
        DROPPED = "dropped", _("Dropped")

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="goals")
    domain = models.CharField(_("domain"), max_length=12, choices=Domain.choices)
    title = models.CharField(_("goal"), max_length=300)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible"),
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    outcome = models.CharField(_("outcome"), max_length=1000, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class GoalAction(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(_("action"), max_length=500)
    responsible = models.CharField(_("responsible"), max_length=200, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text


class Session(models.Model):
    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        FAMILY = "family", _("Family")
        GROUP = "group", _("Group")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("Phone")
        HOME_VISIT = "home_visit", _("Home visit")

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="sessions")
    held_at = models.DateTimeField(_("date and time"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    persons = models.ManyToManyField(
        Person, through="SessionParticipant", related_name="+", verbose_name=_("participants")
    )
    other_participants = models.CharField(_("other participants"), max_length=300, blank=True)
    summary = models.CharField(_("topic"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [models.Index(fields=["case", "held_at"], name="cases_session_case")]

    def __str__(self) -> str:
        return f"{self.held_at:%Y-%m-%d} {self.get_kind_display()}"


class SessionParticipant(models.Model):
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], name="cases_session_participant_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.person_id}"


class Note(models.Model):
    # The labels say what cases.selectors.note_access does: restricted and clinical notes are
    # read by their author, and by a supervisor only through break-glass (a written reason,
    # audited and shown to the author); clinical marks professional secrecy, in the export too.
    class Level(models.TextChoices):
        TEAM = "team", _("Team: the case team and the supervisor read it")
        RESTRICTED = (
            "restricted",
            _(
                "Restricted: the author reads it; the supervisor only by opening it with a written "
                "reason"
            ),
        )
        CLINICAL = (
            "clinical",
            _(
                "Clinical (professional secrecy): the author reads it; the supervisor only by "
                "opening it with a written reason"
            ),
        )

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notes")
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, null=True, blank=True, related_name="notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(
        _("confidentiality"), max_length=10, choices=Level.choices, default=Level.TEAM
    )
    text = models.TextField(_("note"), max_length=20000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        indexes = [models.Index(fields=["case", "created_at"], name="cases_note_case")]

    def __str__(self) -> str:
        return f"{_('Note')} #{self.pk}"

    @property
    def level_name(self) -> str:
        """The level in one word, for the badge beside the note."""
        return str(NOTE_LEVEL_NAMES[self.level])

    @property
    def is_sealed(self) -> bool:
        return self.level != self.Level.TEAM


NOTE_LEVEL_NAMES = {
    Note.Level.TEAM: _("Team note"),
    Note.Level.RESTRICTED: _("Restricted note"),
    Note.Level.CLINICAL: _("Clinical note"),
}
NOTE_LEVEL_HELP = _(
    "A team note is read by the case team and the supervisor. A restricted or a clinical note "
    "is read only by its author: the supervisor sees that it exists and can open it only by "
    "writing a reason, which is recorded in the audit trail and shown to the author; other "
    "caseworkers and mediators never see it. Clinical also marks it as professional secrecy."
)


class NoteAccess(models.Model):
    """A supervisor's break-glass reading of a note not open to them: reason, when; shown to
    the note's author."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    note = models.ForeignKey(Note, on_delete=models.PROTECT, related_name="break_glass")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=1000)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["note", "user"], name="cases_noteaccess_note_user")]

    def __str__(self) -> str:
        return f"{self.note_id}:{self.user_id}"


class Attachment(models.Model):
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    title = models.CharField(_("title"), max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    # Relative to settings.DOCUMENTS_DIR; never under the web root.
    storage_name = models.CharField(max_length=200, unique=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.title


class Task(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    # The application whose renewal this task is (cases.renewals keeps it with the approval).
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("task"), max_length=300)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assignee"),
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [
            models.Index(fields=["assignee", "status", "due_on"], name="cases_task_assignee"),
            models.Index(fields=["centre", "status", "due_on"], name="cases_task_centre_due"),
            models.Index(fields=["case", "status"], name="cases_task_case"),
            models.Index(
                fields=["assignee", "due_on"],
                condition=models.Q(status="open"),
                name="cases_task_assignee_open",
            ),
            # The team view's overdue tasks per worker, from the index alone.
            models.Index(
                fields=["centre", "due_on", "assignee"],
                condition=models.Q(status="open"),
                name="cases_task_centre_open",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ClosureRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    class OpenTasks(models.TextChoices):
        NONE = "", _("There are no open tasks")
        CANCEL = "cancel", _("Cancel them")
        DETACH = "detach", _("Keep them as standalone tasks")

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="closure_requests")
    reason = models.CharField(
        _("reason for closure"), max_length=16, choices=Case.ClosureReason.choices
    )
    note = models.TextField(_("note"), max_length=2000, blank=True)
    open_tasks = models.CharField(
        _("open tasks"), max_length=8, choices=OpenTasks.choices, blank=True
    )
    # {goal_id: {"status": ..., "outcome": ...}}, applied to the goals on approval.
    goal_outcomes = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("closure request")
        verbose_name_plural = _("closure requests")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="pending"),
                name="cases_one_pending_closure",
            )
        ]
        indexes = [models.Index(fields=["centre", "status"], name="cases_closure_centre")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.status}"


class Transfer(models.Model):
    """A case and its person moving to another centre, with the person's consent."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the receiving centre")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="transfers")
    to_centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="+", verbose_name=_("receiving centre")
    )
    consent_given_on = models.DateField(_("the person consented on"))
    consent_note = models.CharField(_("how consent was given"), max_length=300, blank=True)
    reason = models.CharField(_("reason"), max_length=1000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    new_case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        indexes = [models.Index(fields=["to_centre", "status"], name="cases_transfer_to")]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.to_centre_id}"
