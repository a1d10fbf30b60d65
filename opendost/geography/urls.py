from django.urls import path

from opendost.geography import views

app_name = "geography"
urlpatterns = [
    path("options/", views.unit_options, name="unit_options"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/<str:code_set>/<str:level>/<str:code>/", views.unit_detail, name="unit_detail"),
]
