from django.urls import path

from opendost.dossiers import views

app_name = "dossiers_public"
urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("procedures/", views.catalogue, name="catalogue"),
]
