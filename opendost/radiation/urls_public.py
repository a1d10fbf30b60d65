from django.urls import path

from opendost.radiation import views_public

app_name = "radiation_public"
urlpatterns = [
    path("", views_public.register, name="register"),
    path("verify/", views_public.verify_search, name="verify_search"),
    path("verify/<str:code>/", views_public.verify, name="verify"),
]
