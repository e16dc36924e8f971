from django.contrib import admin

from koinotita.accounts.admin_site import RoleAdmin
from koinotita.accounts.scoping import Capability, centres_for
from koinotita.organisations.models import Centre, Municipality, Region, RegionalUnit, Site


@admin.register(Region)
class RegionAdmin(RoleAdmin):
    national_only = True
    list_display = ["name", "name_en", "code"]
    search_fields = ["name", "name_en", "code"]


@admin.register(RegionalUnit)
class RegionalUnitAdmin(RoleAdmin):
    national_only = True
    list_display = ["name", "name_en", "region"]
    list_filter = ["region"]
    search_fields = ["name", "name_en", "code"]


@admin.register(Municipality)
class MunicipalityAdmin(RoleAdmin):
    national_only = True
    list_display = ["name", "name_en", "regional_unit", "seat"]
    list_filter = ["regional_unit__region"]
    search_fields = ["name", "name_en", "code"]


class SiteInline(admin.TabularInline):
    model = Site
    fk_name = "centre"
    extra = 0
    fields = [
        "name",
        "name_en",
        "code",
        "kind",
        "specialisation",
        "serves_municipality",
        "is_active",
    ]

    def has_view_permission(self, request, obj=None):
        return True

    def has_add_permission(self, request, obj=None):
        return True

    def has_change_permission(self, request, obj=None):
        return True

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Centre)
class CentreAdmin(RoleAdmin):
    centre_field = "pk"
    list_display = ["name", "name_en", "municipality", "is_active"]
    list_filter = ["municipality__regional_unit__region", "is_active"]
    search_fields = ["name", "name_en", "code"]
    inlines = [SiteInline]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and self._national(request)

    def get_readonly_fields(self, request, obj=None):
        # Moving a centre to another municipality would open its records to that
        # municipality's staff: a national administrator's decision.
        return [] if self._national(request) else ["municipality", "code"]


@admin.register(Site)
class SiteAdmin(RoleAdmin):
    centre_field = "centre"
    list_display = ["name", "centre", "kind", "specialisation", "serves_municipality", "is_active"]
    list_filter = ["kind", "specialisation", "centre__municipality__regional_unit__region"]
    search_fields = ["name", "name_en", "code"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "centre" and not request.user.is_superuser:
            kwargs["queryset"] = centres_for(request.user, Capability.ADMINISTER)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
