"""The inbox derived from the workflow declarations (issue 12, item 1): every step someone other
than the author takes reaches those who may take it, in the page, the count and the API."""
import pytest

from tests.conftest import sign_in_as
from tests.modules.sales.test_presales import opportunity
from tests.modules.sales.test_visits import act, report_payload

pytestmark = pytest.mark.modules("sales")


def inbox(client, market, who):
    response = client.get("/api/v1/inbox", headers=market["headers"][who])
    assert response.status_code == 200
    body = response.get_json()
    return {(row["doctype"], row["id"]) for row in body["steps"]}, {(row["doctype"], row["id"]) for row in body["approvals"]}


def registration(app, market, api):
    opp = opportunity(app, market, api)
    status, reg = api(market, "am", "post", "registration", {
        "opportunity_id": opp["id"], "title": "门诊楼综合布线", "site_address": "深圳市罗湖区",
        "customer_contacts": "王主任 13800000000", "project_types": ["cabling"], "overview": "六层门诊楼",
        "est_amount": "800000.00", "funding": "财政拨款", "decision_process": "院办会",
        "expected_tender_date": "2026-12-20", "support_needed": ["solution"]})
    assert status == 201, reg
    return reg


def test_an_approval_then_a_signature_reach_the_market_then_the_presales_manager(app, market, api, client):
    reg = registration(app, market, api)
    key = ("sales.registration", reg["id"])
    assert key not in inbox(client, market, "mgr")[0] | inbox(client, market, "mgr")[1]  # a draft is the author's
    assert act(market, api, "am", "registration", reg["id"], "submit")[0] == 200
    assert key in inbox(client, market, "mgr")[1] and key not in inbox(client, market, "ps_mgr")[0]
    assert act(market, api, "mgr", "registration", reg["id"], "approve", comment="同意")[0] == 200
    assert key in inbox(client, market, "ps_mgr")[0]                                      # waiting for his signature
    assert key not in inbox(client, market, "mgr")[1] and key not in inbox(client, market, "am")[0]
    sign_in_as(client, "ps_mgr")
    page = client.get("/inbox").get_data(as_text=True)
    assert reg["number"] in page and 'data-kind="step"' in page
    dashboard = client.get("/").get_data(as_text=True)
    assert "Waiting for me" in dashboard or "待我处理" in dashboard


def test_a_regional_report_submitted_waits_for_the_market_manager_until_forwarded(app, market, api, client):
    status, report = api(market, "aam", "post", "regional_report", report_payload(app, period="2026-11-15"))
    assert status == 201, report
    key = ("sales.regional_report", report["id"])
    assert key not in inbox(client, market, "mgr")[0]
    status, report = act(market, api, "aam", "regional_report", report["id"], "submit")
    assert status == 200
    assert key in inbox(client, market, "mgr")[0]
    assert key not in inbox(client, market, "aam")[0]          # the author waits, he is not waited for
    assert key not in inbox(client, market, "am")[0]           # may not forward
    status, report = api(market, "mgr", "patch", f"regional_report/{report['id']}",
                         {"version": report["version"], "mgr_rating": 4, "mgr_comment": "好"})
    assert status == 200, report
    assert act(market, api, "mgr", "regional_report", report["id"], "forward")[0] == 200
    assert key not in inbox(client, market, "mgr")[0]
    assert key in inbox(client, market, "dir")[0]              # forwarded: the director reads it


def test_the_inbox_needs_a_signed_in_caller(client):
    assert client.get("/api/v1/inbox").status_code == 401


def test_a_weekly_bundle_reported_waits_to_be_read_by_the_market_manager(app, market, api, client, clock):
    clock("2026-02-24 09:00")
    status, bundle = api(market, "ast", "post", "weekly_bundle", {"week_start": "2026-02-09"})
    assert status == 201, bundle
    key = ("sales.weekly_bundle", bundle["id"])
    assert act(market, api, "ast", "weekly_bundle", bundle["id"], "report")[0] == 200
    assert key in inbox(client, market, "mgr")[0] and key not in inbox(client, market, "ast")[0]
    assert act(market, api, "mgr", "weekly_bundle", bundle["id"], "mark_read", mgr_rating=4)[0] == 200
    assert key not in inbox(client, market, "mgr")[0]


def test_whoever_an_action_names_is_told_and_follows(app, market, api, client):
    from sqlalchemy import select
    from core.extensions import db
    from core.reminders.models import Notification
    from tests.modules.sales.test_presales import registered
    _opp, reg = registered(app, market, api, client)        # the 售前经理 names pse the pre-sales lead
    with app.app_context():
        told = db.session.scalars(select(Notification).where(Notification.user_id == market["ids"]["pse"])).all()
    assert [n.url for n in told] == [f"/sales/registration/{reg['id']}"] and reg["number"] in told[0].title
