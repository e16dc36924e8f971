from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "koinotita.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring: participation records, indicators and reports")

    def ready(self):
        # The person's participation records in their subject-access export; their free
        # text erased with an anonymisation (people.privacy).
        from koinotita.monitoring.import_command import KIND
        from koinotita.monitoring.privacy import (
            EXPORT_SECTION_TITLE,
            participations_describe,
            participations_erase_person,
            participations_export_person,
        )
        from koinotita.people.import_kinds import register_import_kind
        from koinotita.people.privacy import (
            ExportSection,
            register_eraser,
            register_export_section,
        )

        register_import_kind(KIND)  # `koinotita import participations`
        register_eraser(participations_erase_person)
        register_export_section(
            ExportSection(
                "participations",
                EXPORT_SECTION_TITLE,
                participations_export_person,
                participations_describe,
            )
        )
