"""Search specs of the kernel's own registers (registered from SearchConfig.ready()).

Domain apps register theirs from their own AppConfig.ready(); the subject register is part of the
kernel and is registered here so that it is searchable as soon as the search app is installed.
The subjects services keep the documents in step (search_index / search_index_many).
"""

from django.apps import apps
from django.urls import reverse

from opendost.search.registry import SearchSpec, register


def _organization_body(organization) -> str:
    """What else finds an organisation: its other names, tax code, address and contacts' names."""
    contacts = [c.full_name for c in organization.contacts.all()]
    parts = [organization.short_name, organization.english_name, organization.tax_code, organization.full_address]
    return " ".join(p for p in [*parts, *contacts] if p)


def _person_body(person) -> str:
    """Position and organisation. Never the citizen ID: it is shown masked only, and a search by its
    digits would let a user guess it (the list filter matches the whole 12 digits, outside the index)."""
    organization = person.organization.name if person.organization_id else ""
    return " ".join(p for p in [person.position, organization] if p)


def register_kernel_specs() -> None:
    organization = apps.get_model("subjects", "Organization")
    person = apps.get_model("subjects", "Person")
    register(
        SearchSpec(
            organization,
            title=lambda o: o.name,
            body=_organization_body,
            department=lambda o: o.department_id,
            queryset=lambda: organization.objects.select_related("province", "district", "commune").prefetch_related(
                "contacts"
            ),
            url=lambda o: reverse("subjects:organization_detail", args=[o.public_id]),
        )
    )
    register(
        SearchSpec(
            person,
            title=lambda p: p.full_name,
            body=_person_body,
            department=lambda p: p.department_id,
            queryset=lambda: person.objects.select_related("organization"),
            url=lambda p: reverse("subjects:person_detail", args=[p.public_id]),
        )
    )
