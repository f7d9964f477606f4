"""Dashboards per role (issue 12, item 12): the 市场总监 and 总经理 see the sales overview (pipeline
by state and by area, won and lost this month, approvals waiting), the 客户经理 his week, each
widget computed only for who may see it, its chart's figures right for known data."""
import pytest

from tests.core.test_dashboard import charts_of
from tests.modules.sales.conftest import area_id
from tests.modules.sales.test_visits import act, line, visit_log

pytestmark = pytest.mark.modules("sales")

OVERVIEW = ("Sales overview", "Pipeline by state", "Pipeline by area", "Won and lost this month", "Approvals waiting")
MY_WEEK = ("My week", "My visit logs this week", "My opportunities by state")


def customer(app, market, api, name, area="SZ", who="am"):
    status, body = api(market, who, "post", "customer", {"title": name, "industry": "healthcare",
                                                          "area_id": area_id(app, area)})
    assert status == 201, body
    return body["id"]


def opportunity(market, api, customer_id, amount, info_type="equipment", who="am", title="机房 UPS"):
    status, body = api(market, who, "post", "opportunity", {"title": title, "customer_id": customer_id,
                                                             "info_type": info_type, "est_amount": amount})
    assert status == 201, body
    return body["id"]


def registration_waiting(market, api, opp_id):
    status, reg = api(market, "am", "post", "registration", {
        "opportunity_id": opp_id, "title": "门诊楼综合布线", "site_address": "深圳市罗湖区",
        "customer_contacts": "王主任 信息科 13800000000 决策人", "project_types": ["cabling"],
        "overview": "六层门诊楼", "est_amount": "800000.00", "funding": "财政拨款", "decision_process": "院办会",
        "expected_tender_date": "2026-12-20", "support_needed": ["solution"]})
    assert status == 201, reg
    assert act(market, api, "am", "registration", reg["id"], "submit")[0] == 200
    return reg["id"]


@pytest.fixture
def pipeline(app, market, api):
    """This month: in 深圳片区 a lead (80万, with its registration waiting for the 市场部经理), one
    equipment sale in progress (30万), one won (20万) and one lost (10万); in 广州片区 a lead of
    aam's (50万). On the real clock: "this month" is when the audit log says they were won and lost."""
    sz, gz = customer(app, market, api, "深圳市第一人民医院"), customer(app, market, api, "广州市第三中学", "GZ", "aam")
    lead = opportunity(market, api, sz, "800000", "engineering", title="门诊楼综合布线")
    registration_waiting(market, api, lead)
    going, won, lost = (opportunity(market, api, sz, amount) for amount in ("300000", "200000", "100000"))
    for opp in (going, won, lost):
        assert act(market, api, "am", "opportunity", opp, "follow_equipment")[0] == 200
    assert act(market, api, "am", "opportunity", won, "win", comment="签约在即", won_on="2026-03-02")[0] == 200
    assert act(market, api, "mgr", "opportunity", won, "confirm_win")[1]["state"] == "won"
    status, body = act(market, api, "am", "opportunity", lost, "lose", comment="价格高", outcome_reason="price")
    assert status == 200, body
    opportunity(market, api, gz, "500000", who="aam", title="实验楼布线")
    return {"lead": lead, "going": going, "won": won, "lost": lost}


def dashboard(web, who):
    response = web(who).get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def figures(chart):
    return {label: tuple(d["data"][i] for d in chart["datasets"]) for i, label in enumerate(chart["labels"])}


def test_director_and_general_manager_see_the_sales_overview_with_its_figures(app, market, api, web, pipeline):
    for who in ("dir", "gm"):
        page = dashboard(web, who)
        assert all(title in page for title in OVERVIEW), who
        assert not any(title in page for title in MY_WEEK), who
        charts = charts_of(page)
        by_state = charts["Pipeline by state"]
        assert figures(by_state) == {"Demand recorded": (2, 130.0), "Equipment sale in progress": (1, 30.0),
                                     "Won": (1, 20.0)}
        assert [d["label"] for d in by_state["datasets"]] == ["Opportunities", "Estimated amount (10k yuan)"]
        assert by_state["datasets"][1]["axis"] == "right"
        assert by_state["links"][0] == "/sales/opportunity/?state=lead"
        assert list(figures(charts["Pipeline by area"]).items()) == [("深圳片区", (3, 130.0)), ("广州片区", (1, 50.0))]
        assert figures(charts["Won and lost this month"]) == {"Won": (1, 20.0), "Lost": (1, 10.0)}
        assert '<div class="display-6">1 / 1</div>' in page
        with app.app_context():
            step = app.extensions["erp"].doctypes["sales.registration"].workflow.steps[0].label
        assert figures(charts["Approvals waiting"]) == {f"Project registration · {step}": (1,)}
        assert "Estimated amount: 180.00 (10k yuan)" in page


def test_won_and_lost_count_in_the_month_they_happened(app, market, api, web, pipeline, clock):
    from datetime import date, timedelta
    following = (date.today().replace(day=1) + timedelta(days=32)).replace(day=1)
    clock(f"{following.isoformat()} 09:00")
    page = dashboard(web, "dir")
    charts = charts_of(page)
    assert "Won and lost this month" not in charts and '<div class="display-6">0 / 0</div>' in page
    assert figures(charts["Pipeline by state"])["Won"] == (1, 20.0)    # still in the pipeline


def test_the_account_manager_sees_his_week_and_not_the_overview(app, market, api, web, clock):
    clock("2026-03-02 10:00")                      # Monday
    sz = customer(app, market, api, "深圳市第一人民医院")
    mine = opportunity(market, api, sz, "300000")
    opportunity(market, api, sz, "100000")
    assert act(market, api, "am", "opportunity", mine, "follow_equipment")[0] == 200
    opportunity(market, api, customer(app, market, api, "广州市第三中学", "GZ", "am2"), "900000", who="am2")
    monday = visit_log(market, api, "2026-03-02", [line(sz), line(sz, contact="李科长")])[1]
    clock("2026-03-02 17:00")
    assert act(market, api, "am", "visit_log", monday["id"], "submit")[0] == 200
    clock("2026-03-04 10:00")                      # Wednesday: Tuesday's log missing, today's a draft
    visit_log(market, api, "2026-03-04", [line(sz)])
    page = dashboard(web, "am")
    assert all(title in page for title in MY_WEEK) and "Today&#39;s visit log" in page
    assert page.index("My week") < page.index("Today&#39;s visit log") < page.index("My visit logs this week")
    assert not any(title in page for title in OVERVIEW)
    charts = charts_of(page)
    week = charts["My visit logs this week"]
    assert [label.split()[-1] for label in week["labels"]] == ["03-02", "03-03", "03-04"]
    assert week["datasets"][0]["data"] == [2, 0, 1]
    assert '<div class="display-6">1 / 3</div>' in page          # handed in / working days so far
    mine_by_state = charts["My opportunities by state"]
    assert mine_by_state["kind"] == "doughnut"
    assert figures(mine_by_state) == {"Demand recorded": (1,), "Equipment sale in progress": (1,)}  # not am2's
    assert "/sales/opportunity/?owner=me&amp;state=lead" in page or \
        mine_by_state["links"][0] == "/sales/opportunity/?owner=me&state=lead"


def test_the_market_manager_sees_neither_but_his_teams_overdue_work(app, market, api, web, clock):
    from tests.modules.sales.test_visits import report_payload
    clock("2026-06-30 17:00")
    api(market, "aam", "post", "regional_report", report_payload(app))
    clock("2026-06-30 18:30")                      # the report's deadline passed
    page = dashboard(web, "mgr")
    assert not any(title in page for title in OVERVIEW + MY_WEEK)
    assert figures(charts_of(page)["Overdue in my team"])["aam"][0] >= 1


def test_a_widget_the_user_may_not_see_is_not_computed(app, market, web, monkeypatch):
    from modules.sales import dashboard as sales_dashboard

    def refuse(user):
        raise AssertionError(f"computed for {user.username}")
    monkeypatch.setattr(sales_dashboard, "overview_widgets", refuse)
    assert "My week" in dashboard(web, "am")
    assert "My week" not in dashboard(web, "mgr")
    monkeypatch.undo()
    monkeypatch.setattr(sales_dashboard, "my_week_widgets", refuse)
    assert "Sales overview" in dashboard(web, "gm")


def test_the_overview_is_a_permission_the_administrator_may_grant(app, market, web):
    from sqlalchemy import select
    from core.auth.models import Role, RolePermission
    from core.extensions import db
    with app.app_context():
        role = db.session.scalar(select(Role).where(Role.code == "ROLE-MKT-MGR"))
        role.grants.append(RolePermission(code="sales.dashboard.overview"))
        db.session.commit()
    assert "Sales overview" in dashboard(web, "mgr")


def test_queries_are_grouped_not_one_per_record(app, market, api, web, pipeline):
    """Ten more opportunities, in another area, add no query to the director's dashboard."""
    from sqlalchemy import event
    from core.extensions import db
    browser = web("dir")
    with app.app_context():
        engine = db.engine

    def count():
        statements = []
        def listener(conn, cursor, statement, *rest):
            statements.append(statement)
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert browser.get("/").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(statements)
    count()                                       # caches warmed
    before = count()
    with app.app_context():
        from modules.sales.models import Area
        db.session.add(Area(code="DG", name="东莞片区"))
        db.session.commit()
    dg = customer(app, market, api, "东莞市人民医院", "DG")
    for i in range(10):
        opportunity(market, api, dg, str(10000 * (i + 1)), title=f"机房 {i}")
    assert count() == before
