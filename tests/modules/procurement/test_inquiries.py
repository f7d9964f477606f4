"""Price inquiries (询价单 X-P02, WF-P02): a buyer takes the request on, records the suppliers'
quotes and answers with one chosen quote per item (R-P-011 for the large items); the costs are
seen only with procurement.price.view (R-P-040); an answer past its validity expires and is asked
again. Sales' price inquiry (I-01) arrives as a requested inquiry and its answer goes back to the
quotation through procurement_inquiry_answered."""
from datetime import datetime, time, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from core import calendar_today
from core.extensions import db
from tests.modules.procurement.conftest import make_supplier

pytestmark = pytest.mark.modules("procurement")

VALID = (calendar_today.today() + timedelta(days=30)).isoformat()


def request_body(**extra):
    return {"title": "机房改造 布线与机柜", "source": "purchase", "source_ref": "CG-2026-0003",
            "lines": [{"item": "六类非屏蔽网线", "brand_model_spec": "康普 CS24U", "qty": "50", "unit": "箱"},
                      {"item": "42U 网络机柜", "brand_model_spec": "图腾 G3.6042", "qty": "2", "unit": "台"}], **extra}


def suppliers(app, purchasing):
    return [make_supplier(app, purchasing, name) for name in
            ("深圳市华讯网络设备有限公司", "广州市金缆通信器材有限公司", "深圳市安视达安防科技有限公司")]


def quote(item, supplier, cost, selected=False, valid=VALID, **extra):
    return {"item": item, "supplier_id": supplier, "unit_cost": cost, "valid_until": valid, "selected": selected,
            "lead_time_days": 7, **extra}


def taken(app, purchasing, papi, body=None):
    status, doc = papi(purchasing, "buyer", "post", "inquiry", body or request_body())
    assert status == 201, doc
    status, doc = papi(purchasing, "buyer", "post", f"inquiry/{doc['id']}/transitions/take", {})
    assert status == 200 and doc["state"] == "in_progress", doc
    return doc


def put_lines(purchasing, papi, doc, lines, who="buyer"):
    current = papi(purchasing, who, "get", f"inquiry/{doc['id']}")[1]
    return papi(purchasing, who, "put", f"inquiry/{doc['id']}", {
        "version": current["version"], "title": current["title"], "source": current["source"],
        "source_ref": current["source_ref"], "lines": lines})


def answer(purchasing, papi, doc, who="buyer", **body):
    return papi(purchasing, who, "post", f"inquiry/{doc['id']}/transitions/answer", body)


def test_a_purchase_inquiry_walks_from_request_to_answer(app, purchasing, papi, pweb):
    from core import calendar as cal
    huaxun, jinlan, anshida = suppliers(app, purchasing)
    status, doc = papi(purchasing, "buyer", "post", "inquiry", request_body())
    assert status == 201, doc
    assert doc["number"].startswith("XJ-") and doc["state"] == "requested"
    with app.app_context():
        assert doc["answer_due"] == cal.add_working_days(calendar_today.today(), 2).isoformat()
    assert doc["requested_by_id"] == purchasing["ids"]["buyer"] and doc["buyer_id"] is None

    status, doc = papi(purchasing, "buyer2", "post", f"inquiry/{doc['id']}/transitions/take", {})
    assert status == 200 and doc["state"] == "in_progress" and doc["buyer_id"] == purchasing["ids"]["buyer2"]
    # Three quotes for the cables (50 × 1150 = 57,500: R-P-011), one for the cabinets (2 × 3800).
    status, body = put_lines(purchasing, papi, doc, [
        quote("六类非屏蔽网线", jinlan, "1150", True, qty="50", unit="箱"),
        quote("42U 网络机柜", huaxun, "3800", True, qty="2", unit="台",
              valid=(calendar_today.today() + timedelta(days=10)).isoformat()),
        quote("六类非屏蔽网线", huaxun, "1190"),
        quote("六类非屏蔽网线", anshida, "1080", substitute="普天 六类网线")], who="buyer2")
    assert status == 200, body
    cables = [line for line in body["lines"] if line["item"] == "六类非屏蔽网线"]
    assert [line["qty"] for line in cables] == ["50.0000"] * 3 and {line["unit"] for line in cables} == {"箱"}

    status, doc = answer(purchasing, papi, doc, who="buyer2", comment="金缆交期最短")
    assert status == 200 and doc["state"] == "answered", doc
    assert doc["answered_by_id"] == purchasing["ids"]["buyer2"] and doc["answered_at"]
    assert doc["valid_until"] == (calendar_today.today() + timedelta(days=10)).isoformat()
    assert papi(purchasing, "buyer", "put", f"inquiry/{doc['id']}", {"version": doc["version"], "title": "改"})[0] == 403
    assert papi(purchasing, "buyer", "post", f"inquiry/{doc['id']}/transitions/cancel", {"comment": "x"})[0] == 422

    browser = pweb("buyer")
    page = browser.get(f"/procurement/inquiry/{doc['id']}").get_data(as_text=True)
    assert doc["number"] in page and "1150.00" in page.replace(",", "")
    assert browser.get("/procurement/inquiry/new").status_code == 200
    assert doc["number"] in browser.get("/procurement/inquiry/").get_data(as_text=True)


def test_r_p_011_more_quotes_for_a_large_item_unless_single_source(app, purchasing, papi):
    huaxun, jinlan, _anshida = suppliers(app, purchasing)
    doc = taken(app, purchasing, papi)
    status, body = put_lines(purchasing, papi, doc, [
        quote("六类非屏蔽网线", jinlan, "1150", True, qty="50"),
        quote("42U 网络机柜", huaxun, "3800", True, qty="2"),
        quote("六类非屏蔽网线", huaxun, "1190")])
    assert status == 200, body
    status, body = answer(purchasing, papi, doc)
    assert status == 422 and body["rules"] == ["R-P-011"], body
    assert "六类非屏蔽网线" in body["fields"]["lines"][0] and "42U" not in str(body["fields"])
    assert papi(purchasing, "buyer", "get", f"inquiry/{doc['id']}")[1]["state"] == "in_progress"
    # The item's row says why one supplier (here two) is enough.
    current = papi(purchasing, "buyer", "get", f"inquiry/{doc['id']}")[1]
    rows = [{k: line[k] for k in ("item", "qty", "supplier_id", "unit_cost", "valid_until", "selected")}
            for line in current["lines"]]
    rows[2]["single_source"] = "康普华南区独家代理"
    assert put_lines(purchasing, papi, doc, rows)[0] == 200
    status, body = answer(purchasing, papi, doc)
    assert status == 200 and body["state"] == "answered", body


def test_r_p_011_reason_given_when_answering_and_threshold_from_the_settings(app, purchasing, papi):
    from core import settings
    huaxun, jinlan, _anshida = suppliers(app, purchasing)
    doc = taken(app, purchasing, papi)
    put_lines(purchasing, papi, doc, [quote("六类非屏蔽网线", jinlan, "1150", True, qty="50"),
                                      quote("42U 网络机柜", huaxun, "3800", True, qty="2")])
    with app.app_context():
        settings.set_value("pur.competitive_threshold", "7600")   # the cabinets' 7,600 now counts too
    status, body = answer(purchasing, papi, doc)
    assert status == 422 and "42U 网络机柜" in str(body["fields"]["lines"]), body
    status, body = answer(purchasing, papi, doc, single_source_reason="两家均为原厂指定唯一代理", comment="已核实授权书")
    assert status == 200 and body["single_source_reason"] == "两家均为原厂指定唯一代理", body


def test_an_answer_needs_one_chosen_quote_per_item_with_cost_and_validity(app, purchasing, papi):
    huaxun, jinlan, anshida = suppliers(app, purchasing)
    doc = taken(app, purchasing, papi)
    small = request_body()["lines"][1]
    put_lines(purchasing, papi, doc, [quote("六类非屏蔽网线", jinlan, "10", qty="50"), small])
    status, body = answer(purchasing, papi, doc)
    assert status == 422, body
    text = " ".join(body["fields"]["lines"])
    assert "六类非屏蔽网线" in text and "42U 网络机柜" in text and "0 chosen" in text

    put_lines(purchasing, papi, doc, [quote("六类非屏蔽网线", jinlan, "10", True, qty="50"),
                                      quote("六类非屏蔽网线", huaxun, "11", True),
                                      quote("42U 网络机柜", anshida, "3800", True, qty="2", valid=None)])
    status, body = answer(purchasing, papi, doc)
    text = " ".join(body["fields"]["lines"])
    assert status == 422 and "2 chosen" in text and "validity" in text, body
    yesterday = (calendar_today.today() - timedelta(days=1)).isoformat()
    put_lines(purchasing, papi, doc, [quote("六类非屏蔽网线", jinlan, "10", True, qty="50"),
                                      quote("42U 网络机柜", anshida, None, True, qty="2", valid=yesterday)])
    status, body = answer(purchasing, papi, doc)
    text = " ".join(body["fields"]["lines"])
    assert status == 422 and "unit cost" in text and yesterday in text, body
    assert papi(purchasing, "buyer", "get", f"inquiry/{doc['id']}")[1]["state"] == "in_progress"


def test_quotes_only_from_suppliers_not_blacklisted(app, purchasing, papi):
    black = make_supplier(app, purchasing, "深圳市低价杂货贸易有限公司", state="blacklisted")
    doc = taken(app, purchasing, papi)
    status, body = put_lines(purchasing, papi, doc, [quote("六类非屏蔽网线", black, "900", True, qty="50")])
    assert status == 422 and "blacklisted" in body["fields"]["lines"][0], body
    status, body = put_lines(purchasing, papi, doc, [quote("六类非屏蔽网线", 99999, "900", True, qty="50")])
    assert status == 422 and "lines" in body["fields"], body
    current = papi(purchasing, "buyer", "get", f"inquiry/{doc['id']}")[1]
    assert [line["supplier_id"] for line in current["lines"]] == [None, None]       # nothing half-saved
    status, body = put_lines(purchasing, papi, doc, [{"item": "六类非屏蔽网线"}])
    assert status == 422 and "quantity" in body["fields"]["lines"][0], body


def presales_inquiry(app, purchasing, who="pse", lines=None):
    """What sales' price inquiry (I-01) makes, without sales: a requested pre-sales inquiry."""
    from core.auth.models import User
    from modules.procurement.inquiries import Inquiry, sales_request_price_inquiry
    quotation = SimpleNamespace(number="BJ-2026-0042", title="网络设备报价", customer_name="深圳湾科技园管理中心")
    lines = lines or [SimpleNamespace(id=71, item="核心交换机", brand_model="华为 S7706", qty=Decimal(2), unit="台"),
                      SimpleNamespace(id=72, item="接入交换机", brand_model="华为 S5735", qty=Decimal(20), unit="台")]
    with app.test_request_context():
        from flask import g
        g.audit_user = db.session.get(User, purchasing["ids"][who])
        answer_ = sales_request_price_inquiry(quotation=quotation, lines=lines, requester=g.audit_user)
        db.session.commit()
        doc = db.session.scalar(select(Inquiry).where(Inquiry.number == answer_["reference"]))
        assert answer_["costs"] == {}
        return doc.id


def quoted_presales(app, purchasing, papi, doc_id, suppliers_):
    """The buyer takes the pre-sales inquiry on and records three quotes per item."""
    huaxun, jinlan, anshida = suppliers_
    assert papi(purchasing, "buyer", "post", f"inquiry/{doc_id}/transitions/take", {})[0] == 200
    status, body = put_lines(purchasing, papi, {"id": doc_id}, [
        quote("核心交换机", huaxun, "68500", True, qty="2"), quote("接入交换机", jinlan, "4650", True, qty="20"),
        quote("核心交换机", jinlan, "71200"), quote("核心交换机", anshida, "73800"),
        quote("接入交换机", huaxun, "4820"), quote("接入交换机", anshida, "4300", substitute="H3C S5130S")])
    assert status == 200, body
    return {"id": doc_id}


def test_the_presales_engineer_reads_his_inquiry_but_neither_answers_nor_sees_costs(app, purchasing, papi):
    found = suppliers(app, purchasing)
    doc_id = presales_inquiry(app, purchasing)
    status, doc = papi(purchasing, "pse", "get", f"inquiry/{doc_id}")
    assert status == 200 and doc["source"] == "presales" and doc["source_ref"] == "BJ-2026-0042", doc
    assert doc["owner"] == "pse" and doc["requested_by_id"] == purchasing["ids"]["pse"]
    assert [(line["item"], line["qty"], line["source_line_id"]) for line in doc["lines"]] == [
        ("核心交换机", "2.0000", 71), ("接入交换机", "20.0000", 72)]
    assert papi(purchasing, "pse", "post", f"inquiry/{doc_id}/transitions/take", {})[0] in (403, 422)
    doc = quoted_presales(app, purchasing, papi, doc_id, found)
    status, body = answer(purchasing, papi, doc, who="pse", single_source_reason="独家")
    assert status == 403 and "permission" in body["error"], body      # refused before his input is read
    current = papi(purchasing, "buyer", "get", f"inquiry/{doc_id}")[1]
    assert current["state"] == "in_progress" and current["single_source_reason"] == ""
    status, body = answer(purchasing, papi, doc)
    assert status == 200 and body["state"] == "answered", body
    # R-P-040: the engineer, the account manager and finance-less roles do not see the unit costs.
    lines = papi(purchasing, "pse", "get", f"inquiry/{doc_id}")[1]["lines"]
    assert lines and all("unit_cost" not in line for line in lines)
    assert "68500" not in pweb_page(app, "pse", doc_id)
    assert "68500" in pweb_page(app, "gm", doc_id).replace(",", "").replace(".00", "")
    assert papi(purchasing, "dir", "get", f"inquiry/{doc_id}")[1]["lines"][0]["unit_cost"] == "68500.00"
    # Others' inquiries are not his; another salesperson does not see this one.
    assert papi(purchasing, "am", "get", f"inquiry/{doc_id}")[0] == 404
    assert papi(purchasing, "pe", "get", "inquiry")[0] == 403
    status, mine = papi(purchasing, "am", "get", "inquiry")
    assert status == 200 and mine["items"] == []


def pweb_page(app, who, doc_id):
    from tests.conftest import PASSWORD
    browser = app.test_client()
    assert browser.post("/login", data={"username": who, "password": PASSWORD}).status_code == 302
    return browser.get(f"/procurement/inquiry/{doc_id}").get_data(as_text=True)


def test_hook_procurement_inquiry_answered(app, purchasing, papi):
    """Procurement tells every implementation the costs chosen, by the requesting document's line."""
    from core.hookspecs import hookimpl
    told = []

    class Listener:
        @staticmethod
        @hookimpl
        def procurement_inquiry_answered(inquiry, costs):
            told.append((inquiry.number, inquiry.source, inquiry.source_ref, costs))
    app.extensions["erp"].pm.register(Listener, name="inquiry_listener")
    try:
        found = suppliers(app, purchasing)
        doc_id = presales_inquiry(app, purchasing)
        status, body = answer(purchasing, papi, quoted_presales(app, purchasing, papi, doc_id, found))
        assert status == 200, body
    finally:
        app.extensions["erp"].pm.unregister(name="inquiry_listener")
    (number, source, ref, costs), = told
    assert number == body["number"] and source == "presales" and ref == "BJ-2026-0042"
    assert set(costs) == {71, 72}
    assert costs[71]["unit_cost"] == Decimal("68500.00") and costs[71]["lead_time_days"] == 7
    assert costs[71]["supplier"] == "深圳市华讯网络设备有限公司" and costs[71]["valid_until"].isoformat() == VALID
    assert costs[72]["supplier"] == "广州市金缆通信器材有限公司" and costs[72]["substitute"] == ""


def test_an_expired_answer_is_asked_again(app, purchasing, papi):
    from modules.procurement.inquiries import Inquiry, erp_scheduled
    huaxun, jinlan, _ = suppliers(app, purchasing)
    doc = taken(app, purchasing, papi)
    today = calendar_today.today()
    put_lines(purchasing, papi, doc, [quote("六类非屏蔽网线", jinlan, "100", True, qty="50", valid=today.isoformat()),
                                      quote("42U 网络机柜", huaxun, "3800", True, qty="2")])
    assert answer(purchasing, papi, doc)[1]["state"] == "answered"
    assert papi(purchasing, "buyer", "post", f"inquiry/{doc['id']}/transitions/reinquire", {})[0] == 422
    with app.test_request_context():
        from core.calendar_today import zone
        erp_scheduled(datetime.combine(today, time(23, 0), tzinfo=zone()))            # still valid today
        assert db.session.get(Inquiry, doc["id"]).state == "answered"
        erp_scheduled(datetime.combine(today + timedelta(days=1), time(1, 0), tzinfo=zone()))
    current = papi(purchasing, "buyer", "get", f"inquiry/{doc['id']}")[1]
    assert current["state"] == "expired"
    assert papi(purchasing, "pse", "post", f"inquiry/{doc['id']}/transitions/reinquire", {})[0] in (403, 404, 422)
    status, body = papi(purchasing, "buyer2", "post", f"inquiry/{doc['id']}/transitions/reinquire", {})
    assert status == 200 and body["state"] == "expired", body
    with app.app_context():
        again = db.session.scalar(select(Inquiry).where(Inquiry.previous_id == doc["id"]))
        assert again.state == "requested" and again.owner_id == purchasing["ids"]["buyer"]
        assert again.source_ref == "CG-2026-0003" and again.number != doc["number"]
        assert [(line.item, line.supplier_id, line.unit_cost, line.selected) for line in again.lines] == [
            ("六类非屏蔽网线", jinlan, None, False), ("42U 网络机柜", huaxun, None, False)]
    assert papi(purchasing, "buyer", "post", f"inquiry/{doc['id']}/transitions/reinquire", {})[0] == 422  # once


def test_the_buyers_are_reminded_of_the_answer_day(app, purchasing, papi):
    from core import reminders
    from core import calendar as cal
    status, doc = papi(purchasing, "buyer", "post", "inquiry", request_body())
    with app.test_request_context():
        due = cal.add_working_days(calendar_today.today(), 2)
        moment = reminders.daily_before_end_of_work(due)
        mine = {r.user_id for r in reminders.collect(moment) if r.key.startswith("procurement.inquiry.answer:")}
        assert mine == {purchasing["ids"]["buyer"], purchasing["ids"]["buyer2"]}
    papi(purchasing, "buyer2", "post", f"inquiry/{doc['id']}/transitions/take", {})
    with app.test_request_context():
        mine = {r.user_id for r in reminders.collect(moment) if r.key.startswith("procurement.inquiry.answer:")}
        assert mine == {purchasing["ids"]["buyer2"]}
    assert papi(purchasing, "buyer", "post", f"inquiry/{doc['id']}/transitions/cancel", {})[0] == 422
    status, body = papi(purchasing, "pur_mgr", "post", f"inquiry/{doc['id']}/transitions/cancel", {"comment": "申请撤回"})
    assert status == 200 and body["state"] == "cancelled"


def test_settings_and_rule_are_declared(app):
    with app.app_context():
        erp = app.extensions["erp"]
        assert {"pur.inquiry_answer_days", "pur.competitive_threshold", "pur.min_quotes"} <= set(erp.settings)
        assert erp.rules["R-P-011"][1].params == ("pur.competitive_threshold", "pur.min_quotes")


# ---- I-01 end to end: an equipment quotation asks procurement --------------------------------
@pytest.mark.modules("procurement", "sales")
def test_an_equipment_quotation_gets_its_costs_from_the_answer(app, purchasing, papi, pweb):
    from modules.sales.models import Area
    from tests.modules.sales.test_equipment import equipment_opportunity, equipment_quote
    with app.app_context():
        db.session.add(Area(code="SZ", name="深圳片区"))
        db.session.commit()
    client = app.test_client()

    def sales_api(people, name, method, path, json=None):
        response = getattr(client, method)(f"/api/v1/sales/{path}", json=json, headers=people["headers"][name])
        return response.status_code, response.get_json()

    opp = equipment_opportunity(app, purchasing, sales_api)
    status, quote_ = equipment_quote(purchasing, sales_api, opp, cost=None, cost_source="", price="49000")
    assert status == 201, quote_
    browser = pweb("am")
    page = browser.post(f"/sales/quotation/{quote_['id']}/inquiry", follow_redirects=True).get_data(as_text=True)
    assert "XJ-" in page
    current = sales_api(purchasing, "am", "get", f"quotation/{quote_['id']}")[1]
    assert current["state"] == "cost_inquiry"

    status, inquiries = papi(purchasing, "am", "get", "inquiry")
    (inquiry,) = inquiries["items"]
    reference = inquiry["number"]
    assert reference in page and inquiry["source_ref"] == quote_["number"]
    assert inquiry["state"] == "requested" and inquiry["owner"] == "am"
    with app.app_context():
        from modules.sales.models import Quotation
        line_id = db.session.get(Quotation, quote_["id"]).lines[0].id
    assert [(line["item"], line["source_line_id"]) for line in inquiry["lines"]] == [("核心交换机", line_id)]

    huaxun, jinlan, anshida = suppliers(app, purchasing)
    assert papi(purchasing, "buyer", "post", f"inquiry/{inquiry['id']}/transitions/take", {})[0] == 200
    status, body = put_lines(purchasing, papi, inquiry, [
        quote("核心交换机", huaxun, "45000", True, qty="1"), quote("核心交换机", jinlan, "46200"),
        quote("核心交换机", anshida, "41000", substitute="H3C S10506")])
    assert status == 200 and [line["source_line_id"] for line in body["lines"]] == [line_id] * 3, body
    status, body = answer(purchasing, papi, inquiry)
    assert status == 200 and body["state"] == "answered", body

    current = sales_api(purchasing, "am", "get", f"quotation/{quote_['id']}")[1]
    assert current["state"] == "draft"
    line = current["lines"][0]
    assert line["unit_cost"] == "45000.00" and line["cost_source"] == "inquiry"
    with app.app_context():
        from modules.sales.models import QuotationLine
        assert db.session.get(QuotationLine, line_id).inquiry_ref == reference
        assert db.session.get(QuotationLine, line_id).cost_note == "深圳市华讯网络设备有限公司"
    status, sent = sales_api(purchasing, "am", "post", f"quotation/{quote_['id']}/transitions/quote", {})
    assert status == 200 and sent["state"] == "quoted", sent
    # A later answer (a re-inquiry) leaves a quotation already sent as it is; a purchase inquiry is not sales'.
    from modules.sales.presales import procurement_inquiry_answered
    with app.test_request_context():
        later = {line_id: {"unit_cost": Decimal("1"), "supplier": "别家", "substitute": ""}}
        procurement_inquiry_answered(inquiry=SimpleNamespace(source="presales", source_ref=quote_["number"],
                                                             number="XJ-2026-0999"), costs=later)
        procurement_inquiry_answered(inquiry=SimpleNamespace(source="purchase", source_ref=quote_["number"],
                                                             number="XJ-2026-0998"), costs=later)
        from modules.sales.models import QuotationLine
        assert db.session.get(QuotationLine, line_id).unit_cost == Decimal("45000.00")


@pytest.mark.modules("procurement", "sales")
def test_hook_procurement_inquiry_cancelled(app, purchasing, papi, pweb):
    """Procurement cancels the inquiry a quotation waits for: the quotation is back in its draft
    for costs entered by hand, and its owner is told why."""
    from core.reminders.models import Notification
    from modules.sales.models import Area
    from tests.modules.sales.test_equipment import equipment_opportunity, equipment_quote
    with app.app_context():
        db.session.add(Area(code="SZ", name="深圳片区"))
        db.session.commit()
    client = app.test_client()

    def sales_api(people, name, method, path, json=None):
        response = getattr(client, method)(f"/api/v1/sales/{path}", json=json, headers=people["headers"][name])
        return response.status_code, response.get_json()

    opp = equipment_opportunity(app, purchasing, sales_api)
    status, quote_ = equipment_quote(purchasing, sales_api, opp, cost=None, cost_source="", price="49000")
    assert status == 201, quote_
    pweb("am").post(f"/sales/quotation/{quote_['id']}/inquiry")
    assert sales_api(purchasing, "am", "get", f"quotation/{quote_['id']}")[1]["state"] == "cost_inquiry"
    (inquiry,) = papi(purchasing, "am", "get", "inquiry")[1]["items"]
    status, body = papi(purchasing, "buyer", "post", f"inquiry/{inquiry['id']}/transitions/cancel",
                        {"comment": "该型号已停产，请按替代型号重新询价"})
    assert status == 200 and body["state"] == "cancelled", body
    assert sales_api(purchasing, "am", "get", f"quotation/{quote_['id']}")[1]["state"] == "draft"
    with app.app_context():
        titles = db.session.scalars(select(Notification.title).where(
            Notification.user_id == purchasing["ids"]["am"])).all()
    assert any(inquiry["number"] in t and "该型号已停产" in t for t in titles), titles


def test_the_buyer_works_through_the_web_pages(app, purchasing, papi, pweb):
    huaxun, _jinlan, _anshida = suppliers(app, purchasing)
    browser = pweb("buyer")
    response = browser.post("/procurement/inquiry/new", data={
        "title": "办公网络扩容", "source": "purchase", "source_ref": "行政部申请",
        "lines-0-item": "接入交换机", "lines-0-brand_model_spec": "华为 S5735", "lines-0-qty": "3", "lines-0-unit": "台",
        "lines-0-vat_rate": "13"})
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    (doc,) = papi(purchasing, "buyer", "get", "inquiry?q=办公网络扩容")[1]["items"]
    base = f"/procurement/inquiry/{doc['id']}"
    assert browser.post(f"{base}/transitions/take").status_code == 302
    offered = browser.get("/procurement/inquiry/choices/supplier?q=华讯").get_json()["items"]
    assert [item["value"] for item in offered] == [huaxun]
    with app.app_context():
        from modules.procurement.inquiries import Inquiry
        line_id = db.session.get(Inquiry, doc["id"]).lines[0].id
    current = papi(purchasing, "buyer", "get", f"inquiry/{doc['id']}")[1]
    response = browser.post(f"{base}/edit", data={
        "version": current["version"], "title": "办公网络扩容", "source": "purchase", "source_ref": "行政部申请",
        "lines-0-id": line_id, "lines-0-item": "接入交换机", "lines-0-brand_model_spec": "华为 S5735",
        "lines-0-qty": "3", "lines-0-unit": "台", "lines-0-supplier_id": huaxun, "lines-0-unit_cost": "2800",
        "lines-0-vat_rate": "13", "lines-0-valid_until": VALID, "lines-0-selected": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    page = browser.get(f"{base}/transitions/answer/input")
    assert page.status_code == 200 and 'name="single_source_reason"' in page.get_data(as_text=True)
    response = browser.post(f"{base}/transitions/answer/input", data={"comment": "一家报价, 金额小"})
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    doc = papi(purchasing, "buyer", "get", f"inquiry/{doc['id']}")[1]
    assert doc["state"] == "answered" and doc["lines"][0]["unit_cost"] == "2800.00"
    assert pweb("pse").get(f"{base}/transitions/answer/input").status_code in (403, 404)


def test_a_user_field_names_a_person_of_the_company(app, purchasing, papi):
    """A user field without roles still takes only someone who exists (PostgreSQL's foreign key
    once answered a typed id with a server error)."""
    status, body = papi(purchasing, "buyer", "post", "inquiry", {
        "title": "办公网络扩容", "source": "purchase", "source_ref": "行政部申请", "requested_by_id": 999999})
    assert status == 422 and "requested_by" in str(body["fields"]), body
    status, body = papi(purchasing, "buyer", "post", "inquiry", {
        "title": "办公网络扩容", "source": "purchase", "source_ref": "行政部申请",
        "requested_by_id": purchasing["ids"]["adm"]})
    assert status == 201, body
