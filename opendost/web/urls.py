from django.urls import path

from opendost.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("users/", views.user_list, name="users"),
    path("departments/", views.department_list, name="departments"),
]
