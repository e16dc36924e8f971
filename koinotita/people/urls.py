from django.urls import path

from koinotita.people import import_views, privacy_views, views

urlpatterns = [
    path("", views.person_search, name="people-person-search"),
    path("new/", views.person_register, name="people-person-register"),
    path("mediators/", views.assignment_list, name="people-assignment-list"),
    path("mediators/<int:pk>/end/", views.assignment_end, name="people-assignment-end"),
    path("<int:pk>/", views.person_detail, name="people-person-detail"),
    path("<int:pk>/edit/", views.person_edit, name="people-person-edit"),
    path("<int:pk>/consents/", views.consent_add, name="people-consent-add"),
    path("<int:pk>/household/", views.household_edit, name="people-household-edit"),
    path(
        "<int:pk>/consents/<int:consent_pk>/withdraw/",
        views.consent_withdraw,
        name="people-consent-withdraw",
    ),
    path("<int:pk>/privacy/", privacy_views.person_privacy, name="people-person-privacy"),
    path("<int:pk>/export/<slug:fmt>/", privacy_views.person_export, name="people-person-export"),
    path("<int:pk>/anonymise/", privacy_views.person_anonymise, name="people-person-anonymise"),
    path("<int:pk>/merge/", privacy_views.person_merge_choose, name="people-person-merge"),
    path(
        "<int:pk>/merge/<int:other_pk>/",
        privacy_views.person_merge_confirm,
        name="people-person-merge-confirm",
    ),
    path("<int:pk>/merges/", privacy_views.person_merge_history, name="people-person-merges"),
    path("import/", import_views.import_upload, name="people-import-upload"),
    path("import/<str:token>/", import_views.import_review, name="people-import-review"),
    path("import/<str:token>/confirm/", import_views.import_confirm, name="people-import-confirm"),
    path(
        "import/<str:token>/rejected.csv",
        import_views.import_rejected_csv,
        name="people-import-rejected",
    ),
    path(
        "<int:pk>/merges/<int:merge_pk>/undo/",
        privacy_views.person_merge_undo,
        name="people-person-merge-undo",
    ),
]
