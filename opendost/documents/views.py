"""Staff pages (document detail, downloads) and the public verification page reached from the QR."""

import unicodedata
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from opendost.common.pagination import paginate
from opendost.common.text import fold
from opendost.documents import selectors
from opendost.documents.models import IssuedDocument

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _get_or_404(request: HttpRequest, public_id) -> IssuedDocument:
    try:
        return selectors.document_get_for(user=request.user, public_id=public_id)
    except IssuedDocument.DoesNotExist:
        raise Http404 from None


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback and the UTF-8 name (RFC 6266 §4.3, RFC 5987/8187)."""
    filename = unicodedata.normalize("NFC", filename)
    fallback = "".join(c if c.isalnum() or c in "-_." else "_" for c in fold(filename).replace(" ", "_")) or "file"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def download_name(document: IssuedDocument, extension: str) -> str:
    return f"{document.kind_label} {document.number_symbol.replace('/', '-')}.{extension}"


@require_GET
def document_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("documents.view_issueddocument"):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()[:100]
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 1900 < int(year) < 3000 else None
    documents = selectors.document_register_for(user=request.user, query=query, year=year)
    page = paginate(documents, request.GET.get("page"), settings.OPENDOST_PAGE_SIZE)
    context = {"page": page, "query": query, "year": year or ""}
    template = "documents/document_list.html#results" if request.htmx else "documents/document_list.html"
    return render(request, template, context)


@require_GET
def document_detail(request: HttpRequest, public_id) -> HttpResponse:
    document = _get_or_404(request, public_id)
    return render(request, "documents/document_detail.html", {"document": document})


@require_GET
def document_download(request: HttpRequest, public_id, extension: str) -> FileResponse:
    document = _get_or_404(request, public_id)
    field = document.docx if extension == "docx" else document.pdf
    if not field.name or not field.storage.exists(field.name):
        raise Http404
    response = FileResponse(field.open("rb"), content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = content_disposition(download_name(document, extension))
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_not_required
@require_GET
def document_verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: what the QR on a printed document leads to. Shows the register entry, never the content."""
    try:
        document = selectors.document_get_public(code=code)
    except IssuedDocument.DoesNotExist:
        return render(request, "documents/verify_not_found.html", {"code": code[:20]}, status=404)
    return render(request, "documents/verify.html", {"document": document})
