from django.urls import path

from opendost.projects import views_public

app_name = "projects_public"
urlpatterns = [
    path("", views_public.result_search, name="search"),
    path("calls/", views_public.call_list, name="calls"),
    path("calls/<uuid:public_id>/", views_public.call_detail, name="call_detail"),
    path("<uuid:public_id>/", views_public.result_detail, name="result_detail"),
]
