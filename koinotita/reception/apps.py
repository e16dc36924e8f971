from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceptionConfig(AppConfig):
    name = "koinotita.reception"
    label = "reception"
    verbose_name = _("Reception: contacts and appointments")

    def ready(self):
        from koinotita.people.panels import register_person_panel
        from koinotita.people.personal_data import register_personal_data
        from koinotita.reception.panels import PANELS
        from koinotita.reception.privacy import PERSONAL_DATA

        register_personal_data(PERSONAL_DATA)  # contacts and appointments of a person
        for panel in PANELS:  # log a contact, book, the timeline on the person's page
            register_person_panel(panel)
