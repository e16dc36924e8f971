from django.urls import path

from koinotita.reception import views

urlpatterns = [
    path("requests/", views.request_list, name="reception-request-list"),
    path("requests/<int:pk>/", views.request_detail, name="reception-request-detail"),
    path("contacts/new/<int:person_pk>/", views.contact_log, name="reception-contact-log"),
    path("contacts/anonymous/", views.contact_log_anonymous, name="reception-contact-anonymous"),
    path("appointments/", views.appointment_index, name="reception-appointment-index"),
    path(
        "appointments/new/<int:person_pk>/",
        views.appointment_book,
        name="reception-appointment-book",
    ),
    path("appointments/<int:pk>/", views.appointment_detail, name="reception-appointment-detail"),
    path(
        "appointments/<int:pk>/check-in/",
        views.appointment_check_in,
        name="reception-appointment-check-in",
    ),
    path(
        "appointments/<int:pk>/cancel/",
        views.appointment_cancel,
        name="reception-appointment-cancel",
    ),
    path(
        "appointments/<int:pk>/no-show/",
        views.appointment_no_show,
        name="reception-appointment-no-show",
    ),
    path(
        "appointments/staff/<int:staff_pk>/",
        views.appointment_staff_day,
        name="reception-appointment-staff-day",
    ),
    path(
        "appointments/staff/<int:staff_pk>/week/",
        views.appointment_staff_week,
        name="reception-appointment-staff-week",
    ),
    path(
        "appointments/site/<int:site_pk>/",
        views.appointment_site_day,
        name="reception-appointment-site-day",
    ),
    path(
        "appointments/site/<int:site_pk>/week/",
        views.appointment_site_week,
        name="reception-appointment-site-week",
    ),
]
