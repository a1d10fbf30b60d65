"""The desk records the fee on the dossier page (or at the counter) before a fee-bound dossier is received."""

import pytest
from django.urls import reverse

from opendost.accounts.roles import Role
from opendost.dossiers import services
from opendost.dossiers.enums import DossierStatus
from opendost.dossiers.models import Dossier
from tests.dossiers.factories import Office, attach_required, published_procedure
from tests.factories import UserFactory
from tests.subjects.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return Office()


@pytest.fixture
def procedure():
    return published_procedure(fee_amount=1_600_000, rules={"clock_after_fee": True})


def test_the_desk_records_the_fee_then_receives(client, office, procedure):
    organization = OrganizationFactory(department=office.department)
    applicant = UserFactory(role=Role.APPLICANT, department=None, organization=organization)
    dossier = services.dossier_create(actor=applicant, procedure=procedure, organization=organization)
    attach_required(dossier, applicant)
    services.dossier_submit(actor=applicant, dossier=dossier)
    client.force_login(office.desk)
    page = client.get(dossier.get_absolute_url())
    assert "Record the fee payment" in page.content.decode() and "not paid yet" in page.content.decode()

    refused = client.post(reverse("dossiers:act", args=[dossier.public_id, "receive"]))
    assert refused.status_code == 200 and "Record the fee payment first" in refused.content.decode()
    response = client.post(
        reverse("dossiers:act", args=[dossier.public_id, "fee"]),
        {"fee-amount": "1600000", "fee-receipt_number": "BL-77", "fee-paid_on": "27/11/2026"},
    )
    assert response.status_code == 302, [(p.name, p.form.errors) for p in response.context["panels"]]
    assert client.post(reverse("dossiers:act", args=[dossier.public_id, "receive"])).status_code == 302
    dossier.refresh_from_db()
    assert (dossier.status, dossier.fee_receipt) == (DossierStatus.RECEIVED, "BL-77")
    assert "1.600.000" in client.get(dossier.get_absolute_url()).content.decode()


def test_a_counter_receipt_records_the_fee_paid_at_the_counter(client, office, procedure):
    client.force_login(office.desk)
    response = client.post(
        reverse("dossiers:counter_form", args=[procedure.public_id]),
        {
            "channel": "counter",
            "applicant_name": "Phòng khám Nha khoa Việt Đức",
            "fee_amount": "1600000",
            "fee_receipt": "BL-78",
            "fee_paid_on": "27/11/2026",
        },
    )
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert (dossier.status, dossier.fee_amount) == (DossierStatus.RECEIVED, 1_600_000)
