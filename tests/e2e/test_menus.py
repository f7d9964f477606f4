"""The sidebar follows the user's permissions; the language switch is remembered per user."""
import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (or fails under ERP_REQUIRE_BROWSER=1)
    expect = None

pytestmark = pytest.mark.e2e

MENU = "#menu"
DASHBOARD_LINK = '#menu > a[href="/"]'
ADMIN_LINKS = ["/admin/users", "/admin/roles", "/admin/modules", "/admin/audit"]


def section(page, name):
    return page.locator(f'{MENU} .section-title[data-section="{name}"]')


def test_account_manager_sees_sales_and_of_engineering_only_after_sales(page, make_user, sign_in, screenshot):
    """He coordinates after-sales service for his customers (WF-E05: he may take a customer's call and
    look up the equipment): of engineering, the service tickets and the installed base, nothing else."""
    make_user("am", "ROLE-MKT-AM", full_name="刘客户")
    sign_in("am")
    expect(page.locator("#current-user")).to_have_text("刘客户")
    expect(section(page, "sales")).to_have_count(1)
    expect(page.locator(f'{MENU} a[href="/sales/"]')).to_have_count(1)
    expect(section(page, "core")).to_have_count(0)
    expect(page.locator(f'{MENU} a[href^="/admin/"]')).to_have_count(0)
    engineering = page.locator(f'{MENU} a[href^="/engineering/"]')
    assert sorted(engineering.evaluate_all("links => links.map(a => a.getAttribute('href'))")) == [
        "/engineering/installed_device/", "/engineering/service_ticket/"]
    screenshot()


def test_engineering_manager_sees_engineering_and_only_his_part_of_sales(page, make_user, sign_in, screenshot):
    """He reviews contracts and accepts handovers (R-S-060, F-S09): those, not customers or deals."""
    make_user("eng_mgr", "ROLE-ENG-MGR")
    sign_in("eng_mgr")
    expect(section(page, "engineering")).to_have_count(1)
    expect(page.locator(f'{MENU} a[href="/engineering/"]')).to_have_count(1)
    expect(page.locator(f'{MENU} a[href="/sales/contract/"]')).to_have_count(1)
    expect(page.locator(f'{MENU} a[href="/sales/handover/"]')).to_have_count(1)
    for hidden in ("/sales/customer/", "/sales/opportunity/", "/sales/quotation/", "/sales/collection/"):
        expect(page.locator(f'{MENU} a[href="{hidden}"]')).to_have_count(0)
    expect(section(page, "core")).to_have_count(0)
    screenshot()


def test_administrator_sees_the_system_section(page, make_user, sign_in, screenshot):
    make_user("admin", "ROLE-ADMIN")
    sign_in("admin")
    expect(section(page, "core")).to_have_count(1)
    for href in ADMIN_LINKS:
        expect(page.locator(f'{MENU} a[href="{href}"]')).to_have_count(1)
    # The section is the last one and its links follow its title.
    expect(page.locator(f'{MENU} .section-title[data-section="core"] + nav a[href="/admin/users"]')).to_have_count(1)
    # Administration grants no module permissions.
    expect(section(page, "sales")).to_have_count(0)
    expect(section(page, "engineering")).to_have_count(0)
    screenshot()
    page.click(f'{MENU} a[href="/admin/users"]')
    expect(page).to_have_url(re.compile(r"/admin/users$"))
    expect(page.locator(f'{MENU} a[href="/admin/users"]')).to_have_class(re.compile(r"\bactive\b"))


def test_language_switch_is_remembered_for_the_user(app, page, new_page, make_user, sign_in, screenshot):
    user_id = make_user("bilingual", "ROLE-MKT-AM")
    html = page.locator("html")

    page.goto("/login")
    expect(html).to_have_attribute("lang", "zh-CN")    # ERP_LANGUAGE: Chinese first
    sign_in("bilingual")
    expect(html).to_have_attribute("lang", "zh-CN")
    # Needs the compiled Chinese catalog (core/translations/zh).
    expect(page.locator(DASHBOARD_LINK)).to_have_text("工作台")
    screenshot("zh")

    page.click("#switch-language")
    expect(html).to_have_attribute("lang", "en")
    expect(page.locator(DASHBOARD_LINK)).to_have_text("Dashboard")
    expect(page).to_have_url(re.compile(r"/$"))       # back where the switch was clicked
    screenshot("en")

    page.click("#switch-language")
    expect(html).to_have_attribute("lang", "zh-CN")
    expect(page.locator("#switch-language")).to_have_text("English")

    page.click("#switch-language")
    expect(html).to_have_attribute("lang", "en")
    expect(page.locator("#switch-language")).to_have_text("中文")
    with app.app_context():
        from core.auth.models import User
        from core.extensions import db
        assert db.session.get(User, user_id).language == "en"

    page.click("#logout")
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.locator("#menu")).to_have_count(0)
    expect(html).to_have_attribute("lang", "en")       # the sign-in page keeps the user's language
    sign_in("bilingual")
    expect(html).to_have_attribute("lang", "en")
    expect(page.locator(DASHBOARD_LINK)).to_have_text("Dashboard")

    # Another browser (no cookies): the default language until sign-in, then the user's choice.
    other = new_page()
    other.goto("/login")
    expect(other.locator("html")).to_have_attribute("lang", "zh-CN")
    sign_in("bilingual", on=other)
    expect(other.locator("html")).to_have_attribute("lang", "en")
    expect(other.locator(DASHBOARD_LINK)).to_have_text("Dashboard")


def test_forbidden_page_shows_403(page, make_user, sign_in, screenshot):
    make_user("am", "ROLE-MKT-AM")
    sign_in("am")
    response = page.goto("/admin/users")
    assert response is not None and response.status == 403
    expect(page.locator("main h1")).to_have_text("403")
    expect(page.locator("#error-message")).to_be_visible()
    expect(section(page, "sales")).to_have_count(1)   # still signed in, menu intact
    screenshot()
