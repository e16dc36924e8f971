from django.urls import path

from koinotita.organisations import views

urlpatterns = [
    path("", views.centre_list, name="organisations-centre-list"),
    path("<slug:code>/", views.centre_detail, name="organisations-centre-detail"),
]
