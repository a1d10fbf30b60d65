from django.urls import path

from opendost.marketplace import views_public

app_name = "exchange"
urlpatterns = [
    path("", views_public.browse, name="browse"),
    path("statistics/", views_public.statistics, name="statistics"),
    path("<uuid:public_id>/", views_public.listing_detail, name="listing_detail"),
    path("<uuid:public_id>/files/<uuid:file_id>/", views_public.listing_file, name="file"),
]
