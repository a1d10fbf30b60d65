"""Public pages (no login): the register of licensed X-ray facilities and licence verification.

Nothing personal is shown: no safety officer, worker, phone or note; only the facility's name and
work-site address, the licence's number, dates and state, and how many devices it covers.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from opendost.common.pagination import paginate
from opendost.radiation import selectors


@login_not_required
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:100]
    page = paginate(selectors.public_register(q=q), request.GET.get("page"), settings.OPENDOST_PAGE_SIZE)
    return render(request, "radiation/public_register.html", {"page": page, "q": q})


@login_not_required
@require_GET
def verify_search(request: HttpRequest) -> HttpResponse:
    """A form to type a licence number or verification code; a found licence redirects to its page."""
    number = request.GET.get("number", "").strip()[:60]
    if number:
        licence = selectors.licence_for_verification(number)
        if licence is not None:
            return redirect("radiation_public:verify", code=licence.verification_code)
        return render(request, "radiation/verify_search.html", {"number": number, "not_found": True}, status=404)
    return render(request, "radiation/verify_search.html", {"number": ""})


@login_not_required
@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """What the QR code of a printed licence leads to: is this licence valid today?"""
    licence = selectors.licence_for_verification(code)
    if licence is None:
        return render(request, "radiation/verify_search.html", {"number": code[:20], "not_found": True}, status=404)
    today = timezone.localdate()
    context = {
        "licence": licence,
        "state": licence.state_on(today),
        "today": today,
        "successor": next(iter(licence.successors.all()), None),
        "device_count": licence.devices.exclude(status="decommissioned").count(),
    }
    return render(request, "radiation/verify.html", context)
