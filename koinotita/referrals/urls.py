from django.urls import path

from koinotita.referrals import views

urlpatterns = [
    path("", views.referral_list, name="referrals-referral-list"),
    path("new/<int:person_pk>/", views.referral_new, name="referrals-referral-new"),
    path("person/<int:person_pk>/", views.person_referrals, name="referrals-person"),
    path(
        "incoming/<int:person_pk>/",
        views.referral_incoming_new,
        name="referrals-referral-incoming",
    ),
    path("<int:pk>/", views.referral_detail, name="referrals-referral-detail"),
    path("<int:pk>/edit/", views.referral_edit, name="referrals-referral-edit"),
    path("<int:pk>/send/", views.referral_send, name="referrals-referral-send"),
    path("<int:pk>/step/", views.referral_step, name="referrals-referral-step"),
    path("<int:pk>/letter.pdf", views.referral_letter, name="referrals-referral-letter"),
    path("<int:pk>/attachments/", views.attachment_upload, name="referrals-attachment-upload"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="referrals-attachment-download",
    ),
    path("<int:pk>/links/", views.link_create, name="referrals-link-create"),
    path("<int:pk>/links/<int:link_pk>/revoke/", views.link_revoke, name="referrals-link-revoke"),
    path("inbox/", views.inbox, name="referrals-inbox"),
    path("inbox/<int:pk>/", views.inbox_detail, name="referrals-inbox-detail"),
    path("inbox/<int:pk>/step/", views.inbox_step, name="referrals-inbox-step"),
    path("figures/", views.figures, name="referrals-figures"),
    path("figures.<slug:fmt>", views.figures_export, name="referrals-figures-export"),
    path("r/<str:token>/", views.link_page, name="referrals-link"),
    path(
        "r/<str:token>/documents/<int:attachment_pk>/",
        views.link_attachment,
        name="referrals-link-attachment",
    ),
]
