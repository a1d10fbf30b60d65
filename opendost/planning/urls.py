from django.urls import path

from opendost.planning import views

app_name = "planning"
urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("<uuid:public_id>/", views.plan_dashboard, name="plan_dashboard"),
    path("<uuid:public_id>/export/", views.plan_export, name="plan_export"),
    path("<uuid:public_id>/budget/", views.plan_budget, name="plan_budget"),
    path("targets/<uuid:public_id>/", views.target_detail, name="target_detail"),
    path("targets/<uuid:public_id>/records/", views.target_records, name="target_records"),
    path("targets/<uuid:public_id>/values/", views.manual_value_create, name="manual_value_create"),
    path("values/<uuid:public_id>/<str:action>/", views.manual_value_review, name="manual_value_review"),
]
