"""Referrals of a person to a service in the directory, and back: their append-only history,
attachments, the signed links a partner answers through, and partner memberships.

Every personal row carries `centre_id`: the referring (owning) centre. The data shards by
centre (ARCHITECTURE), so every personal query filters by it; a partner reaches a referral
only through the organisation it is addressed to (koinotita.referrals.selectors)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from koinotita.organisations.models import Centre
from koinotita.people.models import Consent, Person


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")
    NOT_COMPLETED = "not_completed", _("Not completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    PRIORITY = "priority", _("Priority")
    URGENT = "urgent", _("Urgent")


class Direction(models.TextChoices):
    OUTGOING = "outgoing", _("Outgoing")
    INCOMING = "incoming", _("Incoming")


class Via(models.TextChoices):
    """Through what a step was recorded."""

    CENTRE = "centre", _("By the centre")
    PARTNER = "partner", _("By a partner user")
    LINK = "link", _("Through the signed link")
    API = "api", _("Through the API")


class Referral(models.Model):
    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("person")
    )
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.OUTGOING
    )
    # Outgoing: the service referred to (and its organisation, kept for the partner's inbox).
    # Incoming: the body that referred the person to the centre, if it is in the directory.
    service = models.ForeignKey(
        "directory.Service",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service"),
    )
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    # The case the referral was made from, if any (cases app, read-only use).
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    from_body = models.CharField(_("referred by (body)"), max_length=200, blank=True)
    reason = models.TextField(_("reason"), max_length=4000)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE
    )
    shared_fields = models.JSONField(_("shared fields"), default=list, blank=True)
    consent = models.ForeignKey(
        Consent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consent"),
    )
    response_due = models.DateField(_("response deadline"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    protocol_number = models.CharField(_("protocol number"), max_length=40, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=1000, blank=True)
    outcome = models.TextField(_("outcome"), max_length=4000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    is_sample = models.BooleanField(
        _("sample data"), default=False, help_text=_("Fictitious referral made for the demo.")
    )

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "protocol_number"],
                condition=~models.Q(protocol_number=""),
                name="referrals_referral_unique_protocol",
            ),
        ]
        indexes = [
            models.Index(fields=["centre", "state", "created_at"], name="referrals_centre_state"),
            models.Index(fields=["centre", "person"], name="referrals_centre_person"),
            models.Index(fields=["organization", "state"], name="referrals_org_state"),
            # The list pages: newest first, per centre; the partner's inbox, newest sent first.
            models.Index(fields=["centre", "-created_at"], name="referrals_centre_created"),
            models.Index(fields=["organization", "-sent_at"], name="referrals_org_sent"),
        ]

    def __str__(self) -> str:
        return self.protocol_number or f"#{self.pk}"


class ReferralEvent(models.Model):
    """One step of a referral's life: append-only; the timeline is read from here."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("by"), max_length=200, blank=True)
    via = models.CharField(_("via"), max_length=10, choices=Via.choices)
    from_state = models.CharField(_("from"), max_length=16, choices=State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=16, choices=State.choices)
    note = models.TextField(_("note"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("referral step")
        verbose_name_plural = _("referral steps")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["centre", "referral"], name="referrals_event_referral")]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.from_state} → {self.to_state}"


class Attachment(models.Model):
    """A document sent with a referral. The file lives under settings.DOCUMENTS_DIR, outside
    the web root, and is served only by a scoped, audited view."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="attachments")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    stored_name = models.CharField(max_length=200, unique=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["centre", "referral"], name="referrals_att_referral")]

    def __str__(self) -> str:
        return self.original_name


class ReferralLink(models.Model):
    """The stored half of a signed link: the signature proves the link was made here, this
    row says whether it is still good (expiry, revocation) and what it may do."""

    class Purpose(models.TextChoices):
        RESPOND = "respond", _("Answer the referral")

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="links")
    purpose = models.CharField(
        _("purpose"), max_length=10, choices=Purpose.choices, default=Purpose.RESPOND
    )
    nonce = models.CharField(max_length=64, unique=True, editable=False)
    email = models.EmailField(_("sent to"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    uses = models.PositiveIntegerField(_("uses"), default=0)

    class Meta:
        verbose_name = _("referral link")
        verbose_name_plural = _("referral links")
        indexes = [models.Index(fields=["centre", "referral"], name="referrals_link_referral")]

    def __str__(self) -> str:
        return f"{self.referral_id} → {self.email}"


class PartnerMembership(models.Model):
    """A partner user works for a directory organisation and answers its referrals from one
    centre.

    It says who may see the referrals addressed to an organisation
    (koinotita.referrals.selectors): those sent from `centre`, the centre whose
    administrator vouched for the partner user, and no other centre's. An organisation that
    receives from several centres gets one membership per centre, each granted by an
    administrator of that centre (referrals.services.partner_membership_grant)."""

    centre = models.ForeignKey(
        Centre,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vouched for by (centre)"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="partner_memberships",
        verbose_name=_("user"),
    )
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("partner membership")
        verbose_name_plural = _("partner memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "centre"],
                name="referrals_membership_unique_per_centre",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organization} — {self.centre}"
