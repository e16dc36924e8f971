from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "koinotita.web"
    label = "web"
    verbose_name = _("Web shell")

    def ready(self) -> None:
        from koinotita.web import checks  # noqa: F401  (registers the deploy checks)
