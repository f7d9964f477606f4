"""After-sales service (WF-E05): the installed base (X-E03) and its gate R-E-062, service tickets
(X-E02: warranty on the report's day, response targets R-E-060, complaints R-E-061 seen by the
市场部经理, the fee without sales I-11), satisfaction surveys (X-E04, low-score follow-up)."""
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from core.extensions import db

from .conftest import make_project

pytestmark = pytest.mark.modules("engineering")

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def clock(monkeypatch):
    """clock("2026-12-08 17:00"): the company's current time (Asia/Shanghai) from then on."""
    from core import calendar_today

    def set_time(text):
        moment = datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)
        monkeypatch.setattr(calendar_today, "now", lambda: moment)
        monkeypatch.setattr(calendar_today, "today", lambda: moment.date())
    return set_time


@pytest.fixture
def customer(app):
    """A core party with the customer role; its id."""
    from core.parties import services as parties
    with app.app_context():
        party = parties.create_party("市第三中学", roles=("customer",))
        db.session.commit()
        return party.id


def device(team, eapi, customer, who="pe", **values):
    body = {"customer_id": customer, "device_type": "网络摄像机", "brand": "海康威视", "model": "DS-2CD3T47",
            "serial_no": "HK20260001", "location": "教学楼一层走廊", "install_date": "2026-01-15", **values}
    return eapi(team, who, "post", "installed_device", body)


def ticket(team, eapi, customer, who="pe", **values):
    body = {"customer_id": customer, "reporter_name": "王主任", "reporter_phone": "13800000000",
            "symptom": "一层摄像机无图像", "urgency": "normal", **values}
    return eapi(team, who, "post", "service_ticket", body)


def act(team, eapi, who, doc_id, name, **values):
    return eapi(team, who, "post", f"service_ticket/{doc_id}/transitions/{name}", values)


def violations(app, code):
    from core.rules.models import RuleViolation
    with app.app_context():
        return [(v.user_id, v.doc_number) for v in db.session.scalars(
            select(RuleViolation).where(RuleViolation.rule_code == code, RuleViolation.kind == "deadline_missed"))]


def notes(app, user_id):
    from core.reminders.models import Notification
    with app.app_context():
        return [n.title for n in db.session.scalars(select(Notification).where(Notification.user_id == user_id))]


# ---- installed base ---------------------------------------------------------------------------
def test_device_warranty_defaults_from_the_project_and_serials_are_unique_per_brand(app, team, eapi, customer):
    pid = make_project(app, team, state="closing", warranty_months=24)
    status, body = device(team, eapi, customer, project_id=pid)
    assert status == 201, body
    assert body["warranty_end"] == "2028-01-15" and body["number"].startswith("SB-")
    assert body["customer_name"] == "市第三中学"
    # Without a project: twelve months; a given warranty end is kept.
    status, body = device(team, eapi, customer, serial_no="HK20260002")
    assert status == 201 and body["warranty_end"] == "2027-01-15"
    status, body = device(team, eapi, customer, serial_no="HK20260003", warranty_end="2029-06-30")
    assert status == 201 and body["warranty_end"] == "2029-06-30"
    # The same serial of the same brand is refused naming the field; of another brand it is fine.
    status, body = device(team, eapi, customer, serial_no="HK20260002")
    assert status == 422 and "serial_no" in body["fields"]
    status, body = device(team, eapi, customer, serial_no="HK20260002", brand="大华")
    assert status == 201, body
    # Required fields and the customer.
    status, body = device(team, eapi, customer, serial_no="", location="")
    assert status == 422 and {"serial_no", "location"} <= set(body["fields"])
    status, body = device(team, eapi, 999999, serial_no="X1")
    assert status == 422 and "customer_id" in body["fields"]
    # Searchable by serial.
    status, listing = eapi(team, "eng_mgr", "get", "installed_device?q=HK20260003")
    assert status == 200 and [d["serial_no"] for d in listing["items"]] == ["HK20260003"]


def test_a_project_goes_under_warranty_only_with_its_installed_base_or_a_waiver(app, team, eapi, eweb, customer):
    pid = make_project(app, team, state="closing")
    status, body = eapi(team, "eng_mgr", "post", f"project/{pid}/transitions/to_warranty", {})
    assert status == 422 and "R-E-062" in body["rules"]
    assert device(team, eapi, customer, project_id=pid)[0] == 201
    status, body = eapi(team, "eng_mgr", "post", f"project/{pid}/transitions/to_warranty", {})
    assert "R-E-062" not in (body.get("rules") or [])          # (the final account's own gate may remain)
    # Another project: the manager records that it delivered no equipment (the engineer may not).
    other = make_project(app, team, state="closing")
    assert eweb("pe").post(f"/engineering/project/{other}/no-equipment", data={"reason": "纯服务"}).status_code == 403
    browser = eweb("eng_mgr")
    page = browser.get(f"/engineering/project/{other}/devices")
    assert page.status_code == 200
    assert browser.post(f"/engineering/project/{other}/no-equipment", data={"reason": ""}).status_code == 302
    assert "R-E-062" in eapi(team, "eng_mgr", "post", f"project/{other}/transitions/to_warranty", {})[1]["rules"]
    assert browser.post(f"/engineering/project/{other}/no-equipment",
                        data={"reason": "本项目为纯技术服务，未交付设备"}).status_code == 302
    status, body = eapi(team, "eng_mgr", "post", f"project/{other}/transitions/to_warranty", {})
    assert "R-E-062" not in (body.get("rules") or [])


def test_the_equipment_list_adds_many_devices_all_or_none(app, team, eapi, eweb, customer):
    from modules.engineering.installed import InstalledDevice
    pid = make_project(app, team, state="closing")
    browser = eweb("pe")
    rows = {"rows": "3", "customer_id": str(customer), "install_date": "2026-11-20", "supplier": "华为代理商"}
    for i, (kind, serial) in enumerate([("核心交换机", "HW001"), ("接入交换机", "HW002")]):
        rows.update({f"device_type-{i}": kind, f"brand-{i}": "华为", f"model-{i}": "S5735", f"serial_no-{i}": serial,
                     f"location-{i}": "中心机房"})
    bad = dict(rows, **{"serial_no-1": "HW001"})                 # the same serial twice: nothing saved
    page = browser.post(f"/engineering/project/{pid}/devices", data=bad)
    assert page.status_code == 200 and "HW001" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(db.func.count(InstalledDevice.id))) == 0
    assert browser.post(f"/engineering/project/{pid}/devices", data=rows).status_code == 302
    with app.app_context():
        made = db.session.scalars(select(InstalledDevice).order_by(InstalledDevice.id)).all()
        assert [(d.serial_no, d.project_id, d.install_date.isoformat(), d.warranty_end.isoformat(), d.supplier)
                for d in made] == [("HW001", pid, "2026-11-20", "2027-11-20", "华为代理商"),
                                   ("HW002", pid, "2026-11-20", "2027-11-20", "华为代理商")]
    assert "HW002" in browser.get(f"/engineering/project/{pid}/devices").get_data(as_text=True)
    # Someone outside engineering may not add devices.
    assert eweb("buyer").get(f"/engineering/project/{pid}/devices").status_code == 403


# ---- service tickets ---------------------------------------------------------------------------
def test_under_warranty_is_computed_on_the_report_day_boundary(app, team, eapi, customer, clock):
    clock("2026-12-05 10:00")
    status, dev = device(team, eapi, customer, install_date="2025-12-03", warranty_end="2026-12-03")
    assert status == 201, dev
    status, body = ticket(team, eapi, customer, device_id=dev["id"], reported_at="2026-12-03T23:30:00+08:00")
    assert status == 201 and body["in_warranty"] is True, body         # the last day still counts
    status, body = ticket(team, eapi, customer, device_id=dev["id"], reported_at="2026-12-04T00:10:00+08:00")
    assert status == 201 and body["in_warranty"] is False, body
    # Edited while reported: still computed (the stored moment read back).
    status, edited = eapi(team, "pe", "patch", f"service_ticket/{body['id']}",
                          {"symptom": "一层两台摄像机无图像", "version": body["version"]})
    assert status == 200 and edited["in_warranty"] is False, edited
    assert ticket(team, eapi, customer, reported_at="2026-12-06T10:00:00+08:00")[1]["fields"].keys() == {"reported_at"}
    # Without a device: the project's warranty end.
    pid = make_project(app, team, state="warranty", warranty_end=datetime(2026, 12, 4).date())
    status, body = ticket(team, eapi, customer, project_id=pid, reported_at="2026-12-04T09:00:00+08:00")
    assert status == 201 and body["in_warranty"] is True
    # The device's customer is the ticket's.
    from core.parties import services as parties
    with app.app_context():
        other = parties.create_party("另一家客户", roles=("customer",)).id
        db.session.commit()
    status, body = ticket(team, eapi, other, device_id=dev["id"])
    assert status == 422 and "device_id" in body["fields"]


@pytest.mark.parametrize("urgency,hours", [("urgent", 4), ("normal", 24), ("low", 72)])
def test_response_target_by_urgency_and_breach_recorded_against_the_engineer(app, team, eapi, customer, clock,
                                                                              urgency, hours):
    clock("2026-12-07 09:00")
    reported = datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI)
    made = []
    for _i in range(2):
        status, body = ticket(team, eapi, customer, urgency=urgency, reported_at=reported.isoformat())
        assert status == 201, body
        assert datetime.fromisoformat(body["response_due"]) == reported + timedelta(hours=hours)
        status, body = act(team, eapi, "eng_mgr", body["id"], "assign", assigned_to_id=team["ids"]["pe"])
        assert status == 200 and body["state"] == "assigned", body
        made.append(body)
    on_time, late = made
    at_target = reported + timedelta(hours=hours)
    clock(at_target.astimezone(SHANGHAI).replace(tzinfo=None).isoformat(sep=" "))
    status, body = act(team, eapi, "pe", on_time["id"], "start")
    assert status == 200 and body["state"] == "in_service" and body["response_breached"] is False
    assert violations(app, "R-E-060") == []
    clock((at_target + timedelta(minutes=1)).astimezone(SHANGHAI).replace(tzinfo=None).isoformat(sep=" "))
    status, body = eapi(team, "eng_mgr", "get", f"service_ticket/{late['id']}")
    assert body["overdue"] is True
    status, body = act(team, eapi, "pe", late["id"], "start")
    assert status == 200 and body["response_breached"] is True
    assert violations(app, "R-E-060") == [(team["ids"]["pe"], late["number"])]


def test_a_waiting_ticket_past_its_target_is_recorded_once_by_the_sweep(app, team, eapi, customer, clock):
    clock("2026-12-07 09:00")
    body = ticket(team, eapi, customer, urgency="urgent")[1]
    act(team, eapi, "eng_mgr", body["id"], "assign", assigned_to_id=team["ids"]["pe2"])
    from core.reminders import run_scheduled
    with app.app_context():
        run_scheduled(datetime(2026, 12, 7, 12, 59, tzinfo=SHANGHAI))
        assert violations(app, "R-E-060") == []
        run_scheduled(datetime(2026, 12, 7, 13, 1, tzinfo=SHANGHAI))
        run_scheduled(datetime(2026, 12, 7, 14, 0, tzinfo=SHANGHAI))
    assert violations(app, "R-E-060") == [(team["ids"]["pe2"], body["number"])]
    clock("2026-12-07 13:01")
    listing = eapi(team, "eng_mgr", "get", "service_ticket?overdue=1")[1]
    assert [t["number"] for t in listing["items"]] == [body["number"]]


def walk_to_confirmed(team, eapi, doc_id, chargeable=False, **resolve):
    assert act(team, eapi, "eng_mgr", doc_id, "assign", assigned_to_id=team["ids"]["pe"])[0] == 200
    assert act(team, eapi, "pe", doc_id, "start")[0] == 200
    status, body = act(team, eapi, "pe", doc_id, "resolve", work_done="更换摄像机电源适配器", parts_used="12V电源1个",
                       hours="2", chargeable=chargeable, **resolve)
    assert status == 200, body
    status, body = act(team, eapi, "pe", doc_id, "confirm", satisfaction=5, feedback="响应及时")
    assert status == 200 and body["state"] == "confirmed", body
    return body


def test_complaints_close_with_a_conclusion_and_the_market_manager_sees_them_until_closed(app, team, eapi, eweb,
                                                                                           customer):
    status, plain = ticket(team, eapi, customer)
    status, complaint = ticket(team, eapi, customer, is_complaint=True, symptom="工程师态度差，多次催修无人处理")
    assert status == 201 and complaint["is_complaint"] is True
    listing = eapi(team, "mkt_mgr", "get", "service_ticket?is_complaint=1")[1]
    assert [t["number"] for t in listing["items"]] == [complaint["number"]]
    assert eapi(team, "mkt_mgr", "get", f"service_ticket/{plain['id']}")[0] == 404
    page = eweb("mkt_mgr").get("/").get_data(as_text=True)
    assert complaint["number"] in page
    walk_to_confirmed(team, eapi, complaint["id"])
    # R-E-061: not closed without the handling conclusion; not by the engineer.
    assert act(team, eapi, "pe", complaint["id"], "close", closure_note="已道歉")[0] == 403
    status, body = act(team, eapi, "eng_mgr", complaint["id"], "close")
    assert status == 422 and "R-E-061" in body["rules"] and "closure_note" in str(body)
    status, body = act(team, eapi, "eng_mgr", complaint["id"], "close", closure_note="已向客户道歉，更换服务工程师并加强培训")
    assert status == 200 and body["state"] == "closed", body
    assert eapi(team, "mkt_mgr", "get", "service_ticket?is_complaint=1")[1]["items"] == []
    assert eapi(team, "mkt_mgr", "get", f"service_ticket/{complaint['id']}")[0] == 404
    # A plain ticket closes without a conclusion.
    walk_to_confirmed(team, eapi, plain["id"])
    assert act(team, eapi, "eng_mgr", plain["id"], "close")[0] == 200


def test_without_sales_a_chargeable_fee_stays_on_the_ticket_until_paid(app, team, eapi, customer, clock):
    clock("2026-12-05 10:00")
    status, dev = device(team, eapi, customer, install_date="2024-01-10")     # warranty over in 2025
    status, body = ticket(team, eapi, customer, device_id=dev["id"])
    assert body["in_warranty"] is False
    doc_id = body["id"]
    assert act(team, eapi, "eng_mgr", doc_id, "assign", assigned_to_id=team["ids"]["pe"])[0] == 200
    assert act(team, eapi, "pe", doc_id, "start")[0] == 200
    # Chargeable by default out of warranty: the fee is needed (R-E-064).
    status, body = act(team, eapi, "pe", doc_id, "resolve", work_done="更换电源")
    assert status == 422 and "R-E-064" in body["rules"]
    status, body = act(team, eapi, "pe", doc_id, "resolve", work_done="更换电源", fee="800")
    assert status == 200 and body["chargeable"] is True and body["fee"] == "800.00"
    assert act(team, eapi, "pe", doc_id, "confirm", satisfaction=6)[0] == 422
    status, body = act(team, eapi, "pe", doc_id, "confirm", satisfaction=4)
    assert status == 200 and body["collection_ref"] == "" and body["fee_paid"] is False
    status, body = act(team, eapi, "pe", doc_id, "mark_paid")
    assert status == 200 and body["fee_paid"] is True
    assert act(team, eapi, "pe", doc_id, "mark_paid")[0] == 422


def test_who_may_report_assign_and_see_tickets(app, team, eapi, eweb, customer):
    assert ticket(team, eapi, customer, who="buyer")[0] == 403
    status, own = ticket(team, eapi, customer, who="pe")
    assert act(team, eapi, "pe", own["id"], "assign", assigned_to_id=team["ids"]["pe"])[0] == 403
    status, body = ticket(team, eapi, customer, who="am")                    # sales takes the call
    assert status == 201, body
    assert act(team, eapi, "eng_mgr", body["id"], "assign", assigned_to_id=team["ids"]["buyer"])[0] == 422
    assert eapi(team, "pe2", "get", f"service_ticket/{body['id']}")[0] == 404
    assert act(team, eapi, "eng_mgr", body["id"], "assign", assigned_to_id=team["ids"]["pe2"])[0] == 200
    assert eapi(team, "pe2", "get", f"service_ticket/{body['id']}")[0] == 200
    assert act(team, eapi, "pe", body["id"], "start")[0] == 404               # not his to see
    assert act(team, eapi, "eng_mgr", own["id"], "assign", assigned_to_id=team["ids"]["pe2"])[0] == 200
    status, refused = act(team, eapi, "pe", own["id"], "start")              # he reported it, pe2 serves it
    assert status == 422 and "assigned service engineer" in refused["error"]
    assert eweb("buyer").get("/engineering/service_ticket/").status_code == 403
    assert ticket(team, eapi, customer, symptom="")[1]["fields"].keys() >= {"symptom"}


def test_a_ticket_waits_in_the_inbox_of_whose_step_it_is(app, team, eapi, eweb, customer):
    """Reported: the 工程部经理 assigns; assigned: the service engineer starts, not who reported it."""
    status, body = ticket(team, eapi, customer, who="pe")
    link = f"/engineering/service_ticket/{body['id']}"
    assert link in eweb("eng_mgr").get("/inbox").get_data(as_text=True)
    assert act(team, eapi, "eng_mgr", body["id"], "assign", assigned_to_id=team["ids"]["pe2"])[0] == 200
    assert link in eweb("pe2").get("/inbox").get_data(as_text=True)
    assert link not in eweb("pe").get("/inbox").get_data(as_text=True)
    assert link not in eweb("eng_mgr").get("/inbox").get_data(as_text=True)


# ---- satisfaction surveys ----------------------------------------------------------------------
SCORES = [{"aspect": a, "score": 4} for a in ("quality", "schedule", "attitude", "documentation", "overall")]


@pytest.mark.parametrize("low,followed", [(2, True), (3, False)])
def test_a_low_score_is_followed_up_by_the_engineering_manager(app, team, eapi, customer, low, followed):
    pid = make_project(app, team, state="warranty")
    scores = [dict(s) for s in SCORES]
    scores[2]["score"] = low
    status, survey = eapi(team, "pe", "post", "satisfaction_survey",
                          {"customer_id": customer, "project_id": pid, "survey_type": "after_acceptance",
                           "sent_on": "2026-12-01", "scores": scores})
    assert status == 201, survey
    assert survey["lowest_score"] == low
    path = f"satisfaction_survey/{survey['id']}/transitions"
    status, body = eapi(team, "pe", "post", f"{path}/return_survey", {})
    assert status == 422 and "respondent" in str(body)
    status, body = eapi(team, "pe", "patch", f"satisfaction_survey/{survey['id']}",
                        {"respondent": "王主任", "returned_on": "2026-12-04", "version": survey["version"]})
    assert status == 200, body
    status, body = eapi(team, "pe", "post", f"{path}/return_survey", {})
    assert status == 200 and body["state"] == "returned", body
    assert any("Low satisfaction" in t for t in notes(app, team["ids"]["eng_mgr"])) is followed
    assert eapi(team, "pe", "post", f"{path}/analyse", {"analysis": "x"})[0] == 403
    status, body = eapi(team, "eng_mgr", "post", f"{path}/analyse", {"analysis": "服务态度需改进"})
    assert status == 200 and body["state"] == "analysed"


def test_survey_unscored_aspects_refuse_the_return(app, team, eapi, customer):
    status, survey = eapi(team, "pe", "post", "satisfaction_survey",
                          {"customer_id": customer, "survey_type": "annual", "sent_on": "2026-12-01",
                           "respondent": "王主任", "returned_on": "2026-12-04"})
    assert status == 201 and len(survey["scores"]) == 5
    status, body = eapi(team, "pe", "post", f"satisfaction_survey/{survey['id']}/transitions/return_survey", {})
    assert status == 422 and "scores" in str(body)


def test_the_survey_is_reminded_after_final_acceptance(app, team, customer):
    from modules.engineering.service import survey_reminders
    pid = make_project(app, team, state="warranty", actual_completion=datetime(2026, 11, 1).date())
    with app.app_context():
        found = [r for r in survey_reminders(datetime(2026, 11, 20, 9, 0, tzinfo=SHANGHAI))
                 if r.key.endswith(f":project:{pid}")]
        assert found == []                                             # more than a week before the due day
        found = [r for r in survey_reminders(datetime(2026, 11, 25, 9, 0, tzinfo=SHANGHAI))
                 if r.key.endswith(f":project:{pid}")]
        assert [r.user_id for r in found] == [team["ids"]["pe"]]
        assert found[0].due_at.astimezone(UTC).date().isoformat() == "2026-12-01"


def test_demo_data(app, team):
    from core.auth.models import User
    from modules.engineering.service import ServiceTicket, demo
    under = make_project(app, team, state="warranty", project_type="machine_room", customer_name="市档案馆",
                         actual_completion=date(2026, 3, 1), warranty_end=date(2028, 3, 1))
    old = make_project(app, team, state="closed", project_type="network", customer_name="市交警支队",
                       actual_completion=date(2023, 6, 1), warranty_end=date(2024, 6, 1))
    with app.app_context():
        users = {name: db.session.get(User, team["ids"][name]) for name in ("pe", "eng_mgr")}
        made = demo(users)
        db.session.commit()
        tickets = [m for m in made if isinstance(m, ServiceTicket)]
        assert sorted({t.state for t in tickets}) == sorted(
            ("reported", "assigned", "in_service", "resolved", "confirmed", "closed"))
        assert any(t.is_complaint and t.state != "closed" for t in tickets)
        assert any(t.chargeable and t.fee for t in tickets)
        assert {t.project_id for t in tickets} == {under, old}
        assert demo(users) == []                                        # once
    assert eapi_overdue(app, team) == 1
    assert any("Low satisfaction" in t for t in notes(app, team["ids"]["eng_mgr"]))


def eapi_overdue(app, team):
    client = app.test_client()
    body = client.get("/api/v1/engineering/service_ticket?overdue=1", headers=team["headers"]["eng_mgr"]).get_json()
    return len(body["items"])


def test_pages_widgets_and_the_project_page(app, team, eapi, eweb, customer, clock):
    clock("2026-12-07 09:00")
    pid = make_project(app, team, state="warranty")
    dev = device(team, eapi, customer, project_id=pid)[1]
    late = ticket(team, eapi, customer, device_id=dev["id"], urgency="urgent",
                  reported_at="2026-12-07T03:00:00+08:00")[1]
    act(team, eapi, "eng_mgr", late["id"], "assign", assigned_to_id=team["ids"]["pe"])
    complaint = ticket(team, eapi, customer, project_id=pid, is_complaint=True)[1]
    survey = eapi(team, "pe", "post", "satisfaction_survey", {"customer_id": customer, "project_id": pid,
                                                              "survey_type": "after_acceptance",
                                                              "sent_on": "2026-12-01"})[1]
    browser = eweb("eng_mgr")
    listing = browser.get("/engineering/service_ticket/")
    assert listing.status_code == 200 and late["number"] in listing.get_data(as_text=True)
    for path in (f"/engineering/service_ticket/{late['id']}", f"/engineering/service_ticket/{late['id']}/print",
                 f"/engineering/installed_device/{dev['id']}", "/engineering/installed_device/",
                 f"/engineering/satisfaction_survey/{survey['id']}", "/engineering/satisfaction_survey/",
                 "/engineering/service_ticket/new", "/engineering/installed_device/new", "/engineering/service_ticket/board",
                 "/engineering/satisfaction_survey/new", f"/engineering/satisfaction_survey/{survey['id']}/print"):
        assert browser.get(path).status_code == 200, path
    page = browser.get(f"/engineering/project/{pid}").get_data(as_text=True)
    assert all(n in page for n in (dev["number"], late["number"], complaint["number"], survey["number"]))
    from core.auth.models import User
    from modules.engineering.service import erp_dashboard_widgets
    with app.test_request_context():
        def widgets(name):
            return {str(w.title): w.value for w in erp_dashboard_widgets(db.session.get(User, team["ids"][name]))}
        assert widgets("eng_mgr") == {"Open tickets past their target": 1}
        assert widgets("pe") == {"Open tickets past their target": 1}
        assert widgets("mkt_mgr") == {"Open complaints": 1}
        assert widgets("buyer") == {}


def test_internal_it_requests_are_tickets_of_the_company_not_charged(app, team, eapi):
    from core import settings
    from core.parties import services as parties
    with app.app_context():
        company = parties.create_party(settings.get("core.company_name"), roles=("other",)).id
        db.session.commit()
    status, body = ticket(team, eapi, company, symptom="财务室打印机无法联网")
    assert status == 201 and body["in_warranty"] is False, body
    assert act(team, eapi, "eng_mgr", body["id"], "assign", assigned_to_id=team["ids"]["pe"])[0] == 200
    assert act(team, eapi, "pe", body["id"], "start")[0] == 200
    status, body = act(team, eapi, "pe", body["id"], "resolve", work_done="重新配置打印机IP")
    assert status == 200 and body["chargeable"] is False, body


def test_the_web_form_reports_a_ticket_and_names_what_is_missing(app, team, eweb, customer, clock):
    clock("2026-12-07 09:00")
    browser = eweb("am")
    data = {"customer_id": customer, "reported_at": "2026-12-07T08:30", "reporter_name": "王主任",
            "reporter_phone": "13800000000", "symptom": "", "urgency": "urgent"}
    response = browser.post("/engineering/service_ticket/new", data=data)
    assert response.status_code == 400
    from modules.engineering.service import ServiceTicket
    with app.app_context():
        assert db.session.scalar(select(db.func.count(ServiceTicket.id))) == 0
    response = browser.post("/engineering/service_ticket/new", data={**data, "symptom": "机房断网"})
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        made = db.session.scalar(select(ServiceTicket))
        assert (made.urgency, made.owner_id) == ("urgent", team["ids"]["am"])
        assert made.response_due.replace(tzinfo=UTC) == datetime(2026, 12, 7, 4, 30, tzinfo=UTC)   # 08:30 + 4 h


def test_report_and_start_times_read_back_as_entered_when_given_in_company_time(app, team, eapi, customer, clock):
    """Bug found walking the demo: a time held in the company's zone (the form's default, the start
    step's clock) was stored as if it were UTC, so the page showed it 8 hours late."""
    from modules.engineering.service import ServiceTicket
    clock("2026-12-07 09:00")
    status, body = ticket(team, eapi, customer)          # reported_at left to its default: now
    assert status == 201, body
    assert datetime.fromisoformat(body["reported_at"]) == datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI)
    assert datetime.fromisoformat(body["response_due"]) > datetime.fromisoformat(body["reported_at"])
    status, body = act(team, eapi, "eng_mgr", body["id"], "assign", assigned_to_id=team["ids"]["pe"])
    clock("2026-12-07 10:30")
    status, body = act(team, eapi, "pe", body["id"], "start")
    assert status == 200, body
    assert datetime.fromisoformat(body["started_at"]) == datetime(2026, 12, 7, 10, 30, tzinfo=SHANGHAI)
    assert body["response_breached"] is False
    with app.app_context():
        from core.documents.derived import local
        stored = db.session.get(ServiceTicket, body["id"])
        db.session.refresh(stored)
        assert local(stored.reported_at).hour == 9 and local(stored.started_at).hour == 10
