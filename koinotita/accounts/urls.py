from django.contrib.auth import views as auth_views
from django.urls import path

from koinotita.accounts import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="accounts-login"),
    path("logout/", auth_views.LogoutView.as_view(), name="accounts-logout"),
    path("2fa/setup/", views.two_factor_setup, name="accounts-2fa-setup"),
    path("2fa/verify/", views.two_factor_verify, name="accounts-2fa-verify"),
    path("2fa/recovery-codes/", views.two_factor_recovery, name="accounts-2fa-recovery"),
    path("users/<int:pk>/2fa-reset/", views.two_factor_reset, name="accounts-2fa-reset"),
]
