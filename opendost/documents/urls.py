from django.urls import path

from opendost.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("<uuid:public_id>/", views.document_detail, name="detail"),
    path("<uuid:public_id>/download.docx", views.document_download, {"extension": "docx"}, name="download_docx"),
    path("<uuid:public_id>/download.pdf", views.document_download, {"extension": "pdf"}, name="download_pdf"),
]
