from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "koinotita.people"
    label = "people"
    verbose_name = _("People and households")

    def ready(self):
        from koinotita.accounts.scoping import register_assigned_persons
        from koinotita.people.selectors import assigned_person_ids

        register_assigned_persons(assigned_person_ids)
