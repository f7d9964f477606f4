"""业务招待费申请/报销单 X-S09 (WF-S12): approved before by amount (R-S-040), customer and attendees
named (R-S-042), overspend explained and approved higher (R-S-043), claimed in time (R-S-044), the
opportunity's cap (R-S-046), gifts registered (R-S-047), emergency entertainment approved
afterwards (R-S-048), reimbursed by finance."""
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from core.api.models import ApiToken
from core.extensions import db
from tests.modules.sales.test_visits import customer, opportunity

pytestmark = pytest.mark.modules("sales")


@pytest.fixture
def people(app, market, make_user):
    """The market department and a finance officer (财务) with a token."""
    from core.auth.models import User
    market["ids"]["fin"] = make_user("fin", "ROLE-FIN")
    with app.app_context():
        token, secret = ApiToken.issue(db.session.get(User, market["ids"]["fin"]), "tests")
        db.session.add(token)
        db.session.commit()
    market["headers"]["fin"] = {"Authorization": f"Bearer {secret}"}
    return market


def request_body(customer_id, **extra):
    return {"customer_id": customer_id, "kind": "banquet", "purpose": "方案交流后宴请信息科",
            "planned_date": "2026-03-10", "attendees_ours": "刘客户、孙工",
            "attendees_customer": "王主任(信息科主任)、李工", "est_amount": "1800.00", **extra}


def create(people, api, customer_id, who="am", **extra):
    return api(people, who, "post", "entertainment", request_body(customer_id, **extra))


def act(people, api, who, doc_id, name, **payload):
    return api(people, who, "post", f"entertainment/{doc_id}/transitions/{name}", payload)


def get(people, api, doc_id, who="mgr"):
    return api(people, who, "get", f"entertainment/{doc_id}")[1]


def not_theirs(response):
    """A decision refused to someone who is not the step's approver (or owns the request)."""
    status, body = response
    return status == 403 and ("not an approver" in body["error"] or "you own" in body["error"])


def plan(app, doc_id):
    """The current approval round: [(step, status, username)]."""
    from core.auth.models import User
    from core.workflow import engine
    from modules.sales.expenses import ENTERTAINMENT, EntertainmentRequest
    with app.app_context():
        doc = db.session.get(EntertainmentRequest, doc_id)
        return [(t.step_name, t.status, db.session.get(User, t.user_id).username)
                for t in engine.tasks(ENTERTAINMENT, doc)]


def count(app):
    from modules.sales.expenses import EntertainmentRequest
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(EntertainmentRequest))


def violations(app, code):
    from core.rules.models import RuleViolation
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(RuleViolation).where(RuleViolation.rule_code == code))


def setting(app, key):
    from core import settings
    with app.app_context():
        return Decimal(str(settings.get(key)))


def approved(app, people, api, clock, amount="1800.00", approver="mgr", **extra):
    clock("2026-03-09 10:00")
    cid = extra.pop("customer_id", None) or customer(app, people, api)
    status, doc = create(people, api, cid, est_amount=amount, **extra)
    assert status == 201, doc
    assert act(people, api, "am", doc["id"], "submit")[1]["state"] == "pending"
    status, doc = act(people, api, approver, doc["id"], "approve", comment="同意")
    assert status == 200 and doc["state"] == "approved", doc
    return doc


# ---- R-S-040: the approver by amount, the boundaries from the settings --------------------------
@pytest.mark.parametrize("offset,level,approver,others", [
    ("mgr_limit", "manager", "mgr", ("dir", "gm")),
    ("mgr_limit+", "director", "dir", ("mgr", "gm")),
    ("dir_limit", "director", "dir", ("mgr", "gm")),
    ("dir_limit+", "gm", "gm", ("mgr", "dir")),
])
def test_the_approver_follows_the_amount(app, people, api, clock, offset, level, approver, others):
    limit = setting(app, f"sales.entertain_{offset.rstrip('+').replace('_limit', '')}_limit")
    amount = limit + Decimal("0.01") if offset.endswith("+") else limit
    assert setting(app, "sales.entertain_mgr_limit") == 2000 and setting(app, "sales.entertain_dir_limit") == 10000
    clock("2026-03-09 10:00")
    status, doc = create(people, api, customer(app, people, api), est_amount=str(amount))
    assert status == 201 and doc["number"].startswith("ZD-"), doc
    status, doc = act(people, api, "am", doc["id"], "submit")
    assert status == 200 and doc["state"] == "pending" and doc["approval_level"] == level, doc
    assert [(s, u) for s, _st, u in plan(app, doc["id"])] == [({"mgr": "manager", "dir": "director", "gm": "gm"}[approver],
                                                              approver)]
    for other in others + ("am",):          # not theirs to decide (nor the owner's)
        assert not_theirs(act(people, api, other, doc["id"], "approve", comment="同意"))
    assert get(people, api, doc["id"])["state"] == "pending"
    status, doc = act(people, api, approver, doc["id"], "approve", comment="同意")
    assert status == 200 and doc["state"] == "approved", doc


# ---- the whole path, role by role, through the API --------------------------------------------
def test_request_approved_incurred_claimed_and_reimbursed_through_the_api(app, people, api, clock):
    from core.audit.models import AuditEntry
    clock("2026-03-09 10:00")
    cid = customer(app, people, api)
    oid = opportunity(people, api, cid)
    status, doc = create(people, api, cid, opportunity_id=oid)
    assert status == 201 and doc["state"] == "draft" and doc["opportunity_id"] == oid, doc
    assert doc["title"].startswith("深圳市第一人民医院") and doc["post_approval"] is False
    assert api(people, "pse", "post", "entertainment", request_body(cid))[0] == 403     # no salesperson
    assert act(people, api, "am", doc["id"], "incur", incurred_on="2026-03-10", actual_amount="1700",
               invoice_numbers="12345678")[0] == 422                                  # not approved yet
    assert act(people, api, "am", doc["id"], "submit")[1]["state"] == "pending"
    status, doc = act(people, api, "mgr", doc["id"], "approve", comment="同意")
    assert status == 200 and doc["state"] == "approved", doc
    # Recorded after it took place, with its invoices: the claim is due 30 days after the event.
    status, body = act(people, api, "am", doc["id"], "incur", incurred_on="2026-03-11", actual_amount="1750.50",
                       invoice_numbers="04400012 / 04400013")
    assert status == 422 and "incurred_on" in body["fields"], body             # 11 March is tomorrow
    clock("2026-03-10 21:00")
    assert act(people, api, "mgr", doc["id"], "incur", incurred_on="2026-03-10", actual_amount="1",
               invoice_numbers="1")[0] == 422                                    # the owner records it
    status, doc = act(people, api, "am", doc["id"], "incur", incurred_on="2026-03-10", actual_amount="1750.50",
                      invoice_numbers="04400012 / 04400013")
    assert status == 200 and doc["state"] == "incurred" and doc["actual_amount"] == "1750.50", doc
    assert doc["due_at"] == "2026-04-10T00:00:00+08:00"                     # by the end of 9 April
    clock("2026-03-12 09:00")
    status, doc = act(people, api, "am", doc["id"], "claim")
    assert status == 200 and doc["state"] == "claimed" and doc["claimed_on"] == "2026-03-12", doc
    assert plan(app, doc["id"])[0][1] == "approved"                           # no new round
    for who in ("am", "mgr", "ast"):
        status, body = act(people, api, who, doc["id"], "reimburse")
        assert status in (403, 422) and "permission" in body["error"], body
    status, doc = act(people, api, "fin", doc["id"], "reimburse", comment="凭证 2026-03-015")
    assert status == 200 and doc["state"] == "reimbursed", doc
    assert doc["reimbursed_by_id"] == people["ids"]["fin"] and doc["reimbursed_decision"] == "agree"
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.model == "sales_entertainment",
                                                              AuditEntry.record_id == str(doc["id"]))
                                     .order_by(AuditEntry.id)).all()
        assert entries[0].action == "insert" and entries[0].actor == "am"
        moves = [(e.actor, e.changes) for e in entries if e.action == "transition"]
        assert [actor for actor, _c in moves] == ["am", "mgr", "am", "am", "fin"]
        assert all(f'"to": "{s}"' in c for (_a, c), s in zip(moves, ("pending", "approved", "incurred", "claimed",
                                                                         "reimbursed")))


# ---- the whole path through the web -----------------------------------------------------------
def test_the_path_through_the_web_pages(app, people, api, clock, web):
    clock("2026-03-09 10:00")
    cid = customer(app, people, api)
    salesperson = web("am")
    page = salesperson.get("/sales/entertainment/new")
    assert page.status_code == 200 and 'name="attendees_customer"' in page.get_data(as_text=True)
    form = {k: v for k, v in request_body(cid, kind="gift", est_amount="600").items()} | {
        "opportunity_id": "", "lines-0-item": "茶叶礼盒", "lines-0-value": "300", "lines-0-recipient": "王主任",
        "lines-1-item": "", "lines-1-value": "", "lines-1-recipient": ""}
    response = salesperson.post("/sales/entertainment/new", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    status, body = api(people, "am", "get", "entertainment")
    [doc] = body["items"]
    assert doc["kind"] == "gift" and [(l["item"], l["value"]) for l in doc["lines"]] == [("茶叶礼盒", "300.00")]
    base = f"/sales/entertainment/{doc['id']}"
    assert salesperson.post(f"{base}/transitions/submit").status_code == 302
    manager = web("mgr")
    detail = manager.get(base).get_data(as_text=True)
    assert "业务招待费" in detail or "Entertainment" in detail
    assert manager.post(f"{base}/transitions/approve", data={"comment": "同意"}).status_code == 302
    assert get(people, api, doc["id"])["state"] == "approved"
    salesperson = web("am")
    page = salesperson.get(f"{base}/transitions/incur/input")
    assert page.status_code == 200 and 'value="600.00"' in page.get_data(as_text=True)   # the estimate offered
    # Overspent above 10 % without an explanation: refused on the page, nothing kept.
    response = salesperson.post(f"{base}/transitions/incur/input", data={
        "incurred_on": "2026-03-09", "actual_amount": "700", "invoice_numbers": "0001", "overspend_reason": "",
        "comment": ""})
    assert response.status_code == 422
    doc_now = get(people, api, doc["id"])
    assert doc_now["state"] == "approved" and doc_now["actual_amount"] is None
    response = salesperson.post(f"{base}/transitions/incur/input", data={
        "incurred_on": "2026-03-09", "actual_amount": "650", "invoice_numbers": "0001", "overspend_reason": "",
        "comment": ""})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert salesperson.post(f"{base}/transitions/claim").status_code == 302
    assert get(people, api, doc["id"])["state"] == "claimed"
    finance = web("fin")
    assert finance.get("/sales/entertainment/").status_code == 200
    home = finance.get("/sales/")                                # finance opens sales for this list only
    assert home.status_code == 200 and "/sales/entertainment/" in home.get_data(as_text=True)
    assert finance.get("/sales/customer/").status_code == 403
    assert finance.post(f"{base}/transitions/reimburse", data={"comment": "已付"}).status_code == 302
    assert get(people, api, doc["id"])["state"] == "reimbursed"
    printed = finance.get(f"{base}/print").get_data(as_text=True)
    assert "业务招待费申请/报销单" in printed and "茶叶礼盒" in printed


# ---- refusals, with the field and the reason; nothing half-saved ------------------------------
@pytest.mark.parametrize("field", ["attendees_customer", "attendees_ours", "purpose"])
def test_a_request_names_the_purpose_and_both_sides(app, people, api, field):
    cid = customer(app, people, api)
    status, body = create(people, api, cid, **{field: ""})
    assert status == 422 and field in body["fields"], body
    assert count(app) == 0


def test_the_opportunity_must_be_the_customers(app, people, api):
    cid = customer(app, people, api)
    other = customer(app, people, api, name="深圳湾科技园管理中心")
    oid = opportunity(people, api, other)
    status, body = create(people, api, cid, opportunity_id=oid)
    fields = body.get("fields", {})
    assert status == 422 and ("opportunity" in fields or "opportunity_id" in fields), body
    assert "R-S-042" in str(fields)
    assert count(app) == 0
    assert create(people, api, other, opportunity_id=oid)[0] == 201


def test_a_gift_is_submitted_with_its_register(app, people, api, clock):
    clock("2026-03-09 10:00")
    cid = customer(app, people, api)
    status, doc = create(people, api, cid, kind="gift", est_amount="400")
    assert status == 201
    status, body = act(people, api, "am", doc["id"], "submit")
    assert status == 422 and "lines" in body["fields"] and "R-S-047" in body["error"], body
    assert get(people, api, doc["id"])["state"] == "draft" and plan(app, doc["id"]) == []
    assert violations(app, "R-S-047") == 1
    # A line without its recipient is refused too.
    status, body = api(people, "am", "patch", f"entertainment/{doc['id']}", {
        "version": doc["version"], "lines": [{"item": "茶叶", "value": "200", "recipient": ""}]})
    assert status == 422, body
    status, doc = api(people, "am", "patch", f"entertainment/{doc['id']}", {
        "version": doc["version"], "lines": [{"item": "茶叶", "value": "200", "recipient": "王主任"}]})
    assert status == 200, doc
    assert act(people, api, "am", doc["id"], "submit")[1]["state"] == "pending"


def test_an_overspend_needs_its_explanation_and_the_approvers_superior(app, people, api, clock):
    doc = approved(app, people, api, clock, amount="2000")                       # the market manager's
    assert setting(app, "sales.reception_overspend_tolerance_pct") == 10
    clock("2026-03-10 21:00")
    status, body = act(people, api, "am", doc["id"], "incur", incurred_on="2026-03-10", actual_amount="2200.01",
                       invoice_numbers="0009")
    assert status == 422 and "overspend_reason" in body["fields"] and "R-S-043" in body["error"], body
    now = get(people, api, doc["id"])
    assert now["state"] == "approved" and now["actual_amount"] is None and now["invoice_numbers"] == ""
    status, doc = act(people, api, "am", doc["id"], "incur", incurred_on="2026-03-10", actual_amount="2200.01",
                      invoice_numbers="0009", overspend_reason="客户临时增加两人")
    assert status == 200 and doc["state"] == "incurred", doc
    assert act(people, api, "am", doc["id"], "claim")[0] in (403, 422)        # not straight to finance
    status, doc = act(people, api, "am", doc["id"], "submit_claim")
    assert status == 200 and doc["state"] == "claim_pending", doc
    assert [(s, u) for s, _st, u in plan(app, doc["id"])] == [("overspend", "dir")]   # the manager's superior
    assert not_theirs(act(people, api, "mgr", doc["id"], "approve_claim"))
    status, doc = act(people, api, "dir", doc["id"], "approve_claim", comment="同意")
    assert status == 200 and doc["state"] == "claimed", doc


def test_within_the_tolerance_no_explanation_nor_approval(app, people, api, clock):
    doc = approved(app, people, api, clock, amount="2000")
    clock("2026-03-10 21:00")
    act(people, api, "am", doc["id"], "incur", incurred_on="2026-03-10", actual_amount="2200", invoice_numbers="1")
    status, doc = act(people, api, "am", doc["id"], "claim")
    assert status == 200 and doc["state"] == "claimed", doc


def test_an_overspend_of_a_directors_request_goes_to_the_general_manager(app, people, api, clock):
    doc = approved(app, people, api, clock, amount="5000", approver="dir")
    clock("2026-03-10 21:00")
    act(people, api, "am", doc["id"], "incur", incurred_on="2026-03-10", actual_amount="6000",
        invoice_numbers="1", overspend_reason="加菜")
    act(people, api, "am", doc["id"], "submit_claim")
    assert [(s, u) for s, _st, u in plan(app, doc["id"])] == [("overspend", "gm")]
    assert not_theirs(act(people, api, "dir", doc["id"], "approve_claim"))
    # Refused: back to the owner, who may explain better and claim again.
    status, doc = act(people, api, "gm", doc["id"], "reject_claim", comment="说明不充分")
    assert status == 200 and doc["state"] == "incurred" and doc["claimed_on"] is None, doc


def test_a_late_claim_needs_the_marketing_director(app, people, api, clock):
    doc = approved(app, people, api, clock)
    clock("2026-03-10 21:00")
    act(people, api, "am", doc["id"], "incur", incurred_on="2026-03-10", actual_amount="1800", invoice_numbers="1")
    clock("2026-04-09 12:00")                                         # the 30th day: still in time
    assert get(people, api, doc["id"], who="am")["overdue"] is False
    clock("2026-04-10 09:00")                                         # the 31st: late
    assert get(people, api, doc["id"], who="am")["overdue"] is True
    status, body = act(people, api, "am", doc["id"], "claim")
    assert status in (403, 422), body                                  # not without the director
    assert get(people, api, doc["id"])["state"] == "incurred"
    status, doc = act(people, api, "am", doc["id"], "submit_claim")
    assert status == 200 and doc["state"] == "claim_pending", doc
    assert [(s, u) for s, _st, u in plan(app, doc["id"])] == [("late_claim", "dir")]
    assert not_theirs(act(people, api, "mgr", doc["id"], "approve_claim"))
    status, doc = act(people, api, "dir", doc["id"], "approve_claim", comment="同意补报")
    assert status == 200 and doc["state"] == "claimed", doc


def test_in_time_the_claim_needs_no_approval(app, people, api, clock):
    doc = approved(app, people, api, clock)
    clock("2026-03-10 21:00")
    act(people, api, "am", doc["id"], "incur", incurred_on="2026-03-10", actual_amount="1800", invoice_numbers="1")
    clock("2026-04-09 17:00")
    assert act(people, api, "am", doc["id"], "submit_claim")[0] in (403, 422)   # nothing to approve
    assert act(people, api, "am", doc["id"], "claim")[1]["state"] == "claimed"


# ---- R-S-046: the opportunity's cap ------------------------------------------------------------
def test_above_the_opportunitys_cap_the_director_approves_too(app, people, api, clock):
    clock("2026-03-09 10:00")
    cid = customer(app, people, api)
    oid = opportunity(people, api, cid, amount="100000.00")                      # 2 %: ¥2,000
    first = approved(app, people, api, clock, amount="1500", customer_id=cid, opportunity_id=oid)
    assert first["cap_exceeded"] is False
    status, doc = create(people, api, cid, opportunity_id=oid, est_amount="500")  # 2,000: at the cap
    act(people, api, "am", doc["id"], "submit")
    assert [(s, u) for s, _st, u in plan(app, doc["id"])] == [("manager", "mgr")]
    status, doc = create(people, api, cid, opportunity_id=oid, est_amount="0.01")  # one fen above
    status, doc = act(people, api, "am", doc["id"], "submit")
    assert doc["cap_exceeded"] is True
    assert [(s, st, u) for s, st, u in plan(app, doc["id"])] == [("manager", "open", "mgr"),
                                                                 ("director", "waiting", "dir")]
    assert act(people, api, "mgr", doc["id"], "approve")[1]["state"] == "pending"
    assert act(people, api, "dir", doc["id"], "approve")[1]["state"] == "approved"


# ---- R-S-048: emergency entertainment approved afterwards ---------------------------------------
def test_emergency_entertainment_is_approved_afterwards_within_two_working_days(app, people, api, clock):
    clock("2026-03-13 11:00")                                           # Friday; the dinner was Thursday
    cid = customer(app, people, api)
    assert setting(app, "sales.entertain_post_approval_limit") == 500
    status, doc = create(people, api, cid, planned_date="2026-03-12", est_amount="500.01")
    status, body = act(people, api, "am", doc["id"], "submit")
    assert status == 422 and "planned_date" in body["fields"] and "R-S-048" in body["error"], body
    assert get(people, api, doc["id"])["state"] == "draft"
    status, doc = create(people, api, cid, planned_date="2026-03-12", est_amount="500")
    status, doc = act(people, api, "am", doc["id"], "submit")
    assert status == 200 and doc["state"] == "pending" and doc["post_approval"] is True, doc
    assert doc["due_at"] == "2026-03-16T18:00:00+08:00"                 # Thursday + 2 working days: Monday
    clock("2026-03-16 18:01")
    assert get(people, api, doc["id"])["overdue"] is True
    status, doc = act(people, api, "mgr", doc["id"], "approve", comment="补批")
    assert status == 200 and doc["state"] == "approved" and doc["due_at"] is None, doc


# ---- demo data ---------------------------------------------------------------------------------
def test_demo_requests_in_several_states(app, people, api, clock):
    from flask import g

    from core.auth.models import User
    from modules.sales import expenses
    clock("2026-03-11 10:00")
    cids = [customer(app, people, api, name=f"客户{n}") for n in range(4)]
    opportunity(people, api, cids[0])

    def as_user(username):
        g.audit_user = db.session.scalar(select(User).where(User.username == username))
        return g.audit_user
    with app.test_request_context():
        expenses.demo(as_user)
        expenses.demo(as_user)                                            # once
        states = sorted(d.state for d in db.session.scalars(select(expenses.EntertainmentRequest)))
    assert states == ["approved", "claimed", "draft", "pending", "pending", "reimbursed"]
    listed = api(people, "mgr", "get", "entertainment")[1]["items"]
    assert any(d["post_approval"] and d["state"] == "pending" for d in listed)
    assert any(d["kind"] == "gift" and len(d["lines"]) == 2 for d in listed)


# ---- R-S-045: the month-by-month page ------------------------------------------------------------
def test_the_monthly_report_per_salesperson(app, people, api, clock, web):
    doc = approved(app, people, api, clock)
    clock("2026-03-10 21:00")
    act(people, api, "am", doc["id"], "incur", incurred_on="2026-03-10", actual_amount="1750.5", invoice_numbers="1")
    approved(app, people, api, clock, amount="300", customer_id=doc["customer_id"])      # not taken place
    page = web("mgr").get("/sales/entertainment-report/?year=2026")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "1,750.50" in text and "300.00" not in text
    assert "1,750.50" not in web("mgr").get("/sales/entertainment-report/?year=2025").get_data(as_text=True)
    assert web("am").get("/sales/entertainment-report/").status_code == 403


def test_rejected_revised_and_resubmitted_or_cancelled(app, people, api, clock):
    clock("2026-03-09 10:00")
    cid = customer(app, people, api)
    status, doc = create(people, api, cid)
    act(people, api, "am", doc["id"], "submit")
    assert act(people, api, "mgr", doc["id"], "reject")[0] == 422                      # says why
    status, doc = act(people, api, "mgr", doc["id"], "reject", comment="标准过高")
    assert status == 200 and doc["state"] == "rejected", doc
    assert act(people, api, "am", doc["id"], "incur", incurred_on="2026-03-09", actual_amount="1",
               invoice_numbers="1")[0] in (403, 422)
    status, doc = act(people, api, "am", doc["id"], "revise")
    assert doc["state"] == "draft"
    status, doc = api(people, "am", "patch", f"entertainment/{doc['id']}", {"version": doc["version"], "est_amount": "1200"})
    assert status == 200, doc
    assert act(people, api, "am", doc["id"], "submit")[1]["state"] == "pending"
    assert [(s, st) for s, st, _u in plan(app, doc["id"])] == [("manager", "open")]          # a new round
    act(people, api, "mgr", doc["id"], "approve", comment="同意")
    # Approved, it cannot be changed any more; it can be cancelled when it does not take place.
    status, body = api(people, "am", "patch", f"entertainment/{doc['id']}",
                       {"version": get(people, api, doc["id"])["version"], "est_amount": "9000"})
    assert status in (403, 409, 422), body
    assert get(people, api, doc["id"])["est_amount"] == "1200.00"
    status, doc = act(people, api, "am", doc["id"], "cancel", comment="客户改期")
    assert status == 200 and doc["state"] == "cancelled", doc
