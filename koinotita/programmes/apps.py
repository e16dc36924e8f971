from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "koinotita.programmes"
    label = "programmes"
    verbose_name = _("Programmes and entitlements")

    def ready(self):
        from koinotita.people.panels import register_person_panel
        from koinotita.people.personal_data import register_personal_data
        from koinotita.programmes.panels import PANELS
        from koinotita.programmes.privacy import PERSONAL_DATA

        register_personal_data(PERSONAL_DATA)  # pre-screenings and applications of a person

        for panel in PANELS:  # pre-screen, the person's applications and pre-screenings
            register_person_panel(panel)
