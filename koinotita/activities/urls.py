from django.urls import path

from koinotita.activities import views

urlpatterns = [
    path("", views.activity_list, name="activities-activity-list"),
    path("new/", views.activity_create, name="activities-activity-create"),
    path("<int:pk>/", views.activity_detail, name="activities-activity-detail"),
    path("person/<int:person_pk>/", views.person_activities, name="activities-person"),
    path("report/", views.activity_report, name="activities-report"),
    path("volunteers/", views.volunteer_list, name="activities-volunteer-list"),
    path("distributions/", views.distribution_list, name="activities-distribution-list"),
    path(
        "distributions/<int:pk>/",
        views.distribution_detail,
        name="activities-distribution-detail",
    ),
]
