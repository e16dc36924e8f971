from django.contrib import admin

from koinotita.accounts.admin_site import RoleAdmin
from koinotita.referrals.models import PartnerMembership


@admin.register(PartnerMembership)
class PartnerMembershipAdmin(RoleAdmin):
    """Which directory organisation a partner user answers referrals for. (Referrals
    themselves are personal data and are not in the admin.)"""

    centre_field = "centre"
    list_display = ["user", "organization", "centre", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["user__username", "user__last_name", "organization__name"]
    autocomplete_fields = ["user"]
    raw_id_fields = ["organization"]
