from django.db.models import Q, QuerySet

from opendost.documents.models import IssuedDocument


def document_list_for(*, user) -> QuerySet[IssuedDocument]:
    return IssuedDocument.objects.visible_to(user).select_related("department", "issued_by")


def document_register_for(*, user, query: str = "", year: int | None = None) -> QuerySet[IssuedDocument]:
    """The register of issued documents, newest first, filtered by number/symbol or summary and year."""
    documents = document_list_for(user=user).order_by("-issued_on", "-number", "-pk")
    if query:
        documents = documents.filter(Q(number_symbol__icontains=query) | Q(title__icontains=query))
    if year:
        documents = documents.filter(issued_on__year=year)
    return documents


def document_get_for(*, user, public_id) -> IssuedDocument:
    """The document if the user's jurisdiction holds it; DoesNotExist (a 404) otherwise."""
    return document_list_for(user=user).select_related("replaced_by").get(public_id=public_id)


def document_get_public(*, code: str) -> IssuedDocument:
    """For the public verification page: by code only; the page shows no personal data."""
    return IssuedDocument.objects.select_related("replaced_by").get(verification_code=code.strip().upper())
