from django.urls import path

from opendost.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.task_list, name="task_list"),
    path("export.<str:file_type>", views.task_export, name="task_export"),
    path("new/", views.task_create, name="task_create"),
    path("<uuid:public_id>/", views.task_detail, name="task_detail"),
    path("<uuid:public_id>/edit/", views.task_edit, name="task_edit"),
    path("<uuid:public_id>/deliverables/<int:pk>/deliver/", views.deliverable_deliver, name="deliverable_deliver"),
    path("<uuid:public_id>/transition/", views.task_transition, name="task_transition"),
    path("<uuid:public_id>/do/<slug:action>/", views.task_action, name="task_action"),
    path("amendments/<uuid:public_id>/", views.amendment_decide, name="amendment_decide"),
    path("reports/<uuid:public_id>/review/", views.report_review, name="report_review"),
    path("reports/<uuid:public_id>/attachment/", views.report_attachment, name="report_attachment"),
    path("councils/<slug:kind>/<uuid:public_id>/new/", views.council_start, name="council_start"),
    path("councils/<uuid:public_id>/record-outcome/", views.council_apply, name="council_apply"),
    path("results/<uuid:public_id>/registration/", views.result_registration_open, name="result_registration_open"),
    path("results/<uuid:public_id>/applications/", views.result_application_add, name="result_application_add"),
    path("registrations/<uuid:public_id>/<slug:action>/", views.registration_action, name="registration_action"),
    path("proposals/", views.proposal_list, name="proposal_list"),
    path("proposals/new/", views.proposal_create, name="proposal_create"),
    path("proposals/<uuid:public_id>/", views.proposal_detail, name="proposal_detail"),
    path("proposals/<uuid:public_id>/edit/", views.proposal_edit, name="proposal_edit"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<uuid:public_id>/", views.round_detail, name="round_detail"),
    path("calls/new/", views.call_create, name="call_create"),
    path("calls/<uuid:public_id>/", views.call_detail, name="call_detail"),
    path("calls/<uuid:public_id>/edit/", views.call_edit, name="call_edit"),
    path("applications/<uuid:public_id>/", views.application_detail, name="application_detail"),
    # Applicants: their organisation's records only.
    path("my/", views.my_home, name="my_home"),
    path("my/proposals/new/", views.my_proposal_create, name="my_proposal_create"),
    path("my/proposals/<uuid:public_id>/", views.my_proposal, name="my_proposal"),
    path("my/proposals/<uuid:public_id>/edit/", views.my_proposal_edit, name="my_proposal_edit"),
    path("my/proposals/<uuid:public_id>/submit/", views.my_proposal_submit, name="my_proposal_submit"),
    path("my/calls/<uuid:public_id>/apply/", views.my_apply, name="my_apply"),
    path("my/applications/<uuid:public_id>/", views.my_application, name="my_application"),
    path("my/tasks/<uuid:public_id>/", views.my_task, name="my_task"),
    path("my/tasks/<uuid:public_id>/reports/", views.my_report_submit, name="my_report_submit"),
    path("my/results/<uuid:public_id>/register/", views.my_result_register, name="my_result_register"),
]
