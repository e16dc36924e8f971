"""The admin screens, opened to holders of the admin role (and superusers) only.

Django's own `is_staff` flag and model permissions are not used: what an administrator may
manage follows from their role assignment, like everything else (accounts.scoping).
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from koinotita.accounts.scoping import Capability, restrict, scope_for
from koinotita.organisations.models import Centre


def is_administrator(user) -> bool:
    if not (user.is_active and user.is_authenticated):
        return False
    return user.is_superuser or scope_for(user).has_any(Capability.ADMINISTER)


class KoinotitaAdminSite(admin.AdminSite):
    site_header = _("Koinotita administration")
    site_title = "Koinotita"
    index_title = _("Network, users and roles")

    def has_permission(self, request):
        return is_administrator(request.user)

    def login(self, request, extra_context=None):
        """One login page for the whole application; a logged-in non-administrator gets 403
        (sending them to the login page would loop back here)."""
        if request.user.is_authenticated:
            raise PermissionDenied
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
        return redirect_to_login(next_url, reverse(settings.LOGIN_URL))


class RoleAdmin(admin.ModelAdmin):
    """A model admin whose permissions come from the admin role and its scope.

    `centre_field` names the path to the owning centre; rows of other centres are hidden.
    `national_only` models (reference data) may be changed only by a national administrator.
    """

    centre_field: str | None = None
    national_only = False

    def _national(self, request) -> bool:
        if request.user.is_superuser:
            return True
        scope = scope_for(request.user)
        return scope.centre_ids(Capability.ADMINISTER) >= set(
            Centre.objects.values_list("pk", flat=True)
        )

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser or self.centre_field is None:
            return qs
        return restrict(qs, request.user, Capability.ADMINISTER, centre_field=self.centre_field)

    def has_module_permission(self, request):
        return is_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_add_permission(self, request):
        return is_administrator(request.user) and (
            not self.national_only or self._national(request)
        )

    def has_change_permission(self, request, obj=None):
        return self.has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_add_permission(request)
