"""Fields a partner's module adds to sales' customer, used as staff would in Chromium: filled in
the customer form under the module's heading, shown on the detail page, filtered in the list."""
import pytest
from sqlalchemy import select

from core.extensions import db
from tests.conftest import PASSWORD
from tests.plugins.crm import MANIFEST as CRM

pytestmark = [pytest.mark.e2e, pytest.mark.manifests(CRM)]


def test_a_partners_fields_on_the_customer_form(app, page, sign_in, screenshot):
    from core.seed import create_user
    from modules.sales.models import Area, Customer
    from tests.conftest import department_id
    with app.app_context():
        create_user("am1", PASSWORD, ["ROLE-MKT-AM"], "客户经理一").department_id = department_id(app, "MKT")
        db.session.add(Area(code="SZ", name="深圳片区"))
        db.session.commit()
    sign_in("am1")
    page.goto("/sales/customer/new")
    assert "Partner CRM" in page.inner_text("main")  # the module's section of the form
    page.fill("#title", "深圳大学")
    page.select_option("#industry", "education")
    page.select_option("#area_id", label="深圳片区")
    page.select_option("#sector", "campus")
    page.fill("#employees", "12000")
    page.check("#strategic")
    screenshot("form")
    with page.expect_navigation():
        page.click("#document-form button[type=submit]")
    main = page.inner_text("main")
    assert "深圳大学" in main and "Campus" in main and "12,000" in main
    assert "Verify the sector" in main and "Sector: — → Campus" in main  # its action, its history
    screenshot("detail")
    with app.app_context():
        customer = db.session.scalar(select(Customer))
        assert (customer.sector, customer.employees, customer.strategic) == ("campus", 12000, True)
    page.goto("/sales/customer/?sector=campus")
    assert "深圳大学" in page.inner_text("main")
    page.goto("/sales/customer/?sector=datacenter")
    assert "深圳大学" not in page.inner_text("main")
