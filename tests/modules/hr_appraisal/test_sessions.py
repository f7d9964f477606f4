"""Training sessions (培训课程, WF-H02): a lesson given to several new employees at once invites
those whose plan has its topic open, records attendance and exam scores, and holding it signs the
topic off on the plans of those who attended and passed (absent or failed: the item stays open)."""
import pytest
from sqlalchemy import select

from core.extensions import db

from .test_training import PEOPLE, started

pytestmark = pytest.mark.modules("hr_appraisal", "engineering", "sales")


@pytest.fixture
def staff(make_staff):
    return make_staff(PEOPLE | {"newbie2": ("ROLE-ENG-PE", "ENG", "POS-ENG-PE"),
                                "newbie3": ("ROLE-ENG-PE", "ENG", "POS-ENG-PE")})


@pytest.fixture
def hapi(module_api):
    return module_api("hr_appraisal")


def three_trainees(staff, hapi):
    return {who: started(staff, hapi, employee=who) for who in ("newbie", "newbie2", "newbie3")}


def safety_topic(plan):
    return next(item["topic"] for item in plan["items"] if item["gate"] == "R-E-101")


def item_of(staff, hapi, plan, topic):
    plan = hapi(staff, "eng_mgr", "get", f"training_plan/{plan['id']}")[1]
    return next(item for item in plan["items"] if item["topic"] == topic)


def test_session_invites_the_trainees_and_signs_off_who_attended_and_passed(staff, hapi):
    plans = three_trainees(staff, hapi)
    topic = safety_topic(plans["newbie"])
    status, session = hapi(staff, "eng_mgr", "post", "training_session", {
        "title": topic, "held_on": "2027-01-05", "trainer_id": staff["ids"]["pe"], "exam": True, "hours": "2"})
    assert status == 201, session
    ids = staff["ids"]
    assert sorted(a["employee_id"] for a in session["attendees"]) == sorted(ids[n] for n in plans)
    # The trainer records it: an exam needs every present attendee's score.
    status, body = hapi(staff, "pe", "post", f"training_session/{session['id']}/transitions/hold", {})
    assert status == 422 and "attendees" in body["fields"], body
    lines = [{"employee_id": ids["newbie"], "attended": True, "score": 85},
             {"employee_id": ids["newbie2"], "attended": True, "score": 40},
             {"employee_id": ids["newbie3"], "attended": False, "note": "请假"}]
    status, session = hapi(staff, "eng_mgr", "put", f"training_session/{session['id']}", {
        "title": topic, "held_on": "2027-01-05", "trainer_id": ids["pe"], "exam": True,
        "version": session["version"], "attendees": lines})
    assert status == 200, session
    status, session = hapi(staff, "pe", "post", f"training_session/{session['id']}/transitions/hold", {})
    assert status == 200 and session["state"] == "held", session
    assert session["signed_off_count"] == 1
    passed = item_of(staff, hapi, plans["newbie"], topic)
    assert passed["signed_off_on"] == "2027-01-05" and passed["signed_off_by_id"] == ids["pe"]
    assert passed["score"] == 85
    failed = item_of(staff, hapi, plans["newbie2"], topic)
    assert failed["signed_off_on"] is None and failed["score"] == 40       # recorded, retake
    absent = item_of(staff, hapi, plans["newbie3"], topic)
    assert absent["signed_off_on"] is None and absent["score"] is None
    # Held: the record is kept, not edited.
    assert hapi(staff, "eng_mgr", "put", f"training_session/{session['id']}", {
        "title": "x", "held_on": "2027-01-05", "trainer_id": ids["pe"], "version": session["version"]})[0] in (403, 409, 422)


def test_only_the_trainer_or_a_manager_records_and_others_see_nothing(staff, hapi):
    plans = three_trainees(staff, hapi)
    topic = safety_topic(plans["newbie"])
    status, session = hapi(staff, "eng_mgr", "post", "training_session", {
        "title": topic, "held_on": "2027-01-05", "trainer_id": staff["ids"]["pe"]})
    assert status == 201, session
    status, body = hapi(staff, "senior", "post", f"training_session/{session['id']}/transitions/hold", {})
    assert status in (403, 404, 422), body
    assert hapi(staff, "fin", "get", f"training_session/{session['id']}")[0] in (403, 404)
    assert hapi(staff, "pe", "post", "training_session", {"title": "x", "held_on": "2027-01-05",
                                                           "trainer_id": staff["ids"]["pe"]})[0] == 403
    # A participant sees the session he is on.
    assert hapi(staff, "newbie", "get", f"training_session/{session['id']}")[0] == 200
    # Listing someone twice is refused, nothing saved.
    ids = staff["ids"]
    status, body = hapi(staff, "eng_mgr", "put", f"training_session/{session['id']}", {
        "title": topic, "held_on": "2027-01-05", "trainer_id": ids["pe"], "version": session["version"],
        "attendees": [{"employee_id": ids["newbie"]}, {"employee_id": ids["newbie"]}]})
    assert status == 422 and "attendees" in body["fields"]


def test_the_last_item_signed_off_by_a_session_completes_the_plan(staff, hapi):
    plan = started(staff, hapi)
    topic = plan["items"][-1]["topic"]
    for no, item in enumerate(plan["items"][:-1], start=1):
        status, plan = hapi(staff, "eng_mgr", "post", f"training_plan/{plan['id']}/transitions/sign_off",
                            {"signoff_item": no} | ({"signoff_score": 80} if item["exam"] else {}))
        assert status == 200, plan
    exam = bool(plan["items"][-1]["exam"])
    status, session = hapi(staff, "eng_mgr", "post", "training_session", {
        "title": topic, "held_on": "2027-02-01", "trainer_id": staff["ids"]["eng_mgr"], "exam": exam,
        "attendees": [{"employee_id": staff["ids"]["newbie"], "attended": True, "score": 90 if exam else None}]})
    assert status == 201, session
    status, session = hapi(staff, "eng_mgr", "post", f"training_session/{session['id']}/transitions/hold", {})
    assert status == 200, session
    assert hapi(staff, "eng_mgr", "get", f"training_plan/{plan['id']}")[1]["state"] == "completed"


def test_pages_and_demo(app, staff, hapi, browser_as):
    from modules.hr_appraisal.sessions import TrainingSession
    from modules.hr_appraisal.sessions import demo as sessions_demo
    from modules.hr_appraisal.training import demo as training_demo
    plans = three_trainees(staff, hapi)
    _status, session = hapi(staff, "eng_mgr", "post", "training_session", {
        "title": safety_topic(plans["newbie"]), "held_on": "2027-01-05", "trainer_id": staff["ids"]["pe"]})
    manager = browser_as("eng_mgr")
    assert "/hr_appraisal/training_session/" in manager.get("/").get_data(as_text=True)
    page = manager.get(f"/hr_appraisal/training_session/{session['id']}").get_data(as_text=True)
    assert session["number"] in page
    assert manager.get("/hr_appraisal/training_session/new").status_code == 200
    assert browser_as("fin").get("/hr_appraisal/training_session/").status_code == 403
    with app.test_request_context():
        db.session.execute(TrainingSession.__table__.delete())
        db.session.commit()
        training_demo()
        sessions_demo()
        sessions_demo()  # once only
        sessions = db.session.scalars(select(TrainingSession).order_by(TrainingSession.id)).all()
        assert [s.state for s in sessions] == ["held", "draft"]
        assert sessions[0].signed_off_count >= 1 and any(not a.attended for a in sessions[0].attendees)
