"""Equipment-only sales (WF-S07): market staff quote equipment themselves; approval only when the
margin is under the rule or the amount at or above the threshold; a cost-inquiry state while
procurement answers (I-01), costs by hand with their source when nobody does (R-P-004)."""
from decimal import Decimal

import pytest
from sqlalchemy import select

from core.extensions import db
from tests.conftest import sign_in_as
from tests.modules.sales.test_presales import opportunity, registered

pytestmark = pytest.mark.modules("sales")


def equipment_opportunity(app, market, api):
    opp = opportunity(app, market, api, info_type="equipment", customer_name="深圳湾科技园管理中心")
    status, body = api(market, "am", "post", f"opportunity/{opp['id']}/transitions/follow_equipment", {})
    assert status == 200 and body["state"] == "equip_in_progress", body
    return opp


def equipment_quote(market, api, opp, price="40000", cost="30000", who="am", **line):
    status, body = api(market, who, "post", "quotation", {
        "opportunity_id": opp["id"], "title": "网络设备报价", "kind": "equipment", "vat_rate": "13",
        "lines": [{"category": "equipment", "item": "核心交换机", "brand_model": "华为 S7706", "qty": "1",
                   "unit_cost": cost, "cost_source": "history", "unit_price": price, **line}]})
    return status, body


def act(market, api, who, quote, name, comment=""):
    return api(market, who, "post", f"quotation/{quote['id']}/transitions/{name}",
               {"comment": comment} if comment else {})


def test_market_staff_make_the_equipment_quotation_pre_sales_the_budgets(app, market, api, client):
    opp = equipment_opportunity(app, market, api)
    status, body = equipment_quote(market, api, opp, who="pse")
    assert status == 422, body                        # not his opportunity, nor his kind of quotation
    status, body = api(market, "am", "post", "quotation", {"opportunity_id": opp["id"], "title": "x", "kind": "engineering"})
    assert status == 422 and "pre-sales staff" in body["fields"]["kind"][0]
    engineering, _reg = registered(app, market, api, client)
    status, body = equipment_quote(market, api, engineering)
    assert status == 422 and "equipment sales opportunity" in body["fields"]["kind"][0]
    from modules.sales.models import Quotation
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Quotation.id))) == 0
    # No registration nor requirement analysis for equipment; the engineering route is not offered.
    status, quote = equipment_quote(market, api, opp)
    assert status == 201, quote
    assert act(market, api, "am", quote, "submit")[0] in (403, 422)
    sign_in_as(client, "am")
    page = client.get(f"/sales/quotation/{quote['id']}").get_data(as_text=True)
    assert 'data-transition="quote"' in page and 'data-transition="submit"' not in page


@pytest.mark.parametrize("price,cost,direct", [
    ("49999.99", "30000", True),      # under the amount, margin 40 %
    ("50000.00", "30000", False),     # at the amount: approval
    ("40000.00", "38000", True),      # margin 5.00 %: at the rule
    ("40000.00", "38004", False),     # margin 4.99 %: under it
])
def test_sent_directly_only_within_the_limits(app, market, api, price, cost, direct):
    opp = equipment_opportunity(app, market, api)
    status, quote = equipment_quote(market, api, opp, price=price, cost=cost)
    assert status == 201, quote
    sent = act(market, api, "am", quote, "quote")
    asked = act(market, api, "am", quote, "submit_quote")
    if direct:
        assert sent[0] == 200 and sent[1]["state"] == "quoted" and sent[1]["sent_on"], sent
        assert asked[0] == 422
    else:
        assert sent[0] == 422 and "needs approval" in sent[1]["error"], sent
        assert asked[0] == 200 and asked[1]["state"] == "quote_approval", asked


def test_approval_by_the_market_manager_and_the_director_for_a_low_margin(app, market, api):
    opp = equipment_opportunity(app, market, api)
    status, quote = equipment_quote(market, api, opp, price="40000", cost="38500")      # 3.75 %
    assert act(market, api, "am", quote, "quote")[1]["error"].count("R-S-010") == 1
    assert act(market, api, "am", quote, "submit_quote")[1]["state"] == "quote_approval"
    assert act(market, api, "dir", quote, "approve_quote")[0] == 403                    # the manager first
    assert act(market, api, "am", quote, "approve_quote")[0] == 403
    assert act(market, api, "mgr", quote, "approve_quote")[1]["state"] == "quote_approval"
    assert act(market, api, "gm", quote, "approve_quote")[0] == 403
    status, body = act(market, api, "dir", quote, "approve_quote", "同意")
    assert status == 200 and body["state"] == "approved"
    status, body = act(market, api, "am", quote, "send")
    assert status == 200 and body["state"] == "quoted" and body["sent_on"]


def test_returned_below_cost_needs_the_gm_and_block_mode_refuses(app, market, api):
    from core import settings
    opp = equipment_opportunity(app, market, api)
    status, quote = equipment_quote(market, api, opp, price="60000", cost="50000")      # amount only
    act(market, api, "am", quote, "submit_quote")
    status, body = act(market, api, "mgr", quote, "return_quote", "价格再核")
    assert status == 200 and body["state"] == "draft"
    current = api(market, "am", "get", f"quotation/{quote['id']}")[1]
    status, body = api(market, "am", "patch", f"quotation/{quote['id']}", {"version": current["version"], "lines": [
        {"category": "equipment", "item": "核心交换机", "qty": "1", "unit_cost": "50000", "cost_source": "history",
         "unit_price": "48000"}]})
    assert status == 200, body
    assert "R-S-012" in act(market, api, "am", quote, "quote")[1]["error"]
    assert act(market, api, "am", quote, "submit_quote")[1]["state"] == "quote_approval"
    assert act(market, api, "mgr", quote, "approve_quote")[1]["state"] == "quote_approval"
    assert act(market, api, "dir", quote, "approve_quote")[0] == 403
    assert act(market, api, "gm", quote, "approve_quote")[1]["state"] == "approved"
    status, other = equipment_quote(market, api, opp, price="40000", cost="39000")
    assert status == 201, other
    with app.app_context():
        settings.set("sales.min_margin_mode", "block")
    status, body = act(market, api, "am", other, "submit_quote")
    assert status == 422 and "R-S-010" in body["error"]


def test_cost_inquiry_while_procurement_answers_by_hand_without_it(app, market, api, client):
    from core.hookspecs import hookimpl
    from modules.sales.models import Quotation
    from modules.sales.presales import receive_prices
    opp = equipment_opportunity(app, market, api)
    status, quote = equipment_quote(market, api, opp, cost=None, cost_source="")
    assert status == 201, quote
    # Nobody answers: the owner enters the cost by hand, with its source (R-P-004, R-S-014).
    sign_in_as(client, "am")
    page = client.post(f"/sales/quotation/{quote['id']}/inquiry", follow_redirects=True).get_data(as_text=True)
    assert "enter the costs by hand" in page
    assert api(market, "am", "get", f"quotation/{quote['id']}")[1]["state"] == "draft"
    assert "no cost" in act(market, api, "am", quote, "quote")[1]["error"]

    class Procurement:
        @staticmethod
        @hookimpl
        def sales_request_price_inquiry(quotation, lines, requester):
            return {"reference": "XJ-2026-0031", "costs": {}}
    app.extensions["erp"].pm.register(Procurement, name="procurement_later")
    page = client.post(f"/sales/quotation/{quote['id']}/inquiry", follow_redirects=True).get_data(as_text=True)
    assert "XJ-2026-0031" in page
    current = api(market, "am", "get", f"quotation/{quote['id']}")[1]
    assert current["state"] == "cost_inquiry"
    assert api(market, "am", "patch", f"quotation/{quote['id']}", {"version": current["version"], "title": "改"})[0] in (403, 409, 422)
    assert act(market, api, "am", quote, "quote")[0] == 422
    with app.app_context():
        from core.auth.models import User
        doc = db.session.get(Quotation, quote["id"])
        assert receive_prices(doc, {doc.lines[0].id: {"unit_cost": Decimal(31000), "supplier": "华为深圳代理"}},
                              db.session.get(User, market["ids"]["am"]), "XJ-2026-0031") == 1
    current = api(market, "am", "get", f"quotation/{quote['id']}")[1]
    assert current["state"] == "draft" and current["lines"][0]["cost_source"] == "inquiry"
    assert current["lines"][0]["unit_cost"] == "31000.00"
    assert act(market, api, "am", quote, "quote")[1]["state"] == "quoted"


def test_an_unanswered_inquiry_is_taken_back_with_a_reason(app, market, api, client):
    from core.hookspecs import hookimpl

    class Procurement:
        @staticmethod
        @hookimpl
        def sales_request_price_inquiry(quotation, lines, requester):
            return {"reference": "XJ-2026-0032", "costs": {}}
    app.extensions["erp"].pm.register(Procurement, name="procurement_silent")
    opp = equipment_opportunity(app, market, api)
    status, quote = equipment_quote(market, api, opp, cost=None, cost_source="")
    sign_in_as(client, "am")
    client.post(f"/sales/quotation/{quote['id']}/inquiry")
    assert api(market, "am", "get", f"quotation/{quote['id']}")[1]["state"] == "cost_inquiry"
    assert act(market, api, "am", quote, "withdraw_inquiry")[0] == 422                 # the reason is required
    assert act(market, api, "ast", quote, "withdraw_inquiry", "采购无回复")[0] in (403, 404, 422)
    status, body = act(market, api, "am", quote, "withdraw_inquiry", "采购三天无回复, 按代理报价手工录入")
    assert status == 200 and body["state"] == "draft"


def test_the_salesperson_may_not_edit_or_cancel_the_engineering_budget(app, market, api, client):
    from tests.modules.sales.test_presales import quotation
    opp, _reg = registered(app, market, api, client)
    quote = quotation(market, api, opp)
    current = api(market, "am", "get", f"quotation/{quote['id']}")[1]
    status, body = api(market, "am", "patch", f"quotation/{quote['id']}", {"version": current["version"], "title": "改"})
    assert status == 403 or (status == 422 and "pre-sales staff" in body["fields"]["kind"][0])
    assert act(market, api, "am", quote, "cancel", "不做了")[0] in (403, 422)
    assert api(market, "am", "get", f"quotation/{quote['id']}")[1]["title"] == "门诊楼综合布线预算"
