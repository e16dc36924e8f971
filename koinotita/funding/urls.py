from django.urls import path

from koinotita.funding import views

urlpatterns = [
    path("", views.operation_list, name="funding-operation-list"),
    path("new/", views.operation_create, name="funding-operation-create"),
    path("<int:pk>/", views.operation_detail, name="funding-operation-detail"),
    path("<int:pk>/edit/", views.operation_edit, name="funding-operation-edit"),
    path("<int:pk>/amend/", views.amendment_create, name="funding-amendment-create"),
    path("<int:pk>/budget/", views.year_budget_set, name="funding-year-budget-set"),
    path(
        "<int:pk>/expenditures/new/",
        views.expenditure_create,
        name="funding-expenditure-create",
    ),
    path(
        "<int:pk>/expenditures/<int:expenditure_id>/reverse/",
        views.expenditure_reverse,
        name="funding-expenditure-reverse",
    ),
    path(
        "<int:pk>/expenditures/import/",
        views.expenditure_import,
        name="funding-expenditure-import",
    ),
    path("<int:pk>/export/<str:fmt>/", views.operation_export, name="funding-operation-export"),
    path("region/<slug:code>/", views.region_view, name="funding-region"),
    path("region/<slug:code>/export/<str:fmt>/", views.region_export, name="funding-region-export"),
]
