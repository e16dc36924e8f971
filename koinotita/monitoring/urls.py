from django.urls import path

from koinotita.monitoring import views

urlpatterns = [
    path("", views.index, name="monitoring-index"),
    path("participations/", views.participation_list, name="monitoring-participation-list"),
    path(
        "participations/import/",
        views.participation_import,
        name="monitoring-participation-import",
    ),
    path("persons/<int:pk>/", views.person_participations, name="monitoring-person"),
    path(
        "participations/<int:pk>/entry/",
        views.participation_entry,
        name="monitoring-participation-entry",
    ),
    path(
        "participations/<int:pk>/exit/",
        views.participation_exit,
        name="monitoring-participation-exit",
    ),
    path(
        "participations/<int:pk>/followup/",
        views.participation_followup,
        name="monitoring-participation-followup",
    ),
    path("reports/", views.report, name="monitoring-report"),
    path("programmes/", views.programme_figures, name="monitoring-programme-figures"),
    path(
        "programmes/figures.<slug:fmt>",
        views.programme_figures_export,
        name="monitoring-programme-figures-export",
    ),
    path("reports/submit/", views.report_submit, name="monitoring-report-submit"),
    path("submissions/", views.submission_list, name="monitoring-submission-list"),
    path("submissions/<int:pk>/", views.submission_detail, name="monitoring-submission-detail"),
    path("dashboard/", views.dashboard, name="monitoring-dashboard"),
    path("quality/<slug:code>/", views.quality, name="monitoring-quality"),
]
