"""Customer resource management (SPEC 3.2.3): the handover before deactivation (R-S-035, 客户交接清单),
dormant customers (R-S-033), key accounts (R-S-037), the clash of registrations (撞单, R-S-032) and the
assistant's archive register (R-S-026)."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from core.extensions import db
from tests.modules.sales.test_visits import act, customer, line, opportunity, visit_log

pytestmark = pytest.mark.modules("sales")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def history(market, api, doctype, doc_id):
    return api(market, "mgr", "get", f"{doctype}/{doc_id}/history")[1]["items"]


def notified(app, user_id, prefix):
    from core.reminders.models import Notification
    with app.app_context():
        return [n.key for n in db.session.scalars(select(Notification).where(
            Notification.user_id == user_id, Notification.key.startswith(prefix)))]


def run(app, clock, text):
    """`erp reminders send` at `text` (Asia/Shanghai), the company's clock set to it too."""
    from core.reminders import send
    clock(text)
    with app.app_context():
        result = send(datetime.fromisoformat(text).replace(tzinfo=SHANGHAI))
        assert result.failed_modules == [], result.failed_modules


def set_customer(app, customer_id, **values):
    from modules.sales.models import Customer
    with app.app_context():
        c = db.session.get(Customer, customer_id)
        for k, v in values.items():
            setattr(c, k, v)
        db.session.commit()


def customer_state(app, customer_id):
    from modules.sales.models import Customer
    with app.app_context():
        c = db.session.get(Customer, customer_id)
        return c.state, c.last_contact_on, c.owner_id


# ---- R-S-035: hand over before deactivation ------------------------------------------------------
def test_a_salesperson_is_deactivated_only_after_the_handover(app, market, api, web, make_user):
    """The admin cannot deactivate a salesperson who still owns customers and open opportunities
    (refused with the counts); the 市场部经理 hands everything to another salesperson in one step
    on the 客户交接清单, each record audited with the reason and both notified; then the admin can."""
    from core.auth.models import User
    from modules.sales.models import Customer, Opportunity
    ids = market["ids"]
    first, second = customer(app, market, api), customer(app, market, api, name="南山区教育局")
    opp = opportunity(market, api, first)
    dropped = opportunity(market, api, second, title="已取消的项目")
    assert act(market, api, "mgr", "opportunity", dropped, "cancel", comment="客户取消")[0] == 200
    make_user("admin1", "ROLE-ADMIN")
    admin = web("admin1")
    form = {"username": "am", "full_name": "am", "email": "", "department_id": 0, "roles": [], "language": "",
            "active": "", "password": ""}
    response = admin.post(f"/admin/users/{ids['am']}", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "is still responsible for 2 customers, 1 open opportunities, 0 contracts" in page and "R-S-035" in page
    with app.app_context():
        assert db.session.get(User, ids["am"]).active is True

    # The checklist: only who transfers customers sees it.
    assert web("am").get(f"/sales/customer-handover/?giver_id={ids['am']}").status_code == 403
    manager = web("mgr")
    page = manager.get(f"/sales/customer-handover/?giver_id={ids['am']}").get_data(as_text=True)
    assert "深圳市第一人民医院" in page and "南山区教育局" in page and "门诊楼综合布线" in page
    assert "已取消的项目" not in page                                              # closed: nothing to hand over
    # Refused: no reason, or to himself; nothing moves.
    data = {"giver_id": ids["am"], "receiver_id": ids["am2"], "reason": ""}
    assert manager.post("/sales/customer-handover/", data=data).status_code == 400
    response = manager.post("/sales/customer-handover/", data={**data, "receiver_id": ids["am"], "reason": "离职"})
    assert response.status_code == 400 and "Choose another salesperson." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Customer, first).owner_id == ids["am"]
    response = manager.post("/sales/customer-handover/", data={**data, "reason": "离职交接"})
    assert response.status_code == 302
    with app.app_context():
        assert {db.session.get(Customer, c).owner_id for c in (first, second)} == {ids["am2"]}
        assert db.session.get(Opportunity, opp).owner_id == ids["am2"]
        assert db.session.get(Opportunity, dropped).owner_id == ids["am"]           # closed, left as it was
    for doctype, doc_id, transition in (("customer", first, "transfer"), ("customer", second, "transfer"),
                                        ("opportunity", opp, "hand_over_owner")):
        entry = history(market, api, doctype, doc_id)[-1]
        assert entry["action"] == "transition" and entry["changes"]["transition"] == transition
        assert "离职交接" in entry["changes"]["comment"]
    assert api(market, "am2", "get", f"customer/{first}")[0] == 200
    assert notified(app, ids["am"], "sales.staff_handover:") and notified(app, ids["am2"], "sales.staff_handover:")
    response = web("admin1").post(f"/admin/users/{ids['am']}", data=form)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, ids["am"]).active is False


# ---- R-S-033: dormant customers ------------------------------------------------------------------
def test_customers_without_contact_fall_dormant_and_wake_up_with_a_contact(app, market, api, web, clock):
    """`erp reminders send` marks dormant the customers without contact for
    sales.customer_dormant_days (60), as their owner, audited and told; the 市场部经理 sees them and
    may reassign them; a visit-log line wakes one up again."""
    ids = market["ids"]
    clock("2026-03-03 09:00")
    quiet, recent, fresh = (customer(app, market, api, name=n) for n in ("久未联系的医院", "最近联系的学校", "新客户"))
    for cid in (quiet, recent):
        assert act(market, api, "am", "customer", cid, "activate")[0] == 200
    set_customer(app, quiet, last_contact_on=date(2026, 1, 1))
    set_customer(app, recent, last_contact_on=date(2026, 2, 20))
    run(app, clock, "2026-03-03 10:00")
    assert customer_state(app, quiet)[0] == "dormant"
    assert customer_state(app, recent)[0] == "active"
    assert customer_state(app, fresh)[0] == "potential"                             # registered today
    entry = history(market, api, "customer", quiet)[-1]
    assert entry["changes"]["transition"] == "mark_dormant" and "2026-01-01" in entry["changes"]["comment"]
    assert entry["actor"] == "am"
    assert notified(app, ids["am"], f"sales.customer_dormant:{quiet}:") != []
    run(app, clock, "2026-03-03 11:00")                                             # the hourly run again
    assert len(notified(app, ids["am"], f"sales.customer_dormant:{quiet}:")) == 1
    assert [e["changes"].get("transition") for e in history(market, api, "customer", quiet)].count("mark_dormant") == 1
    # The 市场部经理 sees them on his dashboard; a salesperson does not.
    assert "Dormant customers" in web("mgr").get("/").get_data(as_text=True) or \
        "休眠客户" in web("mgr").get("/").get_data(as_text=True)
    assert "/sales/customer/?state=dormant" in web("mgr").get("/").get_data(as_text=True)
    assert "/sales/customer/?state=dormant" not in web("am").get("/").get_data(as_text=True)
    # A contact wakes it up.
    clock("2026-03-03 17:00")
    status, body = visit_log(market, api, "2026-03-02", lines=[line(quiet)])   # today's draft exists
    assert status == 201, body
    assert act(market, api, "am", "visit_log", body["id"], "submit")[0] == 200
    assert customer_state(app, quiet)[:2] == ("active", date(2026, 3, 2))
    assert history(market, api, "customer", quiet)[-1]["changes"]["transition"] == "activate"


def test_the_manager_reassigns_a_dormant_customer(app, market, api, clock):
    clock("2026-03-03 09:00")
    cid = customer(app, market, api)
    set_customer(app, cid, last_contact_on=date(2025, 12, 1))
    run(app, clock, "2026-03-03 10:00")
    assert customer_state(app, cid)[0] == "dormant"
    assert act(market, api, "am", "customer", cid, "transfer", owner_id=market["ids"]["am2"], comment="休眠")[0] == 403
    status, body = act(market, api, "mgr", "customer", cid, "transfer", owner_id=market["ids"]["am2"],
                       comment="休眠客户重新分配")
    assert status == 200 and body["state"] == "dormant" and body["owner"] == "am2"


def test_a_stopped_customer_never_falls_dormant_and_the_setting_counts(app, market, api, clock):
    from core import settings
    clock("2026-03-03 09:00")
    stopped, other = customer(app, market, api, name="停止合作的客户"), customer(app, market, api, name="另一客户")
    assert act(market, api, "mgr", "customer", stopped, "stop", comment="停止合作")[0] == 200
    set_customer(app, stopped, last_contact_on=date(2025, 1, 1))
    set_customer(app, other, last_contact_on=date(2026, 1, 20))                      # 42 days
    with app.app_context():
        settings.set_value("sales.customer_dormant_days", 30)
    run(app, clock, "2026-03-03 10:00")
    assert customer_state(app, stopped)[0] == "stopped"
    assert customer_state(app, other)[0] == "dormant"


# ---- R-S-037: key accounts -----------------------------------------------------------------------
def test_a_key_account_overdue_for_contact_is_reminded_to_its_owner(app, market, api, clock):
    from core.reminders import collect
    ids = market["ids"]
    clock("2026-03-02 09:00")
    key, plain = customer(app, market, api, name="行业大客户"), customer(app, market, api, name="普通客户")
    set_customer(app, key, key_account=True, last_contact_on=date(2026, 1, 20))
    set_customer(app, plain, last_contact_on=date(2026, 1, 1))
    now = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
    with app.test_request_context():
        items = [r for r in collect(now) if r.key.startswith("sales.key_account_contact:")]
    assert [(r.user_id, r.key) for r in items] == [(ids["am"], f"sales.key_account_contact:{key}:2026-02-19")]
    assert items[0].is_overdue(now) and "行业大客户" in str(items[0].title)
    # Contacted: the next contact is due 30 days later, nothing overdue.
    clock("2026-03-02 17:00")
    status, body = visit_log(market, api, "2026-03-02", lines=[line(key)])
    assert act(market, api, "am", "visit_log", body["id"], "submit")[0] == 200
    with app.test_request_context():
        items = [r for r in collect(now) if r.key.startswith("sales.key_account_contact:")]
    assert [r.key for r in items] == [f"sales.key_account_contact:{key}:2026-04-01"] and not items[0].is_overdue(now)


# ---- R-S-032: the clash of registrations (撞单), decided by the 市场部经理 ------------------------------
def clashing_registration(app, market, api, client):
    """`am`'s project is registered and protected; the 片区客户经理 `aam` registers another project
    of the same customer and submits it: a possible clash, found at submission."""
    from tests.modules.sales.test_presales import registered
    protected, _reg = registered(app, market, api, client, analysed=False)
    status, opp = api(market, "aam", "post", "opportunity", {
        "title": "门诊楼弱电改造", "customer_id": protected["customer_id"], "info_type": "engineering",
        "est_amount": "600000.00"})
    assert status == 201, opp
    status, reg = api(market, "aam", "post", "registration", {
        "opportunity_id": opp["id"], "title": "门诊楼弱电改造", "site_address": "深圳市罗湖区",
        "customer_contacts": "李科长 信息科", "project_types": ["network"], "overview": "弱电改造",
        "est_amount": "600000.00", "funding": "财政拨款", "decision_process": "院办会",
        "expected_tender_date": "2026-12-20", "support_needed": ["solution"]})
    assert status == 201, reg
    status, body = api(market, "aam", "post", f"registration/{reg['id']}/transitions/submit", {})
    assert status == 200 and body["state"] == "pending_mgr", body
    assert body["clash_with_id"] == protected["id"] and body["clash_decision"] in ("", None)
    return protected, opp, reg


def test_a_clash_is_decided_by_the_market_manager_for_the_protected_owner(app, market, api, client, web):
    from core.rules.models import RuleViolation
    protected, opp, reg = clashing_registration(app, market, api, client)
    with app.app_context():
        assert db.session.scalar(select(RuleViolation.id).where(RuleViolation.rule_code == "R-S-032")) is not None
    url = f"registration/{reg['id']}/transitions"
    # Not a plain approval: he decides who keeps the project, with his reasons.
    page = web("mgr").get(f"/sales/registration/{reg['id']}").get_data(as_text=True)
    assert "approve_clash" in page and "refuse_clash" in page and "/transitions/approve\"" not in page
    assert api(market, "mgr", "post", f"{url}/approve", {"comment": "同意"})[0] == 422
    assert api(market, "mgr", "post", f"{url}/refuse_clash", {})[0] == 422               # the reason is required
    assert api(market, "aam", "post", f"{url}/refuse_clash", {"comment": "x"})[0] in (403, 422)   # not his
    status, body = api(market, "mgr", "post", f"{url}/refuse_clash", {"comment": "张三先登记且一直在跟进"})
    assert status == 200 and body["state"] == "rejected" and body["clash_decision"] == "existing"
    assert api(market, "aam", "get", f"opportunity/{opp['id']}")[1]["registration_no"] is None   # not registered
    assert api(market, "am", "get", f"opportunity/{protected['id']}")[1]["protected_until"] is not None
    assert notified(app, market["ids"]["aam"], f"sales.clash:{reg['id']}:") != []
    entry = api(market, "mgr", "get", f"registration/{reg['id']}/history")[1]["items"][-1]
    assert entry["changes"]["transition"] == "refuse_clash" and entry["changes"]["comment"] == "张三先登记且一直在跟进"


def test_a_clash_decided_for_the_new_registration_ends_the_other_protection(app, market, api, client):
    protected, opp, reg = clashing_registration(app, market, api, client)
    url = f"registration/{reg['id']}/transitions"
    assert api(market, "mgr", "post", f"{url}/approve_clash", {})[0] == 422                # the reason is required
    status, body = api(market, "mgr", "post", f"{url}/approve_clash", {"comment": "原项目已停滞三个月"})
    assert status == 200 and body["state"] == "pending_ps" and body["clash_decision"] == "this"
    assert api(market, "am", "get", f"opportunity/{protected['id']}")[1]["protected_until"] is None
    assert notified(app, market["ids"]["am"], f"sales.clash:{reg['id']}:") != []
    items = api(market, "mgr", "get", f"opportunity/{protected['id']}/history")[1]["items"]
    assert any(e["action"] == "clash_decided" and e["changes"]["comment"] == "原项目已停滞三个月" for e in items)


def test_a_contact_on_a_protected_project_extends_its_protection(app, market, api, client):
    """R-S-032: each visit-log line on the project extends its protection to
    sales.registration_protection_days (90) after the contact."""
    from datetime import timedelta
    from modules.sales.models import Opportunity
    from tests.modules.sales.test_presales import registered
    opp, _reg = registered(app, market, api, client, analysed=False)
    day = datetime.now(SHANGHAI).date()
    with app.app_context():
        db.session.get(Opportunity, opp["id"]).protected_until = day + timedelta(days=10)
        db.session.commit()
    status, body = visit_log(market, api, day.isoformat(), lines=[line(opp["customer_id"], opportunity_id=opp["id"])])
    assert status == 201, body
    assert act(market, api, "am", "visit_log", body["id"], "submit")[0] == 200
    assert api(market, "am", "get", f"opportunity/{opp['id']}")[1]["protected_until"] == \
        (day + timedelta(days=90)).isoformat()


# ---- R-S-026: the assistant's archive register ---------------------------------------------------
def test_the_archive_register_lists_archived_documents_newest_first(app, market, api, web, monkeypatch):
    from datetime import timezone
    from modules.sales import archive
    from modules.sales.visits import VisitLog, WeeklyBundle
    ids = market["ids"]
    with app.app_context():
        def at(text):
            return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)
        for n, (day, state, archived) in enumerate([("2026-02-26", "archived", "2026-03-01 02:00"),
                                                    ("2026-03-12", "archived", "2026-03-15 02:00"),
                                                    ("2026-03-30", "archived", "2026-04-02 02:00"),
                                                    ("2026-04-01", "submitted", "2026-04-03 02:00")], start=1):
            db.session.add(VisitLog(number=f"XF-2026-{n:04d}", title=f"am {day}", state=state, owner_id=ids["am"],
                                    visit_date=date.fromisoformat(day), updated_at=at(archived)))
        db.session.add(WeeklyBundle(number="ZH-2026-0001", title="第12周", state="archived", owner_id=ids["ast"],
                                    week_start=date(2026, 3, 16), week_end=date(2026, 3, 22),
                                    updated_at=at("2026-03-20 02:00")))
        db.session.commit()
    assistant = web("ast")
    assert "/sales/archive/" in assistant.get("/sales/").get_data(as_text=True)             # in the sales menu
    page = assistant.get("/sales/archive/").get_data(as_text=True)
    order = [page.index(n) for n in ("XF-2026-0003", "ZH-2026-0001", "XF-2026-0002", "XF-2026-0001")]
    assert order == sorted(order) and "XF-2026-0004" not in page                           # newest first, archived only
    page = assistant.get("/sales/archive/?type=sales.weekly_bundle").get_data(as_text=True)
    assert "ZH-2026-0001" in page and "XF-2026-000" not in page
    page = assistant.get("/sales/archive/?month=2026-03").get_data(as_text=True)
    assert all(n in page for n in ("ZH-2026-0001", "XF-2026-0002", "XF-2026-0001")) and "XF-2026-0003" not in page
    monkeypatch.setattr(archive, "PAGE_SIZE", 2)
    monkeypatch.setattr(archive.register_rows, "__defaults__", (2,))
    first = assistant.get("/sales/archive/").get_data(as_text=True)
    second = assistant.get("/sales/archive/?page=2").get_data(as_text=True)
    assert "XF-2026-0003" in first and "ZH-2026-0001" in first and 'rel="next"' in first
    assert "XF-2026-0002" in second and "XF-2026-0001" in second and 'rel="next"' not in second
    assert web("am").get("/sales/archive/").status_code == 403
