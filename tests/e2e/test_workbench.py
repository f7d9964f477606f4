"""The workbench in Chromium on the demo data (issue 12): a regional report handed in by the
片区客户经理 waits in the 市场部经理's inbox, is forwarded from its dialog with his rating and
opinion, then waits in the 市场总监's; the author is not waited for; the manager's team view shows
his people's overdue visit logs with links."""
from decimal import Decimal

import pytest

from core.extensions import db
from tests.e2e.test_dashboards import demo  # noqa: F401  (fixture: the company's people and demo records)

pytestmark = [pytest.mark.e2e, pytest.mark.modules("sales")]


@pytest.fixture
def handed_in(app, demo):  # noqa: F811
    """A regional report of the 深圳片区 submitted by its area manager (aam)."""
    from flask import g
    from sqlalchemy import select
    from core import calendar_today
    from core.auth.models import User
    from core.documents import service
    from core.workflow import engine
    from modules.sales.models import Area
    from modules.sales.reports import REGIONAL_REPORT
    with app.test_request_context():
        author = db.session.scalar(select(User).where(User.username == "aam"))
        g.audit_user = author
        report = service.new_document(REGIONAL_REPORT, author)
        report.area_id = db.session.scalar(select(Area.id).where(Area.code == "SZ"))
        report.period_start = calendar_today.today()
        report.title, report.market_overview, report.next_target = "深圳片区市场调研", "政府信息化投入增加", Decimal("2000000")
        report.last_plan_review, report.problems, report.next_plan = "完成 80%", "竞争激烈", "主攻教育"
        service.before_save(REGIONAL_REPORT, report)
        service.assign_number(REGIONAL_REPORT, report)
        db.session.add(report)
        db.session.commit()
        engine.perform(REGIONAL_REPORT, report, "submit", author)
        return report.number


def inbox_rows(page, number):
    page.goto("/inbox")
    return page.locator("#inbox tr", has_text=number)


def test_a_report_passes_hands_through_the_inboxes_and_a_dialog(page, new_page, sign_in, screenshot, handed_in):
    sign_in("aam")
    assert inbox_rows(page, handed_in).count() == 0                 # the author waits; he is not waited for

    manager = new_page()
    sign_in("mkt_mgr", on=manager)
    row = inbox_rows(manager, handed_in)
    assert row.count() == 1 and "审阅并报市场总监" in row.inner_text()   # the step he takes
    screenshot("inbox-market-manager", on=manager)
    with manager.expect_navigation():
        row.locator("a").first.click()
    manager.click('button[data-transition="forward"]')
    dialog = manager.locator("#dialog-forward")
    dialog.wait_for(state="visible")
    dialog.locator("#forward-mgr_rating").fill("4")
    dialog.locator("#forward-mgr_comment").fill("分析到位")
    screenshot("forward-dialog", on=manager)
    with manager.expect_navigation():
        dialog.locator("button[type=submit]").click()
    assert manager.locator('#status-bar [aria-current="true"]').get_attribute("data-state") == "forwarded"
    assert inbox_rows(manager, handed_in).count() == 0

    director = new_page()
    sign_in("mkt_dir", on=director)
    assert inbox_rows(director, handed_in).count() == 1              # now his to read


def test_the_market_manager_sees_his_peoples_overdue_work(page, sign_in, screenshot, demo):  # noqa: F811
    sign_in("mkt_mgr")
    page.goto("/team")
    row = page.locator('#team tr[data-person="am"]')
    assert row.count() == 1
    overdue = int(row.locator("[data-overdue]").get_attribute("data-overdue"))
    assert overdue >= 1, row.inner_text()                           # this week's working days without a log
    assert page.locator('#team tr[data-person="mkt_dir"]').count() == 0   # not his superior
    screenshot("team-market-manager")
    with page.expect_navigation():
        row.locator("a").first.click()
    assert "/sales/visit_log/" in page.url
