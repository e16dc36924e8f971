from django.urls import path

from koinotita.programmes import views

urlpatterns = [
    path("", views.programme_list, name="programmes-programme-list"),
    path("catalogue/<slug:code>/", views.programme_detail, name="programmes-programme-detail"),
    path("person/<int:person_pk>/", views.person_programmes, name="programmes-person"),
    path("prescreen/<int:person_pk>/", views.prescreen, name="programmes-prescreen"),
    path(
        "prescreenings/<int:pk>/",
        views.prescreening_detail,
        name="programmes-prescreening-detail",
    ),
    path("prescreenings/<int:pk>/pdf/", views.prescreening_pdf, name="programmes-prescreening-pdf"),
    path(
        "applications/",
        views.applications_needing_action,
        name="programmes-applications-needing-action",
    ),
    path(
        "applications/new/<int:person_pk>/",
        views.application_create,
        name="programmes-application-create",
    ),
    path("applications/<int:pk>/", views.application_detail, name="programmes-application-detail"),
    path(
        "applications/<int:pk>/documents/",
        views.application_documents,
        name="programmes-application-documents",
    ),
    path(
        "applications/<int:pk>/submit/",
        views.application_submit,
        name="programmes-application-submit",
    ),
    path(
        "applications/<int:pk>/decide/",
        views.application_decide,
        name="programmes-application-decide",
    ),
    path("applications/<int:pk>/end/", views.application_end, name="programmes-application-end"),
]
