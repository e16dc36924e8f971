from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "koinotita.activities"
    label = "activities"
    verbose_name = _("Group and community activities, aid distributions")

    def ready(self):
        from koinotita.activities.panels import PANELS
        from koinotita.activities.privacy import PERSONAL_DATA
        from koinotita.people.panels import register_person_panel
        from koinotita.people.personal_data import register_personal_data

        register_personal_data(PERSONAL_DATA)  # attendances and handouts of a person
        for panel in PANELS:  # the person's activities on their page
            register_person_panel(panel)
