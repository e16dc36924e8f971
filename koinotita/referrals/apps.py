from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "koinotita.referrals"
    label = "referrals"
    verbose_name = _("Referrals")

    def ready(self):
        from koinotita.cases.reminders import register_reminder_section
        from koinotita.directory.plugins import (
            register_capacity_keeper,
            register_service_figures,
            register_verification_recipients,
        )
        from koinotita.people.panels import register_person_panel
        from koinotita.people.personal_data import register_personal_data
        from koinotita.people.recipients import register_recipient_directory
        from koinotita.programmes.plugins import register_application_panel
        from koinotita.referrals.panels import APPLICATION_PANEL, PANELS
        from koinotita.referrals.privacy import PERSONAL_DATA
        from koinotita.referrals.recipients import RECIPIENTS
        from koinotita.referrals.reminders import SECTION
        from koinotita.referrals.selectors import (
            partner_organization_ids,
            partners_to_ask,
            service_outcomes,
        )

        register_personal_data(PERSONAL_DATA)  # referrals: export and anonymisation
        for panel in PANELS:  # the person's referrals on their page
            register_person_panel(panel)
        register_application_panel(APPLICATION_PANEL)  # refer an approved beneficiary
        register_reminder_section(SECTION)  # overdue referrals in the daily e-mail
        register_capacity_keeper(partner_organization_ids)  # partners keep their capacity
        register_service_figures(service_outcomes)  # what referrals teach, per service
        register_verification_recipients(partners_to_ask)  # partners confirm their services
        register_recipient_directory(RECIPIENTS)  # a consent to share names an organisation
