from django.urls import path

from koinotita.directory import views

urlpatterns = [
    path("", views.directory_search, name="directory-search"),
    path("services/<uuid:pk>/", views.service_detail_view, name="directory-service-detail"),
    path("services/<uuid:pk>/verify/", views.service_verify, name="directory-service-verify"),
    path("services/<uuid:pk>/capacity/", views.service_capacity, name="directory-service-capacity"),
    path(
        "services/<uuid:pk>/capacities/",
        views.service_capacity_save_view,
        name="directory-service-capacity-save",
    ),
    path(
        "capacities/<uuid:pk>/delete/",
        views.service_capacity_delete_view,
        name="directory-capacity-delete",
    ),
    path("capacity/", views.capacity_list, name="directory-capacity-list"),
    path(
        "organisations/<uuid:pk>/",
        views.organisation_detail_view,
        name="directory-organisation-detail",
    ),
    path(
        "organisations/<uuid:pk>/verify/",
        views.organisation_verify,
        name="directory-organisation-verify",
    ),
    path("protocols/", views.protocol_list, name="directory-protocol-list"),
    path("protocols/new/", views.protocol_create, name="directory-protocol-create"),
    path(
        "protocols/<int:pk>/document/",
        views.protocol_document,
        name="directory-protocol-document",
    ),
    path("verification/", views.verification_list, name="directory-verification"),
    path(
        "verification/<uuid:pk>/",
        views.verification_answer_view,
        name="directory-verification-answer",
    ),
    path("confirm/<str:token>/", views.verification_link, name="directory-verification-link"),
    path("public/", views.public_search, name="directory-public"),
    path(
        "public/services/<uuid:pk>/",
        views.public_service_detail,
        name="directory-public-service",
    ),
]
