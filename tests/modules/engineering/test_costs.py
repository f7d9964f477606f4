"""Project cost control (F-E04, R-E-020, R-E-021): the baseline approved by the engineering
manager opens the start gate, postings by hand give the cost table's figures, the overrun alert is
told once per crossing, the general manager's limit on further commitments, the monthly snapshot,
who sees and changes what, and the project's purchase request with procurement off (I-03)."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import event, select

from core.extensions import db

from .conftest import make_project

pytestmark = pytest.mark.modules("engineering")

BUDGET = [("equipment", "60000"), ("main_material", "20000"), ("subcontract", "15000"), ("travel", "5000")]


def sheet_body(pid, lines=BUDGET, amount="150000", margin="30"):
    return {"project_id": pid, "contract_amount_excl_tax": amount, "target_margin_pct": margin,
            "lines": [{"category": c, "budget": b} for c, b in lines]}


def approved_baseline(team, eapi, pid, lines=BUDGET, **extra):
    status, sheet = eapi(team, "pe", "post", "cost_sheet", sheet_body(pid, lines, **extra))
    assert status == 201, sheet
    assert eapi(team, "pe", "post", f"cost_sheet/{sheet['id']}/transitions/submit", {})[0] == 200
    status, sheet = eapi(team, "eng_mgr", "post", f"cost_sheet/{sheet['id']}/transitions/approve",
                         {"comment": "同意"})
    assert status == 200 and sheet["state"] == "approved", sheet
    return sheet


def post(team, eapi, pid, category, kind, amount, who="pe", **extra):
    return eapi(team, who, "post", "cost_posting", {"project_id": pid, "category": category, "kind": kind,
                                                    "amount": amount, **extra})


def table_of(app, pid):
    from modules.engineering.costs import cost_table
    from modules.engineering.projects import EngProject
    with app.app_context():
        return cost_table(db.session.get(EngProject, pid))


def alerted(app, pid) -> tuple[bool, bool]:
    """(overrun, low margin) as the cost table shows them."""
    from modules.engineering.costs import cost_table
    from modules.engineering.projects import EngProject
    with app.app_context():
        table = cost_table(db.session.get(EngProject, pid))
        return table.overrun, table.low_margin


def notes_of(app, uid):
    """The R-E-021 alerts `uid` was told."""
    from core.reminders.models import Notification
    with app.app_context():
        return db.session.scalars(select(Notification.title).where(
            Notification.user_id == uid, Notification.title.contains("R-E-021")).order_by(Notification.id)).all()


def test_the_start_waits_for_the_baseline_the_manager_approves(app, team, eapi):
    pid = make_project(app, team, state="planning", safety_briefed_on=date(2026, 12, 1))
    status, body = eapi(team, "pe", "post", f"project/{pid}/transitions/apply_start", {})
    assert status == 422 and "cost baseline" in str(body) and "R-E-020" in str(body)
    # Without sales nothing proposes the budget: the engineer types it.
    status, body = eapi(team, "pe", "post", "cost_sheet", {"project_id": pid})
    assert status == 422
    assert {"contract_amount_excl_tax", "target_margin_pct", "lines"} <= set(body["fields"]), body
    status, body = eapi(team, "pe", "post", "cost_sheet", sheet_body(pid, [("equipment", "1"), ("equipment", "2")]))
    assert status == 422 and "listed twice" in str(body)
    status, sheet = eapi(team, "pe", "post", "cost_sheet", sheet_body(pid))
    assert status == 201, sheet
    assert sheet["number"].startswith("FY-") and sheet["budget_total"] == "100000.00"
    assert sheet["budget_source"] == "manual"
    # One sheet in preparation per project.
    assert eapi(team, "pe", "post", "cost_sheet", sheet_body(pid))[0] == 422
    assert eapi(team, "pe", "post", f"cost_sheet/{sheet['id']}/transitions/submit", {})[0] == 200
    # The engineer does not approve his own baseline, nor does the director.
    assert eapi(team, "pe", "post", f"cost_sheet/{sheet['id']}/transitions/approve", {})[0] in (403, 422)
    assert eapi(team, "dir", "post", f"cost_sheet/{sheet['id']}/transitions/approve", {})[0] in (403, 422)
    assert eapi(team, "pe", "post", f"project/{pid}/transitions/apply_start", {})[0] == 422
    status, sheet = eapi(team, "eng_mgr", "post", f"cost_sheet/{sheet['id']}/transitions/approve", {"comment": "同意"})
    assert status == 200 and sheet["state"] == "approved"
    status, body = eapi(team, "pe", "post", f"project/{pid}/transitions/apply_start", {})
    assert status == 200, body


def test_a_newer_baseline_archives_the_older(app, team, eapi):
    pid = make_project(app, team)
    first = approved_baseline(team, eapi, pid)
    second = approved_baseline(team, eapi, pid, lines=[("equipment", "90000")])
    assert eapi(team, "pe", "get", f"cost_sheet/{first['id']}")[1]["state"] == "archived"
    table = table_of(app, pid)
    assert table.sheet.id == second["id"] and table.total.budget == Decimal("90000")


def test_postings_give_the_variance_figures(app, team, eapi):
    pid = make_project(app, team, amount="169500", change_amount=Decimal("11300"))
    approved_baseline(team, eapi, pid)
    status, body = post(team, eapi, pid, "equipment", "committed", "50000", reference="HT-供货-01")
    assert status == 201, body
    assert body["source"] == "manual" and body["posted_on"] and body["number"].startswith("CB-")
    assert post(team, eapi, pid, "equipment", "actual", "15000")[0] == 201
    assert post(team, eapi, pid, "travel", "actual", "6000", note="驻场差旅")[0] == 201
    assert post(team, eapi, pid, "travel", "actual", "-500", note="冲销重复报销")[0] == 201
    assert post(team, eapi, pid, "labour", "actual", "2000")[0] == 201
    table = table_of(app, pid)
    rows = {r.category: r for r in table.rows}
    equipment, travel, labour = rows["equipment"], rows["travel"], rows["labour"]
    assert (equipment.budget, equipment.committed, equipment.actual) == (Decimal(60000), Decimal(50000), Decimal(15000))
    assert equipment.eac == Decimal(65000) and equipment.variance == Decimal(-5000)
    assert equipment.variance_pct == Decimal("-8.33")
    assert travel.actual == Decimal(5500) and travel.eac == Decimal(5500) and travel.variance_pct == Decimal("-10.00")
    assert labour.budget == 0 and labour.eac == Decimal(2000) and labour.variance_pct is None
    assert rows["main_material"].eac == Decimal(20000) and rows["main_material"].variance == 0
    total = table.total
    assert total.budget == Decimal(100000) and total.committed + total.actual == Decimal(72500)
    assert total.eac == Decimal(65000 + 20000 + 15000 + 5500 + 2000)
    # Revenue: 150000 excl. tax and the 11300 change at the contract's ratio (150000 / 169500).
    assert table.revenue == Decimal("160000.00")
    assert table.forecast_margin == Decimal("52500.00") and table.forecast_margin_pct == Decimal("32.81")
    # Refused input names the field.
    status, body = post(team, eapi, pid, "nonsense", "actual", "1")
    assert status == 422 and "category" in body["fields"]
    status, body = eapi(team, "pe", "post", "cost_posting", {"project_id": pid, "category": "travel", "kind": "actual"})
    assert status == 422 and "amount" in body["fields"]


def test_the_overrun_alert_is_told_once_per_crossing(app, team, eapi):
    pid = make_project(app, team, amount="1000000")
    approved_baseline(team, eapi, pid, lines=[("equipment", "100000")], amount="900000")
    pe, manager = team["ids"]["pe"], team["ids"]["eng_mgr"]
    assert post(team, eapi, pid, "equipment", "actual", "105000")[0] == 201       # exactly 5 %: no alert
    assert notes_of(app, pe) == [] and alerted(app, pid)[0] is False
    assert post(team, eapi, pid, "equipment", "actual", "10")[0] == 201           # 5.01 %
    assert len(notes_of(app, pe)) == 1 and "R-E-021" in notes_of(app, pe)[0] and "5.01" in notes_of(app, pe)[0]
    assert len(notes_of(app, manager)) == 1
    assert post(team, eapi, pid, "equipment", "actual", "1000")[0] == 201         # still above: nothing new
    assert len(notes_of(app, pe)) == 1
    assert post(team, eapi, pid, "equipment", "actual", "-5000", note="冲销")[0] == 201   # back below
    assert alerted(app, pid)[0] is False
    assert post(team, eapi, pid, "equipment", "actual", "5000")[0] == 201         # crosses again
    assert len(notes_of(app, pe)) == 2 and len(notes_of(app, manager)) == 2


def test_a_low_forecast_margin_is_alerted(app, team, eapi):
    pid = make_project(app, team)
    approved_baseline(team, eapi, pid, lines=[("equipment", "90000")], amount="100000", margin="10")
    assert post(team, eapi, pid, "subcontract", "committed", "6000")[0] == 201    # margin 4 % < 5 %
    notes = notes_of(app, team["ids"]["pe"])
    assert len(notes) == 1 and "forecast margin" in notes[0] and alerted(app, pid) == (False, True)


def test_further_commitments_above_the_gm_limit_are_the_general_managers(app, team, eapi):
    pid = make_project(app, team)
    approved_baseline(team, eapi, pid, lines=[("equipment", "100000")], amount="200000")
    assert post(team, eapi, pid, "equipment", "committed", "108000")[0] == 201
    status, body = post(team, eapi, pid, "equipment", "committed", "3000")      # 111 %
    assert status == 422 and "R-E-021" in str(body["fields"]["amount"]) and "general manager" in str(body)
    # An actual cost is recorded whatever it is; the general manager commits above the limit.
    assert post(team, eapi, pid, "equipment", "actual", "500")[0] == 201
    assert post(team, eapi, pid, "equipment", "committed", "3000", who="gm")[0] == 201
    assert post(team, eapi, pid, "equipment", "committed", "3000", who="dir")[0] == 403


def test_who_sees_and_changes_the_costs(app, team, eapi, eweb):
    pid = make_project(app, team)
    sheet = approved_baseline(team, eapi, pid)
    status, posting = post(team, eapi, pid, "travel", "actual", "800")
    assert status == 201
    # The engineer of another project sees none of it and posts nothing on it.
    assert eapi(team, "pe2", "get", f"cost_sheet/{sheet['id']}")[0] == 404
    assert eapi(team, "pe2", "get", f"cost_posting/{posting['id']}")[0] == 404
    status, body = post(team, eapi, pid, "travel", "actual", "100", who="pe2")
    assert status == 422 and "project_id" in body["fields"]
    assert eweb("pe2").get(f"/engineering/project/{pid}/costs").status_code == 404
    # A posting is corrected by another, never changed.
    assert eapi(team, "pe", "patch", f"cost_posting/{posting['id']}", {"amount": "1", "version": 1})[0] == 403
    # The general manager and the market director read everything and change nothing.
    for who in ("gm", "dir"):
        assert eapi(team, who, "get", f"cost_sheet/{sheet['id']}")[0] == 200
        assert eapi(team, who, "get", f"cost_posting/{posting['id']}")[0] == 200
        assert eapi(team, who, "patch", f"cost_sheet/{sheet['id']}", {"note": "x", "version": sheet["version"]})[0] == 403
        assert eapi(team, who, "post", "cost_sheet", sheet_body(pid))[0] == 403
        page = eweb(who).get(f"/engineering/project/{pid}/costs")
        assert page.status_code == 200 and "id=\"cost-table\"" in page.get_data(as_text=True)
    # The project's page leads to its cost table and lists its sheets.
    html = eweb("pe").get(f"/engineering/project/{pid}").get_data(as_text=True)
    assert f"/engineering/project/{pid}/costs" in html and sheet["number"] in html


def test_the_cost_table_page_shows_an_overrun_red(app, team, eapi, eweb):
    pid = make_project(app, team)
    approved_baseline(team, eapi, pid, lines=[("equipment", "10000")], amount="100000", margin="80")
    assert post(team, eapi, pid, "equipment", "actual", "10600")[0] == 201
    html = eweb("pe").get(f"/engineering/project/{pid}/costs").get_data(as_text=True)
    assert 'id="overrun"' in html and "table-danger" in html and "10,600.00" in html


def test_the_monthly_snapshot_freezes_the_figures(app, team, eapi):
    pid = make_project(app, team)
    status, body = eapi(team, "pe", "post", "cost_snapshot", {"project_id": pid, "snapshot_date": "2026-12-31"})
    assert status == 422 and "R-E-020" in str(body)
    approved_baseline(team, eapi, pid)
    assert post(team, eapi, pid, "equipment", "actual", "20000")[0] == 201
    status, snap = eapi(team, "pe", "post", "cost_snapshot", {"project_id": pid, "snapshot_date": "2026-12-31",
                                                             "summary": "设备已到货一半"})
    assert status == 201, snap
    assert snap["actual_total"] == "20000.00" and snap["budget_total"] == "100000.00"
    assert {line["category"]: line["actual"] for line in snap["lines"]}["equipment"] == "20000.00"
    status, body = eapi(team, "pe", "post", "cost_snapshot", {"project_id": pid, "snapshot_date": "2026-12-15"})
    assert status == 422 and "snapshot_date" in body["fields"]
    assert eapi(team, "pe", "post", f"cost_snapshot/{snap['id']}/transitions/submit", {})[0] == 200
    assert post(team, eapi, pid, "equipment", "actual", "5000")[0] == 201
    status, snap = eapi(team, "eng_mgr", "post", f"cost_snapshot/{snap['id']}/transitions/read", {"comment": "已阅"})
    assert status == 200 and snap["state"] == "read" and snap["actual_total"] == "20000.00"


def test_without_procurement_the_purchase_is_made_outside(app, team, eapi, eweb):
    from modules.engineering.projects import ProjectScopeLine
    pid = make_project(app, team)
    with app.app_context():
        db.session.add(ProjectScopeLine(project_id=pid, item="六类网线", qty=Decimal(20), unit="箱", supply_by="ours"))
        db.session.commit()
    response = eweb("pe").post(f"/engineering/project/{pid}/request-purchase", follow_redirects=True)
    assert response.status_code == 200 and "outside the system" in response.get_data(as_text=True)
    # Bought outside: the engineer posts the cost by hand.
    approved_baseline(team, eapi, pid)
    assert post(team, eapi, pid, "main_material", "actual", "9000", reference="发票 00321")[0] == 201
    assert table_of(app, pid).total.actual == Decimal(9000)


def test_the_bench_helper_and_one_grouped_query(app, team, eapi):
    from core.auth.models import User
    from modules.engineering.costs import add_postings, cost_table
    from modules.engineering.projects import EngProject
    pid = make_project(app, team)
    approved_baseline(team, eapi, pid)
    with app.app_context():
        add_postings(db.session.get(EngProject, pid), 500, db.session.get(User, team["ids"]["pe"]))
        db.session.commit()
    with app.app_context():
        project = db.session.get(EngProject, pid)
        seen = []
        listen = lambda conn, cursor, statement, *args: seen.append(statement)   # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            table = cost_table(project)
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
        assert sum(1 for s in seen if "eng_cost_posting" in s) == 1 and len(seen) <= 3
        assert table.total.committed + table.total.actual == sum(Decimal(100 + i % 50) for i in range(500))


def test_the_pages_of_the_sheet_and_the_postings(app, team, eapi, eweb):
    pid = make_project(app, team)
    browser = eweb("pe")
    form = browser.get(f"/engineering/cost_sheet/new?project_id={pid}")
    assert form.status_code == 200 and "lines-" in form.get_data(as_text=True)
    sheet = approved_baseline(team, eapi, pid)
    detail = browser.get(f"/engineering/cost_sheet/{sheet['id']}").get_data(as_text=True)
    assert sheet["number"] in detail and "60,000.00" in detail
    printed = browser.get(f"/engineering/cost_sheet/{sheet['id']}/print").get_data(as_text=True)
    assert "工程项目费用控制表" in printed
    assert browser.get(f"/engineering/cost_sheet/{sheet['id']}/table").location.endswith(f"/project/{pid}/costs")
    assert browser.get(f"/engineering/cost_posting/new?project_id={pid}").status_code == 200
    response = browser.post(f"/engineering/cost_posting/new", data={
        "project_id": pid, "category": "transport", "kind": "actual", "amount": "350", "reference": "运单 8801"})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert table_of(app, pid).total.actual == Decimal(350)


def test_the_month_end_snapshot_is_reminded(app, team, eapi):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from modules.engineering.costs import erp_reminders
    pid = make_project(app, team, state="in_construction")
    waiting = make_project(app, team, state="in_construction")       # no approved baseline: nothing to report
    approved_baseline(team, eapi, pid)
    now = datetime(2026, 12, 20, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    with app.app_context():
        items = erp_reminders(now)
    assert [(r.user_id, r.url) for r in items] == [(team["ids"]["pe"], f"/engineering/project/{pid}/costs")]
    assert items[0].due_at.date() == date(2026, 12, 31) and waiting
    assert eapi(team, "pe", "post", "cost_snapshot", {"project_id": pid, "snapshot_date": "2026-12-20"})[0] == 201
    with app.app_context():
        assert erp_reminders(now) == []


def test_demo_puts_costs_on_the_projects(app, team):
    from core.auth.models import User
    from modules.engineering.costs import CostPosting, CostSheet, CostSnapshot, demo
    pid = make_project(app, team, amount="580000")
    with app.app_context():
        demo({name: db.session.get(User, uid) for name, uid in team["ids"].items()})
        sheet = db.session.scalar(select(CostSheet).where(CostSheet.project_id == pid))
        assert sheet.state == "approved" and sheet.budget_total > 0
        assert db.session.scalar(select(db.func.count()).select_from(CostPosting)) == 6
        assert db.session.scalar(select(CostSnapshot.state)) == "submitted"


def test_costs_posted_before_the_baseline_are_measured_when_it_is_approved(app, team, eapi):
    pid = make_project(app, team)
    assert post(team, eapi, pid, "equipment", "committed", "70000")[0] == 201
    approved_baseline(team, eapi, pid, lines=[("equipment", "60000")], amount="200000")
    assert len(notes_of(app, team["ids"]["pe"])) == 1
    # A closed project takes no more postings by hand.
    closed = make_project(app, team, state="closed")
    status, body = post(team, eapi, closed, "travel", "actual", "100")
    assert status == 422 and "project_id" in body["fields"]
