from django.contrib.admin.apps import AdminConfig


class KoinotitaAdminConfig(AdminConfig):
    """Django's admin, with the site that opens it to the admin role only."""

    default_site = "koinotita.accounts.admin_site.KoinotitaAdminSite"
