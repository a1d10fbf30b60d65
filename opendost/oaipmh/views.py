from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from opendost.oaipmh import provider


@login_not_required
@csrf_exempt  # harvesters POST application/x-www-form-urlencoded requests without a session (spec 3.1.1)
@require_http_methods(["GET", "POST"])
def endpoint(request: HttpRequest) -> HttpResponse:
    """Public: the OAI-PMH 2.0 base URL. Errors are OAI errors in a 200 response, as the protocol says."""
    arguments = request.POST if request.method == "POST" else request.GET
    return HttpResponse(provider.respond(dict(arguments.lists())), content_type="text/xml; charset=utf-8")
