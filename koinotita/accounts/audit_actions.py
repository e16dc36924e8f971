from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "login": _("Logged in"),
    "login_failed": _("Failed to log in"),
    "login_locked_out": _("Was locked out after failed log-ins"),
    "logout": _("Logged out"),
    "2fa.enrolled": _("Set up two-factor authentication"),
    "2fa.enrol_failed": _("Failed to set up two-factor authentication"),
    "2fa.verified": _("Passed two-factor authentication"),
    "2fa.failed": _("Failed two-factor authentication"),
    "2fa.reset": _("Reset two-factor authentication"),
    "2fa.recovery_code_used": _("Used a recovery code"),
    "2fa.recovery_codes_regenerated": _("Made new recovery codes"),
    "api_token.created": _("Created an API token"),
    "api_token.revoked": _("Revoked an API token"),
    "role.granted": _("Granted a role"),
    "role.changed": _("Changed a role"),
    "role.revoked": _("Revoked a role"),
    "user.created": _("Created an account"),
    "user.changed": _("Changed an account"),
}
