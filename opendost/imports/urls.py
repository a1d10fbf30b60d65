from django.urls import path

from opendost.imports import views

app_name = "imports"
urlpatterns = [
    path("runs/<uuid:public_id>/", views.run_detail, name="run_detail"),
    path("runs/<uuid:public_id>/errors.xlsx", views.run_error_report, name="run_error_report"),
    path("<str:spec_name>/", views.import_start, name="start"),
    path("<str:spec_name>/template.xlsx", views.import_template, name="template"),
]
