from django.urls import path

from opendost.subjects import views

app_name = "subjects"
urlpatterns = [
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path("organizations/export.<str:file_type>", views.organization_export, name="organization_export"),
    path("organizations/<uuid:public_id>/", views.organization_detail, name="organization_detail"),
    path("organizations/<uuid:public_id>/edit/", views.organization_edit, name="organization_edit"),
    path("organizations/<uuid:public_id>/contacts/", views.contact_add, name="contact_add"),
    path(
        "organizations/<uuid:public_id>/contacts/<uuid:contact_public_id>/remove/",
        views.contact_remove,
        name="contact_remove",
    ),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/export.<str:file_type>", views.person_export, name="person_export"),
    path("people/<uuid:public_id>/", views.person_detail, name="person_detail"),
    path("people/<uuid:public_id>/edit/", views.person_edit, name="person_edit"),
]
