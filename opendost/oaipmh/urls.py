from django.urls import path

from opendost.oaipmh import views

app_name = "oaipmh"
urlpatterns = [
    path("", views.endpoint, name="endpoint"),
]
