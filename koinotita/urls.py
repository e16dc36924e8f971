from django.contrib import admin
from django.urls import include, path

from koinotita.api.main import api

urlpatterns = [
    path("", include("koinotita.web.urls")),
    path("accounts/", include("koinotita.accounts.urls")),
    path("network/", include("koinotita.organisations.urls")),
    path("audit/", include("koinotita.audit.urls")),
    path("people/", include("koinotita.people.urls")),
    path("reception/", include("koinotita.reception.urls")),
    path("programmes/", include("koinotita.programmes.urls")),
    path("cases/", include("koinotita.cases.urls")),
    path("directory/", include("koinotita.directory.urls")),
    path("referrals/", include("koinotita.referrals.urls")),
    path("activities/", include("koinotita.activities.urls")),
    path("funding/", include("koinotita.funding.urls")),
    path("monitoring/", include("koinotita.monitoring.urls")),
    path("public/", include("koinotita.public.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("koinotita.operations.urls")),
]

handler500 = "koinotita.web.views.server_error"
