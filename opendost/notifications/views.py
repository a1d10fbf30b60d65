from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from opendost.notifications import selectors, services
from opendost.notifications.models import Message

TEMPLATE = "notifications/message_list.html"


def _page_number(value: str | None) -> int:
    try:
        return max(int(value or 1), 1)
    except ValueError:
        return 1


def _list_context(request: HttpRequest, page: int) -> dict:
    messages, has_next = selectors.message_page_for(user=request.user, page=page)
    return {"notifications": messages, "page": page, "has_next": has_next, "has_previous": page > 1}


def message_list(request: HttpRequest) -> HttpResponse:
    return render(request, TEMPLATE, _list_context(request, _page_number(request.GET.get("page"))))


@require_POST
def message_mark_read(request: HttpRequest, public_id: UUID) -> HttpResponse:
    message = get_object_or_404(Message.objects.visible_to(request.user), public_id=public_id)
    services.message_mark_read(message=message, actor=request.user)
    if request.htmx:
        return render(request, f"{TEMPLATE}#row-response", {"message": message})
    return redirect(_back(request))


@require_POST
def message_mark_all_read(request: HttpRequest) -> HttpResponse:
    services.message_mark_all_read(actor=request.user)
    page = _page_number(request.POST.get("page"))
    if request.htmx:
        return render(request, f"{TEMPLATE}#list-response", _list_context(request, page))
    return redirect(_back(request))


def _back(request: HttpRequest) -> str:
    page = _page_number(request.POST.get("page"))
    url = reverse("notifications:list")
    return f"{url}?page={page}" if page > 1 else url
