from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "koinotita.cases"
    label = "cases"
    verbose_name = _("Case files: assessment, plan, sessions, tasks")

    def ready(self):
        # Anonymising a person erases the free text and documents of their cases.
        # The subject-access export carries them too.
        from koinotita.cases.privacy import (
            EXPORT_SECTION_TITLE,
            cases_describe,
            cases_erase_person,
            cases_export_person,
        )
        from koinotita.people.privacy import (
            ExportSection,
            register_eraser,
            register_export_section,
        )

        register_eraser(cases_erase_person)
        register_export_section(
            ExportSection("cases", EXPORT_SECTION_TITLE, cases_export_person, cases_describe)
        )
