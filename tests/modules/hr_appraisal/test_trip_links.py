"""A business trip's link (X-H01 link:ref, R-H-025): the records sales and engineering offer the
traveller (hr_appraisal_trip_links), their rules on it (R-S-029, R-E-016; hr_appraisal_trip_rules)
and the approved travel cost reaching the linked opportunity or project (I-16)."""
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from core import calendar_today
from core.extensions import db

pytestmark = pytest.mark.modules("hr_appraisal", "sales", "engineering")

OPPORTUNITY, PROJECT, CUSTOMER, TICKET, AREA = 1, 2, 3, 4, 5


def link(kind: int, record_id: int) -> int:
    return kind * 10**8 + record_id


@pytest.fixture
def sapi(module_api):
    return module_api("sales")


@pytest.fixture
def market(app, staff, sapi):
    """The 客户经理's customer and opportunity in the 深圳片区 (ids by kind)."""
    from modules.sales.models import Area
    with app.app_context():
        area = Area(code="SZ", name="深圳片区")
        db.session.add(area)
        db.session.commit()
        area_id = area.id
    status, customer = sapi(staff, "am", "post", "customer", {
        "title": "深圳市第一人民医院", "industry": "healthcare", "area_id": area_id, "it_status": "老旧网络",
        "decision_process": "信息科→院办", "funding": "财政拨款", "credit": "good"})
    assert status == 201, customer
    status, opportunity = sapi(staff, "am", "post", "opportunity", {
        "title": "门诊楼综合布线", "customer_id": customer["id"], "info_type": "engineering", "est_amount": "800000.00"})
    assert status == 201, opportunity
    return {"area": area_id, "customer": customer["id"], "opportunity": opportunity["id"],
            "opportunity_number": opportunity["number"]}


@pytest.fixture
def projects(app, staff):
    """The project engineer's project and another engineer's."""
    from tests.modules.engineering.conftest import make_project
    return {"own": make_project(app, staff, state="in_construction", engineer="pe"),
            "foreign": make_project(app, staff, state="in_construction", engineer="pe2", title="南山数据中心机房工程")}


def trip(staff, hapi, who, **values):
    start = calendar_today.today() + timedelta(days=3)
    body = {"destination": "上海", "city_tier": "tier1", "purpose": "客户现场", "transport": "train",
            "planned_start": start.isoformat(), "planned_end": (start + timedelta(days=1)).isoformat(),
            "est_lines": [{"category": "hotel", "amount": "600"}]}
    body.update(values)
    return hapi(staff, who, "post", "trip", body)


def act(staff, hapi, who, code, doc_id, name):
    _status, doc = hapi(staff, who, "get", f"{code}/{doc_id}")
    status, body = hapi(staff, who, "post", f"{code}/{doc_id}/transitions/{name}", {"version": doc["version"]})
    assert status == 200, body
    return body


def approved_claim(staff, hapi, who, superior, trip_id):
    """The trip approved, travelled, and its claim of 1,153.50 approved by `superior`."""
    act(staff, hapi, who, "trip", trip_id, "submit")
    act(staff, hapi, superior, "trip", trip_id, "approve")
    act(staff, hapi, who, "trip", trip_id, "depart")
    act(staff, hapi, who, "trip", trip_id, "return")
    day = calendar_today.today().isoformat()
    status, claim = hapi(staff, who, "post", "trip_claim", {"trip_id": trip_id, "lines": [
        {"expense_type": "hotel", "day": day, "amount": "600", "quantity": 2},
        {"expense_type": "transport", "day": day, "amount": "553.50"}]})
    assert status == 201, claim
    act(staff, hapi, who, "trip_claim", claim["id"], "submit")
    assert act(staff, hapi, superior, "trip_claim", claim["id"], "approve")["state"] == "approved"
    return claim["id"]


def offered(browser) -> set[int]:
    import re
    page = browser.get("/hr_appraisal/trip/new").get_data(as_text=True)
    select_html = page[page.index('id="link_id"'):]
    select_html = select_html[:select_html.index("</select>")]
    return {int(value) for value in re.findall(r'<option[^>]*value="(\d+)"', select_html)}


def test_hook_hr_appraisal_trip_links(app, staff, hapi, hweb, market, projects):
    """Each traveller is offered what he may link: the salesperson his customer, the areas and his
    opportunity; the engineer his own project, not another engineer's; any other id is refused."""
    assert offered(hweb("am")) == {link(CUSTOMER, market["customer"]), link(AREA, market["area"]),
                                   link(OPPORTUNITY, market["opportunity"])}
    assert offered(hweb("pe")) == {link(PROJECT, projects["own"]), link(AREA, market["area"])}
    page = hweb("am").get("/hr_appraisal/trip/new").get_data(as_text=True)
    assert f'{market["opportunity_number"]} 门诊楼综合布线' in page

    for refused in (link(PROJECT, projects["foreign"]), link(OPPORTUNITY, market["opportunity"]),
                    link(TICKET, 99999), 9 * 10**8 + 1):
        status, body = trip(staff, hapi, "pe", link_id=refused)
        assert status == 422 and "link_id" in body["fields"], (refused, body)
    status, body = trip(staff, hapi, "pe", link_id=link(PROJECT, projects["own"]))
    assert status == 201, body
    assert (body["link_type"], body["link_id"]) == ("project", link(PROJECT, projects["own"]))
    with app.app_context():
        from modules.hr_appraisal.trips import Trip
        kept = db.session.get(Trip, body["id"])
        assert (kept.link_record_id, kept.link_label) == (projects["own"], "GC-T0001 市一中校园网综合布线工程")
    # changed later to another engineer's project: refused naming the rule
    status, refused = hapi(staff, "pe", "patch", f"trip/{body['id']}",
                           {"version": body["version"], "link_id": link(PROJECT, projects["foreign"])})
    assert status == 422 and "R-H-025" in str(refused["fields"]["link_id"]), refused


@pytest.mark.modules("hr_appraisal")
def test_links_offered_only_by_the_enabled_modules(app, staff, hapi, hweb):
    """hr_appraisal alone: nothing to link, no department rule; a trip goes without a link."""
    assert offered(hweb("pe")) == set() and offered(hweb("am")) == set()
    status, body = trip(staff, hapi, "am")
    assert status == 201 and body["link_type"] == "none", body
    status, body = trip(staff, hapi, "pe", link_id=link(PROJECT, 1))
    assert status == 422 and "link_id" in body["fields"], body


def test_hook_hr_appraisal_trip_rules(app, staff, hapi, market, projects):
    """R-S-029: a market trip links to a customer, area or opportunity; R-E-016: an engineering
    trip to a project or service ticket. The refusal names the rule and the field."""
    status, body = trip(staff, hapi, "am")
    assert status == 422 and "R-S-029" in str(body["fields"]["link_id"]), body
    status, body = trip(staff, hapi, "pe")
    assert status == 422 and "R-E-016" in str(body["fields"]["link_id"]), body
    status, body = trip(staff, hapi, "pe", link_id=link(AREA, market["area"]))       # offered, but not his
    assert status == 422 and "R-E-016" in str(body["fields"]["link_id"]), body
    for kind, key in ((CUSTOMER, "customer"), (AREA, "area"), (OPPORTUNITY, "opportunity")):
        status, body = trip(staff, hapi, "am", link_id=link(kind, market[key]))
        assert status == 201, body
    status, body = trip(staff, hapi, "pe", link_id=link(PROJECT, projects["own"]))
    assert status == 201, body
    with app.app_context():
        from core.rules import declared
        assert {"R-S-029", "R-E-016", "R-H-025"} <= set(declared())


def test_cost_reaches_the_project(app, staff, hapi, projects):
    """I-16, R-E-016: the approved claim is an actual 差旅 cost of the linked project (F-E04)."""
    from modules.engineering.costs import CostPosting
    status, body = trip(staff, hapi, "pe", link_id=link(PROJECT, projects["own"]))
    assert status == 201, body
    approved_claim(staff, hapi, "pe", "eng_mgr", body["id"])
    with app.app_context():
        postings = db.session.execute(select(CostPosting.project_id, CostPosting.category, CostPosting.kind,
                                             CostPosting.amount, CostPosting.reference)).all()
        assert [tuple(p) for p in postings] == [(projects["own"], "travel", "actual", Decimal("1153.50"),
                                                 body["number"])]


def test_cost_reaches_the_opportunity(app, staff, hapi, hweb, market):
    """I-16: the approved travel cost is written on the linked opportunity's timeline, which its
    salesperson reads on the opportunity's page."""
    status, body = trip(staff, hapi, "am", link_id=link(OPPORTUNITY, market["opportunity"]))
    assert status == 201, body
    approved_claim(staff, hapi, "am", "mkt_mgr", body["id"])
    page = hweb("am").get(f"/sales/opportunity/{market['opportunity']}").get_data(as_text=True)
    assert f"差旅费用 ¥1,153.50：出差 {body['number']} 上海" in page


@pytest.mark.modules("hr_appraisal")
def test_module_off_the_cost_stays_on_the_trip(app, staff, hapi, hweb):
    """A trip linked while engineering was on keeps its link readable when engineering is off;
    its approved claim keeps the cost (nobody takes it)."""
    from modules.hr_appraisal.trips import Trip, TripClaim
    status, body = trip(staff, hapi, "pe")
    assert status == 201, body
    with app.app_context():
        kept = db.session.get(Trip, body["id"])
        kept.link_type, kept.link_record_id, kept.link_label = "project", 5, "GC-2026-0005 南山数据中心机房工程"
        db.session.commit()
    claim_id = approved_claim(staff, hapi, "pe", "eng_mgr", body["id"])
    page = hweb("pe").get(f"/hr_appraisal/trip/{body['id']}").get_data(as_text=True)
    assert "GC-2026-0005 南山数据中心机房工程" in page
    with app.app_context():
        claim = db.session.get(TripClaim, claim_id)
        assert claim.state == "approved" and claim.total == Decimal("1153.50")


def test_ticket_trip_charged_to_the_tickets_project(app, staff, hapi, projects):
    """R-E-016: a trip for a service ticket is offered to its engineer; the cost goes to the
    ticket's project."""
    from core.auth.models import User
    from modules.engineering.costs import CostPosting
    from modules.engineering.service import ServiceTicket
    pe = staff["ids"]["pe"]
    with app.app_context():
        ticket = ServiceTicket(number="SH-T0001", title="交换机故障", state="assigned", owner_id=pe, created_by_id=pe,
                               updated_by_id=pe, customer_id=1, project_id=projects["own"], assigned_to_id=pe,
                               reported_at=calendar_today.now(), reporter_name="王主任", reporter_phone="0755-1",
                               symptom="核心交换机宕机", urgency="urgent")
        db.session.add(ticket)
        db.session.commit()
        ticket_id = ticket.id
        assert db.session.get(User, pe).department.code == "ENG"
    status, body = trip(staff, hapi, "pe", link_id=link(TICKET, ticket_id))
    assert status == 201 and body["link_type"] == "ticket", body
    approved_claim(staff, hapi, "pe", "eng_mgr", body["id"])
    with app.app_context():
        postings = db.session.execute(select(CostPosting.project_id, CostPosting.amount)).all()
        assert [tuple(p) for p in postings] == [(projects["own"], Decimal("1153.50"))]
