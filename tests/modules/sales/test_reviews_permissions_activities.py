"""Issue 14 items 7-9: important activities go to the marketing director and are due at once
(WF-S04, R-S-007); nobody reviews what he submitted (core's reviews=True on sales' review steps);
SPEC 5.7 permissions and the withdrawal (撤回) of a submission by its submitter."""
from datetime import UTC, datetime

from sqlalchemy import select

from core.extensions import db
from core.testing import issue_token
from tests.modules.sales.test_presales import opportunity as engineering_opportunity
from tests.modules.sales.test_presales import quotation, registered
from tests.modules.sales.test_visits import act, activity_payload, customer, opportunity

OWN_REVIEW = "You cannot review a document you own, created or submitted: “Review passed” is for someone else."
NOT_YOURS = "Only whoever submitted this document may withdraw it, and only until someone has acted on it."


def second(app, market, make_user, name, role):
    """Another holder of `role` with his API token in `market`."""
    user_id = make_user(name, role)
    market["ids"][name] = user_id
    market["headers"][name] = {"Authorization": f"Bearer {issue_token(app, user_id)}"}


# ---- item 8: no self-review ---------------------------------------------------------------------
def test_the_pre_sales_manager_does_not_review_a_quotation_he_made_or_submitted(app, market, api, client, make_user):
    second(app, market, make_user, "ps_mgr2", "ROLE-PS-MGR")
    opp, _ = registered(app, market, api, client)
    own = quotation(market, api, opp, who="ps_mgr")                      # he creates and submits it
    assert act(market, api, "ps_mgr", "quotation", own["id"], "submit")[0] == 200
    status, body = act(market, api, "ps_mgr", "quotation", own["id"], "ps_approve")
    assert status == 403 and body["error"] == OWN_REVIEW
    status, body = act(market, api, "ps_mgr", "quotation", own["id"], "ps_return", comment="自己退回")
    assert status == 403 and "is for someone else" in body["error"]
    assert act(market, api, "ps_mgr", "quotation", own["id"], "recall")[1]["state"] == "draft"   # his to withdraw
    assert act(market, api, "ps_mgr", "quotation", own["id"], "submit")[0] == 200
    assert act(market, api, "ps_mgr2", "quotation", own["id"], "ps_approve")[1]["state"] == "mgr_pricing"
    # The engineer's quotation submitted by the pre-sales manager: not his to review either.
    theirs = quotation(market, api, opp)
    assert act(market, api, "ps_mgr", "quotation", theirs["id"], "submit")[0] == 200
    assert act(market, api, "ps_mgr", "quotation", theirs["id"], "ps_approve")[0] == 403
    status, body = act(market, api, "pse", "quotation", theirs["id"], "ps_approve")      # not a reviewer at all
    assert status == 403 and body["error"] == "You do not have permission to Review passed this document."
    assert act(market, api, "ps_mgr2", "quotation", theirs["id"], "ps_approve")[1]["state"] == "mgr_pricing"


def test_the_market_manager_does_not_review_his_own_activity_record(app, market, api, clock, make_user):
    clock("2026-03-06 10:00")
    cid = customer(app, market, api)
    activity = api(market, "mgr", "post", "business_activity", activity_payload(cid))[1]
    act(market, api, "mgr", "business_activity", activity["id"], "mark_done")
    activity = api(market, "mgr", "patch", f"business_activity/{activity['id']}", {
        "version": activity["version"] + 1, "content": "谈付款", "customer_positions": "工期",
        "analysis": "可接受", "next_steps": "出计划"})[1]
    assert act(market, api, "mgr", "business_activity", activity["id"], "record")[1]["state"] == "recorded"
    status, body = act(market, api, "mgr", "business_activity", activity["id"], "review")
    assert status == 403 and "“Mark as read” is for someone else" in body["error"]
    second(app, market, make_user, "mgr2", "ROLE-MKT-MGR")
    assert act(market, api, "mgr2", "business_activity", activity["id"], "review")[0] == 200


# ---- item 9: permissions and withdrawal ------------------------------------------------------------
def test_a_pre_sales_engineer_reads_the_customers_of_his_opportunities_only(app, market, api, client):
    opp, _ = registered(app, market, api, client)                        # pse is its pre-sales lead
    other = engineering_opportunity(app, market, api, customer_name="深圳市第二人民医院")
    assert api(market, "pse", "get", f"customer/{opp['customer_id']}")[0] == 200
    assert api(market, "pse", "get", f"customer/{other['customer_id']}")[0] == 404
    status, body = api(market, "pse", "get", "customer")
    assert status == 200 and [c["id"] for c in body["items"]] == [opp["customer_id"]]
    assert api(market, "pse", "patch", f"customer/{opp['customer_id']}", {"credit": "poor"})[0] == 403


def test_only_the_market_manager_cancels_opportunities(app, market, api):
    cid = customer(app, market, api)
    opp = opportunity(market, api, cid)
    status, body = act(market, api, "dir", "opportunity", opp, "cancel", comment="放弃")
    assert status == 403 and body["error"] == "You do not have permission to Cancel this document."
    assert act(market, api, "am", "opportunity", opp, "cancel", comment="放弃")[0] == 403
    assert act(market, api, "mgr", "opportunity", opp, "cancel", comment="放弃")[1]["state"] == "cancelled"


def test_the_director_no_longer_holds_the_withdrawal_of_tenders(app):
    from core.auth.models import Role
    with app.app_context():
        director = db.session.scalar(select(Role).where(Role.code == "ROLE-MKT-DIR"))
        manager = db.session.scalar(select(Role).where(Role.code == "ROLE-MKT-MGR"))
        assert "sales.tender.withdraw" not in director.permission_codes
        assert "sales.opportunity.cancel" not in director.permission_codes
        assert {"sales.tender.withdraw", "sales.opportunity.cancel"} <= set(manager.permission_codes)


def test_a_submitted_quotation_is_withdrawn_by_its_engineer_until_reviewed(app, market, api, client, web):
    opp, _ = registered(app, market, api, client)
    quote = quotation(market, api, opp)
    assert act(market, api, "pse", "quotation", quote["id"], "submit")[0] == 200
    assert 'data-transition="recall"' in web("pse").get(f"/sales/quotation/{quote['id']}").get_data(as_text=True)
    assert 'data-transition="recall"' not in web("ps_mgr").get(f"/sales/quotation/{quote['id']}").get_data(as_text=True)
    status, body = act(market, api, "ps_mgr", "quotation", quote["id"], "recall")
    assert status == 422 and body["error"] == NOT_YOURS
    assert act(market, api, "pse", "quotation", quote["id"], "recall")[1]["state"] == "draft"
    assert act(market, api, "pse", "quotation", quote["id"], "submit")[0] == 200
    assert act(market, api, "ps_mgr", "quotation", quote["id"], "ps_approve")[1]["state"] == "mgr_pricing"
    status, body = act(market, api, "pse", "quotation", quote["id"], "recall")
    assert status == 422 and body["error"] == NOT_YOURS


def test_a_submitted_registration_is_withdrawn_before_the_market_manager_decides(app, market, api):
    opp = engineering_opportunity(app, market, api)
    status, reg = api(market, "am", "post", "registration", {
        "opportunity_id": opp["id"], "title": "门诊楼综合布线", "site_address": "深圳市罗湖区",
        "customer_contacts": "王主任", "project_types": ["cabling"], "overview": "六层门诊楼",
        "est_amount": "800000.00", "funding": "财政拨款", "decision_process": "院办会",
        "expected_tender_date": "2026-12-20", "support_needed": ["solution"]})
    assert status == 201, reg
    act(market, api, "am", "registration", reg["id"], "submit")
    assert act(market, api, "am", "registration", reg["id"], "recall")[1]["state"] == "draft"
    assert act(market, api, "mgr", "registration", reg["id"], "approve")[0] == 422    # nothing to approve
    act(market, api, "am", "registration", reg["id"], "submit")
    assert act(market, api, "mgr", "registration", reg["id"], "approve")[1]["state"] == "pending_ps"
    assert act(market, api, "am", "registration", reg["id"], "recall")[0] == 422


# ---- item 7: important activities ----------------------------------------------------------------
def recorded(market, api, activity, who="am"):
    act(market, api, who, "business_activity", activity["id"], "mark_done")
    activity = api(market, who, "get", f"business_activity/{activity['id']}")[1]
    activity = api(market, who, "patch", f"business_activity/{activity['id']}", {
        "version": activity["version"], "content": "谈付款", "customer_positions": "工期",
        "analysis": "可接受", "next_steps": "出计划"})[1]
    return act(market, api, who, "business_activity", activity["id"], "record")[1]


def test_an_activity_at_the_threshold_is_due_at_once_and_reported_to_the_director(app, market, api, clock):
    from core.rules.models import RuleViolation
    clock("2026-03-05 09:00")
    cid = customer(app, market, api)
    at = opportunity(market, api, cid, amount="200000.00")
    below = opportunity(market, api, cid, amount="199999.99", title="门禁改造")
    important = api(market, "am", "post", "business_activity", activity_payload(cid, opportunity_id=at))[1]
    ordinary = api(market, "am", "post", "business_activity",
                   activity_payload(cid, opportunity_id=below, title="门禁交流", activity_type="technical"))[1]
    # Due 24 hours after the activity's day (5 March, Shanghai): 6 March 24:00.
    assert important["is_important"] is True and important["due_at"] == "2026-03-07T00:00:00+08:00"
    assert ordinary["is_important"] is False and ordinary["due_at"] is None
    clock("2026-03-07 00:01")                                            # past it, not recorded
    overdue = api(market, "mgr", "get", "business_activity?overdue=1")[1]
    assert [a["id"] for a in overdue["items"]] == [important["id"]]
    important = recorded(market, api, important)
    assert important["state"] == "recorded" and important["overdue"] is False
    with app.app_context():
        late = db.session.scalars(select(RuleViolation).where(RuleViolation.rule_code == "R-S-007")).all()
        assert [(v.doc_id, v.kind, v.user_id) for v in late] == [(important["id"], "deadline_missed", market["ids"]["am"])]
    ordinary = recorded(market, api, ordinary)
    # Reviewed, the important one goes to the director at once; the ordinary one is archived.
    assert act(market, api, "mgr", "business_activity", important["id"], "review")[1]["state"] == "reported"
    assert act(market, api, "mgr", "business_activity", ordinary["id"], "review")[1]["state"] == "reviewed"
    assert act(market, api, "ast", "business_activity", ordinary["id"], "archive")[1]["state"] == "archived"
    assert act(market, api, "ast", "business_activity", important["id"], "archive")[1]["state"] == "archived"


def test_an_important_activity_is_not_archived_without_its_report(app, market, api, clock):
    from modules.sales.reports import BusinessActivity
    clock("2026-03-05 09:00")
    cid = customer(app, market, api)
    activity = api(market, "am", "post", "business_activity", activity_payload(cid, flagged_important=True))[1]
    with app.app_context():  # reviewed before this rule existed: left in "reviewed"
        row = db.session.get(BusinessActivity, activity["id"])
        row.state = "reviewed"
        db.session.commit()
    status, body = act(market, api, "ast", "business_activity", activity["id"], "archive")
    assert status == 422 and body["error"] == ("An important activity is reported to the marketing director "
                                               "before it is archived (WF-S04).")
    assert act(market, api, "mgr", "business_activity", activity["id"], "report")[1]["state"] == "reported"
    assert act(market, api, "ast", "business_activity", activity["id"], "archive")[1]["state"] == "archived"


def test_the_due_time_follows_the_immediate_deadline_setting(app, market, api, clock):
    from core import settings
    clock("2026-03-05 09:00")
    with app.app_context():
        settings.set("core.immediate_deadline_hours", 2)
        db.session.commit()
    cid = customer(app, market, api)
    activity = api(market, "am", "post", "business_activity", activity_payload(cid, expense="300.00"))[1]
    assert datetime.fromisoformat(activity["due_at"]) == datetime(2026, 3, 5, 18, 0, tzinfo=UTC)
