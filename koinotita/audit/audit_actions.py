from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "audit.viewed": _("Viewed the audit trail"),
}
