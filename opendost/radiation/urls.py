from django.urls import path

from opendost.radiation import views

app_name = "radiation"
urlpatterns = [
    path("", views.facility_list, name="facility_list"),
    path("export/<str:file_type>/", views.facility_export, name="facility_export"),
    path("new/", views.facility_create, name="facility_create"),
    path("expiry/", views.expiry_control, name="expiry_control"),
    path("facilities/<uuid:public_id>/", views.facility_detail, name="facility_detail"),
    path("facilities/<uuid:public_id>/edit/", views.facility_edit, name="facility_edit"),
    path("facilities/<uuid:public_id>/devices/new/", views.device_create, name="device_create"),
    path("facilities/<uuid:public_id>/licences/new/", views.licence_create, name="licence_create"),
    path("facilities/<uuid:public_id>/workers/new/", views.worker_create, name="worker_create"),
    path("facilities/<uuid:public_id>/plans/new/", views.plan_create, name="plan_create"),
    path("devices/<uuid:public_id>/", views.device_edit, name="device_edit"),
    path("devices/<uuid:public_id>/<str:transition>/", views.device_transition, name="device_transition"),
    path("licences/<uuid:public_id>/", views.licence_detail, name="licence_detail"),
    path("licences/<uuid:public_id>/revoke/", views.licence_revoke, name="licence_revoke"),
    path("workers/<uuid:public_id>/", views.worker_edit, name="worker_edit"),
    path("workers/<uuid:public_id>/certificates/", views.certificate_add, name="certificate_add"),
    path("plans/<uuid:public_id>/", views.plan_edit, name="plan_edit"),
    path("plans/<uuid:public_id>/<str:action>/", views.plan_action, name="plan_action"),
    path("monitoring/", views.point_list, name="point_list"),
    path("monitoring/new/", views.point_create, name="point_create"),
    path("monitoring/<uuid:public_id>/", views.point_detail, name="point_detail"),
    path("monitoring/<uuid:public_id>/edit/", views.point_edit, name="point_edit"),
]
