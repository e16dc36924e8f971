from django.urls import path

from koinotita.public import views

urlpatterns = [
    path("", views.index, name="public-index"),
    path("centres/<slug:code>/", views.centre_detail, name="public-centre"),
    path("programmes/", views.programme_list, name="public-programmes"),
    path("programmes/<slug:code>/", views.programme_detail, name="public-programme"),
    path("check/", views.self_check, name="public-check"),
    path("request/", views.request_appointment, name="public-request"),
    path("accessibility/", views.accessibility, name="public-accessibility"),
    path("privacy/", views.privacy, name="public-privacy"),
]
