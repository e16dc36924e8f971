from django.urls import path

from koinotita.operations import views

urlpatterns = [path("healthz", views.healthz, name="operations-healthz")]
