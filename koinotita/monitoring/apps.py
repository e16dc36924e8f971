from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "koinotita.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring: participation records, indicators and reports")

    def ready(self):
        from koinotita.monitoring.import_command import KIND
        from koinotita.monitoring.privacy import PERSONAL_DATA
        from koinotita.people.import_kinds import register_import_kind
        from koinotita.people.personal_data import register_personal_data

        register_personal_data(PERSONAL_DATA)  # ESF records: export, anonymisation, merges
        register_import_kind(KIND)  # `koinotita import participations`
