"""A form derived from declared fields, used as staff would: the reference is searched as one
types (tom-select, served locally), the multi-choice and the local time are saved as entered."""
import pytest
from sqlalchemy import select

from core.api.models import ApiToken
from core.auth.models import User
from core.extensions import db
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.workshop]


def test_a_reference_is_searched_as_the_user_types(app, page, sign_in, screenshot):
    from core.seed import create_user
    with app.app_context():
        user = create_user("am1", PASSWORD, ["ROLE-MKT-AM"], "客户经理一")
        pe = create_user("pe1", PASSWORD, ["ROLE-ENG-PE"], "项目工程师一")
        token, secret = ApiToken.issue(db.session.get(User, user.id), "setup")
        db.session.add(token)
        db.session.commit()
        pe_id = pe.id
    api = app.test_client()
    numbers = [api.post("/api/v1/workshop/request", headers={"Authorization": f"Bearer {secret}"}, json={
        "title": f"申请 {i}", "amount": "1.00", "lines": [{"item": "x", "qty": 1}]}).get_json()["number"]
        for i in range(25)]

    sign_in("am1")
    page.goto("/workshop/specimen/new")
    page.fill("#title", "机房布线检查")
    page.fill("#site", "一号楼")
    page.select_option("#inspector_id", str(pe_id))
    page.fill("#start_at", "2026-12-11T09:30")
    page.select_option("#tags", ["cabling", "cctv"])
    page.focus("#request_id-ts-control")
    page.keyboard.type(numbers[0])
    option = page.locator(".ts-dropdown .option", has_text=numbers[0])
    option.wait_for()
    screenshot("searching")
    option.click()
    page.fill("input[name='lines-0-item']", "六类线")
    page.fill("input[name='lines-0-qty']", "3")
    with page.expect_navigation():
        page.click("#document-form button[type=submit]")
    assert "机房布线检查" in page.inner_text("main")
    screenshot("saved")
    with app.app_context():
        from tests.plugins.workshop.specimen import Specimen
        from tests.plugins.workshop.hooks import Request
        doc = db.session.scalar(select(Specimen))
        first = db.session.scalar(select(Request).where(Request.number == numbers[0]))
        assert doc.request_id == first.id and sorted(doc.tags) == ["cabling", "cctv"]
        assert doc.start_at.replace(tzinfo=None).hour == 1  # 09:30 in Shanghai
