from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "koinotita.cases"
    label = "cases"
    verbose_name = _("Case files: assessment, plan, sessions, tasks")

    def ready(self):
        from koinotita.cases import renewals
        from koinotita.cases.panels import PANELS
        from koinotita.cases.privacy import PERSONAL_DATA
        from koinotita.people.panels import register_person_panel
        from koinotita.people.personal_data import register_personal_data
        from koinotita.programmes.plugins import (
            register_application_follower,
            register_application_panel,
        )

        register_personal_data(PERSONAL_DATA)  # case files: export and anonymisation
        register_application_follower(renewals.FOLLOWER)  # the renewal task of an approval
        register_application_panel(renewals.PANEL)
        for panel in PANELS:  # "Open a case" on the person's page
            register_person_panel(panel)
