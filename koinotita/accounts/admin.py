from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Q
from django.utils.translation import gettext, gettext_lazy

from koinotita.accounts.admin_site import RoleAdmin
from koinotita.accounts.models import ApiToken, RoleAssignment, User
from koinotita.accounts.scoping import Capability, administers_user, scope_for
from koinotita.accounts.services import api_token_revoke


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    fields = ["role", "level", "centre", "municipality", "region", "is_active"]

    def has_view_permission(self, request, obj=None):
        return True

    def has_add_permission(self, request, obj=None):
        return True

    def has_change_permission(self, request, obj=None):
        return True

    def has_delete_permission(self, request, obj=None):
        return True


@admin.register(User)
class UserAdmin(RoleAdmin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "is_active", "last_login"]
    list_filter = ["is_active", "role_assignments__role"]
    inlines = [RoleAssignmentInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("", {"fields": ("first_name", "last_name", "email", "is_active")}),
    )

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        # Users who hold a role in a centre this administrator manages, and role-less ones.
        ids = scope_for(request.user).centre_ids(Capability.ADMINISTER)
        return qs.filter(
            Q(role_assignments__centre_id__in=ids) | Q(role_assignments__isnull=True)
        ).distinct()


@admin.register(ApiToken)
class ApiTokenAdmin(RoleAdmin):
    """Read-only: tokens are created with `koinotita token create` (which shows the key once)
    and revoked through accounts.services.api_token_revoke (audited), here by the action."""

    list_display = [
        "prefix",
        "user",
        "name",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    fields = [
        "user",
        "name",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        revoked = 0
        for token in queryset.select_related("user"):
            if administers_user(request.user, token.user):
                api_token_revoke(token=token, actor=request.user)
                revoked += 1
        self.message_user(request, gettext("%(count)d tokens revoked.") % {"count": revoked})
