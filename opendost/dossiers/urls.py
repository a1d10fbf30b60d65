from django.urls import path

from opendost.dossiers import views

app_name = "dossiers"
urlpatterns = [
    path("", views.home, name="home"),
    path("list/", views.dossier_list, name="list"),
    path("list/export.<str:file_type>", views.dossier_export, name="export"),
    path("new/", views.new, name="new"),
    path("new/<uuid:procedure>/", views.create, name="create"),
    path("counter/", views.counter, name="counter"),
    path("counter/<uuid:procedure>/", views.counter_form, name="counter_form"),
    path("procedures/", views.procedures, name="procedures"),
    path("procedures/<uuid:public_id>/", views.procedure_detail, name="procedure_detail"),
    path("procedures/<uuid:public_id>/versions/new/", views.procedure_version_new, name="procedure_version_new"),
    path(
        "procedures/versions/<uuid:public_id>/publish/",
        views.procedure_version_publish,
        name="procedure_version_publish",
    ),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/export.<str:file_type>", views.statistics_export, name="statistics_export"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/edit/", views.edit, name="edit"),
    path("<uuid:public_id>/act/<str:action>/", views.act, name="act"),
    path("<uuid:public_id>/attachments/", views.upload, name="upload"),
    path("<uuid:public_id>/attachments/<uuid:attachment_id>/", views.attachment, name="attachment"),
    path("<uuid:public_id>/result.<str:fmt>", views.result, name="result"),
    path("<uuid:public_id>/slips/<str:kind>.<str:fmt>", views.slip, name="slip"),
    path("<uuid:public_id>/rate/", views.rate, name="rate"),
]
