from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "koinotita.referrals"
    label = "referrals"
    verbose_name = _("Referrals")

    def ready(self):
        # Anonymising a person erases the free text of their referrals (people.privacy).
        from koinotita.people.privacy import register_eraser
        from koinotita.referrals.services import referrals_erase_person

        register_eraser(referrals_erase_person)
