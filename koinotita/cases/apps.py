from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "koinotita.cases"
    label = "cases"
    verbose_name = _("Case files: assessment, plan, sessions, tasks")

    def ready(self):
        from koinotita.cases.panels import PANELS
        from koinotita.cases.privacy import PERSONAL_DATA
        from koinotita.people.panels import register_person_panel
        from koinotita.people.personal_data import register_personal_data

        register_personal_data(PERSONAL_DATA)  # case files: export and anonymisation
        for panel in PANELS:  # "Open a case" on the person's page
            register_person_panel(panel)
