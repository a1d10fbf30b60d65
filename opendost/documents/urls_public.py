from django.urls import path

from opendost.documents import views

app_name = "documents_public"
urlpatterns = [
    path("<str:code>/", views.document_verify, name="verify"),
]
