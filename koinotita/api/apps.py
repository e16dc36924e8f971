from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "koinotita.api"
    label = "api"
    verbose_name = "API"
