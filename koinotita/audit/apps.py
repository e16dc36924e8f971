from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "koinotita.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from koinotita.audit.actions import load_actions  # import on use: apps must be ready

        load_actions()
