"""Issue 19 in a real browser, in Chinese, role by role: a month's appraisal cycle of the market
department from its opening to the acknowledgement, and a business trip with its claim.

The data the appraisal measures is written directly (as sales would have recorded it): the
客户经理's approved personal target, his contract signed this month, two visit logs of which one
handed in late. Each decision is taken in the browser: the 行政部 opens and starts the cycle; the
客户经理 sees his real signed amount and the late visit log on his sheet and assesses himself; his
市场部经理 scores him from 待我评分 (a 2 without a comment is refused, then given with one); the
行政部 consolidates; the 客户经理 appeals, the 行政部 consolidates again, he acknowledges; the
cycle closes and its page draws the grade distribution. The 市场部经理's own sheet goes through
the API (his superior, the 市场总监, scoring him).

Then a trip: the 客户经理 applies, his manager approves, he departs and returns, hands in his
report a day late (flagged), and claims a hotel night over the standard, which needs the 总经理
besides his manager."""
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core import calendar_today
from core.extensions import db
from tests.e2e.test_sales_flow import in_dialog, press, submit_form

pytestmark = [pytest.mark.e2e, pytest.mark.modules("sales", "hr_appraisal")]

# name -> (role, department, position); the 市场总监 outside the market department's cycle.
PEOPLE = {"am": ("ROLE-MKT-AM", "MKT", "POS-MKT-AM"), "mkt_mgr": ("ROLE-MKT-MGR", "MKT", "POS-MKT-MGR"),
          "dir": ("ROLE-MKT-DIR", None, "POS-MKT-DIR"), "adm": ("ROLE-ADM", "ADM", "POS-ADM"),
          "gm": ("ROLE-GM", None, "POS-GM")}


@pytest.fixture
def staff(make_staff):
    return make_staff(PEOPLE)


@pytest.fixture
def hapi(module_api):
    return module_api("hr_appraisal")


def month_of(day):
    first = day.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first, last


@pytest.fixture
def sales_records(app, staff):
    """This month: the 客户经理's approved target of 300,000, his contract of 240,000 signed on the
    1st, two visit logs (the 1st handed in on time, the 2nd a day late)."""
    from core.parties.models import Party
    from modules.sales.contracts import Contract
    from modules.sales.models import Area, Customer, Opportunity
    from modules.sales.reports import SalesPlan, SalesPlanLine
    from modules.sales.visits import VisitLog
    am, mgr = staff["ids"]["am"], staff["ids"]["mkt_mgr"]
    with app.app_context():
        first, last = month_of(calendar_today.today())
        common = {"owner_id": am, "created_by_id": am, "updated_by_id": am}
        area = Area(code="SZ", name="深圳片区")
        party = Party(code="C-HOSP", name="深圳市第一人民医院")
        db.session.add_all([area, party])
        db.session.flush()
        plan = SalesPlan(number="CH-E0001", title=f"{first.year}年{first.month}月销售计划", state="approved",
                         owner_id=mgr, year=first.year, half=1 if first.month <= 6 else 2,
                         period_start=first, period_end=last)
        plan.lines = [SalesPlanLine(area_id=area.id, signed_target=Decimal(300_000), collection_target=Decimal(0),
                                    person_id=am)]
        customer = Customer(number="KH-E0001", title="深圳市第一人民医院", state="active", party_id=party.id,
                            area_id=area.id, **common)
        db.session.add_all([plan, customer])
        db.session.flush()
        opportunity = Opportunity(number="XM-E0001", title="门诊楼综合布线", state="handed_over",
                                  customer_id=customer.id, info_type="engineering", **common)
        db.session.add(opportunity)
        db.session.flush()
        db.session.add(Contract(number="HT-E0001", title="门诊楼综合布线工程", state="registered", kind="contract",
                                opportunity_id=opportunity.id, customer_id=customer.id, area_id=area.id,
                                amount=Decimal(240_000), signed_on=first, **common))
        for n, late in enumerate((False, True)):                     # the 1st on time, the 2nd a day late
            day = first + timedelta(days=n)
            due = datetime.combine(day, time(2), tzinfo=UTC)            # 10:00 in Shanghai
            db.session.add(VisitLog(number=f"XF-E000{n + 1}", title="巡访 深圳市第一人民医院", state="submitted",
                                    visit_date=day, due_at=due, late=late,
                                    submitted_at=due + (timedelta(days=1) if late else -timedelta(hours=1)), **common))
        db.session.commit()


def state(page) -> str:
    return page.locator('#status-bar [aria-current="true"]').get_attribute("data-state")


def field(page, name) -> str:
    return page.inner_text(f'dd[data-field="{name}"]').strip()


def take(page, transition, fill=None):
    if page.locator(f"#dialog-{transition}").count():
        in_dialog(page, transition, fill)
    else:
        press(page, transition)
    refused = page.locator(".alert-danger")
    assert not refused.count(), f"{transition} refused on {page.url}:\n{page.inner_text('main')}"


def commented(text):
    return lambda dialog: dialog.locator("[name=comment]").fill(text)


def act(hapi, staff, name, code, doc_id, transition, **body):
    _status, doc = hapi(staff, name, "get", f"{code}/{doc_id}")
    status, answer = hapi(staff, name, "post", f"{code}/{doc_id}/transitions/{transition}",
                          {"version": doc["version"], **body})
    assert status == 200, answer
    return answer


def scored_through_api(hapi, staff, name, sheet_id, column, score=4):
    _status, doc = hapi(staff, name, "get", f"sheet/{sheet_id}")
    lines = [{k: line[k] for k in ("item", "weight", "self_score", "mgr_score", "comment", "day")}
             for line in doc["lines"]]
    for line, stored in zip(lines, doc["lines"]):
        if stored["kind"] == "quality":
            line[column] = score
    status, body = hapi(staff, name, "patch", f"sheet/{sheet_id}", {"lines": lines, "version": doc["version"]})
    assert status == 200, body


def test_an_appraisal_cycle_from_opening_to_acknowledgement(app, page, new_page, sign_in, screenshot, staff, hapi,
                                                            sales_records):
    ids = staff["ids"]
    today = calendar_today.today()

    # 1. 行政部: opens the month's cycle for the market department and starts it.
    sign_in("adm")
    page.goto("/hr_appraisal/cycle/new")
    page.select_option("#cadence", "monthly")
    page.fill("#period_start", today.isoformat())
    choose_departments(page, ["MKT"])
    screenshot("1-cycle-form")
    submit_form(page)
    assert "/new" not in page.url, page.inner_text("main")
    cycle_url = page.url
    take(page, "start")
    assert state(page) == "assessment"
    assert field(page, "sheet_count") == "2"
    screenshot("1-cycle-started")
    from modules.hr_appraisal.cycles import AppraisalSheet
    with app.app_context():
        sheets = {s.employee_id: s.id for s in db.session.scalars(select(AppraisalSheet))}
    am_sheet, mgr_sheet = sheets[ids["am"]], sheets[ids["mkt_mgr"]]

    # 2. 客户经理: his sheet shows his real signed amount and the late visit log; he assesses himself.
    employee = new_page()
    sign_in("am", on=employee)
    employee.goto("/hr_appraisal/mine")
    with employee.expect_navigation():
        employee.locator("main tr", has_text="KP").locator("a").first.click()
    sheet_url = employee.url
    assert sheet_url.endswith(f"/hr_appraisal/sheet/{am_sheet}")
    lines = employee.inner_text("main")
    assert "签约 240,000/300,000，完成率 80.0%" in lines, lines
    assert "按时 巡访登记 1/2" in lines, lines
    screenshot("2-employee-sheet", on=employee)
    employee.click("#edit")
    employee.wait_for_url(sheet_url + "/edit")
    quality = quality_rows(employee)
    for row in quality:
        employee.fill(f"[name='lines-{row}-self_score']", "4")
    employee.fill(f"[name='lines-{quality[0]}-comment']", "按时完成巡访，客户关系稳定")
    screenshot("2-self-assessment", on=employee)
    submit_form(employee)
    assert employee.url == sheet_url, employee.inner_text("main")
    take(employee, "submit_self")
    assert state(employee) == "manager_assessment"

    # 3. 市场部经理: from 待我评分; a 2 without a comment is refused, then given with one.
    manager = new_page()
    sign_in("mkt_mgr", on=manager)
    manager.goto("/hr_appraisal/to-score")
    waiting = manager.locator("main tbody tr")
    assert waiting.count() == 1, manager.inner_text("main")
    screenshot("3-to-score", on=manager)
    with manager.expect_navigation():
        waiting.first.locator("a").first.click()
    assert manager.url == sheet_url
    manager.click("#edit")
    manager.wait_for_url(sheet_url + "/edit")
    quality = quality_rows(manager)
    for row in quality:
        manager.fill(f"[name='lines-{row}-mgr_score']", "4")
    manager.fill(f"[name='lines-{quality[1]}-mgr_score']", "2")
    submit_form(manager)
    assert manager.url == sheet_url, manager.inner_text("main")
    press(manager, "submit_scores")
    refusal = manager.locator(".alert-danger")
    expect(refusal).to_contain_text("团队协作")
    assert state(manager) == "manager_assessment"
    screenshot("3-score-2-refused", on=manager)
    manager.click("#edit")
    manager.wait_for_url(sheet_url + "/edit")
    manager.fill(f"[name='lines-{quality[1]}-comment']", "本月两次未参加部门例会")
    manager.fill("#mgr_comment", "销售业绩良好，团队协作需加强")
    submit_form(manager)
    take(manager, "submit_scores")
    assert state(manager) == "consolidation"
    screenshot("3-scored", on=manager)

    # The 市场部经理's own sheet, scored by the 市场总监 (through the API).
    scored_through_api(hapi, staff, "mkt_mgr", mgr_sheet, "self_score")
    act(hapi, staff, "mkt_mgr", "sheet", mgr_sheet, "submit_self")
    scored_through_api(hapi, staff, "dir", mgr_sheet, "mgr_score")
    act(hapi, staff, "dir", "sheet", mgr_sheet, "submit_scores")
    act(hapi, staff, "adm", "sheet", mgr_sheet, "consolidate")
    act(hapi, staff, "mkt_mgr", "sheet", mgr_sheet, "acknowledge")

    # 4. 行政部 consolidates; the total and grade appear.
    page.goto(sheet_url)
    take(page, "consolidate")
    assert state(page) == "acknowledgement"
    total, grade = field(page, "total"), field(page, "grade")
    _status, doc = hapi(staff, "adm", "get", f"sheet/{am_sheet}")
    assert Decimal(total) == Decimal(doc["total"]) and grade.startswith(doc["grade"]), (total, grade, doc)
    screenshot("4-consolidated")

    # 5. 客户经理 appeals; the 行政部 consolidates again; he acknowledges.
    employee.goto(sheet_url)
    take(employee, "appeal", commented("本月另有一份合同已签约，请核实业绩"))
    assert state(employee) == "consolidation"
    assert "请核实业绩" in field(employee, "appeal_reason")
    screenshot("5-appealed", on=employee)
    page.goto(sheet_url)
    take(page, "consolidate", commented("已核实：该合同下月登记，维持原结果"))
    assert state(page) == "acknowledgement"
    employee.goto(sheet_url)
    take(employee, "acknowledge")
    assert state(employee) == "acknowledged"
    screenshot("5-acknowledged", on=employee)

    # 6. 行政部 closes the cycle; its page draws the grade distribution.
    page.goto(cycle_url)
    take(page, "close")
    assert state(page) == "closed"
    _status, am_doc = hapi(staff, "adm", "get", f"sheet/{am_sheet}")
    _status, mgr_doc = hapi(staff, "adm", "get", f"sheet/{mgr_sheet}")
    assert am_doc["state"] == mgr_doc["state"] == "closed" and am_doc["frozen"]
    chart = page.locator("canvas[data-chart]")
    expect(chart).to_be_visible()
    page.wait_for_function("() => window.Chart && Chart.getChart(document.querySelector('canvas[data-chart]'))")
    counts = page.evaluate("() => Chart.getChart(document.querySelector('canvas[data-chart]')).data.datasets[0].data")
    expected = {g: 0 for g in "ABCDE"}
    for d in (am_doc, mgr_doc):
        expected[d["grade"]] += 1
    assert counts == [expected[g] for g in "ABCDE"], counts
    row = page.locator("[data-cycle-results] tbody tr", has_text="市场部").inner_text().split()
    assert row == ["市场部", *[str(expected[g]) for g in "ABCDE"], "2"], row
    screenshot("6-cycle-closed")


def choose_departments(page, codes):
    box = page.locator("#departments")
    if box.evaluate("el => el.tagName") == "SELECT":
        box.select_option(codes)
    else:
        for code in codes:
            page.check(f"[name=departments][value={code}]")


def quality_rows(page) -> list[int]:
    """The indexes of the sheet's qualitative items on its form: its last rows (after the indicators)."""
    from modules.hr_appraisal.cycles import GENERIC_ITEMS
    names = page.eval_on_selector_all("[name$='-self_score']", "els => els.map(el => el.name)")
    rows = [int(name.split("-")[1]) for name in names][-len(GENERIC_ITEMS):]
    assert [page.input_value(f"[name='lines-{row}-item']") for row in rows] == GENERIC_ITEMS
    return rows


def test_a_trip_from_application_to_claim(app, page, new_page, sign_in, screenshot, staff, monkeypatch,
                                          sales_records):
    from modules.hr_appraisal.trips import Trip, seed_standards
    from modules.sales.models import Opportunity
    with app.app_context():
        seed_standards()
        db.session.commit()
        opportunity_id = db.session.scalar(select(Opportunity.id).where(Opportunity.number == "XM-E0001"))
    today = calendar_today.today()
    start = today + timedelta(days=3)

    # 1. 客户经理 applies before the start (2 days in Shanghai, a tier-1 city).
    sign_in("am")
    page.goto("/hr_appraisal/trip/new")
    page.fill("#destination", "上海")
    page.select_option("#city_tier", "tier1")
    page.fill("#purpose", "拜访上海分院信息科，洽谈门诊楼综合布线二期")
    page.select_option("#link_id", label="商机 · XM-E0001 门诊楼综合布线")      # R-S-029: his opportunity
    page.select_option("#transport", "train")
    page.fill("#planned_start", start.isoformat())
    page.fill("#planned_end", (start + timedelta(days=1)).isoformat())
    page.fill("#advance", "1000")
    page.select_option("[name='est_lines-0-category']", "hotel")
    page.fill("[name='est_lines-0-amount']", "600")
    page.select_option("[name='est_lines-1-category']", "transport")
    page.fill("[name='est_lines-1-amount']", "1100")
    screenshot("1-trip-form")
    submit_form(page)
    assert "/new" not in page.url, page.inner_text("main")
    trip_url = page.url
    trip_id = int(trip_url.rstrip("/").rsplit("/", 1)[1])
    assert field(page, "est_total") == "¥1,700.00", field(page, "est_total")
    take(page, "submit")
    assert state(page) == "submitted"

    # 2. His superior, the 市场部经理, approves (no director: 2 days, 1,700 estimated).
    manager = new_page()
    sign_in("mkt_mgr", on=manager)
    manager.goto(trip_url)
    take(manager, "approve", commented("同意出差"))
    assert state(manager) == "approved"
    screenshot("2-trip-approved", on=manager)

    # 3. He departs and returns; the report is due 3 working days later; he hands it in a day late.
    page.goto(trip_url)
    take(page, "depart")
    take(page, "return")
    assert state(page) == "returned"
    with app.app_context():
        due = db.session.get(Trip, trip_id).report_due
    assert field(page, "report_due") == due.isoformat() and due > today
    monkeypatch.setattr(calendar_today, "today", lambda: due + timedelta(days=1))
    page.reload()

    def report(dialog):
        dialog.locator("[name=results]").fill("信息科同意二期方案，下月招标")
        dialog.locator("[name=customers_visited]").fill("上海分院信息科 王主任")
    take(page, "report", report)
    assert state(page) == "reported"
    assert field(page, "report_late") == "是"
    with app.app_context():
        from core.rules.models import RuleViolation
        found = db.session.scalars(select(RuleViolation).where(RuleViolation.rule_code == "R-H-023")).all()
        assert [(v.user_id, v.doc_id) for v in found] == [(staff["ids"]["am"], trip_id)]
    screenshot("3-report-late")

    # 4. The claim: a hotel night over the standard (300 a night) needs its reason, then the 总经理.
    page.goto(f"/hr_appraisal/trip_claim/new?trip_id={trip_id}")
    if page.locator("#trip_id-ts-control").count():
        from tests.e2e.test_sales_flow import choose
        if not page.input_value("#trip_id"):
            choose(page, "trip_id", "上海")
    elif not page.input_value("#trip_id"):
        page.select_option("#trip_id", str(trip_id))
    page.select_option("[name='lines-0-expense_type']", "hotel")
    page.fill("[name='lines-0-day']", start.isoformat())
    page.fill("[name='lines-0-amount']", "700")
    page.fill("[name='lines-0-quantity']", "2")
    page.select_option("[name='lines-1-expense_type']", "transport")
    page.fill("[name='lines-1-day']", start.isoformat())
    page.fill("[name='lines-1-amount']", "1100")
    page.select_option("[name='lines-1-travel_class']", "train_second")
    submit_form(page)
    assert "/new" not in page.url, page.inner_text("main")
    claim_url = page.url
    assert field(page, "over_standard") == "是" and field(page, "over_amount") == "¥100.00"
    press(page, "submit")
    expect(page.locator(".alert-danger")).to_contain_text("600.00")      # R-H-020: the line's standard, no reason
    assert state(page) == "draft"
    screenshot("4-claim-refused")
    page.click("#edit")
    page.wait_for_url(claim_url + "/edit")
    page.fill("[name='lines-0-reason']", "会展期间协议酒店满房")
    submit_form(page)
    take(page, "submit")
    manager.goto(claim_url)
    take(manager, "approve", commented("同意"))
    assert state(manager) == "submitted"                 # the excess waits for the 总经理
    gm = new_page()
    sign_in("gm", on=gm)
    gm.goto(claim_url)
    screenshot("4-claim-at-gm", on=gm)
    take(gm, "approve", commented("同意，下次提前预订"))
    assert state(gm) == "approved"
    screenshot("4-claim-approved", on=gm)

    # 5. I-16: the travel cost is on the opportunity's timeline, where the 客户经理 follows it.
    page.goto(f"/sales/opportunity/{opportunity_id}")
    expect(page.locator("main")).to_contain_text("差旅费用 ¥1,800.00")
    screenshot("5-cost-on-opportunity")
