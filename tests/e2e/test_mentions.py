"""A comment's @mention typed as staff would: the box offers colleagues as one types @, says who
may not see the document, and the person picked is told (a notification linking to it)."""
import pytest
from sqlalchemy import select

from core.api.models import ApiToken
from core.extensions import db
from core.reminders.models import Notification
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.workshop]


def test_typing_at_offers_colleagues_and_the_one_picked_is_told(app, page, sign_in, screenshot):
    from core.seed import create_user
    from tests.conftest import department_id
    mkt = department_id(app, "MKT")
    with app.app_context():
        seller = create_user("am1", PASSWORD, ["ROLE-MKT-AM"], "客户经理一")
        manager = create_user("mgr1", PASSWORD, ["ROLE-MKT-MGR"], "张经理")
        other = create_user("am2", PASSWORD, ["ROLE-MKT-AM"], "张三")
        seller.department_id = manager.department_id = other.department_id = mkt
        token, secret = ApiToken.issue(seller, "setup")
        db.session.add(token)
        db.session.commit()
        manager_id, other_id = manager.id, other.id
    doc = app.test_client().post("/api/v1/workshop/request", headers={"Authorization": f"Bearer {secret}"}, json={
        "title": "交换机采购", "amount": "1200.00", "lines": [{"item": "S5735", "qty": 2}]}).get_json()
    sign_in("am1")
    page.goto(f"/workshop/request/{doc['id']}")
    box = page.locator("textarea[name=body]")
    box.click()
    page.keyboard.type("请 @张")
    menu = page.locator("#mention-menu")
    menu.locator("[data-user-id]").first.wait_for()
    assert "无权查看此单据" in menu.locator(f"[data-user-id='{other_id}']").inner_text()
    screenshot("offered")
    menu.locator(f"[data-user-id='{manager_id}']").click()
    page.keyboard.type("审批")
    assert box.input_value() == "请 @张经理 审批"
    with page.expect_navigation():
        page.click("#comment-form button")
    assert page.locator("[data-mention]", has_text="@张经理").count() == 1
    screenshot("posted")
    with app.app_context():
        notes = db.session.scalars(select(Notification).where(Notification.user_id == manager_id)).all()
        assert len(notes) == 1 and "客户经理一" in notes[0].title
