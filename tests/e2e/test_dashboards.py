"""The dashboards of four roles in Chromium, in Chinese, on the demo's sales data: the 市场总监's
and the 总经理's sales overview, the 客户经理's week, the 市场部经理's team; the charts are drawn
(Chart.js served by the app) and each dashboard is saved as a screenshot in the run's artefacts
(test-artifacts/e2e/, or ERP_TEST_ARTIFACTS)."""
import pytest

from core.extensions import db
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.modules("sales")]

PEOPLE = [("gm", "王总", "ROLE-GM", "POS-GM"), ("mkt_dir", "李总监", "ROLE-MKT-DIR", "POS-MKT-DIR"),
          ("mkt_mgr", "张经理", "ROLE-MKT-MGR", "POS-MKT-MGR"), ("aam", "陈片区", "ROLE-MKT-AAM", "POS-MKT-AAM"),
          ("am", "刘客户", "ROLE-MKT-AM", "POS-MKT-AM"), ("ps_mgr", "赵售前", "ROLE-PS-MGR", "POS-PS-MGR"),
          ("pse", "孙工", "ROLE-MKT-PSE", "POS-MKT-PSE"), ("mkt_ast", "周助理", "ROLE-MKT-AST", "POS-MKT-AST"),
          ("eng_mgr", "吴经理", "ROLE-ENG-MGR", "POS-ENG-MGR"), ("pur_mgr", "冯经理", "ROLE-PUR-MGR", "POS-PUR-MGR"),
          ("fin", "吕财务", "ROLE-FIN", "POS-FIN")]


@pytest.fixture
def demo(app):
    """The company's people in their positions since last month (so that the working days of this
    week without a visit log are overdue), and the sales module's demo records."""
    from datetime import datetime, timedelta, timezone
    from core.seed import create_user
    from modules.sales.demo_data import load
    with app.app_context():
        for username, name, role, position in PEOPLE:
            user = create_user(username, PASSWORD, [role], name, position)
            user.created_at = datetime.now(timezone.utc) - timedelta(days=40)
        db.session.commit()
        load()


def charts_drawn(page) -> int:
    """How many canvases Chart.js has drawn on (it keeps each chart in Chart.instances)."""
    page.wait_for_function("() => window.Chart !== undefined")
    return page.evaluate("() => Object.keys(Chart.instances).length")


@pytest.mark.parametrize("who, sections, absent", [
    ("mkt_dir", ["销售概览"], ["本周"]),
    ("gm", ["销售概览"], ["本周"]),
    ("am", ["本周"], ["销售概览"]),
    ("mkt_mgr", [], ["销售概览", "本周"]),
])
def test_dashboards_of_four_roles(page, sign_in, screenshot, demo, who, sections, absent):
    sign_in(who)
    page.goto("/")
    main = page.inner_text("main")
    for title in sections:
        assert title in main, who
    for title in absent:
        assert f"\n{title}\n" not in f"\n{main}\n", who
    canvases = page.locator("canvas[data-chart]").count()
    assert canvases >= (2 if who in ("mkt_dir", "gm") else 1), main   # the am's week may have no log yet
    if canvases:
        assert charts_drawn(page) == canvases
    if who in ("mkt_dir", "gm"):
        assert "商机（按状态）" in main and "本月成功/失败" in main and "待审批" in main
    if who == "am":
        assert "本周巡访登记" in main and "我的商机（按状态）" in main
    if who == "mkt_mgr":
        assert "团队逾期事项" in main
    screenshot(who)
