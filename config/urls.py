from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from opendost.api.urls import api
from opendost.common.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("accounts/", include("opendost.accounts.urls")),
    path("app/", include("opendost.web.urls")),
    path("subjects/", include("opendost.subjects.urls")),
    path("search/", include("opendost.search.urls")),
    path("geography/", include("opendost.geography.urls")),
    path("notifications/", include("opendost.notifications.urls")),
    path("calendar/", include("opendost.calendars.urls")),
    path("documents/", include("opendost.documents.urls")),
    path("imports/", include("opendost.imports.urls")),
    path("dossiers/", include("opendost.dossiers.urls")),
    path("councils/", include("opendost.councils.urls")),
    path("projects/", include("opendost.projects.urls")),
    path("radiation/", include("opendost.radiation.urls")),
    path("planning/", include("opendost.planning.urls")),
    path("market/", include("opendost.marketplace.urls")),
    path("verify/", include("opendost.documents.urls_public")),
    path("lookup/", include("opendost.dossiers.urls_public")),
    path("results/", include("opendost.projects.urls_public")),
    path("oai/", include("opendost.oaipmh.urls")),
    path("registers/radiation/", include("opendost.radiation.urls_public")),
    path("exchange/", include("opendost.marketplace.urls_public")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("opendost.portal.urls")),
]
