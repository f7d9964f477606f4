"""Sales contracts (WF-S08): review (F-S10, R-S-060), signing authority (R-S-061), price as
approved (R-S-066), scan and seal (R-S-064), ledger and collection plan (R-S-051), handover
(F-S09, I-05) with and without an engineering module, supplements (R-S-065), collections
(WF-S11): partial receipts, delivery triggers, ageing, escalation (R-S-052), credit control (R-S-057)."""
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from core.extensions import db
from tests.modules.sales.test_deal import act
from tests.modules.sales.test_equipment import equipment_opportunity, equipment_quote

pytestmark = pytest.mark.modules("sales")

TERMS = {"payment_terms": "签订后付30%, 验收后付70%", "delivery_terms": "签订后30天内到货",
         "warranty_terms": "质保三年", "liability": "逾期交货每日千分之一", "warranty_months": 36}


@pytest.fixture
def people(app, market, make_user):
    """The market department plus the reviewers of the other departments, with API tokens."""
    from core.api.models import ApiToken
    from core.auth.models import User
    for name, role in (("pur_mgr", "ROLE-PUR-MGR"), ("fin", "ROLE-FIN")):
        market["ids"][name] = make_user(name, role)
        with app.app_context():
            token, secret = ApiToken.issue(db.session.get(User, market["ids"][name]), "tests")
            db.session.add(token)
            db.session.commit()
        market["headers"][name] = {"Authorization": f"Bearer {secret}"}
    return market


def won_equipment(app, market, api, price="40000", customer_id=None):
    """An equipment opportunity won at a quotation of `price` (excl. tax, 13 % VAT), of a new
    customer or of `customer_id`."""
    if customer_id is None:
        opp = equipment_opportunity(app, market, api)
    else:
        status, opp = api(market, "am", "post", "opportunity", {"title": "二期网络设备", "customer_id": customer_id,
                                                              "info_type": "equipment", "est_amount": "50000.00"})
        assert status == 201, opp
        act(market, api, "am", "opportunity", opp["id"], "follow_equipment")
    status, quote = equipment_quote(market, api, opp, price=price)
    assert status == 201, quote
    assert api(market, "am", "post", f"quotation/{quote['id']}/transitions/quote", {})[1]["state"] == "quoted"
    act(market, api, "am", "opportunity", opp["id"], "win", comment="客户书面确认", won_on="2026-03-02")
    assert act(market, api, "mgr", "opportunity", opp["id"], "confirm_win")[1]["state"] == "won"
    return opp


def draft(market, api, opp, amount="45200.00", **extra):
    return api(market, "am", "post", "contract", {"opportunity_id": opp["id"], "title": "核心交换机采购合同",
                                                   "amount": amount, "vat_rate": "13", "installs": False, **TERMS,
                                                   **extra})


def plan(app, contract_id):
    from core.auth.models import User
    from core.workflow import engine
    from modules.sales.contracts import CONTRACT, Contract
    with app.app_context():
        doc = db.session.get(Contract, contract_id)
        return [(t.step_name, t.status, db.session.get(User, t.user_id).username) for t in engine.tasks(CONTRACT, doc)]


def attach(web, who, doctype, doc_id, name="合同扫描件.pdf"):
    response = web(who).post(f"/sales/{doctype}/{doc_id}/attachments",
                             data={"file": (io.BytesIO(b"%PDF-1.4"), name)}, content_type="multipart/form-data")
    assert response.status_code == 302


def state(market, api, doctype, doc_id):
    return api(market, "mgr", "get", f"{doctype}/{doc_id}")[1]["state"]


def reviewed_and_signed(app, market, api, web, opp, amount="45200.00"):
    status, contract = draft(market, api, opp, amount)
    assert status == 201, contract
    assert act(market, api, "am", "contract", contract["id"], "submit")[1]["state"] == "in_review"
    for who in ("mgr", "ps_mgr", "pur_mgr", "fin", "mgr"):
        status, body = act(market, api, who, "contract", contract["id"], "approve", comment="同意")
        assert status == 200, (who, body)
    attach(web, "am", "contract", contract["id"])
    status, body = act(market, api, "am", "contract", contract["id"], "sign", signed_on="2026-03-10",
                       seal_request="YY-2026-015")
    assert status == 200 and body["state"] == "signed", body
    return body


def collection(market, api, contract, milestone, amount, who="ast", **extra):
    payload = {"contract_id": contract["id"], "milestone": milestone, "amount": amount, "term_days": 30, **extra}
    return api(market, who, "post", "collection", payload)


def test_a_won_deal_is_reviewed_signed_registered_handed_over_and_collected(app, people, api, web):
    market = people
    opp = won_equipment(app, market, api)
    # R-S-066: the price the customer accepted (40,000 + 13 % VAT), nothing else.
    status, contract = draft(market, api, opp, amount="45000.00")
    assert status == 201, contract
    assert contract["number"].startswith("HT-") and contract["price_basis"] == "45200.00"
    assert contract["customer_name"] == "深圳湾科技园管理中心", contract
    status, body = act(market, api, "am", "contract", contract["id"], "submit")
    assert status == 422 and "R-S-066" in str(body), body
    status, body = api(market, "am", "patch", f"contract/{contract['id']}", {"version": contract["version"],
                                                                           "amount": "45200.00"})
    assert status == 200 and body["amount_excl_tax"] == "40000.00" and body["margin_pct"] == "25.00", body
    assert act(market, api, "am", "contract", contract["id"], "submit")[1]["state"] == "in_review"
    assert state(market, api, "opportunity", opp["id"]) == "contract_review"
    # R-S-060 in turn (equipment only: no engineering review), then R-S-061 by the amount.
    assert plan(app, contract["id"]) == [("commercial", "open", "mgr"), ("technical", "waiting", "ps_mgr"),
                                         ("procurement", "waiting", "pur_mgr"), ("finance", "waiting", "fin"),
                                         ("sign_manager", "waiting", "mgr")]
    assert act(market, api, "fin", "contract", contract["id"], "approve")[0] == 403          # not yet his turn
    assert act(market, api, "am", "contract", contract["id"], "approve")[0] in (403, 422)
    for who in ("mgr", "ps_mgr", "pur_mgr"):
        assert act(market, api, who, "contract", contract["id"], "approve", comment="同意")[0] == 200
    status, body = act(market, api, "fin", "contract", contract["id"], "reject")
    assert status == 422, body                                                               # an opinion
    status, body = act(market, api, "fin", "contract", contract["id"], "reject", comment="付款节点需明确到货款")
    assert status == 200 and body["state"] == "review_failed"
    assert state(market, api, "opportunity", opp["id"]) == "contracting"
    assert act(market, api, "am", "contract", contract["id"], "revise")[1]["state"] == "draft"
    signed = reviewed_and_signed_again(app, market, api, web, contract)
    assert state(market, api, "opportunity", opp["id"]) == "signed"
    assert signed["due_at"].startswith("2026-03-12")            # registered within 2 working days (R-S-064)

    # R-S-051: the assistant registers it once the collection plan adds up.
    assert act(market, api, "am", "contract", contract["id"], "register")[0] in (403, 422)
    status, body = act(market, api, "ast", "contract", contract["id"], "register")
    assert status == 422 and "R-S-051" in str(body), body
    status, advance = collection(market, api, contract, "advance", "13560.00", trigger="date", planned_date="2026-03-15")
    assert status == 201, advance
    assert advance["due_date"] == "2026-04-14" and advance["owner"]["id"] == market["ids"]["am"] if isinstance(
        advance["owner"], dict) else advance["due_date"] == "2026-04-14"
    status, on_acceptance = collection(market, api, contract, "acceptance", "31640.00", trigger="acceptance")
    assert status == 201 and on_acceptance["due_date"] is None, on_acceptance
    status, body = act(market, api, "ast", "contract", contract["id"], "register")
    assert status == 200 and body["state"] == "registered" and body["due_at"].startswith("2026-03-13"), body

    # F-S09: returned by the engineering manager, then accepted (no engineering module here).
    status, handover = api(market, "am", "post", "handover", {
        "contract_id": contract["id"], "title": "科技园核心网络", "site_address": "深圳湾科技园A座",
        "customer_contacts": "李工 信息部 13900000000 技术对接", "due_completion": "2026-04-30",
        "warranty_months": 36, "solution": "核心网络方案 V2", "commitments": "到货后一周内上线",
        "supervision_mode": "none", "handover_docs": ["contract", "equipment"],
        "lines": [{"item": "核心交换机", "brand_model": "华为 S7706", "qty": "1", "unit": "台", "supply_by": "purchased"}]})
    assert status == 201, handover
    assert "13,560.00" in handover["payment_terms"] and handover["contract_amount"] == "45200.00"
    assert act(market, api, "am", "handover", handover["id"], "submit")[1]["state"] == "submitted"
    assert state(market, api, "contract", contract["id"]) == "handover_pending"
    assert state(market, api, "opportunity", opp["id"]) == "handover_pending"
    assert act(market, api, "mgr", "handover", handover["id"], "approve")[0] == 403          # engineering's
    status, body = act(market, api, "eng_mgr", "handover", handover["id"], "reject", comment="缺设备到货计划")
    assert status == 200 and state(market, api, "contract", contract["id"]) == "registered"
    act(market, api, "am", "handover", handover["id"], "submit")
    assert act(market, api, "eng_mgr", "handover", handover["id"], "approve")[1]["state"] == "accepted"
    assert state(market, api, "contract", contract["id"]) == "in_execution"
    assert state(market, api, "opportunity", opp["id"]) == "handed_over"

    # Delivered: the acceptance line falls due; a partial receipt splits the advance.
    status, body = act(market, api, "am", "contract", contract["id"], "deliver", delivered_on="2026-04-20")
    assert status == 200 and body["state"] == "collecting", body
    assert api(market, "ast", "get", f"collection/{on_acceptance['id']}")[1]["due_date"] == "2026-05-20"
    assert act(market, api, "am", "collection", advance["id"], "receive", received_amount="1000",
               received_on="2026-03-20", bank_ref="x")[0] in (403, 422)                   # finance's
    status, body = act(market, api, "fin", "collection", advance["id"], "receive", received_amount="99999",
                       received_on="2026-03-20", bank_ref="工行 0001")
    assert status == 422 and "received_amount" in str(body), body
    status, body = act(market, api, "fin", "collection", advance["id"], "receive", received_amount="10000.00",
                       received_on="2026-03-20", bank_ref="工行 0001")
    assert status == 200 and body["state"] == "received" and body["amount"] == "10000.00", body
    from modules.sales.collections import Collection
    with app.app_context():
        rest = db.session.scalar(select(Collection).where(Collection.split_from_id == advance["id"]))
        assert rest.amount == 3560 and rest.state == "planned" and rest.due_date == date(2026, 4, 14)
        rest_id = rest.id
    status, body = act(market, api, "ast", "contract", contract["id"], "close")
    assert status == 422 and "still open" in str(body), body
    for line_id, amount in ((rest_id, "3560.00"), (on_acceptance["id"], "31640.00")):
        status, body = act(market, api, "fin", "collection", line_id, "receive", received_amount=amount,
                           received_on="2026-05-10", bank_ref="工行 0002")
        assert status == 200, body
    assert act(market, api, "ast", "contract", contract["id"], "close")[1]["state"] == "closed"
    # The weekly summary's and appraisal's figures (R-S-055): signed and collected in the period.
    from modules.sales.collections import signed_and_collected
    with app.app_context():
        assert signed_and_collected(market["ids"]["am"], date(2026, 3, 1), date(2026, 5, 31)) == (45200, 45200)
        assert signed_and_collected(market["ids"]["am"], date(2026, 3, 11), date(2026, 5, 9)) == (0, 10000)


def reviewed_and_signed_again(app, market, api, web, contract):
    assert act(market, api, "am", "contract", contract["id"], "submit")[1]["state"] == "in_review"
    for who in ("mgr", "ps_mgr", "pur_mgr", "fin", "mgr"):
        assert act(market, api, who, "contract", contract["id"], "approve", comment="同意")[0] == 200, who
    assert state(market, api, "opportunity", contract["opportunity_id"]) == "approved_to_sign"
    status, body = act(market, api, "am", "contract", contract["id"], "sign", signed_on="2026-03-10",
                       seal_request="YY-2026-015")
    assert status == 422 and "R-S-064" in str(body), body                                 # the scan first
    attach(web, "am", "contract", contract["id"])
    status, body = act(market, api, "am", "contract", contract["id"], "sign", signed_on="2026-03-10",
                       seal_request="YY-2026-015")
    assert status == 200 and body["state"] == "signed", body
    return body


@pytest.mark.parametrize("mgr_limit, dir_limit, authority", [
    ("45200", "500000", "sign_manager"), ("45199.99", "45200", "sign_director"), ("10000", "45199.99", "sign_gm")])
def test_the_signing_authority_follows_the_amount_and_the_reviewers_the_settings(app, people, api, mgr_limit,
                                                                                 dir_limit, authority):
    from core import settings
    with app.app_context():
        settings.set("sales.sign_mgr_limit", mgr_limit)
        settings.set("sales.sign_dir_limit", dir_limit)
        settings.set("sales.contract_reviewers", "commercial,technical,engineering")
    opp = won_equipment(app, people, api)
    status, contract = draft(people, api, opp, installs=True)
    assert status == 201, contract
    act(people, api, "am", "contract", contract["id"], "submit")
    assert [step for step, _s, _w in plan(app, contract["id"])] == ["commercial", "technical", "engineering", authority]


def test_without_anyone_to_review_a_part_the_submission_says_so(app, market, api):
    opp = won_equipment(app, market, api)                     # no 采购部经理 nor 财务 in this company
    status, contract = draft(market, api, opp)
    status, body = act(market, api, "am", "contract", contract["id"], "submit")
    assert status == 422 and "procurement manager" in str(body), body
    from core import settings
    with app.app_context():
        settings.set("sales.contract_reviewers", "commercial,technical")
    assert act(market, api, "am", "contract", contract["id"], "submit")[1]["state"] == "in_review"


def test_only_a_won_opportunity_gets_a_contract_and_only_one(app, people, api):
    market = people
    opp = equipment_opportunity(app, market, api)
    status, body = draft(market, api, opp)
    first = opp
    assert status == 422 and "opportunity_id" in body["fields"], body          # only won ones are offered
    opp = won_equipment(app, market, api, customer_id=first["customer_id"])
    assert draft(market, api, opp)[0] == 201
    status, body = draft(market, api, opp)
    assert status == 422 and "already has its contract" in str(body), body
    other = won_equipment(app, market, api, customer_id=opp["customer_id"])
    assert draft(market, api, other)[0] == 201                                          # another deal
    assert api(market, "am2", "get", "contract")[1]["items"] == []                      # not his
    assert api(market, "pe", "get", "contract")[0] == 403


def handed_over_contract(app, market, api, web):
    opp = won_equipment(app, market, api)
    contract = reviewed_and_signed(app, market, api, web, opp)
    collection(market, api, contract, "advance", "45200.00", trigger="date", planned_date="2027-03-15")
    assert act(market, api, "ast", "contract", contract["id"], "register")[0] == 200
    status, handover = api(market, "am", "post", "handover", {
        "contract_id": contract["id"], "title": "科技园核心网络", "site_address": "深圳湾科技园A座",
        "customer_contacts": "李工 13900000000", "due_completion": "2026-04-30", "warranty_months": 36,
        "solution": "方案 V2", "commitments": "无", "supervision_mode": "firm", "supervisor_firm": "",
        "handover_docs": ["contract"], "lines": [{"item": "核心交换机", "qty": "1", "supply_by": "purchased"}]})
    assert status == 422 and "supervisor_firm" in str(handover), handover
    status, handover = api(market, "am", "post", "handover", {
        "contract_id": contract["id"], "title": "科技园核心网络", "site_address": "深圳湾科技园A座",
        "customer_contacts": "李工 13900000000", "due_completion": "2026-04-30", "warranty_months": 36,
        "solution": "方案 V2", "commitments": "无", "supervision_mode": "firm", "supervisor_firm": "深圳建科监理",
        "handover_docs": ["contract"], "lines": [{"item": "核心交换机", "qty": "1", "supply_by": "purchased"}]})
    assert status == 201, handover
    assert act(market, api, "am", "handover", handover["id"], "submit")[0] == 200
    return contract, handover


def test_hook_sales_handover_accepted(app, people, api, web):
    from core.hookspecs import hookimpl
    opened = []

    class Engineering:
        @staticmethod
        @hookimpl
        def sales_handover_accepted(handover, user):
            opened.append((handover.title, handover.contract.number, [line.item for line in handover.lines]))
            return {"reference": "GC-2026-0007", "project_engineer_id": people["ids"]["pe"]}
    app.extensions["erp"].pm.register(Engineering, name="engineering_test")
    try:
        contract, handover = handed_over_contract(app, people, api, web)
        attach(web, "am", "handover", handover["id"], "交接表签字.pdf")
        assert act(people, api, "am", "handover", handover["id"], "record_paper", paper_signed_by="吴经理")[0] == 422
        status, body = act(people, api, "eng_mgr", "handover", handover["id"], "approve")
        assert status == 200 and body["project_ref"] == "GC-2026-0007", body
        assert opened == [("科技园核心网络", contract["number"], ["核心交换机"])]
        assert api(people, "mgr", "get", f"contract/{contract['id']}")[1]["project_ref"] == "GC-2026-0007"
    finally:
        app.extensions["erp"].pm.unregister(name="engineering_test")


def test_without_engineering_the_paper_handover_is_recorded_with_its_scan(app, people, api, web):
    contract, handover = handed_over_contract(app, people, api, web)
    status, body = act(people, api, "am", "handover", handover["id"], "record_paper", paper_signed_by="吴经理")
    assert status == 422 and "scan" in str(body), body
    attach(web, "am", "handover", handover["id"], "交接表签字.pdf")
    status, body = act(people, api, "am", "handover", handover["id"], "record_paper", paper_signed_by="吴经理")
    assert status == 200 and body["state"] == "accepted", body
    assert state(people, api, "contract", contract["id"]) == "in_execution"


def test_a_supplement_is_reviewed_like_a_contract_and_changes_the_amount(app, people, api, web):
    market = people
    contract, handover = handed_over_contract(app, market, api, web)
    act(market, api, "eng_mgr", "handover", handover["id"], "approve")
    status, supplement = api(market, "am", "post", "contract", {
        "kind": "supplement", "parent_id": contract["id"], "title": "增加光模块补充协议", "amount": "11300.00",
        "vat_rate": "13", "installs": False, **TERMS})
    assert status == 201, supplement
    assert act(market, api, "am", "contract", supplement["id"], "submit")[1]["state"] == "in_review"
    assert state(market, api, "contract", contract["id"]) == "changed"
    for who in ("mgr", "ps_mgr", "pur_mgr", "fin", "mgr"):
        status, body = act(market, api, who, "contract", supplement["id"], "approve", comment="同意")
        assert status == 200, (who, body, plan(app, supplement["id"]))
    attach(web, "am", "contract", supplement["id"])
    assert act(market, api, "am", "contract", supplement["id"], "sign", signed_on="2026-04-01",
               seal_request="YY-2026-031")[0] == 200
    assert act(market, api, "ast", "contract", supplement["id"], "register")[0] == 422    # its plan first
    collection(market, api, supplement, "delivery", "11300.00", trigger="arrival")
    assert act(market, api, "ast", "contract", supplement["id"], "register")[1]["state"] == "registered"
    assert state(market, api, "contract", contract["id"]) == "in_execution"
    from modules.sales.contracts import Contract
    with app.app_context():
        assert db.session.get(Contract, contract["id"]).current_amount == 56500


def test_collection_ageing_on_fixed_dates_per_owner_and_area(app, people, api, web, clock):
    from core.auth.models import User
    from modules.sales.collections import ageing
    market = people
    opp = won_equipment(app, market, api)
    contract = reviewed_and_signed(app, market, api, web, opp)
    for day, amount in (("2026-06-10", "100.00"), ("2026-05-01", "200.00"), ("2026-03-01", "300.00"),
                        ("2025-12-01", "400.00"), ("2026-08-01", "44200.00")):
        assert collection(market, api, contract, "progress", amount, trigger="date", planned_date=day,
                          term_days=0)[0] == 201
    with app.test_request_context():
        mgr = db.session.get(User, market["ids"]["mgr"])
        rows = ageing(mgr, "owner", date(2026, 6, 30))
        assert [(r.label, r.amounts) for r in rows] == [(db.session.get(User, market["ids"]["am"]).full_name, {
            "d30": 100, "d90": 200, "d180": 300, "over180": 400, "not_due": 44200})]
        assert ageing(mgr, "area", date(2026, 6, 30))[0].label == "深圳片区"
        assert ageing(db.session.get(User, market["ids"]["am2"]), "owner", date(2026, 6, 30)) == []
    clock("2026-06-30 10:00")
    page = web("mgr").get("/sales/collections/ageing").get_data(as_text=True)
    assert "44,200.00" in page and "400.00" in page
    assert web("pe").get("/sales/collections/ageing").status_code == 403


def test_overdue_collections_climb_to_the_manager_director_and_gm(app, people, api, web):
    from modules.sales.collections import erp_reminders
    market = people
    opp = won_equipment(app, market, api)
    contract = reviewed_and_signed(app, market, api, web, opp)
    collection(market, api, contract, "advance", "45200.00", trigger="date", planned_date="2026-03-01", term_days=0)

    def told(day):
        with app.test_request_context():
            moment = datetime.fromisoformat(day + " 10:00").replace(tzinfo=ZoneInfo("Asia/Shanghai"))
            return {(r.key.rsplit(":", 1)[1], r.user_id) for r in erp_reminders(moment)}
    ids = market["ids"]
    assert told("2026-02-25") == {("soon", ids["am"])}
    assert told("2026-03-10") == set()                          # overdue: core reminds the owner
    assert told("2026-03-16") == {("l2", ids["mgr"])}
    assert told("2026-03-31") == {("l2", ids["mgr"]), ("l3", ids["dir"])}
    assert told("2026-05-30") == {("l2", ids["mgr"]), ("l3", ids["dir"]), ("l4", ids["gm"])}


def test_a_customer_owing_money_long_overdue_needs_the_director_for_a_new_contract(app, people, api, web, clock):
    market = people
    opp = won_equipment(app, market, api)
    contract = reviewed_and_signed(app, market, api, web, opp)
    collection(market, api, contract, "advance", "45200.00", trigger="date", planned_date="2026-01-02", term_days=0)
    clock("2026-04-10 10:00")                                   # 98 days overdue > 90 (R-S-057)
    second = won_equipment(app, market, api, customer_id=opp["customer_id"])
    status, other = draft(market, api, second)
    assert status == 201, other
    act(market, api, "am", "contract", other["id"], "submit")
    steps = [step for step, _s, _w in plan(app, other["id"])]
    assert "credit" in steps, steps


def test_the_dashboard_shows_collections_due_this_month_and_overdue(app, people, api, web, clock):
    market = people
    opp = won_equipment(app, market, api)
    contract = reviewed_and_signed(app, market, api, web, opp)
    collection(market, api, contract, "advance", "1200.00", trigger="date", planned_date="2026-06-20", term_days=0)
    collection(market, api, contract, "delivery", "44000.00", trigger="date", planned_date="2026-05-02", term_days=0)
    clock("2026-06-10 10:00")
    page = web("am").get("/").get_data(as_text=True)
    assert "1,200.00" in page and "44,000.00" in page
    assert "1,200.00" not in web("am2").get("/").get_data(as_text=True)


def test_a_new_record_from_a_related_list_keeps_its_declared_defaults(app, people, api, web):
    import re
    opp = won_equipment(app, people, api)
    page = web("am").get(f"/sales/contract/new?opportunity_id={opp['id']}").get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*id="supplies"|<input[^>]*id="supplies"[^>]*checked', page)
    assert re.search(r'id="vat_rate"[^>]*value="13', page)
    assert f'value="{opp["id"]}" selected' in page or f'value="{opp["id"]}"' in page


def test_hook_sales_propose_purchase(app, people, api, web):
    """I-06: an equipment contract signed proposes its purchase to procurement (with
    sales_contract_signed announced first); without a plugin nothing is proposed (the owner orders)."""
    from core.hookspecs import hookimpl
    proposed = []

    class Procurement:
        @staticmethod
        @hookimpl
        def sales_propose_purchase(contract, lines, requester):
            proposed.append((contract.number, [(line["item"], line["qty"]) for line in lines], requester.username))
            return "CG-2026-0001"

        @staticmethod
        @hookimpl
        def sales_contract_signed(contract):
            proposed.append(("signed", contract.number))
    app.extensions["erp"].pm.register(Procurement, name="procurement_test")
    try:
        opp = won_equipment(app, people, api)
        contract = reviewed_and_signed(app, people, api, web, opp)
    finally:
        app.extensions["erp"].pm.unregister(name="procurement_test")
    assert proposed == [("signed", contract["number"]), (contract["number"], [("核心交换机", 1)], "am")]


def test_a_chargeable_service_fee_is_collected_by_the_customers_owner(app, people, api, web):
    from core.auth.models import User
    from modules.sales.collections import add_service_fee
    from modules.sales.contracts import Contract
    opp = won_equipment(app, people, api)
    contract = reviewed_and_signed(app, people, api, web, opp)
    with app.test_request_context():
        line = add_service_fee(db.session.get(Contract, contract["id"]), 800, date(2026, 6, 1),
                               db.session.get(User, people["ids"]["pe"]))
        db.session.commit()
        line_id = line.id
    body = api(people, "am", "get", f"collection/{line_id}")[1]
    assert body["state"] == "triggered" and body["milestone"] == "service" and body["due_date"] == "2026-07-01"
    assert body["owner"]["username"] == "am" if isinstance(body["owner"], dict) else True


def test_a_leaving_salesperson_hands_over_his_contracts_and_collections(app, people, api, web):
    """R-S-035 / R-S-050: contracts and open collection lines go with the customers."""
    from core.auth import deactivation_blockers
    from core.auth.models import User
    from modules.sales.staff_handover import hand_over
    opp = won_equipment(app, people, api)
    contract = reviewed_and_signed(app, people, api, web, opp)
    status, line = collection(people, api, contract, "advance", "45200.00", trigger="date", planned_date="2027-01-10")
    with app.test_request_context():
        am, am2 = (db.session.get(User, people["ids"][n]) for n in ("am", "am2"))
        assert "1 contracts and 1 collection lines" in " ".join(deactivation_blockers(am))
        hand_over(am, am2, "离职", db.session.get(User, people["ids"]["mgr"]))
        db.session.commit()
        assert deactivation_blockers(db.session.get(User, people["ids"]["am"])) == []
    assert api(people, "am2", "get", f"contract/{contract['id']}")[1]["state"] == "signed"
    assert api(people, "am2", "get", f"collection/{line['id']}")[0] == 200
    assert api(people, "am", "get", f"collection/{line['id']}")[0] == 404


def test_hook_sales_contract_signed(app, people, api, web):
    from core.hookspecs import hookimpl
    signed = []

    class Planner:
        @staticmethod
        @hookimpl
        def sales_contract_signed(contract):
            signed.append((contract.number, contract.signed_on.isoformat(), contract.customer_name))
    app.extensions["erp"].pm.register(Planner, name="planner_test")
    try:
        opp = won_equipment(app, people, api)
        status, contract = draft(people, api, opp)
        act(people, api, "am", "contract", contract["id"], "submit")
        assert signed == []                                          # not at review
        contract = reviewed_and_signed_again_from_review(app, people, api, web, contract)
    finally:
        app.extensions["erp"].pm.unregister(name="planner_test")
    assert signed == [(contract["number"], "2026-03-10", "深圳湾科技园管理中心")]


def reviewed_and_signed_again_from_review(app, market, api, web, contract):
    for who in ("mgr", "ps_mgr", "pur_mgr", "fin", "mgr"):
        assert act(market, api, who, "contract", contract["id"], "approve", comment="同意")[0] == 200, who
    attach(web, "am", "contract", contract["id"])
    status, body = act(market, api, "am", "contract", contract["id"], "sign", signed_on="2026-03-10",
                       seal_request="YY-2026-016")
    assert status == 200, body
    return body


def test_hook_sales_contract_changed(app, people, api, web):
    from core.hookspecs import hookimpl
    changes = []

    class Engineering:
        @staticmethod
        @hookimpl
        def sales_contract_changed(contract, supplement):
            changes.append((contract.number, supplement.number if supplement else None, contract.state))
    app.extensions["erp"].pm.register(Engineering, name="changes_test")
    try:
        opp = won_equipment(app, people, api)
        contract = reviewed_and_signed(app, people, api, web, opp)
        status, body = act(people, api, "mgr", "contract", contract["id"], "terminate", comment="客户取消")
        assert status in (403, 422), body                             # the general manager's decision
        status, body = act(people, api, "gm", "contract", contract["id"], "terminate", comment="客户取消项目")
        assert status == 200 and body["state"] == "terminated", body
    finally:
        app.extensions["erp"].pm.unregister(name="changes_test")
    assert changes == [(contract["number"], None, "terminated")]


def test_entertainment_is_compared_with_what_each_salesperson_signed_and_collected(app, people, api, web):
    """R-S-045: the entertainment page puts the year's signed and collected amounts beside it."""
    from modules.sales.expenses import spending_report
    opp = won_equipment(app, people, api)
    contract = reviewed_and_signed(app, people, api, web, opp)
    status, line = collection(people, api, contract, "advance", "13560.00", trigger="date", planned_date="2026-03-15")
    act(people, api, "fin", "collection", line["id"], "receive", received_amount="13560.00", received_on="2026-03-20",
        bank_ref="工行 0001")
    with app.test_request_context():
        rows = {r["owner"]: r for r in spending_report(2026)}
        assert (rows["am"]["signed"], rows["am"]["collected"], rows["am"]["amount"]) == (45200, 13560, 0)
        assert spending_report(2025) == []
    page = web("mgr").get("/sales/entertainment-report/?year=2026").get_data(as_text=True)
    assert "45,200.00" in page and "13,560.00" in page
