"""Issue 14's missing rules of quotations, registrations and bids: quotation versions,
validity and approval deadlines read from their settings, R-S-013 recorded, F-S06's five parts,
task acceptance escalated."""
import pytest
from sqlalchemy import select

from core.extensions import db
from tests.modules.sales.test_presales import (
    fix_price,
    quotation,
    registered,
    to_pricing,
)

pytestmark = pytest.mark.modules("sales")


def sent_quotation(app, market, api, client):
    opp, _reg = registered(app, market, api, client)
    quote = quotation(market, api, opp, cost="90000.00")
    to_pricing(market, api, quote)
    assert fix_price(client, quote, "100000.00").status_code == 200
    status, body = api(market, "pse", "post", f"quotation/{quote['id']}/transitions/send", {})
    assert status == 200 and body["state"] == "quoted", body
    return opp, body


# ---- a. quotation versions ---------------------------------------------------------------------
def test_a_new_version_supersedes_the_old_which_stays_readable_and_linked(app, market, api, client):
    _opp, old = sent_quotation(app, market, api, client)
    assert old["revision"] == 1
    # The comment (what the customer asked) is required; nothing is half-made without it.
    status, body = api(market, "pse", "post", f"quotation/{old['id']}/transitions/new_version", {})
    assert status == 422, body
    status, body = api(market, "pse", "post", f"quotation/{old['id']}/transitions/new_version",
                       {"comment": "客户要求增加 200 点"})
    assert status == 200 and body["state"] == "superseded", body
    new_id = body["superseded_by_id"]
    assert new_id and new_id != old["id"]
    status, new = api(market, "pse", "get", f"quotation/{new_id}")
    assert status == 200 and new["state"] == "draft" and new["revision"] == 2
    assert new["number"] == f"{old['number']}-V2" and new["supersedes_id"] == old["id"]
    assert new["total_price"] == old["total_price"] and len(new["lines"]) == 1
    # The old version stays readable, no longer editable, and cannot be revised twice.
    status, again = api(market, "pse", "get", f"quotation/{old['id']}")
    assert status == 200 and again["state"] == "superseded" and again["superseded_by_id"] == new_id
    assert api(market, "pse", "patch", f"quotation/{old['id']}", {"title": "改"})[0] in (403, 409, 422)
    assert api(market, "pse", "post", f"quotation/{old['id']}/transitions/new_version", {"comment": "再改"})[0] in (409, 422)
    # The new draft is reviewed and priced again; its own new version is V3.
    to_pricing(market, api, new)
    assert fix_price(client, new, "100000.00").status_code == 200
    assert api(market, "pse", "post", f"quotation/{new_id}/transitions/send", {})[0] == 200
    status, body = api(market, "pse", "post", f"quotation/{new_id}/transitions/new_version", {"comment": "再降价"})
    assert status == 200, body
    status, third = api(market, "pse", "get", f"quotation/{body['superseded_by_id']}")
    assert third["revision"] == 3 and third["number"] == f"{old['number']}-V3"
    # The detail page shows both links.
    from tests.conftest import sign_in_as
    sign_in_as(client, "pse")
    page = client.get(f"/sales/quotation/{new_id}").get_data(as_text=True)
    assert old["number"] in page and third["number"] in page


def test_only_who_may_revise_quotations_makes_a_new_version(app, market, api, client):
    _opp, old = sent_quotation(app, market, api, client)
    status, body = api(market, "dir", "post", f"quotation/{old['id']}/transitions/new_version", {"comment": "x"})
    assert status == 403 and "permission" in body["error"], body
    with app.app_context():
        from modules.sales.models import Quotation
        assert db.session.scalar(select(db.func.count()).select_from(Quotation)) == 1


# ---- b. quotation validity and registration approval deadline, read from their settings -----------
def set_setting(app, key, raw):
    from core import settings
    with app.app_context():
        settings.set(key, raw)
        db.session.commit()


def run_jobs(app, clock, text):
    """`erp reminders send` at `text` (Asia/Shanghai), the company's clock set to it too."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from core.reminders import send
    clock(text)
    with app.app_context():
        assert send(datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("Asia/Shanghai"))).failed_modules == []


def test_quotation_validity_comes_from_the_setting_and_it_expires_after(app, market, api, client, clock):
    clock("2026-03-02 09:00")
    set_setting(app, "sales.quote_validity_days", "10")
    _opp, sent = sent_quotation(app, market, api, client)
    assert sent["validity_days"] == 10 and sent["sent_on"] == "2026-03-02" and sent["valid_until"] == "2026-03-12"
    from tests.conftest import sign_in_as
    sign_in_as(client, "pse")
    printed = client.get(f"/sales/quotation/{sent['id']}/print/customer").get_data(as_text=True)
    assert "2026-03-12" in printed
    run_jobs(app, clock, "2026-03-12 20:00")                       # its last day: still valid
    assert api(market, "pse", "get", f"quotation/{sent['id']}")[1]["state"] == "quoted"
    run_jobs(app, clock, "2026-03-13 08:00")                       # the day after: expired
    status, body = api(market, "pse", "get", f"quotation/{sent['id']}")
    assert body["state"] == "expired", body
    run_jobs(app, clock, "2026-03-13 09:00")                       # the job repeats harmlessly
    # An expired quotation is revised into a new version, with a fresh validity once sent.
    status, body = api(market, "pse", "post", f"quotation/{sent['id']}/transitions/new_version", {"comment": "重新报价"})
    assert status == 200 and body["superseded_by_id"], body
    status, new = api(market, "pse", "get", f"quotation/{body['superseded_by_id']}")
    assert new["valid_until"] is None and new["validity_days"] == 10


def submitted_registration(app, market, api):
    from tests.modules.sales.test_presales import opportunity
    opp = opportunity(app, market, api)
    status, reg = api(market, "am", "post", "registration", {
        "opportunity_id": opp["id"], "title": "门诊楼综合布线", "site_address": "深圳市罗湖区",
        "customer_contacts": "王主任 信息科 13800000000 决策人", "project_types": ["cabling"],
        "overview": "六层门诊楼", "est_amount": "800000.00", "funding": "财政拨款", "decision_process": "院办会",
        "expected_tender_date": "2026-12-20", "support_needed": ["solution"]})
    assert status == 201, reg
    status, reg = api(market, "am", "post", f"registration/{reg['id']}/transitions/submit", {})
    assert status == 200, reg
    return reg


@pytest.mark.parametrize("days,due", [("2", "2026-03-09"), ("1", "2026-03-06")])
def test_registration_approval_due_in_working_days_from_the_setting(app, market, api, clock, days, due):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from core.reminders import collect
    set_setting(app, "sales.registration_approval_days", days)
    clock("2026-03-05 10:00")                                       # a Thursday
    reg = submitted_registration(app, market, api)
    assert reg["approval_due_on"] == due and reg["overdue"] is False   # over the weekend, in working days
    clock(f"{due} 17:00")
    assert api(market, "am", "get", f"registration/{reg['id']}")[1]["overdue"] is False
    with app.app_context():          # the market manager holding the approval is reminded by then
        at = datetime.fromisoformat(f"{due} 09:00").replace(tzinfo=ZoneInfo("Asia/Shanghai"))
        mine = [r for r in collect(at) if r.user_id == market["ids"]["mgr"] and "sales.registration_approval" in r.key]
        assert len(mine) == 1 and reg["number"] in mine[0].title
    clock("2026-03-10 09:00")
    assert api(market, "am", "get", f"registration/{reg['id']}")[1]["overdue"] is True
    # Approved, it is no longer due.
    assert api(market, "mgr", "post", f"registration/{reg['id']}/transitions/approve", {"comment": "同意"})[0] == 200
    assert api(market, "mgr", "post", f"registration/{reg['id']}/transitions/approve", {})[0] != 200
    clock("2026-03-20 09:00")
    body = api(market, "am", "get", f"registration/{reg['id']}")[1]
    assert body["state"] == "pending_ps" and body["overdue"] is True   # the 售前经理's signature still due


# ---- c. R-S-013 recorded, not only refused -----------------------------------------------------------
def test_a_technical_visit_without_an_assigned_opportunity_is_recorded_as_a_violation(app, market, api, clock):
    from core.rules.models import RuleViolation
    from tests.modules.sales.test_visits import customer, line, opportunity, visit_log
    clock("2026-03-02 12:00")
    cid = customer(app, market, api)
    opp = opportunity(market, api, cid)

    def recorded():
        with app.app_context():
            return [(v.rule_code, v.kind, v.user_id) for v in db.session.scalars(select(RuleViolation))]
    status, body = visit_log(market, api, "2026-03-02", [line(cid, opportunity_id=opp)], who="pse")
    assert status == 422 and "R-S-013" in body["fields"]["_"][0]
    assert recorded() == [("R-S-013", "refused", market["ids"]["pse"])]
    with app.app_context():
        from modules.sales.visits import VisitLog
        assert db.session.scalar(select(db.func.count()).select_from(VisitLog)) == 0    # nothing half-saved
    # A salesperson's log (no R-S-013 involved) records nothing.
    assert visit_log(market, api, "2026-03-02", [line(cid, opportunity_id=opp)])[0] == 201
    assert len(recorded()) == 1


# ---- d. F-S06's five required parts -------------------------------------------------------------------
@pytest.mark.parametrize("missing,bond,refused", [
    ("pricing", "20000", "the bid price"), ("qualification", "20000", "the qualification documents"),
    ("bond", "20000", "the bid bond"), ("bond", None, None)])
def test_a_tender_moves_on_only_with_every_part_f_s06_requires(app, market, api, missing, bond, refused):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from tests.modules.sales.test_bidding import (
        advanced_tender,
        breakdown,
        local,
        messages,
        patch,
        transition,
    )
    tid, _opp = advanced_tender(app, api, market, "lead_assigned", "政务云")
    deadline = datetime.fromisoformat(api(market, "pse", "get", f"tender/{tid}")[1]["bid_deadline"])
    tasks = [t for t in breakdown(market, deadline.date()) if t["kind"] != missing]
    status, body = patch(api, market, "pse", tid, {"tasks": tasks, "bond_amount": bond,
                                                   "meeting_at": local(datetime.now(ZoneInfo("Asia/Shanghai"))),
                                                   "meeting_attendees": "pse, ast"})
    assert status == 200, body
    status, body = transition(api, market, "pse", tid, "kickoff")
    if refused is None:                       # no bond asked: no bond task needed
        assert status == 200 and body["state"] == "kickoff_done", body
        return
    assert status == 422 and refused in messages(body) and "R-S-016" in messages(body), body
    assert api(market, "pse", "get", f"tender/{tid}")[1]["state"] == "lead_assigned"


# ---- e. bid task acceptance escalated after a working day ---------------------------------------------
def test_a_task_not_accepted_within_a_working_day_is_escalated_to_the_lead_and_the_market_manager(
        app, market, api, clock):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from core.reminders import collect, send
    from core.reminders.models import Notification
    from tests.modules.sales.test_bidding import (
        advanced_tender,
        breakdown,
        local,
        patch,
        task_ids,
        transition,
        update_task,
        web,
    )
    shanghai, ids = ZoneInfo("Asia/Shanghai"), market["ids"]

    def at(text):
        return datetime.fromisoformat(text).replace(tzinfo=shanghai)

    def acceptance(moment):   # (task kind, user, escalated?) of the acceptance reminders at `moment`
        with app.test_request_context():
            return {(kinds[int(r.key.split(":")[1])], r.user_id, r.key.endswith(":escalated"))
                    for r in collect(at(moment)) if r.key.startswith("sales.bid_task_accept:")}

    def notified(moment):     # `erp reminders send` at `moment`: the acceptance notices it adds
        clock(moment)
        with app.app_context():
            before = set(db.session.execute(select(Notification.user_id, Notification.key)).all())
            assert send(at(moment)).failed_modules == []
            after = set(db.session.execute(select(Notification.user_id, Notification.key)).all())
        return {(kinds[int(key.split(":")[1])], uid, key.endswith(":escalated"))
                for uid, key in after - before if key.startswith("sales.bid_task_accept:")}

    clock("2026-03-06 10:00")                                    # a Friday
    tid, _opp = advanced_tender(app, api, market, "lead_assigned", "政务云")
    with app.app_context():                                      # the lead fills in F-S06 himself
        from modules.sales.bidding import BidTask
        db.session.execute(db.delete(BidTask).where(BidTask.tender_id == tid))
        db.session.commit()
    deadline = datetime.fromisoformat(api(market, "pse", "get", f"tender/{tid}")[1]["bid_deadline"])
    status, body = patch(api, market, "pse", tid, {"tasks": breakdown(market, deadline.date()),
                                                   "meeting_at": "2026-03-06T09:00", "meeting_attendees": "pse, ast"})
    assert status == 200 and {t["assigned_at"] for t in body["tasks"]} == {None}, body   # not issued yet
    status, body = transition(api, market, "pse", tid, "kickoff")
    assert status == 200, body
    assert {local(datetime.fromisoformat(t["assigned_at"])) for t in body["tasks"]} == {"2026-03-06T10:00"}
    kinds = {v: k for k, v in task_ids(app, tid).items()}
    for who, kind in (("ast", "qualification"), ("ast", "bond"), ("pse", "technical")):
        assert update_task(web(app, who), tid, task_ids(app, tid)[kind], "accepted").status_code == 302

    # Due by Monday's end of work (not Saturday's): the owners of the two tasks left are reminded.
    waiting = {("commercial", ids["ast"], False), ("pricing", ids["pse"], False)}
    assert acceptance("2026-03-07 12:00") == waiting
    assert acceptance("2026-03-09 18:00") == waiting              # at the limit: not escalated yet
    with app.test_request_context():
        due = {r.due_at for r in collect(at("2026-03-09 18:00")) if r.key.startswith("sales.bid_task_accept:")}
    assert due == {at("2026-03-09 18:00")}
    assert notified("2026-03-06 10:05") == waiting                 # told at once (due within a working day)
    assert notified("2026-03-09 18:00") == set()

    # A minute later: escalated to the bid lead (pse, who owns the price task himself) and the
    # 市场部经理, and the owner is told again; each once.
    escalated = {("commercial", ids["ast"], True), ("commercial", ids["pse"], True), ("commercial", ids["mgr"], True),
                 ("pricing", ids["pse"], True), ("pricing", ids["mgr"], True)}
    assert acceptance("2026-03-09 18:01") == waiting | escalated
    assert notified("2026-03-09 18:01") == escalated
    assert notified("2026-03-10 09:00") == set()                   # the job repeats harmlessly

    # Accepted, a task is no longer reminded nor escalated; the other still is.
    assert update_task(web(app, "ast"), tid, task_ids(app, tid)["commercial"], "accepted").status_code == 302
    assert {k for k, _u, _e in acceptance("2026-03-10 09:00")} == {"pricing"}

    # A task added later has its own working day: Tuesday's, due Wednesday.
    clock("2026-03-10 11:00")
    tasks = [{k: t[k] for k in ("kind", "name", "owner_id", "due_on", "note")}
             for t in api(market, "pse", "get", f"tender/{tid}")[1]["tasks"]]
    new = {"kind": "other", "name": "样品准备", "owner_id": ids["ast"], "due_on": tasks[0]["due_on"]}
    status, body = patch(api, market, "pse", tid, {"tasks": [*tasks, new]})
    assert status == 200 and len(body["tasks"]) == 6, body
    assert local(datetime.fromisoformat(body["tasks"][-1]["assigned_at"])) == "2026-03-10T11:00"
    kinds = {v: k for k, v in task_ids(app, tid).items()}
    assert ("other", ids["ast"], False) in acceptance("2026-03-11 18:00")
    assert ("other", ids["ast"], True) not in acceptance("2026-03-11 18:00")
    assert ("other", ids["mgr"], True) in acceptance("2026-03-11 18:01")
