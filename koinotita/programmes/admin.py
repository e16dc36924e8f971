"""Admin screens of the catalogue. Every save goes through koinotita.programmes.services:
a programme's change (its documents checklist included) writes a version, a parameter's
dates are checked against the other values of its key."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from koinotita.accounts.admin_site import RoleAdmin
from koinotita.programmes import services
from koinotita.programmes.models import (
    ApplyChannel,
    Parameter,
    Programme,
    ProgrammeDocument,
    ProgrammeVersion,
)


class DocumentInline(admin.TabularInline):
    model = ProgrammeDocument
    extra = 0
    fields = ["code", "name", "name_en", "order"]

    def has_view_permission(self, request, obj=None):
        return True

    def has_add_permission(self, request, obj=None):
        return True

    def has_change_permission(self, request, obj=None):
        return True

    def has_delete_permission(self, request, obj=None):
        return True


class VersionInline(admin.TabularInline):
    model = ProgrammeVersion
    extra = 0
    fields = ["version", "changed_at", "changed_by", "changes"]
    readonly_fields = fields
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ProgrammeForm(forms.ModelForm):
    apply_channels = forms.MultipleChoiceField(
        label=_("where to apply"),
        choices=ApplyChannel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Programme
        fields = services.VERSIONED_FIELDS


@admin.register(Programme)
class ProgrammeAdmin(RoleAdmin):
    national_only = True
    form = ProgrammeForm
    list_display = ["name", "name_en", "managing_body", "version", "updated_at", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "name_en", "code"]
    inlines = [DocumentInline, VersionInline]

    def save_model(self, request, obj, form, change):
        """Saved with its checklist in save_related, in one service call (one version)."""

    def save_related(self, request, form, formsets, change):
        documents = None
        for formset in formsets:
            # Saved by the service below; the admin's change message reads these lists.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            if formset.model is ProgrammeDocument:
                documents = [
                    {k: f.cleaned_data[k] for k in ("code", "name", "name_en", "order")}
                    for f in formset.forms
                    if f.cleaned_data and not f.cleaned_data.get("DELETE")
                ]
        services.programme_save(
            programme=form.instance, actor=request.user, documents=documents, request=request
        )

    def has_delete_permission(self, request, obj=None):
        return False  # a programme leaves the catalogue by being made inactive


class ParameterForm(forms.ModelForm):
    class Meta:
        model = Parameter
        fields = ["programme", "key", "value", "unit", "valid_from", "valid_to", "legal_source",
                  "note"]  # fmt: skip

    def _post_clean(self):
        """The service's checks, shown on the form (the same service saves in save_model)."""
        super()._post_clean()
        if not self.errors:
            try:
                services.parameter_check(parameter=self.instance)
            except ValidationError as exc:
                self._update_errors(exc)


@admin.register(Parameter)
class ParameterAdmin(RoleAdmin):
    national_only = True
    form = ParameterForm
    list_display = ["programme", "key", "value", "unit", "valid_from", "valid_to", "legal_source"]
    list_filter = ["programme"]
    search_fields = ["key", "legal_source"]

    def save_model(self, request, obj, form, change):
        services.parameter_save(parameter=obj, actor=request.user, request=request)

    def has_delete_permission(self, request, obj=None):
        return False  # a value is ended (valid_to), never removed: saved results cite it
