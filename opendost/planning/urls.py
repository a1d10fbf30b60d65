from django.urls import path

from opendost.planning import views, views_plans, views_units
from opendost.planning import views_reports as reports

app_name = "planning"
urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("<uuid:public_id>/", views.plan_dashboard, name="plan_dashboard"),
    path("<uuid:public_id>/export/", views.plan_export, name="plan_export"),
    path("<uuid:public_id>/budget/", views.plan_budget, name="plan_budget"),
    path("targets/<uuid:public_id>/", views.target_detail, name="target_detail"),
    path("targets/<uuid:public_id>/records/", views.target_records, name="target_records"),
    path("targets/<uuid:public_id>/units/", views_units.target_units, name="target_units"),
    path("targets/<uuid:public_id>/units/export/", views_units.target_units_export, name="target_units_export"),
    path("targets/<uuid:public_id>/units/records/", views_units.target_unit_records, name="target_unit_records"),
    path("targets/<uuid:public_id>/values/", views.manual_value_create, name="manual_value_create"),
    path("values/<uuid:public_id>/<str:action>/", views.manual_value_review, name="manual_value_review"),
    # keeping the plan (views_plans)
    path("<uuid:public_id>/manage/", views_plans.plan_manage, name="plan_manage"),
    path("<uuid:public_id>/edit/", views_plans.plan_edit, name="plan_edit"),
    path("<uuid:public_id>/copy/", views_plans.plan_copy, name="plan_copy"),
    path("<uuid:public_id>/targets/new/", views_plans.target_add, name="target_add"),
    path("targets/<uuid:public_id>/edit/", views_plans.target_edit, name="target_edit"),
    path("targets/<uuid:public_id>/delete/", views_plans.target_delete, name="target_delete"),
    path("<uuid:public_id>/budget/export/", views_plans.budget_export, name="budget_export"),
    path("<uuid:public_id>/budget/lines/new/", views_plans.budget_line_add, name="budget_line_add"),
    path("<uuid:public_id>/budget/lines/<slug:code>/", views_plans.budget_line_detail, name="budget_line_detail"),
    path("<uuid:public_id>/budget/lines/<slug:code>/edit/", views_plans.budget_line_edit, name="budget_line_edit"),
    path(
        "<uuid:public_id>/budget/lines/<slug:code>/delete/", views_plans.budget_line_delete, name="budget_line_delete"
    ),
    path(
        "<uuid:public_id>/budget/lines/<slug:code>/allocations/new/",
        views_plans.allocation_add,
        name="allocation_add",
    ),
    path("allocations/<uuid:public_id>/edit/", views_plans.allocation_edit, name="allocation_edit"),
    path("allocations/<uuid:public_id>/delete/", views_plans.allocation_delete, name="allocation_delete"),
    # reports (views_reports)
    path("<uuid:public_id>/reports/", reports.report_list, name="report_list"),
    path(
        "<uuid:public_id>/reports/quarterly/<int:year>/<int:quarter>/",
        reports.quarterly_report,
        name="quarterly_report",
    ),
    path(
        "<uuid:public_id>/reports/quarterly/<int:year>/<int:quarter>/excel/",
        reports.quarterly_report_excel,
        name="quarterly_report_excel",
    ),
    path(
        "<uuid:public_id>/reports/review/<int:year_from>-<int:year_to>/", reports.review_report, name="review_report"
    ),
    path(
        "<uuid:public_id>/reports/review/<int:year_from>-<int:year_to>/excel/",
        reports.review_report_excel,
        name="review_report_excel",
    ),
    path("reports/<uuid:public_id>/download/<str:extension>/", reports.report_download, name="report_download"),
    path(
        "<uuid:public_id>/reconciliation/<int:year_from>-<int:year_to>/", reports.reconciliation, name="reconciliation"
    ),
    path(
        "<uuid:public_id>/reconciliation/<int:year_from>-<int:year_to>/<slug:key>/",
        reports.historic_figure_records,
        name="historic_figure_records",
    ),
    path(
        "targets/<uuid:public_id>/records/<int:year_from>-<int:year_to>/",
        reports.report_records,
        name="report_records",
    ),
]
