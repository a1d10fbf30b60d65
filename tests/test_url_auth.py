"""Deny by default (house style 3.7, S-01/S-03): every URL needs a login unless it is allowlisted.

The URLconf is walked recursively; each pattern gets a URL built from its own regex (converters get
dummy values), which is requested anonymously. A new view is public only if it is listed below,
with the reason. The static scans keep forms and schemas free of mass assignment (S-03) and
templates free of unescaped output.
"""

import ast
import re
from dataclasses import dataclass
from pathlib import Path
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
CODE = ROOT / "opendost"

# URL names anyone may open without logging in, each with its reason.
PUBLIC_URL_NAMES = {
    "healthz": "load-balancer liveness check",
    "set_language": "language switch on public pages",
    "accounts:login": "the login page",
    "admin:login": "redirects to accounts:login",
    "api:openapi-json": "the published API contract",
    "api:api-root": "django-ninja's empty root: answers 404",
    "oaipmh:endpoint": "OAI-PMH endpoint for national harvesters (public records only)",
}
# Whole namespaces that are public by design: the portal (the public web site), the pages that
# verify an issued document by its QR code, the public dossier lookup and catalogue, the public
# radiation register, the public results database and the technology exchange's public pages.
PUBLIC_NAMESPACES = {
    "portal",
    "documents_public",
    "dossiers_public",
    "radiation_public",
    "projects_public",
    "exchange",
}
# Namespaces whose views authenticate by themselves (token or session) and answer 401 JSON.
API_NAMESPACES = {"api"}
# The admin sends anonymous users to its own login URL, which forwards to accounts:login.
ADMIN_NAMESPACE = "admin"


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or the dotted view path for unnamed patterns
    namespace: str
    url: str
    callback: object

    def __str__(self) -> str:
        return f"{self.name} {self.url}"


def _sample(regex: str) -> str:
    """A string matching `regex`: the first branch, the lowest character, the minimum repeat (>= 1)."""
    return _emit(sre_parse.parse(regex))


def _emit(parsed) -> str:
    out = []
    for op, arg in parsed:
        if op is sre_constants.LITERAL:
            out.append(chr(arg))
        elif op is sre_constants.NOT_LITERAL or op is sre_constants.ANY:
            out.append("x" if op is sre_constants.ANY or arg != ord("x") else "y")
        elif op is sre_constants.IN:
            out.append(_emit_in(arg))
        elif op is sre_constants.BRANCH:
            out.append(_emit(arg[1][0]))
        elif op is sre_constants.SUBPATTERN:
            out.append(_emit(arg[-1]))
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            low, _high, item = arg
            out.append(_emit(item) * max(low, 1))
        elif op is sre_constants.AT:
            continue
        else:  # pragma: no cover - a pattern this helper does not know; make the test say so
            raise AssertionError(f"cannot build a sample for regex op {op}")
    return "".join(out)


def _emit_in(items) -> str:
    if items and items[0][0] is sre_constants.NEGATE:
        excluded = {arg for op, arg in items[1:] if op is sre_constants.LITERAL}
        return next(c for c in "xyz1" if ord(c) not in excluded)
    op, arg = items[0]
    if op is sre_constants.LITERAL:
        return chr(arg)
    if op is sre_constants.RANGE:
        return chr(arg[0])
    if op is sre_constants.CATEGORY:
        return "1" if arg is sre_constants.CATEGORY_DIGIT else "x"
    raise AssertionError(f"cannot build a sample for set {items}")  # pragma: no cover


def _walk(patterns, prefix: str = "", namespace: str = "") -> list[Route]:
    routes = []
    for pattern in patterns:
        piece = _sample(pattern.pattern.regex.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(p for p in [namespace, pattern.namespace] if p) if pattern.namespace else namespace
            routes.extend(_walk(pattern.url_patterns, prefix + piece, inner))
        elif isinstance(pattern, URLPattern):
            if pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            else:
                name = f"{namespace}:<{pattern.lookup_str}>"
            routes.append(Route(name, namespace.split(":")[0], "/" + prefix + piece, pattern.callback))
    return routes


ROUTES = _walk(get_resolver().url_patterns)


def _is_public(route: Route) -> bool:
    return route.name in PUBLIC_URL_NAMES or route.namespace in PUBLIC_NAMESPACES


def test_the_walk_finds_the_known_views():
    names = {route.name for route in ROUTES}

    assert {"accounts:login", "web:home", "web:users", "healthz", "portal:home", "admin:index"} <= names


def test_every_built_url_resolves_to_its_own_view():
    for route in ROUTES:
        match = resolve(route.url)
        if route.namespace in API_NAMESPACES:
            # django-ninja adds one pattern per operation of a path (GET and POST of /x): the first one
            # answers for all of them, so only the namespace is checked here.
            assert match.namespaces[:1] == [route.namespace], route
            continue
        assert match.func == route.callback, route


def test_allowlist_has_no_stale_names():
    names = {route.name for route in ROUTES}

    assert set(PUBLIC_URL_NAMES) - names == set()


@pytest.mark.parametrize("route", [r for r in ROUTES if not _is_public(r)], ids=str)
def test_anonymous_visitor_is_sent_to_login(client, route):
    response = client.get(route.url)

    login = reverse("accounts:login")
    if route.namespace in API_NAMESPACES and response.status_code == 405:
        response = client.post(route.url)  # a write-only operation: it must refuse anonymous callers too
    if route.namespace in API_NAMESPACES and response.status_code == 401:
        return
    assert response.status_code == 302, f"{route} answered {response.status_code} to an anonymous visitor"
    location = response["Location"]
    if route.namespace == ADMIN_NAMESPACE and location.startswith(reverse("admin:login")):
        location = client.get(location)["Location"]
    assert location.startswith(login + "?next="), f"{route} redirects to {location}"


@pytest.mark.parametrize("route", [r for r in ROUTES if not _is_public(r)], ids=str)
def test_no_view_opts_out_of_login_without_being_allowlisted(route):
    """A view marked @login_not_required must be in PUBLIC_URL_NAMES (the admin and the API check by
    themselves; the test above proves they refuse anonymous callers)."""
    if route.namespace in {ADMIN_NAMESPACE, *API_NAMESPACES}:
        return
    assert getattr(route.callback, "login_required", True), (
        f"{route.name} is public (@login_not_required); add it to PUBLIC_URL_NAMES with a reason, "
        "or remove the decorator."
    )


def test_public_pages_open_without_login(client):
    for route in ROUTES:
        if route.name in {"healthz", "portal:home", "accounts:login"}:
            assert client.get(route.url).status_code == 200, route


# S-03: no mass assignment -----------------------------------------------------------------------


def _python_files(*, only: set[str] | None = None):
    for path in sorted(CODE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        if only is None or path.name in only or "api" in path.parts or "schemas" in path.parts:
            yield path


def _mass_assignment(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name in {"Meta", "Config"}:
            for statement in node.body:
                if not isinstance(statement, ast.Assign | ast.AnnAssign):
                    continue
                targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                names = {t.id for t in targets if isinstance(t, ast.Name)}
                value = statement.value
                if "exclude" in names:
                    found.append(f"line {statement.lineno}: exclude =")
                if names & {"fields", "model_fields"} and isinstance(value, ast.Constant) and value.value == "__all__":
                    found.append(f'line {statement.lineno}: fields = "__all__"')
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg == "exclude":
                    found.append(f"line {node.lineno}: exclude= argument")
                if (
                    keyword.arg == "fields"
                    and isinstance(keyword.value, ast.Constant)
                    and keyword.value.value == "__all__"
                ):
                    found.append(f'line {node.lineno}: fields="__all__" argument')
    return found


def test_forms_and_schemas_list_their_fields():
    problems = {}
    for path in _python_files(only={"forms.py", "schemas.py", "filters.py"}):
        found = _mass_assignment(ast.parse(path.read_text(encoding="utf-8")))
        if found:
            problems[str(path.relative_to(ROOT))] = found

    assert problems == {}, "List form/schema fields explicitly (S-03)"


def test_the_mass_assignment_scan_catches_both_forms():
    source = (
        'class F:\n    class Meta:\n        fields = "__all__"\n\nclass G:\n    class Meta:\n        exclude = ["x"]\n'
    )

    assert len(_mass_assignment(ast.parse(source))) == 2


# Unescaped output -------------------------------------------------------------------------------

# "path: reason" for every reviewed use of mark_safe / |safe / autoescape off.
SAFE_OUTPUT_ALLOWLIST: dict[str, str] = {
    "opendost/templates/notifications/email_message.txt": "plain-text email body, never rendered as HTML",
}

UNSAFE_PYTHON = re.compile(r"\bmark_safe\s*\(|\bSafeString\s*\(")
UNSAFE_TEMPLATE = re.compile(r"\|\s*safe\b|\{%\s*autoescape\s+off\s*%\}|\|\s*safeseq\b")


def test_no_unreviewed_unescaped_output():
    found = []
    for path in sorted(CODE.rglob("*")):
        if "static" in path.parts or not path.is_file():
            continue
        relative = str(path.relative_to(ROOT))
        pattern = {".py": UNSAFE_PYTHON, ".html": UNSAFE_TEMPLATE, ".txt": UNSAFE_TEMPLATE}.get(path.suffix)
        if pattern is not None and pattern.search(path.read_text(encoding="utf-8")):
            found.append(relative)

    assert sorted(set(found) - set(SAFE_OUTPUT_ALLOWLIST)) == [], (
        "mark_safe / |safe need review: escape instead (format_html), or add the file to SAFE_OUTPUT_ALLOWLIST"
    )
