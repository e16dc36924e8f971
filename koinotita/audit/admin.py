from django.contrib import admin

from koinotita.accounts.admin_site import RoleAdmin
from koinotita.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(RoleAdmin):
    centre_field = "centre"
    list_display = ["at", "actor_username", "action", "object_type", "object_id", "centre", "ip"]
    list_filter = ["action"]
    search_fields = ["actor_username", "object_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
