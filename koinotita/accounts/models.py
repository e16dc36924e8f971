"""Staff users, the roles they hold at a scope, and API tokens."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from koinotita.organisations.models import Centre, Municipality, Region


class User(AbstractUser):
    """A member of staff. A citizen is never a user of the staff application.

    `created_at_centre` is the centre whose administrator created the account: while the
    account holds no role, that centre's administrators (and national ones) answer for it
    (koinotita.accounts.scoping.centres_of_user)."""

    created_at_centre = models.ForeignKey(
        Centre,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by (centre)"),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Role(models.TextChoices):
    RECEPTION = "reception", _("Reception")
    CASEWORKER = "caseworker", _("Caseworker")
    MEDIATOR = "mediator", _("Mediator")
    SUPERVISOR = "supervisor", _("Supervisor")
    PARTNER = "partner", _("Partner organisation")
    MONITOR = "monitor", _("Monitoring")
    ADMIN = "admin", _("Administrator")


class ScopeLevel(models.TextChoices):
    CENTRE = "centre", _("One centre")
    MUNICIPALITY = "municipality", _("Municipality")
    REGION = "region", _("Region")
    NATIONAL = "national", _("National")


class RoleAssignment(models.Model):
    """A role held by a user at one scope: a centre, a municipality, a region, or national.

    Which centres this opens to the user is answered in one place only:
    koinotita.accounts.scoping.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    level = models.CharField(_("scope"), max_length=20, choices=ScopeLevel.choices)
    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("centre")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("municipality"),
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("region")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                name="accounts_roleassignment_scope_matches_level",
                condition=(
                    Q(
                        level="centre",
                        centre__isnull=False,
                        municipality__isnull=True,
                        region__isnull=True,
                    )
                    | Q(
                        level="municipality",
                        centre__isnull=True,
                        municipality__isnull=False,
                        region__isnull=True,
                    )
                    | Q(
                        level="region",
                        centre__isnull=True,
                        municipality__isnull=True,
                        region__isnull=False,
                    )
                    | Q(
                        level="national",
                        centre__isnull=True,
                        municipality__isnull=True,
                        region__isnull=True,
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        where = self.place or _("national")
        return f"{self.user} — {self.get_role_display()} — {where}"

    @property
    def place(self):
        return self.centre or self.municipality or self.region


class ApiToken(models.Model):
    """A bearer token for the API. Only a hash of the secret is stored."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=12, unique=True)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
