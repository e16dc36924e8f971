from django.urls import path

from koinotita.cases import views

urlpatterns = [
    path("", views.case_list, name="cases-case-list"),
    path("new/<int:person_pk>/", views.case_open, name="cases-case-open"),
    path("<int:pk>/", views.case_detail, name="cases-case-detail"),
    path("<int:pk>/status/", views.case_status, name="cases-case-status"),
    path("<int:pk>/reassign/", views.case_reassign, name="cases-case-reassign"),
    path("<int:pk>/workers/", views.case_workers, name="cases-case-workers"),
    path("<int:pk>/team/", views.case_member_add, name="cases-case-member-add"),
    path("<int:pk>/assessments/new/", views.assessment_new, name="cases-assessment-new"),
    path("<int:pk>/goals/new/", views.goal_add, name="cases-goal-add"),
    path("<int:pk>/goals/<int:goal_pk>/status/", views.goal_status, name="cases-goal-status"),
    path("<int:pk>/goals/<int:goal_pk>/actions/", views.action_add, name="cases-action-add"),
    path(
        "<int:pk>/actions/<int:action_pk>/status/",
        views.action_status,
        name="cases-action-status",
    ),
    path("<int:pk>/plan/agree/", views.plan_agree, name="cases-plan-agree"),
    path("<int:pk>/sessions/new/", views.session_new, name="cases-session-new"),
    path("<int:pk>/notes/new/", views.note_add, name="cases-note-add"),
    path("notes/<int:pk>/open/", views.note_break_glass, name="cases-note-break-glass"),
    path("<int:pk>/attachments/new/", views.attachment_add, name="cases-attachment-add"),
    path("attachments/<int:pk>/", views.attachment_download, name="cases-attachment-download"),
    path("<int:pk>/tasks/new/", views.task_add, name="cases-task-add"),
    path("tasks/", views.my_tasks, name="cases-my-tasks"),
    path("tasks/<int:pk>/status/", views.task_status, name="cases-task-status"),
    path("<int:pk>/close/", views.closure_new, name="cases-closure-new"),
    path("closures/<int:pk>/decide/", views.closure_decide, name="cases-closure-decide"),
    path("<int:pk>/reopen/", views.case_reopen, name="cases-case-reopen"),
    path("<int:pk>/transfer/", views.transfer_new, name="cases-transfer-new"),
    path("transfers/", views.transfer_incoming, name="cases-transfer-incoming"),
    path("team/", views.team_view, name="cases-team"),
]
