from django.urls import path

from opendost.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.message_list, name="list"),
    path("read-all/", views.message_mark_all_read, name="mark_all_read"),
    path("<uuid:public_id>/read/", views.message_mark_read, name="mark_read"),
]
