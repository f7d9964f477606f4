"""Business trips (WF-H03): travel standards (R-H-020), application (X-H01, R-H-021..R-H-024) and
expense claim (X-H02, R-H-020, R-H-025, I-16)."""
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from core import calendar as cal
from core import calendar_today
from core.extensions import db

pytestmark = pytest.mark.modules("hr_appraisal")


def seed(app):
    from modules.hr_appraisal.trips import seed_standards
    with app.app_context():
        seed_standards()
        db.session.commit()


def new_trip(staff, hapi, who="pe", start_in=3, days=3, **values):
    with_app_today = calendar_today.today()
    start = with_app_today + timedelta(days=start_in)
    body = {"destination": "上海", "city_tier": "tier1", "purpose": "现场调试", "transport": "train",
            "planned_start": start.isoformat(),
            "planned_end": (start + timedelta(days=days - 1)).isoformat(), "advance": "2000",
            "est_lines": [{"category": "hotel", "amount": "900"}, {"category": "transport", "amount": "1100"}]}
    body.update(values)
    return hapi(staff, who, "post", "trip", body)


def act(staff, hapi, who, trip_id, name, **body):
    _status, doc = hapi(staff, "pe", "get", f"trip/{trip_id}")
    return hapi(staff, who, "post", f"trip/{trip_id}/transitions/{name}", {"version": doc["version"], **body})


def approved_trip(staff, hapi, **values):
    status, trip = new_trip(staff, hapi, **values)
    assert status == 201, trip
    assert act(staff, hapi, "pe", trip["id"], "submit")[0] == 200
    status, body = act(staff, hapi, "eng_mgr", trip["id"], "approve")
    assert status == 200, body
    return trip["id"]



def returned_trip(staff, hapi, **values):
    trip_id = approved_trip(staff, hapi, **values)
    assert act(staff, hapi, "pe", trip_id, "depart")[0] == 200
    status, body = act(staff, hapi, "pe", trip_id, "return")
    assert status == 200, body
    return trip_id


def on_day(monkeypatch, day):
    monkeypatch.setattr(calendar_today, "today", lambda: day)


# ---- travel standards ---------------------------------------------------------------------------
def test_standards_seeded_and_kept_by_administration(app, staff, hapi):
    seed(app)
    seed(app)                                                  # idempotent
    status, body = hapi(staff, "pe", "get", "travel_standard?size=50")
    assert status == 200 and len(body["items"]) == 9
    row = next(i for i in body["items"] if i["level"] == "manager" and i["tier"] == "tier1")
    assert Decimal(str(row["hotel_per_night"])) == 400 and Decimal(str(row["meals_per_day"])) == 100
    staff_other = next(i for i in body["items"] if i["level"] == "staff" and i["tier"] == "other")
    assert Decimal(str(staff_other["hotel_per_night"])) == 200
    status, _ = hapi(staff, "pe", "patch", f"travel_standard/{row['id']}", {"version": row["version"],
                                                                            "hotel_per_night": "900"})
    assert status == 403
    status, changed = hapi(staff, "adm", "patch", f"travel_standard/{row['id']}",
                           {"version": row["version"], "hotel_per_night": "450"})
    assert status == 200 and Decimal(str(changed["hotel_per_night"])) == 450
    status, body = hapi(staff, "adm", "post", "travel_standard", {
        "level": "manager", "tier": "tier1", "hotel_per_night": "1", "meals_per_day": "1",
        "transport_class": "bus"})
    assert status == 422 and "tier" in body["fields"]


# ---- application (R-H-022) ----------------------------------------------------------------------
def test_application_after_the_start_refused(app, staff, hapi, monkeypatch):
    status, body = new_trip(staff, hapi, start_in=-1)
    assert status == 422 and "planned_start" in body["fields"]
    status, body = new_trip(staff, hapi, start_in=-1, emergency_reason="客户机房故障，当晚紧急出发")
    assert status == 201, body
    with app.app_context():
        long_ago = cal.add_working_days(calendar_today.today(), -5)
    status, body = new_trip(staff, hapi, start_in=(long_ago - calendar_today.today()).days,
                            emergency_reason="紧急")
    assert status == 422 and "planned_start" in body["fields"]
    # a draft left waiting past its start is refused at submission, naming the rule
    status, trip = new_trip(staff, hapi, start_in=1)
    on_day(monkeypatch, calendar_today.today() + timedelta(days=3))
    status, body = act(staff, hapi, "pe", trip["id"], "submit")
    assert status == 422 and "R-H-022" in body["rules"]
    with app.app_context():
        from modules.hr_appraisal.trips import Trip
        assert db.session.get(Trip, trip["id"]).state == "draft"


def test_bad_input_names_the_field(app, staff, hapi):
    status, body = new_trip(staff, hapi, city_tier="tier9", destination="")
    assert status == 422 and {"city_tier", "destination"} <= set(body["fields"])
    status, body = new_trip(staff, hapi, planned_end="2020-01-01")
    assert status == 422 and "planned_end" in body["fields"]


# ---- approval by the superior -------------------------------------------------------------------
def test_only_the_superior_approves(app, staff, hapi):
    status, trip = new_trip(staff, hapi)
    assert act(staff, hapi, "pe", trip["id"], "submit")[0] == 200
    assert act(staff, hapi, "adm", trip["id"], "approve")[0] == 403
    assert act(staff, hapi, "mkt_mgr", trip["id"], "approve")[0] == 404      # not even his to see
    assert act(staff, hapi, "pe", trip["id"], "approve")[0] == 403
    status, body = act(staff, hapi, "eng_mgr", trip["id"], "approve")
    assert status == 200 and body["state"] == "approved"


def test_long_trip_also_goes_to_the_director(app, staff, hapi):
    status, trip = new_trip(staff, hapi, days=6)
    assert act(staff, hapi, "pe", trip["id"], "submit")[0] == 200
    status, body = act(staff, hapi, "eng_mgr", trip["id"], "approve")
    assert status == 200 and body["state"] == "submitted"
    status, body = act(staff, hapi, "dir", trip["id"], "approve")
    assert status == 200 and body["state"] == "approved"


def test_top_of_the_chain(app, staff, hapi):
    """The 总经理's own trip needs no approval; the 财务's goes to the 总经理, his superior."""
    def submit(who, trip_id):
        _status, doc = hapi(staff, who, "get", f"trip/{trip_id}")
        return hapi(staff, who, "post", f"trip/{trip_id}/transitions/submit", {"version": doc["version"]})

    _status, trip = new_trip(staff, hapi, who="gm")
    status, body = submit("gm", trip["id"])
    assert status == 200 and body["state"] == "approved"
    _status, trip = new_trip(staff, hapi, who="fin")
    status, body = submit("fin", trip["id"])
    assert status == 200 and body["state"] == "submitted"
    status, _body = hapi(staff, "eng_mgr", "post", f"trip/{trip['id']}/transitions/approve", {})
    assert status in (403, 404)
    _status, doc = hapi(staff, "gm", "get", f"trip/{trip['id']}")
    status, body = hapi(staff, "gm", "post", f"trip/{trip['id']}/transitions/approve", {"version": doc["version"]})
    assert status == 200 and body["state"] == "approved"


# ---- change of dates (R-H-021) ------------------------------------------------------------------
def test_date_change_approved_by_the_superior_before_the_return(app, staff, hapi, monkeypatch):
    trip_id = approved_trip(staff, hapi)
    status, trip = hapi(staff, "pe", "get", f"trip/{trip_id}")
    end = calendar_today.today() + timedelta(days=5)
    new = {"change_start": trip["planned_start"], "change_end": (end + timedelta(days=2)).isoformat(),
           "change_reason": "客户要求增加一天培训"}
    status, body = act(staff, hapi, "pe", trip_id, "request_change", **new)
    assert status == 200, body
    status, body = act(staff, hapi, "dir", trip_id, "approve_change")
    assert status == 422 and "R-H-021" in body["rules"]
    status, body = act(staff, hapi, "eng_mgr", trip_id, "approve_change")
    assert status == 200, body
    assert body["planned_end"] == new["change_end"] and body["change_end"] is None


def test_date_change_after_the_original_return_refused(app, staff, hapi, monkeypatch):
    trip_id = approved_trip(staff, hapi)
    status, trip = hapi(staff, "pe", "get", f"trip/{trip_id}")
    end = trip["planned_end"]
    from datetime import date
    on_day(monkeypatch, date.fromisoformat(end) + timedelta(days=1))
    status, body = act(staff, hapi, "pe", trip_id, "request_change", change_start=trip["planned_start"],
                       change_end=(date.fromisoformat(end) + timedelta(days=3)).isoformat(), change_reason="延期")
    assert status == 422 and "R-H-021" in body["rules"]
    status, again = hapi(staff, "pe", "get", f"trip/{trip_id}")
    assert again["planned_end"] == end and again["change_end"] is None


# ---- trip report (R-H-023) ----------------------------------------------------------------------
def test_report_due_at_the_working_day_boundary(app, staff, hapi, monkeypatch):
    from core.rules.models import RuleViolation
    trip_id = returned_trip(staff, hapi)
    status, trip = hapi(staff, "pe", "get", f"trip/{trip_id}")
    with app.app_context():
        due = cal.add_working_days(calendar_today.today(), 3)
    assert trip["report_due"] == due.isoformat()
    on_day(monkeypatch, due)                                   # on the due day: in time
    status, body = act(staff, hapi, "pe", trip_id, "report", results="完成调试")
    assert status == 200 and body["state"] == "reported" and not body["report_late"]
    with app.app_context():
        assert db.session.scalar(select(RuleViolation).where(RuleViolation.rule_code == "R-H-023")) is None
    monkeypatch.undo()
    late_id = returned_trip(staff, hapi)
    on_day(monkeypatch, due + timedelta(days=1))               # the day after: late, recorded
    status, body = act(staff, hapi, "pe", late_id, "report", results="补交")
    assert status == 200 and body["report_late"]
    with app.app_context():
        found = db.session.scalars(select(RuleViolation).where(RuleViolation.rule_code == "R-H-023")).all()
        assert [(v.user_id, v.kind, v.doc_id) for v in found] == [(staff["ids"]["pe"], "deadline_missed", late_id)]


def test_report_never_handed_in_recorded_once(app, staff, hapi, monkeypatch):
    from datetime import datetime, time

    from core.rules.models import RuleViolation
    from modules.hr_appraisal.trips import erp_scheduled
    trip_id = returned_trip(staff, hapi)
    with app.app_context():
        due = cal.add_working_days(calendar_today.today(), 3)
        erp_scheduled(datetime.combine(due, time(20), tzinfo=cal.timezone()))       # due today: not late yet
        assert db.session.scalar(select(RuleViolation.id).where(RuleViolation.rule_code == "R-H-023")) is None
        for _run in range(2):
            erp_scheduled(datetime.combine(due + timedelta(days=1), time(1), tzinfo=cal.timezone()))
        found = db.session.scalars(select(RuleViolation).where(RuleViolation.rule_code == "R-H-023")).all()
        assert [(v.user_id, v.doc_id) for v in found] == [(staff["ids"]["pe"], trip_id)]
    on_day(monkeypatch, due + timedelta(days=2))
    status, body = act(staff, hapi, "pe", trip_id, "report", results="补交")
    assert status == 200 and body["report_late"]
    with app.app_context():
        assert len(db.session.scalars(select(RuleViolation).where(RuleViolation.rule_code == "R-H-023")).all()) == 1


def test_report_needs_results(app, staff, hapi):
    trip_id = returned_trip(staff, hapi)
    status, body = act(staff, hapi, "pe", trip_id, "report")
    assert status == 422 and "results" in body["fields"]


# ---- expense claim (R-H-020, R-H-022) -----------------------------------------------------------
def claim(staff, hapi, trip_id, lines):
    return hapi(staff, "pe", "post", "trip_claim", {"trip_id": trip_id, "lines": lines})


def claim_act(staff, hapi, who, claim_id, name, **body):
    _status, doc = hapi(staff, who, "get", f"trip_claim/{claim_id}")
    return hapi(staff, who, "post", f"trip_claim/{claim_id}/transitions/{name}", {"version": doc["version"], **body})


def test_claim_line_over_the_standard_needs_approval(app, staff, hapi):
    seed(app)
    trip_id = returned_trip(staff, hapi)
    day = calendar_today.today().isoformat()
    # staff in a tier-1 city: hotel 300 a night, meals 80 a day
    status, body = claim(staff, hapi, trip_id, [
        {"expense_type": "hotel", "day": day, "amount": "900", "quantity": 3},
        {"expense_type": "meals", "day": day, "amount": "240.01", "quantity": 3}])
    assert status == 201, body
    lines = body["lines"]
    assert [line["over_standard"] for line in lines] == [False, True]
    assert body["over_standard"] and Decimal(str(body["over_amount"])) == Decimal("0.01")
    status, refused = claim_act(staff, hapi, "pe", body["id"], "submit")
    assert status == 422 and "R-H-020" in refused["rules"]
    lines[1]["reason"] = "会议期间统一订餐"
    status, doc = hapi(staff, "pe", "get", f"trip_claim/{body['id']}")
    status, saved = hapi(staff, "pe", "patch", f"trip_claim/{body['id']}", {
        "version": doc["version"], "lines": [{k: v for k, v in line.items() if k in (
            "expense_type", "day", "amount", "quantity", "reason")} for line in lines]})
    assert status == 200, saved
    assert claim_act(staff, hapi, "pe", body["id"], "submit")[0] == 200
    status, after = claim_act(staff, hapi, "eng_mgr", body["id"], "approve")
    assert status == 200 and after["state"] == "submitted"      # the 总经理 approves the excess
    assert claim_act(staff, hapi, "dir", body["id"], "approve")[0] == 403
    status, after = claim_act(staff, hapi, "gm", body["id"], "approve")
    assert status == 200 and after["state"] == "approved"


def test_claim_at_the_standard_needs_only_the_superior(app, staff, hapi):
    seed(app)
    trip_id = returned_trip(staff, hapi)
    day = calendar_today.today().isoformat()
    status, body = claim(staff, hapi, trip_id, [
        {"expense_type": "hotel", "day": day, "amount": "900", "quantity": 3},
        {"expense_type": "meals", "day": day, "amount": "240", "quantity": 3},
        {"expense_type": "transport", "day": day, "amount": "553", "travel_class": "train_second"}])
    assert status == 201 and not body["over_standard"]
    assert claim_act(staff, hapi, "pe", body["id"], "submit")[0] == 200
    status, after = claim_act(staff, hapi, "eng_mgr", body["id"], "approve")
    assert status == 200 and after["state"] == "approved"


def test_claim_needs_a_travelled_trip(app, staff, hapi):
    seed(app)
    trip_id = approved_trip(staff, hapi)
    status, body = claim(staff, hapi, trip_id, [{"expense_type": "other", "day": "2026-12-01", "amount": "10"}])
    assert status == 422 and "trip_id" in body["fields"]


def test_transport_class_above_the_standard_is_over(app, staff):
    from modules.hr_appraisal.trips import ClaimLine, check_line, standard_for
    seed(app)
    with app.app_context():
        standard = standard_for("staff", "tier1")
        line = ClaimLine(expense_type="transport", amount=Decimal(1500), travel_class="plane_economy")
        check_line(line, standard)
        assert line.over_standard
        line = ClaimLine(expense_type="transport", amount=Decimal(500), travel_class="train_second")
        check_line(line, standard)
        assert not line.over_standard


# ---- advances (R-H-024) -------------------------------------------------------------------------
def test_unsettled_advance_flagged(app, staff, hapi):
    from datetime import datetime, time

    from modules.hr_appraisal.trips import erp_reminders, unsettled_advances
    seed(app)
    trip_id = returned_trip(staff, hapi)
    today = calendar_today.today()
    with app.app_context():
        assert unsettled_advances(today + timedelta(days=30)) == []
        flagged = unsettled_advances(today + timedelta(days=31))
        assert [(row.id, row.owner_id) for row in flagged] == [(trip_id, staff["ids"]["pe"])]
        later = datetime.combine(today + timedelta(days=31), time(9), tzinfo=cal.timezone())
        users = {r.user_id for r in erp_reminders(later) if f":{trip_id}:" in r.key}
        assert users == {staff["ids"]["pe"], staff["ids"]["fin"]}
    _status, body = claim(staff, hapi, trip_id, [{"expense_type": "other", "day": today.isoformat(), "amount": "50"}])
    assert claim_act(staff, hapi, "pe", body["id"], "submit")[0] == 200
    assert claim_act(staff, hapi, "eng_mgr", body["id"], "approve")[0] == 200
    assert claim_act(staff, hapi, "pe", body["id"], "reimburse")[0] == 403
    assert claim_act(staff, hapi, "fin", body["id"], "reimburse")[0] == 200
    with app.app_context():
        assert unsettled_advances(today + timedelta(days=31)) == []


# ---- the hook (I-16) ----------------------------------------------------------------------------
def approved_claim(app, staff, hapi, **values):
    seed(app)
    trip_id = returned_trip(staff, hapi, **values)
    day = calendar_today.today().isoformat()
    status, body = claim(staff, hapi, trip_id, [
        {"expense_type": "hotel", "day": day, "amount": "600", "quantity": 2},
        {"expense_type": "transport", "day": day, "amount": "553.50"}])
    assert status == 201, body
    assert claim_act(staff, hapi, "pe", body["id"], "submit")[0] == 200
    status, after = claim_act(staff, hapi, "eng_mgr", body["id"], "approve")
    assert status == 200 and after["state"] == "approved"
    return body["id"]


def test_hook_hr_appraisal_trip_costs(app, staff, hapi):
    """A plugin offering a project hears the approved claim of the trip linked to it, with its id."""
    from core.hookspecs import hookimpl
    heard = []

    class Listener:
        @hookimpl
        def hr_appraisal_trip_links(self, user, query, kind, record_id):
            offered = {"kind": "project", "id": 7, "number": "GC-X0001", "label": "南山数据中心"}
            return [offered] if kind in (None, "project") and record_id in (None, 7) else []

        @hookimpl
        def hr_appraisal_trip_costs(self, trip, lines, user):
            heard.append((trip.link_type, trip.link_record_id, trip.link_label,
                          [(line["category"], line["amount"]) for line in lines], user.username))

    app.extensions["erp"].pm.register(Listener())
    approved_claim(app, staff, hapi, link_id=2 * 10**8 + 7)
    assert heard == [("project", 7, "GC-X0001 南山数据中心",
                      [("hotel", Decimal("600.00")), ("transport", Decimal("553.50"))], "eng_mgr")]


@pytest.mark.modules("hr_appraisal", "engineering")
def test_hook_hr_appraisal_trip_costs_reaches_engineering(app, staff, hapi):
    from modules.engineering.costs import CostPosting
    from tests.modules.engineering.conftest import make_project
    project_id = make_project(app, staff, state="in_construction")
    claim_id = approved_claim(app, staff, hapi, link_id=2 * 10**8 + project_id)
    with app.app_context():
        from modules.hr_appraisal.trips import TripClaim
        trip_number = db.session.get(TripClaim, claim_id).trip.number
        postings = db.session.scalars(select(CostPosting).where(CostPosting.project_id == project_id)).all()
        assert [(p.category, p.kind, p.amount, p.reference) for p in postings] == [
            ("travel", "actual", Decimal("1153.50"), trip_number)]


def test_claim_reminded_after_the_return(app, staff, hapi):
    from datetime import datetime, time

    from modules.hr_appraisal.trips import claims_due
    trip_id = returned_trip(staff, hapi)
    with app.app_context():
        now = datetime.combine(calendar_today.today(), time(9), tzinfo=cal.timezone())
        due = [r for r in claims_due(now) if r.key.endswith(f":{trip_id}")]
        assert [r.user_id for r in due] == [staff["ids"]["pe"]]
        assert due[0].due_at.date() == cal.add_working_days(calendar_today.today(), 7)
    claim(staff, hapi, trip_id, [{"expense_type": "other", "day": calendar_today.today().isoformat(), "amount": "5"}])
    with app.app_context():
        assert not [r for r in claims_due(now) if r.key.endswith(f":{trip_id}")]


def test_pages_menu_and_print(app, staff, hapi, hweb):
    seed(app)
    trip_id = returned_trip(staff, hapi)
    _status, body = claim(staff, hapi, trip_id, [
        {"expense_type": "hotel", "day": calendar_today.today().isoformat(), "amount": "300", "quantity": 1}])
    browser = hweb("pe")
    home = browser.get("/").get_data(as_text=True)
    for path in ("/hr_appraisal/trip/", "/hr_appraisal/trip_claim/", "/hr_appraisal/travel_standard/",
                 "/hr_appraisal/job_profile/", f"/hr_appraisal/trip/{trip_id}", f"/hr_appraisal/trip/{trip_id}/print",
                 f"/hr_appraisal/trip_claim/{body['id']}/print", "/hr_appraisal/trip/new",
                 "/hr_appraisal/trip_claim/new"):
        assert browser.get(path).status_code == 200, path
    for menu in ("/hr_appraisal/trip/", "/hr_appraisal/job_profile/", "/hr_appraisal/travel_standard/"):
        assert f'href="{menu}' in home or f"href=\"{menu.rstrip('/')}" in home, menu
    assert "出差申请单" in browser.get(f"/hr_appraisal/trip/{trip_id}/print").get_data(as_text=True)
    # someone outside the traveller's reporting line does not see it
    assert hweb("mkt_mgr").get(f"/hr_appraisal/trip/{trip_id}").status_code in (403, 404)
    assert hweb("pe").get("/hr_appraisal/travel_standard/new").status_code == 403


def test_demo_data(app, staff):
    from core.rules.models import RuleViolation
    from modules.hr_appraisal.trips import Trip, TripClaim, demo
    with app.app_context():
        made = demo()
        db.session.commit()
        assert made and demo() == []
        states = set(db.session.scalars(select(Trip.state)))
        assert {"draft", "submitted", "approved", "on_trip", "returned", "reported", "closed"} <= states
        assert db.session.scalar(select(TripClaim.over_standard))
        assert db.session.scalar(select(RuleViolation.id).where(RuleViolation.rule_code == "R-H-023"))


def test_web_form(app, staff, hapi, hweb):
    from modules.hr_appraisal.trips import Trip, TripClaim
    seed(app)
    browser = hweb("pe")
    start = calendar_today.today() + timedelta(days=2)
    form = {"destination": "南京", "city_tier": "tier2", "purpose": "客户回访", "link_id": "", "transport": "train",
            "planned_start": start.isoformat(), "planned_end": (start + timedelta(days=1)).isoformat(),
            "advance": "", "est_lines-0-category": "hotel", "est_lines-0-amount": "250"}
    past = dict(form, planned_start=(calendar_today.today() - timedelta(days=1)).isoformat())
    response = browser.post("/hr_appraisal/trip/new", data=past)
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(Trip.id)) is None                      # nothing half-saved
    response = browser.post("/hr_appraisal/trip/new", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        trip = db.session.scalar(select(Trip))
        assert trip.est_total == Decimal(250) and trip.owner_id == staff["ids"]["pe"]
    trip_id = returned_trip(staff, hapi)
    response = browser.post("/hr_appraisal/trip_claim/new", data={
        "trip_id": str(trip_id), "lines-0-expense_type": "hotel", "lines-0-day": start.isoformat(),
        "lines-0-amount": "350", "lines-0-quantity": "1", "lines-0-reason": "展会期间"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        claim = db.session.scalar(select(TripClaim))
        assert claim.over_standard and claim.lines[0].standard == Decimal(300)


def test_demo_data_shows_no_english_to_the_user(app, staff):
    """Found walking the demo claim: its history read "提交 · 草稿 → 已提交: demo"."""
    from core.audit.models import AuditEntry
    from modules.hr_appraisal.trips import demo
    with app.app_context():
        demo()
        db.session.commit()
        comments = db.session.scalars(select(AuditEntry.changes).where(AuditEntry.changes.contains("出差人提交"))).all()
        assert len(comments) == 2
        assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.changes.contains('"demo"'))) is None
