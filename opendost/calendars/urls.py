from django.urls import path

from opendost.calendars import views

app_name = "calendars"
urlpatterns = [
    path("", views.calendar_year, name="year_current"),
    path("<int:year>/", views.calendar_year, name="year"),
    path("overrides/", views.override_set, name="override_set"),
    path("overrides/<str:day>/remove/", views.override_remove, name="override_remove"),
]
