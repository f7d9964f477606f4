"""WF-S10 periodic sales reporting: the weekly work summary (每周工作总结 F-S11, R-S-022) and the
monthly project summary (月度项目总结汇报 X-S04, R-S-009): drafts created by `erp reminders send`
once per person and period on the working calendar, pre-filled from the records, submitted,
read and rated by the 市场部经理, archived by the 市场部助理; late ones are violations."""
from datetime import datetime, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from core.extensions import db
from tests.modules.sales.test_cadence import run
from tests.modules.sales.test_visits import act, customer, line, moment, opportunity, visit_log

pytestmark = pytest.mark.modules("sales")
SHANGHAI = ZoneInfo("Asia/Shanghai")
WRITERS = ("am", "aam", "am2", "pse", "ast")       # sales.weekly_summary.required_roles' holders
TEXTS = {"highlights": "完成门诊楼方案交流", "next_week": "提交报价；拜访信息中心", "support_needed": "需售前勘察"}


def summaries(app, model, **where):
    from modules.sales import summaries as s
    M = getattr(s, model)
    with app.app_context():
        stmt = select(M).order_by(M.id)
        for key, value in where.items():
            stmt = stmt.where(getattr(M, key) == value)
        rows = db.session.scalars(stmt).all()
        for row in rows:
            db.session.expunge(row)
        return rows


def weekly_of(app, market, who, week="2026-03-02"):
    found = summaries(app, "WeeklySummary", owner_id=market["ids"][who],
                      week_start=datetime.fromisoformat(week).date())
    assert len(found) == 1, found
    return found[0]


def shanghai(text):
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


# ---- drafts on the cadence ------------------------------------------------------------------------
def test_weekly_drafts_once_per_person_on_the_weeks_last_working_day(app, market, api, clock):
    from core.audit.models import AuditEntry
    ids = market["ids"]
    run(app, clock, "2026-03-05 20:00")                   # Thursday: the week is not done
    assert summaries(app, "WeeklySummary") == []
    run(app, clock, "2026-03-06 08:00")                   # Friday, its last working day
    made = {s.owner_id: s for s in summaries(app, "WeeklySummary")}
    assert set(made) == {ids[n] for n in WRITERS}         # not the manager, director, GM, engineers
    run(app, clock, "2026-03-06 09:00")                   # the hourly run again
    run(app, clock, "2026-03-09 08:00")                   # Monday before the deadline: none missing
    assert len(summaries(app, "WeeklySummary")) == len(WRITERS)
    am = made[ids["am"]]
    assert (am.state, am.created_by_id, am.week_start.isoformat(), am.week_end.isoformat()) == \
        ("draft", ids["am"], "2026-03-02", "2026-03-08")
    assert am.number.startswith("ZJ-2026-")
    assert am.due_at.replace(tzinfo=None) == datetime(2026, 3, 9, 1, 0)      # Monday 09:00 Shanghai, in UTC
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.model == "sales_weekly_summary",
                                                           AuditEntry.action == "insert",
                                                           AuditEntry.record_id == str(am.id)))
        assert (entry.user_id, entry.actor) == (ids["am"], "am")             # made as him
    # Not his: another writer cannot open it.
    assert api(market, "am2", "get", f"weekly_summary/{am.id}")[0] in (403, 404)
    assert api(market, "mgr", "get", f"weekly_summary/{am.id}")[0] == 200


def test_a_missed_friday_run_is_caught_up_until_the_deadline_only(app, market, api, clock):
    from core.auth.models import User
    with app.app_context():                               # am2 joined on Monday: he owes no summary of last week
        db.session.execute(update(User).where(User.id == market["ids"]["am2"]).values(
            created_at=shanghai("2026-03-09 08:00").astimezone(timezone.utc)))
        db.session.commit()
    run(app, clock, "2026-03-09 08:59")                   # Monday, before 09:00: last week's drafts
    assert {s.week_start.isoformat() for s in summaries(app, "WeeklySummary")} == {"2026-03-02"}
    assert {s.owner_id for s in summaries(app, "WeeklySummary")} == {market["ids"][n] for n in WRITERS if n != "am2"}
    run(app, clock, "2026-03-16 09:30")                   # past that week's deadline: nothing for it
    assert {s.week_start.isoformat() for s in summaries(app, "WeeklySummary")} == {"2026-03-02"}


def test_a_weekly_summary_written_by_hand_is_not_doubled(app, market, api, clock):
    clock("2026-03-04 10:00")
    status, mine = api(market, "am", "post", "weekly_summary", {"week_start": "2026-03-04", **TEXTS})
    assert status == 201 and mine["week_start"] == "2026-03-02", mine    # any day: its Monday
    status, body = api(market, "am", "post", "weekly_summary", {"week_start": "2026-03-03"})
    assert status == 422 and mine["number"] in body["fields"]["week_start"][0]   # one per person per week
    assert api(market, "am", "post", "weekly_summary", {"week_start": "2026-03-10"})[0] == 422   # not begun
    assert api(market, "eng_mgr", "post", "weekly_summary", {"week_start": "2026-03-04"})[0] == 403
    run(app, clock, "2026-03-06 08:00")
    assert [s.id for s in summaries(app, "WeeklySummary", owner_id=market["ids"]["am"])] == [mine["id"]]


def test_the_weekly_deadline_follows_the_working_calendar(app, clock):
    from modules.sales.summaries import weekly_due
    with app.app_context():
        # The Monday after the week of 28 September is in the National Day holiday: the meeting and
        # the deadline are on its first working day, Thursday 8 October.
        assert weekly_due(datetime(2026, 9, 28).date()) == shanghai("2026-10-08 09:00")
        assert weekly_due(datetime(2026, 3, 2).date()) == shanghai("2026-03-09 09:00")


def test_monthly_drafts_before_the_months_last_working_day(app, market, api, clock):
    ids = market["ids"]
    run(app, clock, "2026-03-25 23:00")                   # 6 days before 31 March: not yet
    assert summaries(app, "MonthlySummary") == []
    run(app, clock, "2026-03-26 00:30")
    run(app, clock, "2026-03-30 08:00")                   # again: once
    made = summaries(app, "MonthlySummary")
    assert {s.owner_id for s in made} == {ids["am"], ids["aam"], ids["am2"]}   # the salespeople
    first = made[0]
    assert (first.period_start.isoformat(), first.period_end.isoformat(), first.state) == ("2026-03-01", "2026-03-31", "draft")
    assert first.number.startswith("YZ-2026-")
    assert first.due_at.replace(tzinfo=None) == datetime(2026, 3, 31, 10, 0)     # 18:00 Shanghai
    # May 2026 ends on a Sunday: due on Friday the 29th.
    run(app, clock, "2026-05-24 08:00")
    may = summaries(app, "MonthlySummary", period_start=datetime(2026, 5, 1).date())
    assert len(may) == 3 and may[0].due_at.replace(tzinfo=None) == datetime(2026, 5, 29, 10, 0)


# ---- pre-filled from the records -------------------------------------------------------------------
def _week_of_2_march(app, market, api, clock):
    """am's week: two visit logs (3 contacts), a customer and two opportunities registered, one of
    them moved to the equipment branch, an old lead, an old cancelled one, a quotation sent and a
    bid handed in; am2 did nothing."""
    from core.audit.models import AuditEntry
    from modules.sales.bidding import Tender
    from modules.sales.models import Customer, Opportunity, Quotation
    clock("2026-02-10 10:00")
    cid = customer(app, market, api)
    old = opportunity(market, api, cid, title="旧项目跟进")
    dropped = opportunity(market, api, cid, title="早已取消")
    assert act(market, api, "mgr", "opportunity", dropped, "cancel", comment="客户取消")[0] == 200
    clock("2026-03-03 10:00")
    new_customer = customer(app, market, api, name="深圳湾科技园管理中心")
    fast = opportunity(market, api, cid, title="门诊楼 UPS")
    slow = opportunity(market, api, new_customer, title="园区监控")
    assert act(market, api, "am", "opportunity", fast, "follow_equipment")[0] == 200
    for day, lines in (("2026-03-02", [line(cid), line(new_customer)]), ("2026-03-03", [line(cid)])):
        clock(f"{day} 12:00")
        log = visit_log(market, api, day, lines)[1]
        assert act(market, api, "am", "visit_log", log["id"], "submit")[0] == 200
    with app.app_context():
        # The records were made now; they belong to the weeks the clock says.
        def at(text):
            return shanghai(text).astimezone(timezone.utc)
        for model, ids_, when in ((Customer, [cid], "2026-02-10 10:00"), (Opportunity, [old, dropped], "2026-02-10 10:00"),
                                  (Customer, [new_customer], "2026-03-03 10:00"),
                                  (Opportunity, [fast, slow], "2026-03-03 10:00")):
            db.session.execute(update(model).where(model.id.in_(ids_)).values(created_at=at(when)))
        for record, when in ((dropped, "2026-02-10 11:00"), (fast, "2026-03-03 11:00")):
            db.session.execute(update(AuditEntry).where(
                AuditEntry.model == "sales_opportunity", AuditEntry.action == "transition",
                AuditEntry.record_id == str(record)).values(ts=at(when)))
        am = market["ids"]["am"]
        db.session.add(Quotation(number="BJ-T-1", title="UPS 报价", state="quoted", owner_id=am, opportunity_id=fast,
                                 kind="equipment", sent_on=datetime(2026, 3, 4).date()))
        db.session.add(Quotation(number="BJ-T-2", title="上周报价", state="quoted", owner_id=am, opportunity_id=old,
                                 kind="equipment", sent_on=datetime(2026, 2, 27).date()))
        db.session.add(Tender(number="TB-T-1", title="UPS 投标", state="submitted", owner_id=am, opportunity_id=fast,
                              bid_deadline=at("2026-03-05 09:00"), submitted_at=at("2026-03-05 08:30")))
        db.session.commit()
    return {"customer": cid, "new_customer": new_customer, "old": old, "dropped": dropped, "fast": fast, "slow": slow}


def test_the_weekly_draft_is_prefilled_with_the_weeks_figures(app, market, api, clock):
    made = _week_of_2_march(app, market, api, clock)
    run(app, clock, "2026-03-06 08:00")
    mine = weekly_of(app, market, "am")
    status, body = api(market, "am", "get", f"weekly_summary/{mine.id}")
    assert status == 200
    figures = {k: body[k] for k in ("visit_logs", "customer_contacts", "new_customers", "new_opportunities",
                                    "quotations", "bids", "signed_amount", "collected_amount")}
    assert figures == {"visit_logs": 2, "customer_contacts": 3, "new_customers": 1, "new_opportunities": 2,
                       "quotations": 1, "bids": 1, "signed_amount": "0.00", "collected_amount": "0.00"}
    progress = {l["opportunity_id"]: l["stage_change"] for l in body["opportunity_progress"]}
    assert progress == {made["old"]: "", made["fast"]: "Demand recorded → Equipment sale in progress",
                        made["slow"]: ""}                   # the one cancelled before the week is left out
    other = api(market, "am2", "get", f"weekly_summary/{weekly_of(app, market, 'am2').id}")[1]
    assert (other["visit_logs"], other["new_opportunities"], other["opportunity_progress"]) == (0, 0, [])
    # Counted again when handed in: Friday's log came after the draft.
    clock("2026-03-06 12:00")
    log = next(l for l in api(market, "am", "get", "visit_log?owner=me")[1]["items"] if l["visit_date"] == "2026-03-06")
    assert api(market, "am", "patch", f"visit_log/{log['id']}",
               {"version": log["version"], "lines": [line(made["customer"])]})[0] == 200   # the day's draft
    assert act(market, api, "am", "visit_log", log["id"], "submit")[0] == 200
    body = api(market, "am", "patch", f"weekly_summary/{mine.id}", {"version": body["version"], **TEXTS})[1]
    status, body = act(market, api, "am", "weekly_summary", mine.id, "submit")
    assert status == 200 and (body["visit_logs"], body["customer_contacts"]) == (3, 4), body


def test_contract_figures_are_zero_until_the_contracts_part_fills_them(app):
    from modules.sales.summaries import contract_figures
    with app.app_context():
        assert contract_figures(1, datetime(2026, 3, 2).date(), datetime(2026, 3, 8).date()) == (Decimal(0), Decimal(0))


def test_the_monthly_draft_lists_the_opportunities_open_during_the_month(app, market, api, clock):
    from core.audit.models import AuditEntry
    made = _week_of_2_march(app, market, api, clock)
    clock("2026-03-10 10:00")
    assert act(market, api, "mgr", "opportunity", made["slow"], "cancel", comment="客户预算取消")[0] == 200
    with app.app_context():
        db.session.execute(update(AuditEntry).where(
            AuditEntry.model == "sales_opportunity", AuditEntry.action == "transition",
            AuditEntry.record_id == str(made["slow"])).values(ts=shanghai("2026-03-10 10:00").astimezone(timezone.utc)))
        db.session.commit()
    run(app, clock, "2026-03-27 08:00")
    mine = summaries(app, "MonthlySummary", owner_id=market["ids"]["am"])[0]
    body = api(market, "am", "get", f"monthly_summary/{mine.id}")[1]
    rows = {l["opportunity_id"]: (l["stage"], l["result"]) for l in body["projects"]}
    assert rows == {made["old"]: ("lead", "in_progress"), made["fast"]: ("equip_in_progress", "in_progress"),
                    made["slow"]: ("cancelled", "cancelled")}      # cancelled in March: reported; the February one not


# ---- submitted, read, archived ------------------------------------------------------------------------
def test_weekly_summary_submitted_read_and_archived_through_the_api(app, market, api, clock):
    run(app, clock, "2026-03-06 08:00")
    sid = weekly_of(app, market, "am").id
    status, body = act(market, api, "am", "weekly_summary", sid, "submit")
    assert status == 422 and {"highlights", "next_week"} <= set(body["fields"]), body     # written first
    assert api(market, "am", "get", f"weekly_summary/{sid}")[1]["state"] == "draft"
    version = api(market, "am", "get", f"weekly_summary/{sid}")[1]["version"]
    status, body = api(market, "am", "patch", f"weekly_summary/{sid}",
                       {"version": version, **TEXTS, "highlights": "   "})
    status, body = act(market, api, "am", "weekly_summary", sid, "submit")
    assert status == 422 and "highlights" in body["fields"]                               # blank is empty
    version = api(market, "am", "get", f"weekly_summary/{sid}")[1]["version"]
    assert api(market, "am", "patch", f"weekly_summary/{sid}", {"version": version, **TEXTS})[0] == 200
    clock("2026-03-06 17:00")
    status, body = act(market, api, "am", "weekly_summary", sid, "submit")
    assert status == 200 and body["state"] == "submitted" and body["submitted_late"] is False
    # Only the market manager reads it, rating 1-5 with a comment.
    for who in ("am", "am2", "ast", "pse", "dir"):
        assert act(market, api, who, "weekly_summary", sid, "mark_read", mgr_rating=4, mgr_comment="好")[0] in (403, 404), who
    for rating in (0, 6):
        status, body = act(market, api, "mgr", "weekly_summary", sid, "mark_read", mgr_rating=rating, mgr_comment="好")
        assert status == 422 and "mgr_rating" in body["fields"], body
    status, body = act(market, api, "mgr", "weekly_summary", sid, "mark_read", mgr_rating=4)
    assert status == 422 and "mgr_comment" in body["fields"]
    assert api(market, "mgr", "get", f"weekly_summary/{sid}")[1]["state"] == "submitted"     # nothing half-done
    assert act(market, api, "mgr", "weekly_summary", sid, "return")[0] == 422               # why, first
    assert act(market, api, "mgr", "weekly_summary", sid, "return", comment="补充项目进展")[1]["state"] == "draft"
    assert act(market, api, "am", "weekly_summary", sid, "submit")[1]["state"] == "submitted"
    status, body = act(market, api, "mgr", "weekly_summary", sid, "mark_read", mgr_rating=4, mgr_comment="进展清楚")
    assert status == 200 and (body["state"], body["mgr_rating"], body["mgr_comment"]) == ("read", 4, "进展清楚")
    assert act(market, api, "am", "weekly_summary", sid, "archive")[0] in (403, 422)          # not hers to file
    assert api(market, "mgr", "get", f"weekly_summary/{sid}")[1]["state"] == "read"
    assert act(market, api, "ast", "weekly_summary", sid, "archive")[1]["state"] == "archived"
    history = api(market, "mgr", "get", f"weekly_summary/{sid}/history")[1]["items"]
    assert [e["changes"]["to"] for e in history if e["action"] == "transition"][-1] == "archived"


def test_weekly_summary_through_the_web_forms(app, market, api, web, clock):
    import re
    from modules.sales.models import Opportunity
    clock("2026-03-02 10:00")
    opp = opportunity(market, api, customer(app, market, api))
    with app.app_context():
        db.session.execute(update(Opportunity).values(created_at=shanghai("2026-03-02 10:00").astimezone(timezone.utc)))
        db.session.commit()
    run(app, clock, "2026-03-06 08:00")
    # The salesperson writes the progress of his pre-filled opportunity line in the form.
    mine = weekly_of(app, market, "am").id
    salesperson = web("am")
    page = salesperson.get(f"/sales/weekly_summary/{mine}/edit").get_data(as_text=True)
    assert re.search(rf'name="opportunity_progress-0-opportunity_id"[^>]*>\s*<option selected value="{opp}"', page)
    line_id = re.search(r'name="opportunity_progress-0-id"[^>]*value="(\d+)"', page)
    line_id = line_id.group(1) if line_id else re.search(r'value="(\d+)"[^>]*name="opportunity_progress-0-id"', page).group(1)
    version = api(market, "am", "get", f"weekly_summary/{mine}")[1]["version"]
    response = salesperson.post(f"/sales/weekly_summary/{mine}/edit", data={
        "version": version, "week_start": "2026-03-02", **TEXTS, "opportunity_progress-0-id": line_id,
        "opportunity_progress-0-opportunity_id": str(opp), "opportunity_progress-0-progress": "方案已交客户",
        "opportunity_progress-0-stage_change": "", "opportunity_progress-0-issues": "预算未批"})
    assert response.status_code == 302, response.get_data(as_text=True)
    body = api(market, "am", "get", f"weekly_summary/{mine}")[1]
    assert [(l["opportunity_id"], l["progress"], l["issues"]) for l in body["opportunity_progress"]] == [
        (opp, "方案已交客户", "预算未批")]
    assert body["highlights"] == TEXTS["highlights"]
    sid = weekly_of(app, market, "pse").id
    engineer = web("pse")
    page = engineer.get(f"/sales/weekly_summary/{sid}/edit")
    assert page.status_code == 200
    version = api(market, "pse", "get", f"weekly_summary/{sid}")[1]["version"]
    response = engineer.post(f"/sales/weekly_summary/{sid}/edit", data={
        "version": version, "week_start": "2026-03-02", "highlights": "完成两个项目的方案", "support_needed": "",
        "next_week": "现场勘察"})
    assert response.status_code == 302, response.get_data(as_text=True)
    version = api(market, "pse", "get", f"weekly_summary/{sid}")[1]["version"]
    assert engineer.post(f"/sales/weekly_summary/{sid}/transitions/submit", data={"version": version}).status_code == 302
    manager = web("mgr")
    response = manager.post(f"/sales/weekly_summary/{sid}/transitions/mark_read/input",
                            data={"mgr_rating": "9", "mgr_comment": "好", "comment": ""})
    assert response.status_code in (400, 422) and api(market, "mgr", "get", f"weekly_summary/{sid}")[1]["state"] == "submitted"
    response = manager.post(f"/sales/weekly_summary/{sid}/transitions/mark_read/input",
                            data={"mgr_rating": "5", "mgr_comment": "方案及时", "comment": ""})
    assert response.status_code == 302, response.get_data(as_text=True)
    body = api(market, "mgr", "get", f"weekly_summary/{sid}")[1]
    assert (body["state"], body["mgr_rating"]) == ("read", 5)
    version = body["version"]
    assert web("ast").post(f"/sales/weekly_summary/{sid}/transitions/archive", data={"version": version}).status_code == 302
    assert api(market, "mgr", "get", f"weekly_summary/{sid}")[1]["state"] == "archived"
    assert "每周工作总结" in manager.get(f"/sales/weekly_summary/{sid}/print").get_data(as_text=True)
    assert manager.get("/sales/weekly_summary/").status_code == 200
    assert web("eng_mgr").get("/sales/weekly_summary/").status_code == 403


def test_monthly_summary_summarised_read_forwarded_and_archived(app, market, api, web, clock):
    made = _week_of_2_march(app, market, api, clock)
    run(app, clock, "2026-03-27 08:00")
    sid = summaries(app, "MonthlySummary", owner_id=market["ids"]["am"])[0].id
    body = api(market, "am", "get", f"monthly_summary/{sid}")[1]
    assert len(body["projects"]) == 3
    status, refused = act(market, api, "am", "monthly_summary", sid, "submit")
    assert status == 422 and "1, 2, 3" in refused["error"]                   # each project summarised
    projects = [{"opportunity_id": l["opportunity_id"], "result": l["result"], "summary": "客户已确认需求",
                 "next_step": "四月签约"} for l in body["projects"]]
    projects[0]["summary"] = ""
    body = api(market, "am", "patch", f"monthly_summary/{sid}", {"version": body["version"], "projects": projects})[1]
    status, refused = act(market, api, "am", "monthly_summary", sid, "submit")
    assert status == 422 and "line 1." in refused["error"]
    projects[0].update(summary="暂停等待预算", result="paused")
    status, body = api(market, "am", "patch", f"monthly_summary/{sid}", {"version": body["version"], "projects": projects})
    assert status == 200 and body["projects"][0]["result"] == "paused"
    status, body = api(market, "am", "patch", f"monthly_summary/{sid}", {
        "version": body["version"], "projects": [*projects, {**projects[1]}]})
    assert status == 422                                                       # an opportunity once
    status, body = api(market, "am", "patch", f"monthly_summary/{sid}", {
        "version": api(market, "am", "get", f"monthly_summary/{sid}")[1]["version"],
        "projects": [*projects, {"opportunity_id": made["fast"] + 1000, "result": "success", "summary": "x"}]})
    assert status == 422                                                       # not an opportunity of his
    clock("2026-03-30 10:00")
    status, body = act(market, api, "am", "monthly_summary", sid, "submit")
    assert status == 200 and body["state"] == "submitted" and body["submitted_late"] is False
    assert act(market, api, "dir", "monthly_summary", sid, "mark_read", mgr_rating=3, mgr_comment="好")[0] == 403
    status, refused = api(market, "am", "patch", f"monthly_summary/{sid}", {
        "version": body["version"], "projects": [{**p, "summary": "改掉"} for p in projects]})
    assert status == 422 and "projects" in refused["fields"]                 # submitted: his lines stay
    # The manager's opinion written in the form, the lines posted back as the page shows them.
    import re
    manager = web("mgr")
    page = manager.get(f"/sales/monthly_summary/{sid}/edit").get_data(as_text=True)
    data = {name: value for name, value in re.findall(r'<input[^>]*name="(projects-\d+-id)"[^>]*value="([^"]*)"', page)}
    data.update({f"projects-{n}-opportunity_id": str(p["opportunity_id"]) for n, p in enumerate(projects)})
    data.update({f"projects-{n}-result": p["result"] for n, p in enumerate(projects)})
    data.update({f"projects-{n}-summary": p["summary"] for n, p in enumerate(projects)})
    data.update({f"projects-{n}-next_step": p["next_step"] for n, p in enumerate(projects)})
    data.update({"version": str(api(market, "mgr", "get", f"monthly_summary/{sid}")[1]["version"]),
                 "period_start": "2026-03-01", "remarks": "", "mgr_rating": "3", "mgr_comment": "跟进签约"})
    response = manager.post(f"/sales/monthly_summary/{sid}/edit", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    body = api(market, "mgr", "get", f"monthly_summary/{sid}")[1]
    assert body["mgr_rating"] == 3 and [p["summary"] for p in body["projects"]] == [p["summary"] for p in projects]
    status, body = act(market, api, "mgr", "monthly_summary", sid, "mark_read", mgr_rating=3, mgr_comment="跟进签约")
    assert status == 200 and body["state"] == "forwarded"                      # on to the marketing director
    assert api(market, "dir", "get", f"monthly_summary/{sid}")[0] == 200
    assert "月度项目总结汇报" in web("dir").get(f"/sales/monthly_summary/{sid}/print").get_data(as_text=True)
    assert act(market, api, "dir", "monthly_summary", sid, "archive")[0] in (403, 422)
    assert api(market, "dir", "get", f"monthly_summary/{sid}")[1]["state"] == "forwarded"
    assert act(market, api, "ast", "monthly_summary", sid, "archive")[1]["state"] == "archived"
    assert api(market, "pse", "post", "monthly_summary", {"period_start": "2026-03-05"})[0] == 403


# ---- overdue and late ---------------------------------------------------------------------------------
def test_overdue_summaries_are_listed_and_a_late_one_is_a_violation(app, market, api, clock):
    from core.reminders import collect
    from core.rules.models import RuleViolation
    run(app, clock, "2026-03-06 08:00")
    sid = weekly_of(app, market, "am").id
    clock("2026-03-09 08:59")
    assert api(market, "mgr", "get", "weekly_summary?overdue=1")[1]["items"] == []
    clock("2026-03-09 09:01")
    overdue = {s["id"] for s in api(market, "mgr", "get", "weekly_summary?overdue=1")[1]["items"]}
    assert sid in overdue and len(overdue) == len(WRITERS)
    with app.test_request_context():
        keys = {(r.user_id, r.key) for r in collect(shanghai("2026-03-09 09:01"))}
    assert any(user == market["ids"]["am"] and key.startswith(f"sales.weekly_summary:{sid}:") for user, key in keys)
    version = api(market, "am", "get", f"weekly_summary/{sid}")[1]["version"]
    api(market, "am", "patch", f"weekly_summary/{sid}", {"version": version, **TEXTS})
    status, body = act(market, api, "am", "weekly_summary", sid, "submit")
    assert status == 200 and body["submitted_late"] is True and body["overdue"] is False
    assert act(market, api, "mgr", "weekly_summary", sid, "return", comment="补充")[0] == 200
    assert act(market, api, "am", "weekly_summary", sid, "submit")[0] == 200      # counted once
    run(app, clock, "2026-03-27 08:00")
    mid = summaries(app, "MonthlySummary", owner_id=market["ids"]["am2"])[0].id
    clock("2026-04-01 09:00")
    assert mid in {s["id"] for s in api(market, "mgr", "get", "monthly_summary?overdue=1")[1]["items"]}
    assert act(market, api, "am2", "monthly_summary", mid, "submit")[1]["submitted_late"] is True
    with app.app_context():
        rows = db.session.scalars(select(RuleViolation).order_by(RuleViolation.id)).all()
        assert [(v.rule_code, v.kind, v.user_id, v.doc_id) for v in rows] == [
            ("R-S-022", "deadline_missed", market["ids"]["am"], sid),
            ("R-S-009", "deadline_missed", market["ids"]["am2"], mid)]
        assert "2026-03-09 09:00" in rows[0].details and "2026-03-31 18:00" in rows[1].details


def test_the_forms_render_and_the_weekly_due_setting_moves_the_deadline(app, market, api, web, clock):
    from core import settings
    clock("2026-03-04 10:00")
    for who, slug in (("am", "weekly_summary"), ("ast", "weekly_summary"), ("am", "monthly_summary")):
        browser = web(who)
        assert browser.get(f"/sales/{slug}/new").status_code == 200, slug
        assert browser.get(f"/sales/{slug}/").status_code == 200, slug
    with app.app_context():
        settings.set("sales.weekly_summary_due", "08:30")
        db.session.commit()
    status, body = api(market, "aam", "post", "weekly_summary", {"week_start": "2026-03-02"})
    assert status == 201 and moment(body["due_at"]) == shanghai("2026-03-09 08:30")


def test_demo_summaries_load_twice(app, market, api, clock):
    from modules.sales import summaries as s
    clock("2026-03-04 10:00")
    customer(app, market, api)
    with app.app_context():
        s.demo()
        db.session.commit()
        weekly = {(w.owner_id, w.state) for w in db.session.scalars(select(s.WeeklySummary))}
        s.demo()
        db.session.commit()
        assert {(w.owner_id, w.state) for w in db.session.scalars(select(s.WeeklySummary))} == weekly
        assert {state for _owner, state in weekly} == {"draft", "submitted", "read"}
        assert db.session.query(s.MonthlySummary).count() == 3
