from django.urls import path

from opendost.councils import views

app_name = "councils"
urlpatterns = [
    path("", views.council_list, name="list"),
    path("new/", views.council_create, name="create"),
    path("mine/", views.my_council_list, name="my_list"),
    path("mine/<uuid:public_id>/", views.my_council, name="my_council"),
    path("mine/<uuid:public_id>/items/<uuid:item_id>/", views.my_item, name="my_item"),
    path("mine/<uuid:public_id>/items/<uuid:item_id>/conflict/", views.my_conflict, name="my_conflict"),
    path("mine/<uuid:public_id>/items/<uuid:item_id>/sheet/", views.my_sheet, name="my_sheet"),
    path("<uuid:public_id>/", views.council_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.council_edit, name="edit"),
    path("<uuid:public_id>/transition/", views.council_transition, name="transition"),
    path("<uuid:public_id>/members/", views.member_add, name="member_add"),
    path("<uuid:public_id>/members/<uuid:member_id>/remove/", views.member_remove, name="member_remove"),
    path("<uuid:public_id>/members/<uuid:member_id>/attendance/", views.member_attendance, name="member_attendance"),
    path("<uuid:public_id>/members/<uuid:member_id>/items/", views.member_assign, name="member_assign"),
    path("<uuid:public_id>/items/", views.item_add, name="item_add"),
    path("<uuid:public_id>/items/<uuid:item_id>/remove/", views.item_remove, name="item_remove"),
    path("<uuid:public_id>/criteria/", views.criterion_add, name="criterion_add"),
    path("<uuid:public_id>/criteria/template/", views.criteria_template, name="criteria_template"),
    path("<uuid:public_id>/criteria/<str:code>/remove/", views.criterion_remove, name="criterion_remove"),
    path("<uuid:public_id>/minutes/", views.minutes_issue, name="minutes_issue"),
]
