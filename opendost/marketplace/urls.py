from django.urls import path

from opendost.marketplace import views, views_brokerage, views_searches

app_name = "marketplace"
urlpatterns = [
    # Listings (staff).
    path("", views.listing_list, name="listing_list"),
    path("export/<str:file_type>/", views.listing_export, name="listing_export"),
    path("moderation/", views.moderation_queue, name="moderation_queue"),
    path("new/<str:kind>/", views.listing_create, name="listing_create"),
    path("capture-need/", views.need_capture, name="need_capture"),
    path("results/<uuid:public_id>/offer/", views.offer_from_result, name="offer_from_result"),
    # Listings (staff and owners).
    path("listings/<uuid:public_id>/", views.listing_detail, name="listing_detail"),
    path("listings/<uuid:public_id>/edit/", views.listing_edit, name="listing_edit"),
    path("listings/<uuid:public_id>/files/", views.listing_file_add, name="listing_file_add"),
    path("listings/<uuid:public_id>/do/<str:action>/", views.listing_action, name="listing_action"),
    path("files/<uuid:public_id>/", views.listing_file_download, name="listing_file_download"),
    path("files/<uuid:public_id>/remove/", views.listing_file_remove, name="listing_file_remove"),
    # Listings (applicants).
    path("mine/", views.my_listings, name="my_listings"),
    path("mine/new/<str:kind>/", views.my_listing_create, name="my_listing_create"),
    # Brokerage: connections and fairs (staff), interest and "my connections" (applicants).
    path("connections/", views_brokerage.connection_list, name="connection_list"),
    path("connections/new/", views_brokerage.connection_create, name="connection_create"),
    path("connections/statistics/", views_brokerage.connection_statistics, name="connection_statistics"),
    path("connections/<uuid:public_id>/", views_brokerage.connection_detail, name="connection_detail"),
    path("connections/<uuid:public_id>/edit/", views_brokerage.connection_edit, name="connection_edit"),
    path(
        "connections/<uuid:public_id>/do/<str:action>/",
        views_brokerage.connection_transition,
        name="connection_transition",
    ),
    path("connections/<uuid:public_id>/events/", views_brokerage.connection_event_add, name="connection_event_add"),
    path("connections/<uuid:public_id>/files/", views_brokerage.connection_file_add, name="connection_file_add"),
    path(
        "connections/<uuid:public_id>/files/<uuid:file_id>/",
        views_brokerage.connection_file,
        name="connection_file",
    ),
    path("fairs/", views_brokerage.fair_list, name="fair_list"),
    path("fairs/new/", views_brokerage.fair_create, name="fair_create"),
    path("fairs/<uuid:public_id>/", views_brokerage.fair_detail, name="fair_detail"),
    path("fairs/<uuid:public_id>/edit/", views_brokerage.fair_edit, name="fair_edit"),
    path("fairs/<uuid:public_id>/do/<str:action>/", views_brokerage.fair_transition, name="fair_transition"),
    path("fairs/<uuid:public_id>/register/", views_brokerage.fair_register, name="fair_register"),
    path(
        "fairs/<uuid:public_id>/listings/<uuid:listing_id>/remove/",
        views_brokerage.fair_unregister,
        name="fair_unregister",
    ),
    path("interest/<uuid:public_id>/", views_brokerage.interest_express, name="interest_express"),
    path("answer/<uuid:public_id>/", views_brokerage.need_answer, name="need_answer"),
    path("my-connections/", views_brokerage.my_connections, name="my_connections"),
    path("my-connections/<uuid:public_id>/", views_brokerage.my_connection_detail, name="my_connection_detail"),
    # Saved searches of the public exchange (any logged-in user; portal+API helper).
    path("searches/", views_searches.saved_search_list, name="saved_search_list"),
    path("searches/new/", views_searches.saved_search_create, name="saved_search_create"),
    path("searches/<uuid:public_id>/alerts/", views_searches.saved_search_alerts, name="saved_search_alerts"),
    path("searches/<uuid:public_id>/delete/", views_searches.saved_search_delete, name="saved_search_delete"),
]
