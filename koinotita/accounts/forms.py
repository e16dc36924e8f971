from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from koinotita.accounts.services import RECOVERY_CODE, TOTP_CODE, normalise_code


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("Wrong user name or password."),
        "inactive": _("Wrong user name or password."),
    }


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Six-digit code from your authenticator app"),
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        error_messages={"invalid": _("The code is six digits.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "size": 8,
            }
        ),
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].replace(" ", "")


class SecondFactorForm(forms.Form):
    """The verify step: a six-digit TOTP code, or one of the eight-character recovery codes."""

    token = forms.CharField(
        label=_("Six-digit code from your authenticator app, or a recovery code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "size": 12}
        ),
    )

    def clean_token(self) -> str:
        code = normalise_code(self.cleaned_data["token"])
        if not (TOTP_CODE.fullmatch(code) or RECOVERY_CODE.fullmatch(code)):
            raise forms.ValidationError(
                _("Type the six digits of your app, or a recovery code (eight characters).")
            )
        return code


class TwoFactorResetForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("For the audit trail, e.g. «lost phone, confirmed by phone call»."),
        max_length=500,
        widget=forms.TextInput(attrs={"size": 60}),
    )
