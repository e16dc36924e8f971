"""Admin screen of partner memberships. A membership opens referrals (names, phones, what
each person agreed to share), so it is granted and ended only through
referrals.services.partner_membership_grant/revoke: for a centre the administrator runs, to
an account they administer, audited. (Referrals themselves are personal data and are not in
the admin.)"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext

from koinotita.accounts.admin_site import RoleAdmin
from koinotita.accounts.models import Role, User
from koinotita.accounts.scoping import administered_centre_ids, users_administered
from koinotita.organisations.models import Centre
from koinotita.referrals import services
from koinotita.referrals.models import PartnerMembership


class PartnerMembershipForm(forms.ModelForm):
    actor = None

    class Meta:
        model = PartnerMembership
        fields = ["user", "organization", "centre", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" in self.fields:
            partners = User.objects.filter(
                role_assignments__role=Role.PARTNER, role_assignments__is_active=True
            ).distinct()
            self.fields["user"].queryset = users_administered(self.actor, partners)
        if "centre" in self.fields:
            ids = sorted(administered_centre_ids(self.actor))
            self.fields["centre"].queryset = Centre.objects.filter(pk__in=ids).order_by("name")
            self.fields["centre"].help_text = gettext(
                "The partner reads only the referrals this centre sends to the organisation."
            )

    def _post_clean(self):
        super()._post_clean()
        if self.errors or self.instance.pk:
            return
        try:
            services.partner_membership_check(
                user=self.cleaned_data.get("user"),
                organization=self.cleaned_data.get("organization"),
                centre=self.cleaned_data.get("centre"),
                actor=self.actor,
            )
        except ValidationError as exc:
            self._update_errors(exc)
        except PermissionDenied as exc:
            self.add_error(None, str(exc))


@admin.register(PartnerMembership)
class PartnerMembershipAdmin(RoleAdmin):
    """Which directory organisation a partner user answers the referrals of one centre for."""

    form = PartnerMembershipForm
    centre_field = "centre"
    list_display = ["user", "organization", "centre", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["user__username", "user__last_name", "organization__name"]
    raw_id_fields = ["organization"]

    def get_readonly_fields(self, request, obj=None):
        # Who, which organisation and which centre are the membership; it is only ended or
        # restored. Another centre's referrals need a membership of their own.
        return [] if obj is None else ["user", "organization", "centre"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def save_model(self, request, obj, form, change):
        if not change:
            saved = services.partner_membership_grant(
                user=obj.user,
                organization=obj.organization,
                centre=obj.centre,
                actor=request.user,
                request=request,
            )
            obj.pk, obj.created_at = saved.pk, saved.created_at
            return
        before = PartnerMembership.objects.get(pk=obj.pk)
        if before.is_active and not obj.is_active:
            services.partner_membership_revoke(membership=before, actor=request.user,
                                               request=request)  # fmt: skip
        elif obj.is_active and not before.is_active:
            services.partner_membership_grant(
                user=before.user,
                organization=before.organization,
                centre=before.centre,
                actor=request.user,
                request=request,
            )

    def has_delete_permission(self, request, obj=None):
        return False  # a membership is ended (audited), never deleted
