"""New-employee training (WF-H02, X-H03, X-H04, I-15): curricula come from the departments' modules,
a plan is created from its department's curriculum, the trainer (mentor, manager) signs items
off, an exam below the pass mark leaves the item open, the last sign-off completes the plan, the
probation assessment approved by 行政部 marks it assessed; engineering's safety gate (R-E-101)
refuses an assignment until the safety item is signed off, and holds nothing without hr_appraisal."""
from datetime import UTC

import pytest
from sqlalchemy import select

from core.extensions import db

PEOPLE = {"eng_mgr": ("ROLE-ENG-MGR", "ENG", "POS-ENG-MGR"), "pe": ("ROLE-ENG-PE", "ENG", "POS-ENG-PE"),
          "newbie": ("ROLE-ENG-PE", "ENG", "POS-ENG-PE"), "senior": ("ROLE-ENG-PE", "ENG", "POS-ENG-PE"),
          "mkt_mgr": ("ROLE-MKT-MGR", "MKT", "POS-MKT-MGR"), "am": ("ROLE-MKT-AM", "MKT", "POS-MKT-AM"),
          "adm": ("ROLE-ADM", "ADM", "POS-ADM"), "fin": ("ROLE-FIN", "FIN", "POS-FIN")}

pytestmark = pytest.mark.modules("hr_appraisal", "engineering", "sales")


@pytest.fixture
def staff(make_staff):
    return make_staff(PEOPLE)


@pytest.fixture
def hapi(module_api):
    return module_api("hr_appraisal")


@pytest.fixture
def eapi(module_api):
    return module_api("engineering")


def new_plan(staff, hapi, who="eng_mgr", employee="newbie", **extra):
    status, plan = hapi(staff, who, "post", "training_plan", {
        "employee_id": staff["ids"][employee], "mentor_id": staff["ids"]["senior"], "start_date": "2027-01-04",
        **extra})
    assert status == 201, plan
    return plan


def started(staff, hapi, **extra):
    plan = new_plan(staff, hapi, **extra)
    status, plan = hapi(staff, "eng_mgr", "post", f"training_plan/{plan['id']}/transitions/start", {})
    assert status == 200 and plan["state"] == "in_training", plan
    return plan


def sign(staff, hapi, plan, no, who="eng_mgr", score=None):
    body = {"signoff_item": no} | ({"signoff_score": score} if score is not None else {})
    return hapi(staff, who, "post", f"training_plan/{plan['id']}/transitions/sign_off", body)


def number_of(plan, gate):
    return next(n for n, item in enumerate(plan["items"], start=1) if item["gate"] == gate)


def test_hook_hr_appraisal_training_curricula(app):
    from modules.hr_appraisal.training import contributed
    with app.test_request_context():
        templates = contributed()
    assert set(templates) >= {"MKT", "ENG"}
    eng = templates["ENG"]["items"]
    assert [i["gate"] for i in eng].count("R-E-101") == 1 and "安全培训" in next(i["topic"] for i in eng if i["gate"])
    assert any("导师" in i["topic"] for i in templates["MKT"]["items"])


def test_curriculum_starts_with_the_department_template_and_one_per_department(staff, hapi):
    status, cur = hapi(staff, "eng_mgr", "post", "curriculum", {"title": "工程部新员工培训大纲", "department_code": "ENG"})
    assert status == 201, cur
    assert len(cur["items"]) == 6 and cur["items"][1]["gate"] == "R-E-101"
    status, body = hapi(staff, "eng_mgr", "post", "curriculum", {"title": "另一个", "department_code": "ENG"})
    assert status == 422 and "department_code" in body["fields"]
    # The manager edits it: a plan made afterwards starts with his items.
    status, cur = hapi(staff, "eng_mgr", "put", f"curriculum/{cur['id']}", {
        "title": "工程部新员工培训大纲", "department_code": "ENG", "version": cur["version"],
        "items": [{"topic": "安全培训", "week_from": 1, "week_to": 1, "gate": "R-E-101", "exam": True},
                  {"topic": "产品培训", "week_from": 2, "week_to": 3}]})
    assert status == 200, cur
    plan = new_plan(staff, hapi)
    assert [i["topic"] for i in plan["items"]] == ["安全培训", "产品培训"]
    assert plan["items"][1]["planned_start"] == "2027-01-11" and plan["items"][1]["planned_end"] == "2027-01-24"
    # No permission to write curricula: 403.
    assert hapi(staff, "am", "post", "curriculum", {"title": "x", "department_code": "MKT"})[0] == 403


def test_plan_from_the_curriculum_of_the_employees_department(staff, hapi):
    plan = new_plan(staff, hapi)
    assert plan["state"] == "draft" and plan["department_code"] == "ENG"
    assert plan["probation_end"] == "2027-04-04"
    assert len(plan["items"]) == 6 and plan["items"][0]["planned_start"] == "2027-01-04"
    assert all(i["signed_off_on"] is None for i in plan["items"])
    # 行政部 creates a market employee's plan: the market curriculum (from sales' hook).
    status, mkt = hapi(staff, "adm", "post", "training_plan", {
        "employee_id": staff["ids"]["am"], "mentor_id": staff["ids"]["mkt_mgr"], "start_date": "2027-01-04"})
    assert status == 201, mkt
    assert mkt["department_code"] == "MKT" and len(mkt["items"]) == 5
    # Unhappy paths: no mentor (R-S-071), no permission, nothing saved.
    status, body = hapi(staff, "eng_mgr", "post", "training_plan", {
        "employee_id": staff["ids"]["newbie"], "start_date": "2027-01-04"})
    assert status == 422 and "mentor_id" in body["fields"]
    assert hapi(staff, "pe", "post", "training_plan", {
        "employee_id": staff["ids"]["newbie"], "mentor_id": staff["ids"]["senior"], "start_date": "2027-01-04"})[0] == 403


def test_sign_off_by_the_trainer_only_and_exam_pass_mark(app, staff, hapi):
    plan = new_plan(staff, hapi)
    # The manager names the trainer of the first item.
    items = [{k: v for k, v in i.items() if k in ("topic", "planned_start", "planned_end", "gate", "exam")}
             for i in plan["items"]]
    items[0]["trainer_id"] = staff["ids"]["pe"]
    status, plan = hapi(staff, "eng_mgr", "put", f"training_plan/{plan['id']}", {
        "employee_id": staff["ids"]["newbie"], "mentor_id": staff["ids"]["senior"], "start_date": "2027-01-04",
        "version": plan["version"], "items": items})
    assert status == 200, plan
    status, plan = hapi(staff, "eng_mgr", "post", f"training_plan/{plan['id']}/transitions/start", {})
    assert status == 200, plan
    # Without the permission: 403; someone else's item (another department's manager, the
    # trainee himself): refused naming the item, nothing signed.
    assert sign(staff, hapi, plan, 1, who="fin", score=90)[0] in (403, 404)
    for who in ("mkt_mgr", "newbie"):
        status, body = sign(staff, hapi, plan, 1, who=who, score=90)
        assert status == 422 and "signoff_item" in body["fields"], body
    # An exam item needs a score; below the pass mark (60) it is recorded, the item stays open.
    status, body = sign(staff, hapi, plan, 1, who="pe")
    assert status == 422 and "signoff_score" in body["fields"]
    status, plan = sign(staff, hapi, plan, 1, who="pe", score=59)
    assert status == 200, plan
    assert plan["items"][0]["score"] == 59 and plan["items"][0]["signed_off_on"] is None
    status, plan = sign(staff, hapi, plan, 1, who="pe", score=60)
    assert status == 200, plan
    assert plan["items"][0]["signed_off_on"] and plan["items"][0]["signed_off_by_id"] == staff["ids"]["pe"]
    assert sign(staff, hapi, plan, 1, who="pe", score=80)[0] == 422  # signed off already
    assert sign(staff, hapi, plan, 99)[0] == 422
    # The mentor and the manager sign off the rest; the last one completes the plan.
    for no, item in enumerate(plan["items"][1:], start=2):
        who = "senior" if no % 2 else "eng_mgr"
        status, plan = sign(staff, hapi, plan, no, who=who, score=75 if item["exam"] else None)
        assert status == 200, plan
    assert plan["state"] == "completed"


def test_reminders_for_items_past_their_planned_end(app, staff, hapi):
    from datetime import datetime

    from modules.hr_appraisal.training import erp_reminders
    plan = started(staff, hapi, start_date="2020-01-06")
    status, plan = hapi(staff, "eng_mgr", "get", f"training_plan/{plan['id']}")
    assert status == 200 and plan["next_due"] == "2020-01-12" and plan["overdue"] is True
    with app.test_request_context():
        reminders = erp_reminders(datetime.now(UTC))
    mine = [r for r in reminders if f"/training_plan/{plan['id']}" in r.url]
    items = [r for r in mine if ".item:" in r.key]
    assert len(items) == 6 and {r.user_id for r in items} == {staff["ids"]["senior"]}
    probation = [r for r in mine if ".probation:" in r.key]
    assert [(r.user_id, r.due_at.date().isoformat()) for r in probation] == [(staff["ids"]["eng_mgr"], "2020-04-06")]


def test_probation_assessment_approved_by_administration(app, staff, hapi):
    plan = started(staff, hapi)
    for no, item in enumerate(plan["items"], start=1):
        status, plan = sign(staff, hapi, plan, no, score=80 if item["exam"] else None)
        assert status == 200, plan
    status, pa = hapi(staff, "eng_mgr", "post", "probation", {
        "plan_id": plan["id"], "assessed_on": "2027-03-30", "conclusion": "pass", "comment": "表现良好，同意转正"})
    assert status == 201, pa
    assert pa["employee_id"] == staff["ids"]["newbie"] and len(pa["criteria"]) == 5
    # Every criterion is scored before it is submitted.
    status, body = hapi(staff, "eng_mgr", "post", f"probation/{pa['id']}/transitions/submit", {})
    assert status == 422 and "criteria" in body["fields"]
    status, pa = hapi(staff, "eng_mgr", "put", f"probation/{pa['id']}", {
        "plan_id": plan["id"], "assessed_on": "2027-03-30", "conclusion": "pass", "comment": "表现良好，同意转正",
        "version": pa["version"], "criteria": [{"item": c["item"], "score": 85} for c in pa["criteria"]]})
    assert status == 200 and pa["total_score"] == 85, pa
    status, pa = hapi(staff, "eng_mgr", "post", f"probation/{pa['id']}/transitions/submit", {})
    assert status == 200 and pa["state"] == "submitted", pa
    assert hapi(staff, "eng_mgr", "post", f"probation/{pa['id']}/transitions/approve", {})[0] == 403
    status, pa = hapi(staff, "adm", "post", f"probation/{pa['id']}/transitions/approve", {})
    assert status == 200 and pa["state"] == "approved", pa
    status, plan = hapi(staff, "eng_mgr", "get", f"training_plan/{plan['id']}")
    assert plan["state"] == "assessed" and plan["probation_result"] == "pass"


def test_probation_pass_needs_the_training_completed(staff, hapi):
    plan = started(staff, hapi)
    status, pa = hapi(staff, "eng_mgr", "post", "probation", {
        "plan_id": plan["id"], "assessed_on": "2027-03-30", "conclusion": "extend", "comment": "培训未完成"})
    assert status == 422 and "extend_months" in pa["fields"]
    status, pa = hapi(staff, "eng_mgr", "post", "probation", {
        "plan_id": plan["id"], "assessed_on": "2027-03-30", "conclusion": "pass", "comment": "同意转正",
        "criteria": [{"item": "工作态度", "score": 90}]})
    assert status == 201, pa
    status, body = hapi(staff, "eng_mgr", "post", f"probation/{pa['id']}/transitions/submit", {})
    assert status == 422 and "conclusion" in body["fields"]


def assign(staff, eapi, pid, engineer="newbie"):
    return eapi(staff, "eng_mgr", "post", f"project/{pid}/transitions/assign", {"engineer_id": staff["ids"][engineer]})


def test_hook_engineering_training_gate(app, staff, hapi, eapi):
    """R-E-101: refused while the safety item is not signed off, allowed once it is."""
    from tests.modules.engineering.conftest import make_project
    pid = make_project(app, staff, state="received", engineer=None, amount="30000")
    plan = started(staff, hapi)
    status, body = assign(staff, eapi, pid)
    assert status == 422 and "R-E-101" in body["rules"], body
    from modules.engineering.projects import EngProject
    with app.app_context():
        assert db.session.get(EngProject, pid).engineer_id is None  # nothing half-saved
    # An engineer without a training plan (not a new employee) is no concern of the gate.
    status, body = assign(staff, eapi, pid, engineer="pe")
    assert status == 200, body
    status, plan = sign(staff, hapi, plan, number_of(plan, "R-E-101"), score=90)
    assert status == 200, plan
    pid2 = make_project(app, staff, state="received", engineer=None, amount="30000")
    status, body = assign(staff, eapi, pid2)
    assert status == 200 and body["engineer_id"] == staff["ids"]["newbie"], body
    with app.test_request_context():
        hook = app.extensions["erp"].pm.hook
        assert hook.engineering_training_gate(user_id=staff["ids"]["newbie"], gate="R-E-101") is True
        assert hook.engineering_training_gate(user_id=staff["ids"]["pe"], gate="R-E-101") is None


def test_safety_gate_below_the_pass_mark_still_refuses(app, staff, hapi, eapi):
    from tests.modules.engineering.conftest import make_project
    plan = started(staff, hapi)
    status, plan = sign(staff, hapi, plan, number_of(plan, "R-E-101"), score=40)
    assert status == 200, plan
    pid = make_project(app, staff, state="received", engineer=None, amount="30000")
    status, body = assign(staff, eapi, pid)
    assert status == 422 and "R-E-101" in body["rules"], body
    with app.app_context():
        from modules.hr_appraisal.training import TrainingPlan
        assert db.session.scalar(select(TrainingPlan.state).where(TrainingPlan.id == plan["id"])) == "in_training"


@pytest.mark.modules("engineering")
def test_safety_gate_is_satisfied_without_hr_appraisal(app, staff, eapi):
    from tests.modules.engineering.conftest import make_project
    # Nobody answers the gate: hr_appraisal is off.
    assert not app.extensions["erp"].pm.hook.engineering_training_gate.get_hookimpls()
    pid = make_project(app, staff, state="received", engineer=None, amount="30000")
    status, body = assign(staff, eapi, pid)
    assert status == 200 and body["engineer_id"] == staff["ids"]["newbie"], body


def test_demo_data(app, staff):
    from core.auth.models import User
    from modules.hr_appraisal.training import TrainingPlan, demo, gate_passed
    with app.test_request_context():
        demo()
        demo()  # once only
        plans = {p.employee.username: p for p in db.session.scalars(select(TrainingPlan))}
        assert set(plans) == {"eng_new1", "eng_new2", "am_new"}
        ids = {u.username: u.id for u in db.session.scalars(select(User).where(User.username.in_(list(plans))))}
        assert gate_passed(ids["eng_new1"], "R-E-101") is True and gate_passed(ids["eng_new2"], "R-E-101") is False
        assert plans["eng_new1"].state == "in_training" and plans["am_new"].state == "assessed"
        assert plans["am_new"].probation_result == "pass"


def test_web_pages(staff, hapi, browser_as):
    plan = started(staff, hapi)
    manager = browser_as("eng_mgr")
    assert "/hr_appraisal/training_plan/" in manager.get("/").get_data(as_text=True)  # the menu 培训计划
    listing = manager.get("/hr_appraisal/training_plan/")
    assert listing.status_code == 200 and plan["number"] in listing.get_data(as_text=True)
    page = manager.get(f"/hr_appraisal/training_plan/{plan['id']}")
    assert page.status_code == 200 and plan["number"] in page.get_data(as_text=True)
    form = manager.get(f"/hr_appraisal/training_plan/{plan['id']}/transitions/sign_off/input")
    assert form.status_code == 200 and "signoff_item" in form.get_data(as_text=True)
    response = manager.post(f"/hr_appraisal/training_plan/{plan['id']}/transitions/sign_off/input",
                            data={"signoff_item": "4", "comment": ""})
    assert response.status_code in (200, 302)
    _status, plan = hapi(staff, "eng_mgr", "get", f"training_plan/{plan['id']}")
    assert plan["items"][3]["signed_off_on"] is not None
    # Once the training runs the records are kept: the plan is not edited any more.
    status, body = hapi(staff, "eng_mgr", "put", f"training_plan/{plan['id']}", {
        "employee_id": staff["ids"]["newbie"], "mentor_id": staff["ids"]["senior"], "start_date": "2027-01-04",
        "version": plan["version"], "items": []})
    assert status in (403, 409, 422), body
    assert browser_as("eng_mgr").get("/hr_appraisal/curriculum/").status_code == 200
    assert browser_as("eng_mgr").get("/hr_appraisal/probation/").status_code == 200
    # Finance has nothing to do with training: 403.
    assert browser_as("fin").get("/hr_appraisal/training_plan/").status_code == 403


def test_new_engineer_sole_charge_needs_the_probation_passed(app, staff, hapi, eapi):
    """R-E-102: at and above eng.new_staff_project_limit (50000) a new engineer in probation is not
    the sole project engineer; below it, or with a second engineer, or once confirmed, he is."""
    from tests.modules.engineering.conftest import make_project
    plan = started(staff, hapi)
    status, plan = sign(staff, hapi, plan, number_of(plan, "R-E-101"), score=90)
    assert status == 200, plan
    below = make_project(app, staff, state="received", engineer=None, amount="49999.99")
    at = make_project(app, staff, state="received", engineer=None, amount="50000")
    assert assign(staff, eapi, below)[0] == 200
    status, body = assign(staff, eapi, at)
    assert status == 422 and body["rules"] == ["R-E-102"], body
    seconded = make_project(app, staff, state="received", engineer=None, amount="50000",
                            deputy_engineer_id=staff["ids"]["senior"])
    assert assign(staff, eapi, seconded)[0] == 200
    # Confirmed (probation passed): the gate opens.
    from modules.hr_appraisal.training import TrainingPlan
    with app.app_context():
        db.session.get(TrainingPlan, plan["id"]).probation_result = "pass"
        db.session.commit()
    assert assign(staff, eapi, at)[0] == 200
    with app.test_request_context():
        hook = app.extensions["erp"].pm.hook
        assert hook.engineering_training_gate(user_id=staff["ids"]["newbie"], gate="R-E-102") is True
        assert hook.engineering_training_gate(user_id=staff["ids"]["pe"], gate="R-E-102") is None


def test_hook_sales_training_gate(app, staff, hapi, module_api):
    """R-S-073: a new salesperson in probation owns opportunities up to sales.new_staff_amount_limit
    (100000); above it only once confirmed. Someone without a plan is no concern of the gate."""
    from modules.hr_appraisal.training import TrainingPlan
    from modules.sales.models import Area
    sapi = module_api("sales")
    plan = new_plan(staff, hapi, who="adm", employee="am", mentor_id=staff["ids"]["mkt_mgr"])
    with app.app_context():
        area = Area(code="SZ", name="深圳片区", manager_id=staff["ids"]["mkt_mgr"])
        db.session.add(area)
        db.session.commit()
        area_id = area.id
    status, customer = sapi(staff, "am", "post", "customer", {
        "title": "深圳市第一人民医院", "industry": "healthcare", "area_id": area_id, "it_status": "老旧网络",
        "decision_process": "信息科→院办", "funding": "财政拨款", "credit": "good"})
    assert status == 201, customer

    def opportunity(amount):
        return sapi(staff, "am", "post", "opportunity", {"title": "门诊楼综合布线", "customer_id": customer["id"],
                                                         "info_type": "engineering", "est_amount": amount})
    status, body = opportunity("100000.01")
    assert status == 422 and "est_amount" in body["fields"], body
    assert opportunity("100000.00")[0] == 201
    with app.app_context():
        db.session.get(TrainingPlan, plan["id"]).probation_result = "pass"
        db.session.commit()
    assert opportunity("800000.00")[0] == 201
    with app.test_request_context():
        hook = app.extensions["erp"].pm.hook
        assert hook.sales_training_gate(user_id=staff["ids"]["am"], gate="R-S-073") is True
        assert hook.sales_training_gate(user_id=staff["ids"]["mkt_mgr"], gate="R-S-073") is None


def test_safety_gate_on_the_project_form_too(app, staff, hapi, eapi):
    """The manager cannot slip a new engineer in through the project's form (R-E-101)."""
    started(staff, hapi)
    project = {"title": "市图书馆网络改造工程", "customer_name": "市图书馆", "site_address": "市图书馆主楼",
               "project_type": "network", "contract_amount": "30000", "supervision_mode": "none",
               "planned_completion": "2027-06-30", "warranty_months": 12}
    status, body = eapi(staff, "eng_mgr", "post", "project", {**project, "engineer_id": staff["ids"]["newbie"]})
    assert status == 422 and "engineer_id" in body["fields"] and "R-E-101" in str(body["fields"]), body
    status, body = eapi(staff, "eng_mgr", "post", "project", {**project, "engineer_id": staff["ids"]["pe"]})
    assert status == 201, body
