"""What a person sees in a real browser: the portal, logging in as each role, the language switch, logout.

Assertions stay language-neutral where translations will change the text (links are found by their
address, not their label), so these tests keep passing once the Vietnamese catalogue lands.
"""

import tempfile
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from opendost.accounts.roles import Role
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.vietnamese]

# Screenshots for a person to look at; never committed.
SCREENSHOT_DIR = Path(tempfile.gettempdir())


def login_link(page):
    return page.locator(f"header a[href='{reverse('accounts:login')}']")


def logout_button(page):
    return page.locator(f"header form[action='{reverse('accounts:logout')}'] button")


def language_button(page, code: str):
    return page.locator(f"header button[name=language][value={code}]")


def test_portal_home_is_vietnamese_and_accessible(page, assert_accessible):
    response = page.goto(reverse("portal:home"))

    assert response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).to_be_visible()
    expect(login_link(page)).to_be_visible()
    assert_accessible(page, label="portal home")


def test_login_page_is_accessible(page, assert_accessible):
    page.goto(reverse("accounts:login"))

    expect(page.locator("#id_username")).to_be_focused()
    assert_accessible(page, label="login page")


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_each_role_logs_in_through_the_form(page, login, assert_accessible, role):
    user = UserFactory(role=role)

    response = login(user)

    assert response.status == 200
    assert reverse("accounts:login") not in page.url
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("h1").first).to_be_visible()
    expect(page.get_by_text(user.get_full_name(), exact=True).first).to_be_visible()
    expect(logout_button(page)).to_be_visible()
    if role == Role.OFFICER:
        page.screenshot(path=SCREENSHOT_DIR / "opendost-officer-home.png", full_page=True)
    assert_accessible(page, label=f"home of {role.value}")


def test_wrong_password_shows_an_error_and_keeps_the_username(page, login, assert_accessible):
    user = UserFactory(role=Role.OFFICER)

    login(user, password="not-the-password-1")

    assert reverse("accounts:login") in page.url
    expect(page.locator("main [role=alert]")).to_be_visible()
    expect(page.locator("#id_username")).to_have_value(user.username)
    expect(page.locator("#id_password")).to_have_value("")
    expect(logout_button(page)).to_have_count(0)
    assert_accessible(page, label="login page with an error")


def test_language_switch_to_english_and_back(page, assert_accessible):
    page.goto(reverse("portal:home"))

    with page.expect_navigation():
        language_button(page, "en").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(login_link(page)).to_have_text("Log in")
    expect(page.locator("footer")).to_contain_text("Department of Science and Technology")
    expect(language_button(page, "vi")).to_have_text("Tiếng Việt")
    assert_accessible(page, label="portal home in English")

    # The choice is remembered on the next page.
    page.goto(reverse("accounts:login"))
    expect(page.locator("html")).to_have_attribute("lang", "en")

    with page.expect_navigation():
        language_button(page, "vi").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(language_button(page, "en")).to_have_text("English")


def test_english_switch_works_after_login(page, login):
    user = UserFactory(role=Role.LEADER)
    login(user)
    home = page.url

    with page.expect_navigation():
        language_button(page, "en").click()

    assert page.url == home
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(logout_button(page)).to_have_text("Log out")


def test_logout_ends_the_session(page, login):
    user = UserFactory(role=Role.OFFICER)
    login(user)

    with page.expect_navigation():
        logout_button(page).click()

    assert page.url.endswith(reverse("portal:home"))
    expect(login_link(page)).to_be_visible()
    expect(page.get_by_text(user.get_full_name(), exact=True)).to_have_count(0)

    page.goto(reverse("web:home"))
    assert reverse("accounts:login") in page.url
    expect(page.locator("#id_username")).to_be_visible()
