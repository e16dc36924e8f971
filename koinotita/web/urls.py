from django.urls import path

from koinotita.web import views

urlpatterns = [path("", views.home, name="web-home")]
