"""Progress report attachments are served by a checked view, never from the public media URL."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from opendost.projects import services

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def report(flow, applicant, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    task = flow.in_progress()
    return services.progress_report_submit(
        actor=applicant,
        task=task,
        period_end=dt.date(2026, 2, 28),
        content="Đã hoàn thành nội dung 1.",
        attachment=SimpleUploadedFile("bao-cao.pdf", PDF, content_type="application/pdf"),
    )


def test_the_host_and_the_departments_staff_download_the_attachment(report, applicant, officer):
    url = reverse("projects:report_attachment", args=[report.public_id])
    for user in (applicant, officer):
        response = logged_in(user).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"].startswith("attachment;")
        assert {"private", "no-store"} <= {v.strip() for v in response["Cache-Control"].split(",")}


def test_anyone_else_gets_404_and_pages_link_the_checked_view(report, other_applicant, outsider, officer):
    url = reverse("projects:report_attachment", args=[report.public_id])
    for user in (other_applicant, outsider):
        assert logged_in(user).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page
    page = logged_in(officer).get(report.task.get_absolute_url()).content.decode()
    assert url in page and report.attachment.url not in page
