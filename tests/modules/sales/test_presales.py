"""Customers, opportunities, registration (F-S04), pre-sales assignment (R-S-013), quotations and
the minimum-margin rule (R-S-010, R-S-012), at the HTTP level through the web and the JSON API."""
from decimal import Decimal

import pytest
from sqlalchemy import select

from core.extensions import db
from tests.conftest import PASSWORD, sign_in_as
from tests.modules.sales.conftest import area_id

pytestmark = pytest.mark.modules("sales")


def customer(app, market, api, name="深圳市第一人民医院", who="am", area="SZ"):
    status, body = api(market, who, "post", "customer", {
        "title": name, "industry": "healthcare", "area_id": area_id(app, area),
        "it_status": "老旧网络", "decision_process": "信息科→院办", "funding": "财政拨款", "credit": "good"})
    assert status == 201, body
    return body


def opportunity(app, market, api, info_type="engineering", who="am", **extra):
    cust = customer(app, market, api, name=extra.pop("customer_name", "深圳市第一人民医院"), who=who)
    status, body = api(market, who, "post", "opportunity", {
        "title": "门诊楼综合布线", "customer_id": cust["id"], "info_type": info_type, "est_amount": "800000.00", **extra})
    assert status == 201, body
    return body


def requirement_analysis(market, api, reg, answer="confirm_capable", comment=""):
    """F-S05 filled by the salesperson, submitted, answered by the engineering manager (``answer``
    None: left submitted)."""
    status, doc = api(market, "am", "post", "requirement", {
        "registration_id": reg["id"], "customer_profile": "三甲医院, 职工2000人", "current_state": "百兆网络老化",
        "requirement_summary": "门诊楼综合布线与网络", "site_conditions": "六层, 每层弱电间",
        "schedule_start": "2027-01-04", "schedule_end": "2027-03-31", "presales_opinion": "可行",
        "lines": [{"subsystem": "cabling", "description": "六类布线 1200 点", "priority": "must"}]})
    assert status == 201, doc
    status, doc = api(market, "am", "post", f"requirement/{doc['id']}/transitions/submit", {})
    assert status == 200, doc
    if answer:
        status, doc = api(market, "eng_mgr", "post", f"requirement/{doc['id']}/transitions/{answer}",
                          {"comment": comment} if comment else {})
        assert status == 200, doc
    return doc


def registered(app, market, api, client, analysed=True):
    """An engineering opportunity whose registration is approved with `pse` as pre-sales lead and,
    unless ``analysed`` is false, whose requirement analysis (F-S05) is confirmed capable."""
    opp = opportunity(app, market, api)
    status, reg = api(market, "am", "post", "registration", {
        "opportunity_id": opp["id"], "title": "门诊楼综合布线", "site_address": "深圳市罗湖区",
        "customer_contacts": "王主任 信息科 13800000000 决策人", "project_types": ["cabling", "network"],
        "overview": "六层门诊楼", "est_amount": "800000.00", "funding": "财政拨款", "decision_process": "院办会",
        "expected_tender_date": "2026-12-20", "support_needed": ["solution", "survey"]})
    assert status == 201, reg
    assert api(market, "am", "post", f"registration/{reg['id']}/transitions/submit", {})[0] == 200
    assert api(market, "mgr", "post", f"registration/{reg['id']}/transitions/approve", {"comment": "同意"})[1]["state"] == "pending_ps"
    sign_in_as(client, "ps_mgr")
    response = client.post(f"/sales/registration/{reg['id']}/transitions/assign/input",
                           data={"presales_lead_id": market["ids"]["pse"], "comment": "安排孙工"})
    assert response.status_code == 302, response.get_data(as_text=True)
    if analysed:
        requirement_analysis(market, api, reg)
    return opp, reg


def quotation(market, api, opp, cost="95010.00", price="100000.00", who="pse"):
    status, body = api(market, who, "post", "quotation", {
        "opportunity_id": opp["id"], "title": "门诊楼综合布线预算", "kind": "engineering", "vat_rate": "9",
        "lines": [{"category": "equipment", "item": "六类非屏蔽双绞线", "brand_model": "康普", "qty": "100",
                   "unit": "箱", "unit_cost": str(Decimal(cost) / 100), "cost_source": "manual",
                   "cost_note": "康普代理口头报价", "unit_price": str(Decimal(price) / 100)}]})
    assert status == 201, body
    return body


def to_pricing(market, api, quote):
    assert api(market, "pse", "post", f"quotation/{quote['id']}/transitions/submit", {})[0] == 200
    status, body = api(market, "ps_mgr", "post", f"quotation/{quote['id']}/transitions/ps_approve", {})
    assert status == 200 and body["state"] == "mgr_pricing", body


def fix_price(client, quote, price):
    sign_in_as(client, "mgr")
    return client.post(f"/sales/quotation/{quote['id']}/transitions/fix_price/input", data={"external_price": price},
                       follow_redirects=True)


# ---- customers ------------------------------------------------------------------------------
def test_opportunities_only_for_customers_still_cooperating(app, market, api, client):
    """A stopped customer is neither offered nor accepted for a new opportunity (R-S-030)."""
    stopped = customer(app, market, api, name="停止合作的医院")
    active = customer(app, market, api, name="合作中的医院")
    status, body = api(market, "mgr", "post", f"customer/{stopped['id']}/transitions/stop", {"comment": "停止合作"})
    assert status == 200 and body["state"] == "stopped", body
    sign_in_as(client, "am")
    offered = client.get("/sales/opportunity/choices/customer?q=医院").get_json()["items"]
    assert [item["value"] for item in offered] == [active["id"]]
    status, body = api(market, "am", "post", "opportunity", {
        "title": "门诊楼综合布线", "customer_id": stopped["id"], "info_type": "engineering", "est_amount": "1.00"})
    assert status == 422 and "customer_id" in body["fields"]
    browser = app.test_client()
    assert browser.post("/login", data={"username": "am", "password": PASSWORD}).status_code == 302
    page = browser.post("/sales/opportunity/new", data={
        "title": "门诊楼综合布线", "customer_id": stopped["id"], "info_type": "engineering", "source": "visit",
        "est_amount": "1.00"})
    assert page.status_code == 400 and "Choose a record you may see." in page.get_data(as_text=True)


def test_registrations_only_for_opportunities_still_open(app, market, api, client):
    """A won (or lost, cancelled) opportunity is neither offered nor accepted for a registration."""
    opp = opportunity(app, market, api)
    for name, data in (("follow_engineering", {}), ("win", {"comment": "中标", "won_on": "2026-03-02"})):
        status, body = api(market, "am", "post", f"opportunity/{opp['id']}/transitions/{name}", data)
        assert status == 200, body
    sign_in_as(client, "am")
    assert client.get("/sales/registration/choices/opportunity?q=门诊楼").get_json()["items"] == []
    status, body = api(market, "am", "post", "registration", {
        "opportunity_id": opp["id"], "title": "门诊楼综合布线", "site_address": "深圳市罗湖区", "customer_contacts": "王主任",
        "project_types": ["cabling"], "overview": "o", "est_amount": "1", "funding": "f", "decision_process": "d",
        "expected_tender_date": "2026-12-20", "support_needed": ["solution"]})
    assert status == 422 and "opportunity_id" in body["fields"]


def test_customer_register_with_duplicate_detection_and_visibility(app, market, api):
    first = customer(app, market, api)
    assert first["number"].startswith("KH-") and first["state"] == "potential"
    status, body = api(market, "am2", "post", "customer", {
        "title": "深圳市第一人民医院", "industry": "healthcare", "area_id": area_id(app)})
    assert status == 422 and "深圳市第一人民医院" in body["fields"]["title"][0]
    assert api(market, "am2", "get", f"customer/{first['id']}")[0] == 404      # another salesperson
    assert api(market, "aam", "get", f"customer/{first['id']}")[0] == 200      # the area's manager
    assert api(market, "mgr", "get", f"customer/{first['id']}")[0] == 200
    assert api(market, "pe", "get", "customer")[0] == 403
    with app.app_context():
        from core.parties.models import Party
        party = db.session.scalar(select(Party).where(Party.name == "深圳市第一人民医院"))
        assert {r.role for r in party.roles} == {"customer"}


def test_customer_transfer_is_audited(app, market, api, client):
    cust = customer(app, market, api)
    sign_in_as(client, "mgr")
    response = client.post(f"/sales/customer/{cust['id']}/transitions/transfer/input",
                           data={"owner_id": market["ids"]["am2"], "comment": "片区调整"})
    assert response.status_code == 302
    assert api(market, "am2", "get", f"customer/{cust['id']}")[0] == 200
    assert api(market, "am", "get", f"customer/{cust['id']}")[0] == 404
    history = api(market, "mgr", "get", f"customer/{cust['id']}/history")[1]["items"]
    assert history[-1]["action"] == "transition" and history[-1]["changes"]["transition"] == "transfer"
    assert history[-1]["changes"]["comment"] == "片区调整"
    sign_in_as(client, "am")
    assert client.get(f"/sales/customer/{cust['id']}/transitions/transfer/input").status_code in (403, 404)


def test_customer_transfer_page_and_api(app, market, api, client):
    """R-S-031 as an action asking for input: the new owner (a salesperson) and the reason; the
    customer keeps its state, its department follows the new owner, the timeline shows it."""
    from core.auth.models import User
    from modules.sales.models import Customer
    from tests.conftest import department_id
    eng = department_id(app, "ENG")
    with app.app_context():
        db.session.get(User, market["ids"]["am2"]).department_id = eng
        db.session.commit()
    cust = customer(app, market, api)
    url = f"customer/{cust['id']}/transitions/transfer"
    # A plain salesperson may not; his input is not even read.
    assert api(market, "am", "post", url, {"owner_id": market["ids"]["am2"], "comment": "x"})[0] == 403
    status, body = api(market, "mgr", "post", url, {"owner_id": market["ids"]["am2"]})
    assert status == 422 and "comment" in body["fields"]                         # the reason is required
    status, body = api(market, "mgr", "post", url, {"owner_id": market["ids"]["pe"], "comment": "调岗"})
    assert status == 422 and "owner_id" in body["fields"]                        # not a salesperson
    status, body = api(market, "mgr", "post", url, {"comment": "调岗"})
    assert status == 422 and "owner_id" in body["fields"]
    with app.app_context():
        assert db.session.get(Customer, cust["id"]).owner_id == market["ids"]["am"]   # nothing kept
    status, body = api(market, "dir", "post", url, {"owner_id": market["ids"]["am2"], "comment": "片区调整",
                                                    "version": cust["version"]})
    assert status == 200, body
    assert body["state"] == cust["state"] and body["owner"] == "am2" and body["department_id"] == eng

    sign_in_as(client, "mgr")
    detail = client.get(f"/sales/customer/{cust['id']}").get_data(as_text=True)
    assert f'action="/sales/customer/{cust["id"]}/transitions/transfer/input"' in detail
    assert "片区调整" in detail                                                     # the timeline
    page = client.get(f"/sales/customer/{cust['id']}/transitions/transfer/input").get_data(as_text=True)
    assert 'name="owner_id"' in page and "Reason" in page
    back = client.post(f"/sales/customer/{cust['id']}/transitions/transfer/input",
                       data={"owner_id": market["ids"]["am"], "comment": "归还"}, follow_redirects=True)
    assert back.status_code == 200 and "Customer transferred to" in back.get_data(as_text=True)
    with app.app_context():
        found = db.session.get(Customer, cust["id"])
        assert (found.owner_id, found.department_id, found.state) == (
            market["ids"]["am"], department_id(app, "MKT"), cust["state"])
    sign_in_as(client, "am")
    assert client.get(f"/sales/customer/{cust['id']}/transitions/transfer/input").status_code == 403


def test_customer_page_lists_linked_opportunities(app, market, api, client):
    opp = opportunity(app, market, api)
    sign_in_as(client, "am")
    page = client.get(f"/sales/customer/{opp['customer_id']}").get_data(as_text=True)
    assert opp["number"] in page and "门诊楼综合布线" in page


# ---- opportunities --------------------------------------------------------------------------
def test_opportunity_needs_a_registered_visible_customer(app, market, api):
    cust = customer(app, market, api, who="am")
    status, body = api(market, "am2", "post", "opportunity", {
        "title": "x", "customer_id": cust["id"], "info_type": "equipment", "est_amount": "1000"})
    assert status == 422 and "customer_id" in body["fields"]


def test_branches_win_and_lose_with_reason(app, market, api, client):
    opp = opportunity(app, market, api, info_type="equipment")
    refused = api(market, "am", "post", f"opportunity/{opp['id']}/transitions/follow_engineering", {})
    assert refused[0] == 422
    assert api(market, "am", "post", f"opportunity/{opp['id']}/transitions/follow_equipment", {})[1]["state"] == "equip_in_progress"
    no_reason = api(market, "am", "post", f"opportunity/{opp['id']}/transitions/lose", {"comment": "价格高"})
    assert no_reason[0] == 422 and "outcome_reason" in no_reason[1]["fields"]
    sign_in_as(client, "am")
    page = f"/sales/opportunity/{opp['id']}/transitions/lose/input"
    refused = client.post(page, data={"outcome_reason": "", "comment": "对手低价"})
    assert refused.status_code == 400 and "is-invalid" in refused.get_data(as_text=True)   # no reason chosen
    assert api(market, "am", "get", f"opportunity/{opp['id']}")[1]["state"] == "equip_in_progress"
    response = client.post(page, data={"outcome_reason": "price", "comment": "对手低价"}, follow_redirects=True)
    assert "A lost-order summary is due." in response.get_data(as_text=True)
    assert api(market, "am", "get", f"opportunity/{opp['id']}")[1]["state"] == "lost"


def test_tender_needs_a_registration_first(app, market, api):
    opp = opportunity(app, market, api, info_type="tender")
    status, body = api(market, "am", "post", f"opportunity/{opp['id']}/transitions/follow_tender", {})
    assert status == 422 and "R-S-013" in body["error"]


# ---- registration and R-S-013 ---------------------------------------------------------------
def test_registration_two_approvals_assign_presales(app, market, api, client):
    opp, reg = registered(app, market, api, client)
    status, body = api(market, "am", "get", f"registration/{reg['id']}")
    assert body["state"] == "approved" and body["presales_lead_id"] == market["ids"]["pse"]
    opp = api(market, "am", "get", f"opportunity/{opp['id']}")[1]
    assert opp["state"] == "eng_in_progress" and opp["registration_no"].startswith("XM-")
    # The pre-sales engineer now sees the opportunity assigned to him.
    assert api(market, "pse", "get", f"opportunity/{opp['id']}")[0] == 200


def test_registration_refusals(app, market, api, client):
    opp = opportunity(app, market, api)
    status, reg = api(market, "am", "post", "registration", {
        "opportunity_id": opp["id"], "title": "t", "site_address": "s", "customer_contacts": "c",
        "project_types": ["cabling"], "overview": "o", "est_amount": "1", "funding": "f", "decision_process": "d",
        "expected_tender_date": "2026-12-20", "support_needed": ["solution"]})
    api(market, "am", "post", f"registration/{reg['id']}/transitions/submit", {})
    assert api(market, "am", "post", f"registration/{reg['id']}/transitions/approve", {})[0] == 403  # not his to approve
    assert api(market, "mgr", "post", f"registration/{reg['id']}/transitions/reject", {})[0] == 422  # comment required
    assert api(market, "mgr", "post", f"registration/{reg['id']}/transitions/reject", {"comment": "信息不全"})[1]["state"] == "rejected"
    sign_in_as(client, "am")
    assert client.get(f"/sales/registration/{reg['id']}/transitions/assign/input").status_code == 403


def test_no_technical_staff_without_an_approved_registration(app, market, api, client):
    """R-S-013: not through the API, not through a quotation, not through the service."""
    opp = opportunity(app, market, api)
    status, body = api(market, "mgr", "patch", f"opportunity/{opp['id']}",
                       {"presales_lead_id": market["ids"]["pse"], "version": 1})
    assert status == 422 and "presales_lead_id" in body["fields"]
    status, body = api(market, "ps_mgr", "post", "quotation", {
        "opportunity_id": opp["id"], "title": "私下做的预算", "lines": []})
    assert status == 422 and "R-S-011" in body["fields"]["opportunity_id"][0]
    with app.app_context():
        from core.auth.models import User
        from core.documents.service import ValidationFailed
        from modules.sales.models import Opportunity
        from modules.sales.presales import assign_presales_lead
        with pytest.raises(ValidationFailed) as refused:
            assign_presales_lead(db.session.get(Opportunity, opp["id"]), db.session.get(User, market["ids"]["pse"]))
        assert "R-S-013" in refused.value.fields["presales_lead_id"][0]


def test_the_pre_sales_manager_assigns_on_the_action_page_and_through_the_api(app, market, api, client):
    """The assign step asks for the pre-sales lead (a 售前工程师) and the 售前经理's opinion."""
    opp = opportunity(app, market, api)
    reg = api(market, "am", "post", "registration", {
        "opportunity_id": opp["id"], "title": "t", "site_address": "s", "customer_contacts": "c",
        "project_types": ["cabling"], "overview": "o", "est_amount": "1", "funding": "f", "decision_process": "d",
        "expected_tender_date": "2026-12-20", "support_needed": ["solution"]})[1]
    api(market, "am", "post", f"registration/{reg['id']}/transitions/submit", {})
    api(market, "mgr", "post", f"registration/{reg['id']}/transitions/approve", {})
    sign_in_as(client, "ps_mgr")
    detail = client.get(f"/sales/registration/{reg['id']}").get_data(as_text=True)
    assert f'action="/sales/registration/{reg["id"]}/transitions/assign/input"' in detail
    page = client.get(f"/sales/registration/{reg['id']}/transitions/assign/input").get_data(as_text=True)
    offered = page.split('name="presales_lead_id"')[1].split("</select>")[0]
    assert f'value="{market["ids"]["pse"]}"' in offered and f'value="{market["ids"]["am"]}"' not in offered
    assert "Pre-sales manager&#39;s opinion" in page or "Pre-sales manager's opinion" in page
    url = f"registration/{reg['id']}/transitions/assign"
    missing = api(market, "ps_mgr", "post", url, {"comment": "同意"})
    assert missing[0] == 422 and "presales_lead_id" in missing[1]["fields"]
    wrong = api(market, "ps_mgr", "post", url, {"presales_lead_id": market["ids"]["am"]})
    assert wrong[0] == 422 and "presales_lead_id" in wrong[1]["fields"]
    assert api(market, "am", "get", f"registration/{reg['id']}")[1]["presales_lead_id"] is None  # nothing kept
    done = api(market, "ps_mgr", "post", url, {"presales_lead_id": market["ids"]["pse"], "comment": "安排孙工"})
    assert done[0] == 200 and done[1]["state"] == "approved", done
    assert api(market, "pse", "get", f"opportunity/{opp['id']}")[1]["presales_lead_id"] == market["ids"]["pse"]


# ---- F-S05 before the budget (R-S-011) -------------------------------------------------------
def test_no_budget_without_the_requirement_analysis_and_the_capability_confirmed(app, market, api, client):
    opp, reg = registered(app, market, api, client, analysed=False)
    status, body = api(market, "pse", "post", "quotation", {
        "opportunity_id": opp["id"], "title": "预算", "kind": "engineering",
        "lines": [{"item": "交换机", "qty": "1", "unit_cost": "100", "cost_source": "history", "unit_price": "200"}]})
    assert status == 422 and "R-S-011" in body["fields"]["opportunity_id"][0] and "F-S05" in body["fields"]["opportunity_id"][0]
    analysis = requirement_analysis(market, api, reg, answer=None)      # submitted, not yet confirmed
    assert analysis["state"] == "submitted"
    status, body = api(market, "pse", "post", "quotation", {"opportunity_id": opp["id"], "title": "预算"})
    assert status == 422 and "R-S-011" in body["fields"]["opportunity_id"][0]
    sign_in_as(client, "pse")
    page = client.post("/sales/quotation/new", data={"opportunity_id": opp["id"], "title": "预算", "kind": "engineering",
                                                     "vat_rate": "9", "validity_days": "30"}).get_data(as_text=True)
    assert "R-S-011" in page and "F-S05" in page
    status, _doc = api(market, "eng_mgr", "post", f"requirement/{analysis['id']}/transitions/confirm_not_capable",
                       {"comment": "无机房施工资质"})
    assert status == 200
    status, body = api(market, "pse", "post", "quotation", {"opportunity_id": opp["id"], "title": "预算"})
    assert status == 422 and "not capable" in body["fields"]["opportunity_id"][0]
    from modules.sales.models import Quotation
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Quotation.id))) == 0     # nothing half-saved


def test_a_budget_is_submitted_only_while_its_analysis_stands(app, market, api, client):
    from modules.sales.requirements import RequirementAnalysis
    opp, reg = registered(app, market, api, client, analysed=False)
    analysis = requirement_analysis(market, api, reg, answer="confirm_conditional", comment="机房装修外包")
    quote = quotation(market, api, opp)
    with app.app_context():   # a budget drafted before the rule: its analysis is back with engineering
        db.session.get(RequirementAnalysis, analysis["id"]).state = "submitted"
        db.session.commit()
    refused = api(market, "pse", "post", f"quotation/{quote['id']}/transitions/submit", {})
    assert refused[0] == 422 and "R-S-011" in refused[1]["error"]
    assert api(market, "pse", "get", f"quotation/{quote['id']}")[1]["state"] == "draft"
    with app.app_context():
        db.session.get(RequirementAnalysis, analysis["id"]).state = "archived"
        db.session.commit()
    assert api(market, "pse", "post", f"quotation/{quote['id']}/transitions/submit", {})[1]["state"] == "ps_review"


# ---- quotation and the margin rule ----------------------------------------------------------
@pytest.mark.parametrize("cost,accepted", [("95010.00", False), ("95000.00", True)])
def test_margin_at_4_99_is_stopped_and_5_00_passes(app, market, api, client, cost, accepted):
    opp, _ = registered(app, market, api, client)
    quote = quotation(market, api, opp, cost=cost)
    to_pricing(market, api, quote)
    page = fix_price(client, quote, "100000.00").get_data(as_text=True)
    state = api(market, "mgr", "get", f"quotation/{quote['id']}")[1]
    if accepted:
        assert state["state"] == "approved" and state["margin_pct"] == "5.00"
    else:
        assert state["state"] == "mgr_pricing" and state["margin_pct"] == "4.99"
        assert "4.99%" in page and "R-S-010" in page
        assert api(market, "am", "post", f"quotation/{quote['id']}/transitions/send", {})[0] == 422


def test_a_refusal_under_the_margin_is_recorded_with_its_rule_code(app, market, api, client):
    from core.rules.models import RuleViolation
    from core.workflow import engine
    from modules.sales.models import Quotation
    opp, _ = registered(app, market, api, client)
    quote = quotation(market, api, opp, cost="95010.00")
    to_pricing(market, api, quote)
    fix_price(client, quote, "100000.00")
    with app.app_context():
        rows = db.session.scalars(select(RuleViolation)).all()
        assert [(v.rule_code, v.kind, v.user_id, v.doctype, v.doc_id, v.doc_number) for v in rows] == [
            ("R-S-010", "refused", market["ids"]["mgr"], "sales.quotation", quote["id"], quote["number"])]
        assert "4.99%" in rows[0].details
        # Callers find the rule's objection by its code, not by its message.
        from core.auth.models import User
        doc = db.session.get(Quotation, quote["id"])
        assert doc.external_price is None  # the refused price is not kept
        doc.external_price = Decimal("100000.00")
        doctype = app.extensions["erp"].doctypes["sales.quotation"]
        issues = engine.check(doctype, doc, doctype.workflow.transition("fix_price"),
                              db.session.get(User, market["ids"]["mgr"]))
        assert [i.code for i in issues] == ["R-S-010"]
    # The administrator sees it counted on the regulations page.
    from core.seed import create_user
    from tests.conftest import PASSWORD
    with app.app_context():
        create_user("admin", PASSWORD, ["ROLE-ADMIN"])
        db.session.commit()
    sign_in_as(client, "admin")
    page = client.get("/admin/rules").get_data(as_text=True)
    card = page[page.index('data-rule="R-S-010"'):]
    card = card[:card.index("</table>")]
    assert '<tr data-count="refused">' in card and "<td>1</td>" in card
    assert "R-S-010" in client.get("/admin/rules/R-S-010").get_data(as_text=True)


def test_a_warning_passed_over_is_recorded_as_warned(app, market, api, client):
    from core import settings
    from core.rules.models import RuleViolation
    with app.app_context():
        settings.set("sales.min_margin_mode", "warn")
    opp, _ = registered(app, market, api, client)
    quote = quotation(market, api, opp, cost="96000.00")
    to_pricing(market, api, quote)
    fix_price(client, quote, "100000.00")
    assert api(market, "mgr", "get", f"quotation/{quote['id']}")[1]["state"] == "approved"
    with app.app_context():
        rows = db.session.execute(select(RuleViolation.rule_code, RuleViolation.kind)).all()
        assert [tuple(r) for r in rows] == [("R-S-010", "warned")]


def test_low_margin_exception_approved_by_the_director(app, market, api, client):
    opp, _ = registered(app, market, api, client)
    quote = quotation(market, api, opp, cost="96000.00")
    to_pricing(market, api, quote)
    fix_price(client, quote, "100000.00")
    no_reason = api(market, "mgr", "post", f"quotation/{quote['id']}/transitions/request_exception", {})
    assert no_reason[0] == 422
    asked = api(market, "mgr", "post", f"quotation/{quote['id']}/transitions/request_exception", {"comment": "战略客户"})
    assert asked[1]["state"] == "margin_exception"
    assert api(market, "gm", "post", f"quotation/{quote['id']}/transitions/approve_exception", {})[0] == 403
    approved = api(market, "dir", "post", f"quotation/{quote['id']}/transitions/approve_exception", {"comment": "同意特批"})
    assert approved[1]["state"] == "approved"
    assert api(market, "am", "post", f"quotation/{quote['id']}/transitions/send", {})[1]["state"] == "quoted"


def test_refused_exception_goes_back_and_large_ones_need_the_gm(app, market, api, client):
    opp, _ = registered(app, market, api, client)
    quote = quotation(market, api, opp, cost="960000.00", price="1000000.00")
    to_pricing(market, api, quote)
    fix_price(client, quote, "1000000.00")
    api(market, "mgr", "post", f"quotation/{quote['id']}/transitions/request_exception", {"comment": "样板工程"})
    assert api(market, "dir", "post", f"quotation/{quote['id']}/transitions/approve_exception", {})[0] == 403
    refused = api(market, "gm", "post", f"quotation/{quote['id']}/transitions/reject_exception", {"comment": "利润太低"})
    assert refused[1]["state"] == "mgr_pricing"
    assert api(market, "am", "post", f"quotation/{quote['id']}/transitions/send", {})[0] == 422


def test_a_price_below_cost_needs_the_general_managers_exception(app, market, api, client):
    """R-S-012: below cost the market manager cannot fix the price; only the 总经理 grants an
    exception, even for an amount the director could approve under R-S-010; block mode allows none."""
    opp, _ = registered(app, market, api, client)
    quote = quotation(market, api, opp, cost="99000.00")
    to_pricing(market, api, quote)
    page = fix_price(client, quote, "90000.00").get_data(as_text=True)
    assert "R-S-012" in page and "general manager" in page
    assert api(market, "mgr", "get", f"quotation/{quote['id']}")[1]["state"] == "mgr_pricing"
    from core import settings
    with app.app_context():
        settings.set("sales.min_margin_mode", "block")
    refused = api(market, "mgr", "post", f"quotation/{quote['id']}/transitions/request_exception",
                  {"comment": "x", "external_price": "90000.00"})
    assert refused[0] == 422 and "R-S-010" in refused[1]["error"] and "no exception" in refused[1]["error"]
    with app.app_context():
        settings.set("sales.min_margin_mode", "exception")
    asked = api(market, "mgr", "post", f"quotation/{quote['id']}/transitions/request_exception",
                {"comment": "战略客户首单", "external_price": "90000.00"})
    assert asked[0] == 200 and asked[1]["state"] == "margin_exception", asked
    assert api(market, "dir", "post", f"quotation/{quote['id']}/transitions/approve_exception", {})[0] == 403
    approved = api(market, "gm", "post", f"quotation/{quote['id']}/transitions/approve_exception", {"comment": "特批"})
    assert approved[1]["state"] == "approved" and approved[1]["external_price"] == "90000.00"


def test_costs_and_margins_hidden_from_roles_that_must_not_see_them(app, market, api, client):
    opp, _ = registered(app, market, api, client)
    quote = quotation(market, api, opp)
    seen = api(market, "ast", "get", f"quotation/{quote['id']}")[1]   # 市场部助理: R (no cost)
    assert "total_cost" not in seen and "margin_pct" not in seen and "unit_cost" not in seen["lines"][0]
    assert "total_cost" in api(market, "pse", "get", f"quotation/{quote['id']}")[1]
    assert "total_cost" in api(market, "am", "get", f"quotation/{quote['id']}")[1]  # owner of the opportunity
    assert api(market, "am2", "get", f"quotation/{quote['id']}")[0] == 404
    sign_in_as(client, "ast")
    page = client.get(f"/sales/quotation/{quote['id']}").get_data(as_text=True)
    assert "¥950.10" not in page and "¥1,000.00" in page
    export = client.get("/sales/quotation/export.csv")
    assert export.status_code == 200 and "门诊楼综合布线预算" in export.get_data(as_text=True)
    assert "950.1" not in export.get_data(as_text=True) and "95010" not in export.get_data(as_text=True)


def test_manual_cost_needs_a_reason(app, market, api, client):
    opp, _ = registered(app, market, api, client)
    status, quote = api(market, "pse", "post", "quotation", {
        "opportunity_id": opp["id"], "title": "t", "lines": [
            {"item": "交换机", "qty": "1", "unit_cost": "100", "cost_source": "manual", "unit_price": "200"}]})
    refused = api(market, "pse", "post", f"quotation/{quote['id']}/transitions/submit", {})
    assert refused[0] == 422 and "by hand" in refused[1]["error"]


def test_hook_sales_validate_quotation(app, market, api, client):
    """A partner plugin adds a rule to quotations through the hook."""
    from core.hookspecs import hookimpl
    from core.workflow import Issue

    class StricterRule:
        @staticmethod
        @hookimpl
        def sales_validate_quotation(quotation):
            if quotation.margin_pct is not None and quotation.margin_pct < 8:
                return [Issue("医疗行业项目利润率不得低于 8%")]
            return []
    app.extensions["erp"].pm.register(StricterRule, name="stricter")
    opp, _ = registered(app, market, api, client)
    quote = quotation(market, api, opp, cost="93000.00")   # 7% margin: fine for sales, not for the plugin
    to_pricing(market, api, quote)
    assert "医疗行业项目利润率不得低于 8%" in fix_price(client, quote, "100000.00").get_data(as_text=True)


# ---- the procurement price-inquiry hook (I-01) ----------------------------------------------
def quotation_without_costs(market, api, opp):
    status, quote = api(market, "pse", "post", "quotation", {
        "opportunity_id": opp["id"], "title": "t", "lines": [
            {"item": "核心交换机", "qty": "2", "unit_price": "50000"},
            {"category": "labour", "item": "安装调试", "qty": "10", "unit_cost": "800", "cost_source": "history",
             "unit_price": "1200"}]})
    assert status == 201, quote
    return quote


def test_hook_sales_request_price_inquiry(app, market, api, client):
    """A procurement plugin answers the price inquiry with costs per line."""
    from core.hookspecs import hookimpl

    class Procurement:
        @staticmethod
        @hookimpl
        def sales_request_price_inquiry(quotation, lines, requester):
            return {"reference": "XJ-2026-0007",
                    "costs": {line.id: {"unit_cost": "41000", "supplier": "华为深圳代理"} for line in lines}}
    app.extensions["erp"].pm.register(Procurement, name="procurement_stub")
    opp, _ = registered(app, market, api, client)
    quote = quotation_without_costs(market, api, opp)
    sign_in_as(client, "pse")
    page = client.post(f"/sales/quotation/{quote['id']}/inquiry", follow_redirects=True).get_data(as_text=True)
    assert "XJ-2026-0007" in page
    lines = api(market, "pse", "get", f"quotation/{quote['id']}")[1]["lines"]
    assert lines[0]["unit_cost"] == "41000.00" and lines[0]["cost_source"] == "inquiry"
    assert lines[1]["unit_cost"] == "800.00"  # already costed: not asked


def test_price_inquiry_without_procurement_falls_back_to_manual_costs(app, market, api, client):
    opp, _ = registered(app, market, api, client)
    quote = quotation_without_costs(market, api, opp)
    sign_in_as(client, "pse")
    page = client.post(f"/sales/quotation/{quote['id']}/inquiry", follow_redirects=True).get_data(as_text=True)
    assert "enter the costs by hand" in page
    assert api(market, "pse", "get", f"quotation/{quote['id']}")[1]["lines"][0]["unit_cost"] is None


def test_quotation_prints_in_chinese(app, market, api, client):
    opp, _ = registered(app, market, api, client)
    quote = quotation(market, api, opp)
    sign_in_as(client, "pse")
    client.post("/language", data={"language": "zh_CN"})
    html = client.get(f"/sales/quotation/{quote['id']}/print").get_data(as_text=True)
    assert "工程预算与报价单" in html and "六类非屏蔽双绞线" in html
    assert client.get(f"/sales/quotation/{quote['id']}/pdf").data.startswith(b"%PDF")


# ---- the 市场部经理's price: an action asking for it ------------------------------------------
def test_the_price_page_offers_the_total_and_shows_what_is_priced(app, market, api, client):
    opp, _ = registered(app, market, api, client)
    quote = quotation(market, api, opp, cost="95010.00")
    to_pricing(market, api, quote)
    sign_in_as(client, "mgr")
    detail = client.get(f"/sales/quotation/{quote['id']}").get_data(as_text=True)
    assert f'action="/sales/quotation/{quote["id"]}/transitions/fix_price/input"' in detail
    page = client.get(f"/sales/quotation/{quote['id']}/transitions/fix_price/input").get_data(as_text=True)
    assert 'value="100000.00"' in page.split('name="external_price"')[1].split(">")[0]  # the lines' total
    help_text = page.split('data-help="external_price">')[1].split("</div>")[0]
    assert "¥100,000.00" in help_text and "¥95,010.00" in help_text and "4.99%" in help_text
    assert "The minimum margin is 5%" in help_text


def test_a_refused_price_leaves_the_quotation_as_it_was(app, market, api, client):
    """Issue 12 item 8: the margin rule refuses the price, nothing of it is kept (form and API)."""
    opp, _ = registered(app, market, api, client)
    quote = quotation(market, api, opp, cost="95010.00")
    to_pricing(market, api, quote)
    before = api(market, "mgr", "get", f"quotation/{quote['id']}")[1]
    page = fix_price(client, quote, "100000.00")
    assert page.status_code == 422 and "R-S-010" in page.get_data(as_text=True)
    assert 'value="100000.00"' in page.get_data(as_text=True).split('name="external_price"')[1].split(">")[0]
    after = api(market, "mgr", "get", f"quotation/{quote['id']}")[1]
    assert after == before and after["external_price"] is None and after["state"] == "mgr_pricing"
    status, body = api(market, "mgr", "post", f"quotation/{quote['id']}/transitions/fix_price",
                       {"external_price": "99000.00", "version": before["version"]})
    assert status == 422 and "R-S-010" in body["fields"]["external_price"][0]
    assert api(market, "mgr", "get", f"quotation/{quote['id']}")[1] == before
    below = api(market, "mgr", "post", f"quotation/{quote['id']}/transitions/fix_price", {"external_price": "-1"})
    assert below[0] == 422 and "external_price" in below[1]["fields"]
    assert api(market, "mgr", "get", f"quotation/{quote['id']}")[1] == before


def test_the_price_is_fixed_through_the_api(app, market, api, client):
    opp, _ = registered(app, market, api, client)
    quote = quotation(market, api, opp, cost="95000.00")
    to_pricing(market, api, quote)
    status, body = api(market, "mgr", "post", f"quotation/{quote['id']}/transitions/fix_price",
                       {"external_price": "100000.00", "comment": "按预算价"})
    assert status == 200 and body["state"] == "approved", body
    assert (body["external_price"], body["margin_pct"], body["price_incl_tax"]) == ("100000.00", "5.00", "109000.00")


def test_a_salesperson_may_not_fix_the_price(app, market, api, client):
    opp, _ = registered(app, market, api, client)
    quote = quotation(market, api, opp, cost="95000.00")
    to_pricing(market, api, quote)
    sign_in_as(client, "am")
    url = f"/sales/quotation/{quote['id']}/transitions/fix_price/input"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"external_price": "100000.00"}).status_code == 403
    refused = api(market, "am", "post", f"quotation/{quote['id']}/transitions/fix_price", {"external_price": "100000.00"})
    assert refused[0] == 403   # an action asking for input: refused before its input is read
    assert api(market, "am", "get", f"quotation/{quote['id']}")[1]["state"] == "mgr_pricing"
    assert api(market, "am", "get", f"quotation/{quote['id']}")[1]["external_price"] is None


def test_the_exception_is_asked_for_the_price_given_with_it(app, market, api, client):
    """The refused price is not kept: the 市场部经理 asks for the exception with the price."""
    opp, _ = registered(app, market, api, client)
    quote = quotation(market, api, opp, cost="95000.00")
    to_pricing(market, api, quote)
    asked = api(market, "mgr", "post", f"quotation/{quote['id']}/transitions/request_exception",
                {"external_price": "98000.00", "comment": "战略客户"})
    assert asked[0] == 200 and asked[1]["state"] == "margin_exception" and asked[1]["external_price"] == "98000.00"
    refused = api(market, "dir", "post", f"quotation/{quote['id']}/transitions/reject_exception", {"comment": "太低"})
    assert refused[1]["state"] == "mgr_pricing"
    sign_in_as(client, "mgr")  # back to pricing: the price asked for is offered again
    page = client.get(f"/sales/quotation/{quote['id']}/transitions/fix_price/input").get_data(as_text=True)
    assert 'value="98000.00"' in page.split('name="external_price"')[1].split(">")[0]


def test_the_quotation_form_and_api_come_from_its_declared_fields(app, market, api, client):
    from modules.sales.presales import QUOTATION
    assert QUOTATION.form.__name__ == "QuotationForm" and QUOTATION.lines.form.__name__ == "QuotationLineForm"
    opp, _ = registered(app, market, api, client)
    lead = opportunity(app, market, api, customer_name="另一家医院")  # not followed up yet
    sign_in_as(client, "pse")
    offered = client.get("/sales/quotation/choices/opportunity?q=门诊楼").get_json()["items"]
    assert [item["value"] for item in offered] == [opp["id"]]
    page = client.post("/sales/quotation/new", data={
        "opportunity_id": opp["id"], "title": "网页预算", "kind": "engineering", "vat_rate": "13", "validity_days": "30",
        "lines-0-category": "equipment", "lines-0-item": "交换机", "lines-0-qty": "2", "lines-0-unit_cost": "800",
        "lines-0-cost_source": "history", "lines-0-unit_price": "1000"})
    assert page.status_code == 302, page.get_data(as_text=True)[-2000:]
    made = api(market, "pse", "get", "quotation?q=网页预算")[1]["items"][0]
    assert (made["total_price"], made["total_cost"], made["margin_pct"]) == ("2000.00", "1600.00", "20.00")
    bad = client.post("/sales/quotation/new", data={
        "opportunity_id": opp["id"], "title": "x", "kind": "engineering", "vat_rate": "31", "validity_days": "0",
        "lines-0-item": "交换机", "lines-0-qty": "0", "lines-0-unit_price": "1"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400 and 'data-field="vat_rate"' in text and 'data-field="validity_days"' in text
    assert 'data-field="lines-0-qty"' in text
    status, body = api(market, "pse", "post", "quotation", {
        "opportunity_id": opp["id"], "title": "t", "validity_days": 366,
        "lines": [{"item": "x", "qty": "0", "unit_price": "1", "cost_source": "guess"}]})
    assert status == 422 and "validity_days" in body["fields"] and {"qty", "cost_source"} <= set(body["fields"]["lines"]["0"])
    status, body = api(market, "ps_mgr", "post", "quotation", {"opportunity_id": lead["id"], "title": "t", "lines": []})
    assert status == 422 and "R-S-011" in body["fields"]["opportunity_id"][0]
