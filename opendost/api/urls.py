"""The JSON API at /api/v1/ (django-ninja). OpenAPI document: /api/v1/openapi.json; docs: /api/v1/docs."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from opendost.api.auth import ApiTokenAuth, StaffSessionAuth
from opendost.api.calendars import router as calendars_router
from opendost.api.endpoints import router


class OpenDostApi(NinjaAPI):
    """NinjaAPI whose views answer for themselves: LoginRequiredMiddleware must not redirect them.

    Every operation authenticates (token or session) and answers 401 JSON; the OpenAPI document holds
    no data and is public. Only the interactive docs page keeps the login redirect.
    """

    def _get_urls(self):
        patterns = super()._get_urls()
        for pattern in patterns:
            if getattr(pattern, "name", None) != "openapi-view":
                login_not_required(pattern.callback)
        return patterns


api = OpenDostApi(
    title="OpenDOST API",
    version="1",
    description=(
        "Read-only API of OpenDOST. Authenticate with `Authorization: Bearer <token>` (tokens are created "
        "with `manage.py api_token_create`) or a logged-in session. Lists are paginated with `limit` "
        "(at most 100) and `offset`; `next_offset` is null on the last page. Errors are JSON: "
        '`{"detail": "..."}`, or a list of problems for 422.'
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    auth=[ApiTokenAuth(), StaffSessionAuth()],
)
api.add_router("", router)
api.add_router("/calendar", calendars_router)


def _add_domain_routers() -> None:
    """Each domain app lists its routers on its AppConfig:
    `api_routers = [("/dossiers", "opendost.dossiers.api.router")]`."""
    from django.apps import apps
    from django.utils.module_loading import import_string

    for config in apps.get_app_configs():
        for prefix, dotted in getattr(config, "api_routers", ()):
            api.add_router(prefix, import_string(dotted))


_add_domain_routers()


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: AuthenticationError):
    response = api.create_response(request, {"detail": "Authentication required."}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError):
    errors = [{"type": e.get("type", ""), "loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors]
    return api.create_response(request, {"detail": errors}, status=422)
