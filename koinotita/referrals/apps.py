from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "koinotita.referrals"
    label = "referrals"
    verbose_name = _("Referrals")

    def ready(self):
        # Anonymising a person erases the free text of their referrals (people.privacy).
        # They are in the person's subject-access export too.
        from koinotita.cases.reminders import register_reminder_section
        from koinotita.people.privacy import (
            ExportSection,
            register_eraser,
            register_export_section,
        )
        from koinotita.referrals.privacy import (
            EXPORT_SECTION_TITLE,
            referrals_describe,
            referrals_export_person,
        )
        from koinotita.referrals.reminders import SECTION
        from koinotita.referrals.services import referrals_erase_person

        register_reminder_section(SECTION)  # overdue referrals in the daily e-mail

        register_eraser(referrals_erase_person)
        register_export_section(
            ExportSection(
                "referrals", EXPORT_SECTION_TITLE, referrals_export_person, referrals_describe
            )
        )
