"""A saved filter used as staff would: filter the list, save it under a name from the
Favourites menu, come back to the plain list and open it again from the menu."""
import pytest

from core.api.models import ApiToken
from core.auth.models import User
from core.extensions import db
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.workshop]


def test_a_saved_filter_is_kept_and_opened_from_the_list(app, page, sign_in, screenshot):
    from core.seed import create_user
    with app.app_context():
        user = create_user("am1", PASSWORD, ["ROLE-MKT-AM"], "客户经理一")
        db.session.flush()
        token, secret = ApiToken.issue(db.session.get(User, user.id), "setup")
        db.session.add(token)
        db.session.commit()
    api = app.test_client()
    for title, level in (("一级勘察", "1"), ("二级勘察甲", "2"), ("二级勘察乙", "2")):
        assert api.post("/api/v1/workshop/specimen", headers={"Authorization": f"Bearer {secret}"}, json={
            "title": title, "site": "一号楼", "level": level, "lines": [{"item": "x", "qty": 1}]}).status_code == 201

    sign_in("am1")
    page.goto("/workshop/specimen/?level=2")
    assert page.locator("#rows tbody tr").count() == 2
    page.click("#favourites-toggle")
    page.fill("#save-filter input[name=name]", "二级的")
    with page.expect_navigation():
        page.click("#save-filter button")
    screenshot("saved")
    page.goto("/workshop/specimen/")
    assert page.locator("#rows tbody tr").count() == 3
    page.click("#favourites-toggle")
    with page.expect_navigation():
        page.click("#favourites a.dropdown-item:has-text('二级的')")
    assert "level=2" in page.url
    assert page.locator("#rows tbody tr").count() == 2
    assert "一级勘察" not in page.inner_text("#rows")
    screenshot("opened")
