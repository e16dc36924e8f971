"""Admin screens of accounts. What an administrator sees and gives is their scope, decided in
accounts.scoping (`users_administered`, `administers_place`); every account, role and token
write goes through accounts.services, which checks the same rule again and audits."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext, gettext_lazy

from koinotita.accounts import services
from koinotita.accounts.admin_site import RoleAdmin
from koinotita.accounts.models import ApiToken, RoleAssignment, ScopeLevel, User
from koinotita.accounts.scoping import (
    administered_centre_ids,
    administers_everything,
    administers_place,
    administers_user,
    users_administered,
)
from koinotita.organisations.models import Centre, Municipality, Region

PLACE_FIELDS = ("centre", "municipality", "region")


def places_administered(actor, model):
    """The centres, municipalities or regions where `actor` may give roles: those whose every
    active centre they administer (accounts.scoping.administers_place)."""
    administered = administered_centre_ids(actor)
    if model is Centre:
        return Centre.objects.filter(pk__in=sorted(administered)).order_by("name")
    level = {Municipality: ScopeLevel.MUNICIPALITY, Region: ScopeLevel.REGION}[model]
    candidates = model.objects.order_by("name")
    if administers_everything(actor):
        return candidates
    if model is Municipality:
        candidates = candidates.filter(centres__in=sorted(administered)).distinct()
    else:
        candidates = candidates.filter(
            regional_units__municipalities__centres__in=sorted(administered)
        ).distinct()
    ids = [p.pk for p in candidates if administers_place(actor, level, p)]
    return model.objects.filter(pk__in=ids).order_by("name")


def _error(form, exc) -> None:
    if isinstance(exc, ValidationError):
        form.add_error(None, exc.messages)
    else:
        form.add_error(None, str(exc) or gettext("You may not do this."))


class RoleAssignmentForm(forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["role", "level", *PLACE_FIELDS, "is_active"]

    def clean(self):
        data = super().clean()
        level = data.get("level")
        for name in PLACE_FIELDS:
            if data.get(name) is not None and name != level:
                self.add_error(name, gettext("Fill only the place of the chosen scope."))
        return data

    def place(self):
        level = self.cleaned_data.get("level")
        return self.cleaned_data.get(level) if level in PLACE_FIELDS else None

    def _post_clean(self):
        """The model's own checks are the service's (role_check), with clearer messages."""


class RoleAssignmentFormSet(BaseInlineFormSet):
    """Checks every new or changed role with the service's rule, so a refusal is shown on
    the form; saving (UserAdmin.save_formset) calls the services, which check again."""

    actor = None

    def clean(self):
        super().clean()
        for form in self.forms:
            if not form.has_changed() or not hasattr(form, "cleaned_data") or form.errors:
                continue
            data = form.cleaned_data
            try:
                if form.instance.pk:
                    before = RoleAssignment.objects.get(pk=form.instance.pk)
                    if not administers_place(self.actor, before.level, before.place):
                        raise PermissionDenied(
                            gettext("This role is held outside the scope you administer.")
                        )
                    same = (data.get("role"), data.get("level"), form.place()) == (
                        before.role,
                        before.level,
                        before.place,
                    )
                    if same and not data.get("is_active"):
                        continue  # ending a role in scope is always allowed
                services.role_check(
                    user=self.instance,
                    role=data.get("role"),
                    level=data.get("level"),
                    place=form.place(),
                    actor=self.actor,
                )
            except (ValidationError, PermissionDenied) as exc:
                _error(form, exc)


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    form = RoleAssignmentForm
    formset = RoleAssignmentFormSet
    extra = 0
    can_delete = False  # a role is ended (unticked "active"), kept in the history
    fields = ["role", "level", *PLACE_FIELDS, "is_active"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"actor": request.user})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        model = {"centre": Centre, "municipality": Municipality, "region": Region}.get(
            db_field.name
        )
        if model is not None:
            kwargs["queryset"] = places_administered(request.user, model)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "level" and not administers_everything(request.user):
            kwargs["choices"] = [
                (value, label)
                for value, label in ScopeLevel.choices
                if value != ScopeLevel.NATIONAL
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def has_view_permission(self, request, obj=None):
        return True

    def has_add_permission(self, request, obj=None):
        return True

    def has_change_permission(self, request, obj=None):
        return True

    def has_delete_permission(self, request, obj=None):
        return False


class UserCreationForm(AdminUserCreationForm):
    """A new account, created at one of the centres the administrator runs."""

    actor = None

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "created_at_centre")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["created_at_centre"]
        field.queryset = services.user_creation_centres(self.actor)
        field.required = not administers_everything(self.actor)
        field.help_text = gettext(
            "The centre whose administrators answer for the account until it holds roles."
        )
        if field.required and field.queryset.count() == 1:
            field.initial = field.queryset.first().pk


class PasswordSetForm(AdminPasswordChangeForm):
    """Sets the new password on the account without saving it: UserAdmin.log_change saves it
    through accounts.services.user_update (audited)."""

    def save(self, commit=True):
        return super().save(commit=False)


@admin.register(User)
class UserAdmin(RoleAdmin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "is_active", "last_login"]
    list_filter = ["is_active", "role_assignments__role"]
    inlines = [RoleAssignmentInline]
    add_form = UserCreationForm
    change_password_form = PasswordSetForm
    add_fieldsets = (
        (None, {"fields": ("username", "created_at_centre", "usable_password")}),
        ("", {"fields": ("password1", "password2")}),
    )
    fieldsets = (
        (None, {"fields": ("username", "password", "created_at_centre")}),
        ("", {"fields": ("first_name", "last_name", "email", "is_active")}),
    )
    readonly_fields = ["created_at_centre"]

    def get_queryset(self, request):
        """The accounts this administrator administers (accounts.scoping.users_administered),
        and no other: in the list, the change page, the password page and autocompletes."""
        return users_administered(request.user, super().get_queryset(request)).distinct()

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None:
            form = type(form.__name__, (form,), {"actor": request.user})
        return form

    def get_inline_instances(self, request, obj=None):
        # Roles are given once the account exists (the add page continues to its page).
        return [] if obj is None else super().get_inline_instances(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            services.user_update(user=obj, actor=request.user, request=request)
        else:
            services.user_create(user=obj, actor=request.user, request=request)

    def save_formset(self, request, form, formset, change):
        if formset.model is not RoleAssignment:
            return super().save_formset(request, form, formset, change)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.forms:
            if not row.has_changed():
                continue
            data = row.cleaned_data
            kwargs = {"role": data["role"], "level": data["level"], "place": row.place()}
            if row.instance.pk is None:
                assignment = services.role_grant(
                    user=form.instance, actor=request.user, request=request, **kwargs
                )
                formset.new_objects.append(assignment)
            else:
                assignment = services.role_change(
                    assignment=row.instance,
                    is_active=data["is_active"],
                    actor=request.user,
                    request=request,
                    **kwargs,
                )
                formset.changed_objects.append((assignment, row.changed_data))

    def log_change(self, request, obj, message):
        if request.resolver_match and request.resolver_match.url_name.endswith("password_change"):
            services.user_update(user=obj, actor=request.user, request=request)
        return super().log_change(request, obj, message)

    def has_delete_permission(self, request, obj=None):
        return False  # an account is deactivated (audited), never deleted


@admin.register(ApiToken)
class ApiTokenAdmin(RoleAdmin):
    """Read-only: tokens are created with `koinotita token create` (which shows the key once)
    and revoked through accounts.services.api_token_revoke (audited), here by the action.
    An administrator sees the tokens of the accounts they administer only."""

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

    def get_queryset(self, request):
        users = users_administered(request.user, User.objects.all())
        return super().get_queryset(request).filter(user__in=users.values("pk"))

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
                services.api_token_revoke(token=token, actor=request.user)
                revoked += 1
        self.message_user(request, gettext("%(count)d tokens revoked.") % {"count": revoked})
