"""Admin screens of the directory. Every save goes through koinotita.directory.services, so
the admin screens check, derive and audit like every other way in."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from koinotita.accounts.admin_site import RoleAdmin
from koinotita.directory import services
from koinotita.directory.models import (
    Address,
    Contact,
    CooperationProtocol,
    CostOption,
    Language,
    Location,
    Need,
    Organization,
    Phone,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
)
from koinotita.people.models import Category


class _Inline(admin.TabularInline):
    extra = 0

    def has_view_permission(self, request, obj=None):
        return True

    def has_add_permission(self, request, obj=None):
        return True

    def has_change_permission(self, request, obj=None):
        return True

    def has_delete_permission(self, request, obj=None):
        return True


class PhoneInline(_Inline):
    model = Phone
    fields = ["number", "extension", "type", "description"]


class ScheduleInline(_Inline):
    model = Schedule
    fields = ["byday", "opens_at", "closes_at", "description", "valid_from", "valid_to"]


class AddressInline(_Inline):
    model = Address
    fields = ["address_1", "city", "state_province", "postal_code", "country", "address_type"]


class ServiceAtLocationInline(_Inline):
    model = ServiceAtLocation
    fields = ["location", "description"]
    autocomplete_fields = ["location"]


class ServiceAreaInline(_Inline):
    model = ServiceArea
    fields = ["municipality", "name", "description"]


class LanguageInline(_Inline):
    model = Language
    fk_name = "service"
    fields = ["name", "code", "note"]


class CostOptionInline(_Inline):
    model = CostOption
    fields = ["option", "amount", "currency", "amount_description", "valid_from", "valid_to"]


class RequiredDocumentInline(_Inline):
    model = RequiredDocument
    fields = ["document", "uri"]


class ContactInline(_Inline):
    model = Contact
    fk_name = "service"
    fields = ["name", "title", "department", "email"]


class ServiceForm(forms.ModelForm):
    needs = forms.MultipleChoiceField(
        label=_("needs met"),
        choices=Need.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    eligibility_categories = forms.MultipleChoiceField(
        label=_("beneficiary categories"),
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Service
        fields = [
            "organization",
            "name",
            "alternate_name",
            "description",
            "status",
            "needs",
            "eligibility_description",
            "minimum_age",
            "maximum_age",
            "eligibility_categories",
            "accepting_referrals",
            "wait_time_days",
            "wait_time",
            "application_process",
            "fees_description",
            "interpretation_services",
            "url",
            "email",
            "accreditations",
            "licenses",
            "alert",
            "is_sample",
        ]


class DirectoryAdmin(RoleAdmin):
    """Saves through the directory's services; inlines too."""

    save_service = None

    def save_model(self, request, obj, form, change):
        try:
            type(self).save_service(
                **{self.save_argument: obj}, actor=request.user, request=request
            )
        except PermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc

    def save_formset(self, request, form, formset, change):
        services.related_records_save(formset=formset, actor=request.user, request=request)

    @admin.action(description=_("Mark as verified today"))
    def verify(self, request, queryset):
        for record in queryset:
            services.record_verify(record=record, actor=request.user, request=request)
        messages.success(request, _("Marked as verified today."))

    actions = ["verify"]


@admin.register(Organization)
class OrganizationAdmin(DirectoryAdmin):
    save_service = services.organisation_save
    save_argument = "organization"
    list_display = ["name", "kind", "municipality", "last_verified_on", "is_sample"]
    list_filter = ["kind", "is_sample", "municipality"]
    search_fields = ["name", "alternate_name"]
    exclude = ["verified_by", "last_verified_on", "verified_by_name"]
    readonly_fields = ["id"]


@admin.register(Location)
class LocationAdmin(DirectoryAdmin):
    save_service = services.location_save
    save_argument = "location"
    list_display = ["name", "organization", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["name", "organization__name"]
    inlines = [AddressInline, PhoneInline, ScheduleInline]
    exclude = ["verified_by", "last_verified_on", "verified_by_name"]


@admin.register(Service)
class ServiceAdmin(DirectoryAdmin):
    form = ServiceForm
    save_service = services.service_save
    save_argument = "service"
    list_display = ["name", "organization", "status", "accepting_referrals", "last_verified_on"]
    list_filter = ["status", "accepting_referrals", "is_sample"]
    search_fields = ["name", "organization__name"]
    autocomplete_fields = ["organization"]
    inlines = [
        ServiceAtLocationInline,
        ServiceAreaInline,
        PhoneInline,
        ScheduleInline,
        LanguageInline,
        CostOptionInline,
        RequiredDocumentInline,
        ContactInline,
    ]


@admin.register(CooperationProtocol)
class CooperationProtocolAdmin(DirectoryAdmin):
    save_service = services.protocol_save
    save_argument = "protocol"
    centre_field = "centre"
    list_display = ["title", "centre", "organization", "valid_from", "valid_until"]
    list_filter = ["centre"]
    search_fields = ["title", "organization__name", "protocol_number"]
    autocomplete_fields = ["organization"]
    exclude = ["created_by"]
    actions = []
