"""Changes, extensions, payments and final accounts (F-T05, F-T06, F-T09, F-T10, F-T11, F-T12):
internal approval with the general manager above the threshold, no changed work before a signed
notice (R-E-033), confirmed changes raising the project's value (I-08), an extension moving the
completion date, the team payment cap (R-E-094), payments recorded by finance, the final account
the project's warranty waits for, and each form printed as its paper form."""
import io
import subprocess
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from core.extensions import db
from core.hookspecs import hookimpl

from .conftest import make_project

pytestmark = pytest.mark.modules("engineering")

CUSTOMER_SIGNS = {"owner_xsig_name": "王主任", "owner_xsig_org": "市第一中学", "owner_xsig_date": "2027-01-08"}
SUPERVISOR_SIGNS = {"supervisor_xsig_name": "李监理", "supervisor_xsig_org": "市第一中学", "supervisor_xsig_date": "2027-01-09"}
TEAM_SIGNS = {"contractor_xsig_name": "张队长", "contractor_xsig_org": "宏达布线施工队", "contractor_xsig_date": "2027-01-10"}


def create(team, eapi, code, body, who="pe"):
    status, doc = eapi(team, who, "post", code, body)
    assert status == 201, doc
    return doc


def act(team, eapi, who, code, doc_id, name, **body):
    return eapi(team, who, "post", f"{code}/{doc_id}/transitions/{name}", body)


def ok(team, eapi, who, code, doc_id, name, **body):
    status, doc = act(team, eapi, who, code, doc_id, name, **body)
    assert status == 200, doc
    return doc


def change_notice(pid, cost="15000", **extra):
    return {"project_id": pid, "relation": "outward", "proposed_by": "owner", "reason": "needs",
            "content": "三层东区增加 20 个信息点", "cost_impact": cost, "time_impact_days": 5,
            "lines": [{"item": "三层东区", "drawing": "DS-03", "before": "20 点", "after": "40 点"}], **extra}


def told(app, team, name) -> list[str]:
    """The titles of what `name` was told about supervision forms."""
    from sqlalchemy import select

    from core.reminders.models import Notification
    with app.app_context():
        return list(db.session.scalars(select(Notification.title).where(
            Notification.user_id == team["ids"][name], Notification.key.like("engineering.ft%"))
            .order_by(Notification.id)))


def project_of(app, pid):
    from modules.engineering.projects import EngProject
    with app.app_context():
        project = db.session.get(EngProject, pid)
        db.session.expunge(project)
        return project


class Listener:
    """What engineering announced through its hooks."""
    def __init__(self):
        self.heard = []

    @hookimpl
    def engineering_project_milestone(self, project, milestone, day, user, amount, reference):
        self.heard.append((milestone, amount, reference))

    @hookimpl
    def engineering_change_confirmed(self, project, amount, reference, description, user):
        self.heard.append(("change", amount, reference, description))


@pytest.fixture
def listener(app):
    heard = Listener()
    app.extensions["erp"].pm.register(heard, name="money-listener")
    yield heard
    app.extensions["erp"].pm.unregister(name="money-listener")


def pdf_text(browser, url) -> str:
    response = browser.get(url)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    return subprocess.run(["pdftotext", "-", "-"], input=response.data, capture_output=True, check=True).stdout.decode()


# ---- F-T05 / F-T06 ------------------------------------------------------------------------------
def test_change_notice_approved_signed_then_executed(app, team, eapi, eweb):
    pid = make_project(app, team, state="in_construction")
    notice = create(team, eapi, "ft05", change_notice(pid))
    assert notice["number"].startswith("GC05-") and notice["execution_status"] == "pending"
    # R-E-033: no changed work on a notice not yet signed.
    status, body = act(team, eapi, "pe", "ft05", notice["id"], "start_work")
    assert status == 422 and "R-E-033" in str(body)
    # Not issued before the engineering manager's approval; the engineer cannot give it.
    status, body = act(team, eapi, "pe", "ft05", notice["id"], "issue", **CUSTOMER_SIGNS)
    assert status == 422 and "engineering manager approves" in str(body)
    assert act(team, eapi, "pe", "ft05", notice["id"], "approve_internal")[0] == 403
    ok(team, eapi, "eng_mgr", "ft05", notice["id"], "approve_internal", comment="同意变更")
    # Below the threshold the general manager has nothing to approve.
    assert act(team, eapi, "gm", "ft05", notice["id"], "approve_gm")[0] == 422
    # Outward the customer's signature is recorded with the issue.
    status, body = act(team, eapi, "pe", "ft05", notice["id"], "issue")
    assert status == 422 and "owner_xsig_name" in str(body)
    doc = ok(team, eapi, "pe", "ft05", notice["id"], "issue", **CUSTOMER_SIGNS)
    assert doc["state"] == "issued" and doc["owner_xsig_name"] == "王主任"
    doc = ok(team, eapi, "pe", "ft05", notice["id"], "start_work")
    assert doc["execution_status"] == "in_progress"
    ok(team, eapi, "pe", "ft05", notice["id"], "acknowledge")
    doc = ok(team, eapi, "pe", "ft05", notice["id"], "close")
    assert doc["state"] == "closed" and doc["execution_status"] == "done"
    text = pdf_text(eweb("pe"), f"/engineering/ft05/{notice['id']}/pdf")
    assert "工程变更通知" in text and "王主任" in text
    # The approval inside the company is printed with the signature blocks.
    assert "Internal approval:" in text and "同意变更" in text


def test_change_above_threshold_also_needs_the_general_manager(app, team, eapi):
    pid = make_project(app, team, state="in_construction")
    notice = create(team, eapi, "ft05", change_notice(pid, cost="-25000"))
    # The engineer asks for the approval: the engineering manager is told, then the general manager.
    ok(team, eapi, "pe", "ft05", notice["id"], "request_approval")
    assert [notice["number"] in t for t in told(app, team, "eng_mgr")] == [True]
    assert told(app, team, "gm") == []
    ok(team, eapi, "eng_mgr", "ft05", notice["id"], "approve_internal")
    (title,) = told(app, team, "gm")
    assert notice["number"] in title and "-25,000.00" in title
    status, body = act(team, eapi, "pe", "ft05", notice["id"], "issue", **CUSTOMER_SIGNS)
    assert status == 422 and "general manager" in str(body) and "20,000.00" in str(body)
    # The engineering manager cannot stand in for him.
    assert act(team, eapi, "eng_mgr", "ft05", notice["id"], "approve_gm")[0] == 403
    doc = ok(team, eapi, "gm", "ft05", notice["id"], "approve_gm", comment="同意")
    assert doc["gm_approval_at"] and doc["internal_approval_at"]
    # A changed figure needs the approvals again.
    doc = eapi(team, "pe", "patch", f"ft05/{notice['id']}", {"cost_impact": "-30000", "version": doc["version"]})[1]
    assert doc["internal_approval_at"] is None and doc["gm_approval_at"] is None
    assert act(team, eapi, "pe", "ft05", notice["id"], "issue", **CUSTOMER_SIGNS)[0] == 422


def test_additional_works_totalled_and_issued_inward_by_the_manager(app, team, eapi, eweb):
    pid = make_project(app, team, state="in_construction")
    works = create(team, eapi, "ft06", {
        "project_id": pid, "relation": "inward", "team_name": "宏达布线施工队", "reason": "业主要求增加会议室布线",
        "pricing_basis": "contract", "required_by": "2027-02-15", "time_impact_days": 4,
        "lines": [{"item": "六类网线敷设", "unit": "米", "qty": "1200", "unit_price": "6.50"},
                  {"item": "信息面板安装", "unit": "个", "qty": "40", "unit_price": "35"}]})
    assert works["total"] == "9200.00" and [l["amount"] for l in works["lines"]] == ["7800.00", "1400.00"]
    ok(team, eapi, "eng_mgr", "ft06", works["id"], "approve_internal")
    # Inward the company issues it: the engineering manager as the employer, not the engineer.
    assert act(team, eapi, "pe", "ft06", works["id"], "issue")[0] == 422
    ok(team, eapi, "eng_mgr", "ft06", works["id"], "issue")
    ok(team, eapi, "pe", "ft06", works["id"], "acknowledge", **TEAM_SIGNS)
    assert ok(team, eapi, "pe", "ft06", works["id"], "start_work")["execution_status"] == "in_progress"
    # Over the threshold it goes to the general manager too.
    big = create(team, eapi, "ft06", {
        "project_id": pid, "relation": "outward", "reason": "增加机房", "pricing_basis": "agreed",
        "required_by": "2027-03-01", "time_impact_days": 10,
        "lines": [{"item": "机柜", "unit": "台", "qty": "6", "unit_price": "4500"}]})
    ok(team, eapi, "eng_mgr", "ft06", big["id"], "approve_internal")
    assert "general manager" in str(act(team, eapi, "pe", "ft06", big["id"], "issue", **CUSTOMER_SIGNS)[1])
    ok(team, eapi, "gm", "ft06", big["id"], "approve_gm")
    assert ok(team, eapi, "pe", "ft06", big["id"], "issue", **CUSTOMER_SIGNS)["state"] == "issued"
    assert "工程额外增加工程通知单" in pdf_text(eweb("pe"), f"/engineering/ft06/{works['id']}/pdf")


# ---- F-T11 --------------------------------------------------------------------------------------
def signed_change(team, eapi, pid, cost="15000"):
    notice = create(team, eapi, "ft05", change_notice(pid, cost=cost))
    ok(team, eapi, "eng_mgr", "ft05", notice["id"], "approve_internal")
    ok(team, eapi, "pe", "ft05", notice["id"], "issue", **CUSTOMER_SIGNS)
    return notice


def verification(pid, notice_id, relation="outward", **extra):
    return {"project_id": pid, "relation": relation, "change_notice_id": notice_id,
            "lines": [{"item": "六类信息点", "unit": "点", "qty_before": "20", "qty_after": "40", "unit_price": "650"},
                      {"item": "取消的光纤盒", "unit": "个", "qty_before": "4", "qty_after": "2", "unit_price": "300"}],
            **extra}


def test_hook_engineering_change_confirmed(app, team, eapi, eweb, listener):
    """F-T11 confirmed outward: the project's value rises and engineering_change_confirmed offers it to sales."""
    pid = make_project(app, team, state="in_construction", amount="80000")
    draft = create(team, eapi, "ft05", change_notice(pid))
    # R-E-033: costs are verified only for a signed notice.
    status, body = eapi(team, "pe", "post", "ft11", verification(pid, draft["id"]))
    assert status == 422 and "change_notice_id" in str(body) and "R-E-033" in str(body)
    notice = signed_change(team, eapi, pid)
    # The signed notice's page offers the verification, the notice filled in.
    assert f"/engineering/ft05/{notice['id']}/ft11" in eweb("pe").get(f"/engineering/ft05/{notice['id']}").get_data(
        as_text=True)
    response = eweb("pe").get(f"/engineering/ft05/{notice['id']}/ft11")
    assert response.status_code == 302 and f"change_notice_id={notice['id']}" in response.location
    doc = create(team, eapi, "ft11", verification(pid, notice["id"]))
    assert doc["declared_total"] == "12400.00" and doc["original_contract_amount"] == "80000.00"
    assert [line["delta_amount"] for line in doc["lines"]] == ["13000.00", "-600.00"]
    ok(team, eapi, "pe", "ft11", doc["id"], "submit")
    ok(team, eapi, "pe", "ft11", doc["id"], "review", verified_total="12000", **SUPERVISOR_SIGNS)
    assert project_of(app, pid).change_amount in (None, Decimal(0))
    doc = ok(team, eapi, "pe", "ft11", doc["id"], "owner_approve", confirmed_total="11800", **CUSTOMER_SIGNS)
    assert doc["confirmed_total"] == "11800.00" and doc["new_contract_amount"] == "91800.00"
    project = project_of(app, pid)
    assert project.change_amount == Decimal("11800.00") and project.current_amount == Decimal("91800.00")
    (kind, amount, reference, description), = listener.heard
    assert kind == "change" and amount == Decimal("11800.00") and reference == doc["number"]
    assert notice["number"] in description
    assert "工程变更费用更改核定表" in pdf_text(eweb("pe"), f"/engineering/ft11/{doc['id']}/pdf")


def test_inward_change_cost_is_recorded_only(app, team, eapi, listener):
    pid = make_project(app, team, state="in_construction")
    notice = signed_change(team, eapi, pid)
    doc = create(team, eapi, "ft11", verification(pid, notice["id"], relation="inward", team_name="宏达布线施工队",
                                                  original_contract_amount="30000"))
    ok(team, eapi, "pe", "ft11", doc["id"], "submit", **TEAM_SIGNS)
    ok(team, eapi, "pe", "ft11", doc["id"], "review", verified_total="12000")
    doc = ok(team, eapi, "eng_mgr", "ft11", doc["id"], "owner_approve", confirmed_total="12000")
    assert doc["new_contract_amount"] == "42000.00"
    assert project_of(app, pid).change_amount in (None, Decimal(0)) and listener.heard == []


# ---- F-T09 --------------------------------------------------------------------------------------
def attach(eweb, who, code, doc_id):
    response = eweb(who).post(f"/engineering/{code}/{doc_id}/attachments",
                              data={"file": (io.BytesIO(b"%PDF-1.4"), "停电通知.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302


def test_extension_granted_moves_the_completion_and_rebaselines_the_schedule(app, team, eapi, eweb):
    pid = make_project(app, team, state="in_construction", planned_completion=date(2027, 3, 31))
    schedule = create(team, eapi, "schedule", {
        "project_id": pid, "plan_type": "overall", "period_start": "2026-12-10", "period_end": "2027-03-31",
        "tasks": [{"wbs": "1", "name": "水平布线", "plan_start": "2027-01-05", "plan_end": "2027-03-20"}]})
    ok(team, eapi, "pe", "schedule", schedule["id"], "submit")
    ok(team, eapi, "eng_mgr", "schedule", schedule["id"], "approve")
    notice = signed_change(team, eapi, pid)
    # The signed notice offers the application, its days filled in.
    response = eweb("pe").get(f"/engineering/ft05/{notice['id']}/ft09")
    assert response.status_code == 302 and "requested_days=5" in response.location
    application = {"project_id": pid, "relation": "outward", "requested_days": 12,
                   "lines": [{"cause": "owner", "days": 7, "description": "业主停电一周"},
                             {"cause": "change", "reference": "GC05-2099-0001", "days": 3}]}
    status, body = eapi(team, "pe", "post", "ft09", application)
    assert status == 422 and "GC05-2099-0001" in str(body["fields"]["lines"])
    application["lines"][1]["reference"] = notice["number"]
    status, body = eapi(team, "pe", "post", "ft09", application)
    assert status == 422 and body["fields"]["requested_days"] == ["The reasons give 10 days of delay in all."]
    doc = create(team, eapi, "ft09", dict(application, requested_days=10))
    assert doc["original_completion"] == "2027-03-31" and doc["requested_completion"] == "2027-04-10"
    status, body = act(team, eapi, "pe", "ft09", doc["id"], "submit")
    assert status == 422 and "evidence" in str(body)
    attach(eweb, "pe", "ft09", doc["id"])
    ok(team, eapi, "pe", "ft09", doc["id"], "submit")
    status, body = act(team, eapi, "pe", "ft09", doc["id"], "review", approved_days=15, **SUPERVISOR_SIGNS)
    assert status == 422 and "approved_days" in str(body)
    ok(team, eapi, "pe", "ft09", doc["id"], "review", approved_days=10, **SUPERVISOR_SIGNS)
    assert project_of(app, pid).planned_completion == date(2027, 3, 31)
    doc = ok(team, eapi, "pe", "ft09", doc["id"], "owner_approve", approved_days=8, **CUSTOMER_SIGNS)
    assert doc["approved_completion"] == "2027-04-08"
    project = project_of(app, pid)
    assert project.planned_completion == date(2027, 4, 8) and project.extension_days == 8
    from modules.engineering.schedule import current_schedule
    with app.app_context():
        current = current_schedule(pid)
        assert current.id != schedule["id"] and current.shifted_days == 8 and doc["number"] in current.rebaseline_reason
        assert current.tasks[0].plan_end == date(2027, 3, 28)
    assert "工程延长工期申报表" in pdf_text(eweb("pe"), f"/engineering/ft09/{doc['id']}/pdf")


# ---- F-T10 --------------------------------------------------------------------------------------
def payment(pid, relation="outward", value="40000", requested="30000", **extra):
    return {"project_id": pid, "relation": relation, "payment_type": "progress", "period_from": "2027-01-01",
            "period_to": "2027-01-31", "work_done_this_period": "一至三层水平布线完成", "value_this_period": value,
            "requested_amount": requested, "supporting_docs": ["quantities"], **extra}


def test_outward_payment_approved_announced_and_paid(app, team, eapi, eweb, listener):
    pid = make_project(app, team, state="in_construction", amount="200000")
    doc = create(team, eapi, "ft10", payment(pid))
    assert doc["contract_amount"] == "200000.00" and doc["value_cumulative"] == "40000.00"
    assert doc["cap_check"] == ""                                # the cap is for teams
    # A salesperson has no business here.
    assert eapi(team, "am", "post", "ft10", payment(pid))[0] == 403
    ok(team, eapi, "pe", "ft10", doc["id"], "submit")
    ok(team, eapi, "pe", "ft10", doc["id"], "review", verified_amount="28000", **SUPERVISOR_SIGNS)
    doc = ok(team, eapi, "pe", "ft10", doc["id"], "owner_approve", approved_amount="27000", **CUSTOMER_SIGNS)
    assert listener.heard == [("payment_approved", Decimal("27000.00"), doc["number"])]
    # Finance records the money received; the engineer does not.
    paid = {"paid_on": "2027-02-20", "paid_amount": "27000", "bank_ref": "ICBC-20270220-001"}
    assert act(team, eapi, "pe", "ft10", doc["id"], "pay", **paid)[0] == 403
    doc = ok(team, eapi, "fin", "ft10", doc["id"], "pay", **paid)
    assert doc["state"] == "paid" and doc["bank_ref"] == "ICBC-20270220-001"
    second = create(team, eapi, "ft10", payment(pid, value="50000", requested="35000"))
    assert second["value_cumulative"] == "90000.00" and second["paid_cumulative"] == "27000.00"
    assert "付款申请表" in pdf_text(eweb("pe"), f"/engineering/ft10/{doc['id']}/pdf")


def test_team_payments_capped_before_final_acceptance(app, team, eapi):
    pid = make_project(app, team, state="in_construction")
    inward = dict(relation="inward", team_name="宏达布线施工队", contract_amount="60000")
    first = create(team, eapi, "ft10", payment(pid, value="20000", requested="14000", **inward))
    assert first["cap_check"] == "¥14,000.00 of at most ¥14,000.00 (70% of the value of the work)"
    ok(team, eapi, "pe", "ft10", first["id"], "submit", **TEAM_SIGNS)
    # 14,000 + 8,000 of 70% × 30,000 = 21,000: refused, the cap named.
    second = create(team, eapi, "ft10", payment(pid, value="10000", requested="8000", **inward))
    status, body = act(team, eapi, "pe", "ft10", second["id"], "submit", **TEAM_SIGNS)
    assert status == 422 and "R-E-094" in str(body) and "70" in str(body) and "21,000.00" in str(body)
    version = eapi(team, "pe", "get", f"ft10/{second['id']}")[1]["version"]
    assert eapi(team, "pe", "patch", f"ft10/{second['id']}", {"requested_amount": "7000", "version": version})[0] == 200
    ok(team, eapi, "pe", "ft10", second["id"], "submit", **TEAM_SIGNS)
    # Another team's payments are counted apart.
    other = create(team, eapi, "ft10", payment(pid, value="10000", requested="7000", relation="inward",
                                               team_name="安达弱电施工队", contract_amount="20000"))
    ok(team, eapi, "pe", "ft10", other["id"], "submit", **TEAM_SIGNS)
    # The value verified lower than declared: the cap falls with it.
    status, body = act(team, eapi, "pe", "ft10", first["id"], "review", value_this_period="18000",
                       verified_amount="14000")
    assert status == 422 and "R-E-094" in str(body) and "19,600.00" in str(body)
    # The engineering manager approves as the employer; finance is asked to pay (I-10).
    doc = ok(team, eapi, "pe", "ft10", first["id"], "review", verified_amount="14000")
    assert doc["value_cumulative"] == "20000.00"
    assert act(team, eapi, "pe", "ft10", first["id"], "owner_approve", approved_amount="14000")[0] == 422
    ok(team, eapi, "eng_mgr", "ft10", first["id"], "owner_approve", approved_amount="14000")
    assert any(first["number"] in t and "14,000.00" in t for t in told(app, team, "fin"))
    # After final acceptance the cap no longer applies.
    pid2 = make_project(app, team, state="closing")
    settle = create(team, eapi, "ft10", payment(pid2, value="10000", requested="9500", **inward))
    assert settle["cap_check"] == ""
    ok(team, eapi, "pe", "ft10", settle["id"], "submit", **TEAM_SIGNS)


# ---- F-T12 --------------------------------------------------------------------------------------
def test_final_account_computed_agreed_announced_and_the_warranty_waits_for_it(app, team, eapi, eweb, listener):
    pid = make_project(app, team, state="in_construction", amount="200000")
    notice = signed_change(team, eapi, pid)
    change = create(team, eapi, "ft11", verification(pid, notice["id"]))
    ok(team, eapi, "pe", "ft11", change["id"], "submit")
    ok(team, eapi, "pe", "ft11", change["id"], "review", verified_total="12400", **SUPERVISOR_SIGNS)
    ok(team, eapi, "pe", "ft11", change["id"], "owner_approve", confirmed_total="12400", **CUSTOMER_SIGNS)
    pay = create(team, eapi, "ft10", payment(pid, value="150000", requested="100000"))
    ok(team, eapi, "pe", "ft10", pay["id"], "submit")
    ok(team, eapi, "pe", "ft10", pay["id"], "review", verified_amount="100000", **SUPERVISOR_SIGNS)
    ok(team, eapi, "pe", "ft10", pay["id"], "owner_approve", approved_amount="100000", **CUSTOMER_SIGNS)
    ok(team, eapi, "fin", "ft10", pay["id"], "pay", paid_on="2027-02-01", paid_amount="100000", bank_ref="B-1")
    listener.heard.clear()
    # Not before the final acceptance.
    assert eapi(team, "pe", "post", "ft12", {"project_id": pid, "relation": "outward",
                                             "declared_amount": "212400"})[0] == 422
    from modules.engineering.projects import EngProject
    with app.app_context():
        db.session.get(EngProject, pid).state = "closing"
        db.session.commit()
    # The project stays in closing until the customer agrees the final account.
    status, body = eapi(team, "eng_mgr", "post", f"project/{pid}/transitions/to_warranty", {})
    assert status == 422 and "final account" in str(body)
    doc = create(team, eapi, "ft12", {"project_id": pid, "relation": "outward", "declared_amount": "212400",
                                      "retention_pct": "5",
                                      "lines": [{"type": "quality", "amount": "1000", "reference": "GC16-2027-0002"}]})
    assert doc["contract_amount"] == "200000.00" and doc["changes_total"] == "12400.00"
    assert doc["paid_to_date"] == "100000.00" and doc["retention_amount"] == "10620.00"
    assert doc["balance"] == "101780.00"
    ok(team, eapi, "pe", "ft12", doc["id"], "submit")
    doc = ok(team, eapi, "pe", "ft12", doc["id"], "review", verified_amount="210000", **SUPERVISOR_SIGNS)
    assert doc["retention_amount"] == "10500.00" and doc["balance"] == "99500.00"
    assert eapi(team, "eng_mgr", "post", f"project/{pid}/transitions/to_warranty", {})[0] == 422
    doc = ok(team, eapi, "pe", "ft12", doc["id"], "owner_approve", verified_amount="210000", **CUSTOMER_SIGNS)
    assert listener.heard == [("final_account", Decimal("210000.00"), doc["number"])]
    with app.app_context():  # R-E-062 (installed.py): its installed base, here waived
        from modules.engineering.installed import NoEquipmentWaiver
        db.session.add(NoEquipmentWaiver(project_id=pid, reason="测试", at=datetime.now(UTC)))
        db.session.commit()
    from .test_evaluation import approved_evaluation
    approved_evaluation(app, team, pid)          # the project evaluation (F-E08), the other condition
    status, body = eapi(team, "eng_mgr", "post", f"project/{pid}/transitions/to_warranty", {})
    assert status == 200, body
    assert "工程结算核定表" in pdf_text(eweb("pe"), f"/engineering/ft12/{doc['id']}/pdf")


def test_forms_listed_on_the_supervision_forms_page_and_pages_open(app, team, eapi, eweb):
    page = eweb("pe").get("/engineering/forms").get_data(as_text=True)
    for label in ("F-T05</span> Engineering change notice", "F-T06</span> Additional works notice",
                  "F-T11</span> Change cost verification", "F-T09</span> Extension of time application",
                  "F-T10</span> Payment application", "F-T12</span> Final account verification",
                  "Changes and extra works", "Construction period", "Payment and settlement"):
        assert label in page
    for code in ("ft05", "ft06", "ft09", "ft10", "ft11", "ft12"):
        assert eweb("pe").get(f"/engineering/{code}/new").status_code == 200
    pid = make_project(app, team, state="in_construction")
    doc = create(team, eapi, "ft10", payment(pid, relation="inward", team_name="宏达布线施工队", contract_amount="60000",
                                              value="20000", requested="10000"))
    ok(team, eapi, "pe", "ft10", doc["id"], "submit", **TEAM_SIGNS)
    ok(team, eapi, "pe", "ft10", doc["id"], "review", verified_amount="10000")
    ok(team, eapi, "eng_mgr", "ft10", doc["id"], "owner_approve", approved_amount="10000")
    # Finance opens the approved application and records the payment on its page.
    browser = eweb("fin")
    detail = browser.get(f"/engineering/ft10/{doc['id']}")
    assert detail.status_code == 200 and "Record the payment" in detail.get_data(as_text=True)
    assert browser.get(f"/engineering/ft10/{doc['id']}/transitions/pay/input").status_code == 200
    assert "Record the payment" not in eweb("pe").get(f"/engineering/ft10/{doc['id']}").get_data(as_text=True)
    # Nobody outside engineering, finance and the management sees it.
    assert eapi(team, "am", "get", f"ft10/{doc['id']}")[0] == 404


def test_demo_data(app, team):
    from core.auth.models import User
    from modules.engineering.form_money import demo
    building = make_project(app, team, state="in_construction", amount="180000")
    closing = make_project(app, team, state="closing", amount="95000")
    with app.app_context():
        users = {name: db.session.get(User, team["ids"][name]) for name in ("pe", "eng_mgr")}
        made = demo(users)
        assert [(d.number[:4], d.state) for d in made] == [
            ("GC05", "issued"), ("GC11", "owner_approved"), ("GC06", "draft"), ("GC09", "owner_approved"),
            ("GC10", "owner_approved"), ("GC10", "submitted"), ("GC12", "owner_approved")]
        assert made[2].internal_approval_at is not None and made[2].total == Decimal("26400.00")
        assert made[3].approved_days == 3       # the change's extension of time granted
    assert project_of(app, building).change_amount == Decimal("8610.00")
    assert project_of(app, building).planned_completion == date(2027, 4, 3)    # 2027-03-31 + 3 days
    assert project_of(app, closing).state == "closing"
