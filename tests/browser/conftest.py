"""Browser tests: Playwright (sync API) drives Debian's Chromium against pytest-django's live_server.

Chromium comes from Debian (`apt-get install chromium`), never from `playwright install` (no download
host is reachable). Tests marked `browser` are skipped with a reason when /usr/bin/chromium is missing
(see tests/conftest.py).

live_server tests are transactional: the database is flushed after each one. Django re-emits
post_migrate after a flush, so the role groups come back (accounts.signals); data written by data
migrations (administrative units) does not, so these tests must not depend on it.
"""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse

from opendost.accounts.roles import Role

CHROMIUM = "/usr/bin/chromium"
AXE_JS = settings.BASE_DIR / "opendost" / "static" / "vendor" / "axe" / "axe.min.js"
# The password UserFactory gives every user.
PASSWORD = "Mat-khau-dai-du-dung-0!"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A Vietnamese browser on a desktop screen (the navbar collapses below 992 px).
    return {**browser_context_args, "locale": "vi-VN", "viewport": {"width": 1280, "height": 800}}


@pytest.fixture(scope="session")
def base_url(django_db_setup, live_server):
    """`page.goto(reverse("web:home"))` goes to the live server.

    django_db_setup comes first on purpose: the live server must start after the test database
    exists. Started before (pytest-playwright sets up `page` before `transactional_db`), it does
    not see the in-memory SQLite test database as in-memory, so it does not share the test's
    connection: each request thread opens its own and never closes it, and the ResourceWarning
    that follows fails a random later test under filterwarnings=error.

    This also replaces pytest-playwright's own base_url fixture, a session fixture defined as a
    method, which pytest 9.2 deprecates (again a warning, so an error here).
    """
    return live_server.url


@pytest.fixture(autouse=True)
def _roles_exist(transactional_db):
    """Fail loudly, not obscurely, if the role groups did not survive the previous test's flush."""
    missing = {r.value for r in Role} - set(Group.objects.values_list("name", flat=True))
    assert not missing, f"role groups missing after flush: {sorted(missing)}"


@pytest.fixture
def login(page):
    """Log a user in through the real login form; returns the response of the page it lands on."""

    def _login(user, password: str = PASSWORD):
        page.goto(reverse("accounts:login"))
        page.locator("#id_username").fill(user.username)
        page.locator("#id_password").fill(password)
        with page.expect_navigation() as navigation:
            page.locator("main form").get_by_role("button").click()
        return navigation.value

    return _login


@pytest.fixture(autouse=True)
def _no_csp_violations_or_script_errors(page):
    """Fail a browser test whose pages broke the CSP (an inline script or style) or threw a JS error."""
    problems: list[str] = []
    page.on("console", lambda m: "Content Security Policy" in m.text and problems.append(f"CSP: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"JS error: {e}"))
    yield
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="session")
def axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture
def assert_accessible(axe_source):
    """Run axe-core (WCAG 2 A and AA rules) on the page as it is now; fail on serious or critical violations.

    add_script_tag(path=...) injects the file as an inline <script>, which the page's CSP blocks
    (verified). page.evaluate() runs through the DevTools protocol, which the CSP does not govern, so
    axe is loaded that way: no bypass_csp, the page keeps its real CSP and its current state (form
    errors, htmx swaps) is what gets checked. axe has no Vietnamese locale; its messages are English.
    """

    def _check(page, *, label: str = "") -> None:
        if page.evaluate("() => typeof window.axe") == "undefined":
            page.evaluate(axe_source)
        result = page.evaluate("async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']})")
        bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert not bad, f"accessibility violations on {label or page.url}:\n" + format_violations(bad)

    return _check


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    at {', '.join(node['target'])}: {node['html'][:160]}")
            if node.get("failureSummary"):
                lines.extend(f"      {line}" for line in node["failureSummary"].splitlines())
        if len(v["nodes"]) > 5:
            lines.append(f"    ... and {len(v['nodes']) - 5} more")
    return "\n".join(lines)
