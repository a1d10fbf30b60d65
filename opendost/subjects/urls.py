from django.urls import path

from opendost.subjects import views

app_name = "subjects"
urlpatterns = [
    path("organizations/", views.organization_list, name="organization_list"),
    path("people/", views.person_list, name="person_list"),
]
