"""A procedure with its own fields (a handler's payload form): the draft form, the counter form and
the detail page carry them, and the handler's errors land next to its fields."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from opendost.dossiers.enums import DossierStatus
from opendost.dossiers.handlers import ProcedureHandler, register
from opendost.dossiers.models import Dossier
from tests.dossiers.factories import Office, applicant_for, published_procedure

pytestmark = pytest.mark.django_db


class _LicenceForm(forms.Form):
    licence_number = forms.CharField(label="Licence number", max_length=30)
    valid_until = forms.DateField(label="Valid until", input_formats=["%d/%m/%Y"])

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization


class _LicenceHandler(ProcedureHandler):
    key = "test_views_licence"
    label = "Test licence"

    def payload_form_class(self, *, user, organization):
        return _LicenceForm

    def clean_payload(self, payload, *, organization, version):
        if payload.get("licence_number") == "00/BAD":
            raise ValidationError({"licence_number": ["This licence is not in the register."]})
        return dict(payload)

    def payload_display(self, dossier):
        return [("Licence number", dossier.payload["licence_number"]), ("Valid until", dossier.payload["valid_until"])]


register(_LicenceHandler())


@pytest.fixture
def office():
    return Office()


@pytest.fixture
def procedure():
    return published_procedure(handler_key="test_views_licence", required_documents=[])


def test_the_applicant_fills_the_procedures_fields(client, office, procedure):
    applicant = applicant_for(office)
    client.force_login(applicant)
    url = reverse("dossiers:create", args=[procedure.public_id])
    base = {"applicant_kind": "organization", "applicant_name": applicant.organization.name}
    response = client.post(url, {**base, "payload-licence_number": "00/BAD", "payload-valid_until": "31/12/2027"})
    assert response.status_code == 200
    assert response.context["payload_form"].errors["licence_number"] == ["This licence is not in the register."]
    assert "31/12/2027" in response.content.decode()
    response = client.post(url, {**base, "payload-licence_number": "12/GP-SKHCN", "payload-valid_until": "31/12/2027"})
    dossier = Dossier.objects.get()
    assert dossier.payload == {"licence_number": "12/GP-SKHCN", "valid_until": "2027-12-31"}
    html = client.get(response.url).content.decode()
    assert "12/GP-SKHCN" in html


def test_the_desk_fills_the_procedures_fields_at_the_counter(client, office, procedure):
    client.force_login(office.desk)
    url = reverse("dossiers:counter_form", args=[procedure.public_id])
    assert "payload-licence_number" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "channel": "counter",
            "applicant_name": "Nguyễn Thị Lan",
            "payload-licence_number": "7/GP",
            "payload-valid_until": "01/01/2028",
        },
    )
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.status == DossierStatus.RECEIVED and dossier.payload["licence_number"] == "7/GP"
