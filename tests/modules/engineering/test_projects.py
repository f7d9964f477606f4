"""Engineering projects (WF-E01/E02): created by hand, assigned, guarded by their gates, opened
from sales' accepted handover (I-05), stopped by a terminated contract (I-09)."""
from datetime import date

import pytest

from sqlalchemy import select

from core.extensions import db

from .conftest import make_project

pytestmark = pytest.mark.modules("engineering")

NEW = {"title": "市图书馆网络改造", "customer_name": "市图书馆", "site_address": "市图书馆主楼",
       "project_type": "network", "contract_amount": "150000", "supervision_mode": "none",
       "planned_completion": "2027-05-31", "warranty_months": 24}


def test_manager_creates_assigns_and_engineer_sees_only_his(app, team, eapi):
    status, body = eapi(team, "eng_mgr", "post", "project", NEW)
    assert status == 201, body
    pid = body["id"]
    assert body["state"] == "received" and body["number"].startswith("GC-")
    assert body["overdue"] is False and body["assign_due_at"]
    # An engineer creates no project and sees none not his.
    assert eapi(team, "pe", "post", "project", NEW)[0] == 403
    assert eapi(team, "pe", "get", f"project/{pid}")[0] == 404
    # He may not take the survey step before being assigned.
    status, body = eapi(team, "eng_mgr", "post", f"project/{pid}/transitions/arrange_survey", {})
    assert status == 422 and "assigns the project engineer" in str(body)
    status, body = eapi(team, "eng_mgr", "post", f"project/{pid}/transitions/assign",
                        {"engineer_id": team["ids"]["pe"]})
    assert status == 200, body
    status, body = eapi(team, "pe", "get", f"project/{pid}")
    assert status == 200 and body["engineer_id"] == team["ids"]["pe"] and body["assign_due_at"] is None
    assert eapi(team, "pe2", "get", f"project/{pid}")[0] == 404
    # The engineer cannot reassign (the field is the manager's).
    status, body = eapi(team, "pe", "patch", f"project/{pid}", {"engineer_id": team["ids"]["pe2"],
                                                                "version": body["version"]})
    assert status in (403, 422) and "engineer_id" in str(body)
    assert eapi(team, "pe", "post", f"project/{pid}/transitions/arrange_survey", {})[0] == 200
    # The market director reads every project, changes none.
    assert eapi(team, "dir", "get", f"project/{pid}")[0] == 200
    assert eapi(team, "dir", "patch", f"project/{pid}", {"title": "x"})[0] == 403


def test_start_gate_names_what_is_missing(app, team, eapi):
    pid = make_project(app, team, state="planning", planned_start=None)
    status, body = eapi(team, "pe", "post", f"project/{pid}/transitions/apply_start", {})
    assert status == 422
    text = str(body)
    assert "R-E-034" in text and "planned start" in text
    version = eapi(team, "pe", "get", f"project/{pid}")[1]["version"]
    assert eapi(team, "pe", "patch", f"project/{pid}", {"safety_briefed_on": "2026-12-01", "version": version,
                                                        "planned_start": "2026-12-10"})[0] == 200
    # What the project itself holds is met; the parts' own conditions (the cost baseline...) are
    # tested with them.
    status, body = eapi(team, "pe", "post", f"project/{pid}/transitions/apply_start", {})
    assert "R-E-034" not in str(body) and "planned start" not in str(body), body


def test_someone_elses_project_step_refused(app, team, eapi):
    pid = make_project(app, team, state="received", engineer="pe2")
    # pe does not see another engineer's project at all.
    assert eapi(team, "pe", "post", f"project/{pid}/transitions/arrange_survey", {})[0] == 404


def test_hook_engineering_project_milestone(app, team, eapi):
    pid = make_project(app, team, state="final_acceptance", warranty_months=12)
    heard = []

    class Listener:
        from core.hookspecs import hookimpl

        @hookimpl
        def engineering_project_milestone(self, project, milestone, day, user, amount, reference):
            heard.append((project.number, milestone, day))

    app.extensions["erp"].pm.register(Listener(), name="listener")
    try:
        status, body = eapi(team, "pe", "post", f"project/{pid}/transitions/accepted",
                            {"actual_completion": "2027-03-20"})
        assert status == 200, body
    finally:
        app.extensions["erp"].pm.unregister(name="listener")
    status, body = eapi(team, "pe", "get", f"project/{pid}")
    assert body["state"] == "closing" and body["warranty_end"] == "2028-03-20"
    assert heard and heard[0][1] == "final_acceptance" and heard[0][2] == date(2027, 3, 20)


@pytest.mark.modules("engineering", "sales")
def test_handover_opens_the_project_and_termination_cancels_it(app, team):
    """I-05 and I-09 with sales on: the engineering module answers sales' hook."""
    from decimal import Decimal
    from types import SimpleNamespace

    from modules.engineering.projects import (
        EngProject,
        open_from_handover,
        sales_contract_changed,
    )
    with app.app_context():
        from core.auth.models import User
        user = db.session.get(User, team["ids"]["eng_mgr"])
        contract = SimpleNamespace(id=77, number="HT-2026-0077", current_amount=Decimal(200000))
        handover = SimpleNamespace(
            title="市医院安防监控工程", contract=contract, customer_name="市人民医院", site_address="市人民医院门诊楼",
            customer_contacts="王主任 13800000000", contract_amount=Decimal(200000), due_completion=date(2027, 4, 30),
            warranty_months=24, solution="海康 H.265 方案 v2", commitments="夜间施工", site_notes="", supervision_mode="firm",
            supervisor_firm="市建设监理公司", number="JJ-2026-0009", assigned_pe_id=None,
            lines=[SimpleNamespace(item="网络摄像机", brand_model="海康 DS-2CD", qty=Decimal(120), unit="台",
                                   supply_by="ours", note="")])
        project = open_from_handover(handover, user)
        db.session.commit()
        assert project.number.startswith("GC-") and project.sales_contract_id == 77
        assert project.supervision_mode == "firm" and project.scope[0].item == "网络摄像机"
        assert project.project_type == "security"
        sales_contract_changed(contract=contract, supplement=None)
        db.session.commit()
        assert db.session.get(EngProject, project.id).state == "cancelled"


def test_dashboard_counts_only_the_projects_one_sees(app, team, eweb):
    make_project(app, team, state="in_construction")
    make_project(app, team, state="survey", engineer="pe2")
    make_project(app, team, state="received", engineer=None)
    with app.app_context():
        from modules.engineering.projects import EngProject
        late = db.session.scalar(select(EngProject).where(EngProject.state == "received"))
        from datetime import datetime, timezone
        late.assign_due_at = datetime(2026, 1, 5, 10, tzinfo=timezone.utc)
        db.session.commit()
    page = eweb("pe").get("/").get_data(as_text=True)
    assert "My projects by state" in page and "Under construction" in page and ">Site survey<" not in page
    page = eweb("eng_mgr").get("/").get_data(as_text=True)
    assert "Projects by state" in page and ">Site survey<" in page
    assert "Projects waiting for an engineer: 1" in page


def test_each_step_waits_in_the_inbox_of_whose_step_it_is(app, team, eweb):
    """The engineer's steps wait for the project's engineer, the start and pre-acceptance for the
    工程部经理 who owns the project; nobody else's 待我处理 lists them."""
    surveying = make_project(app, team, state="survey")
    applied = make_project(app, team, state="start_applied", engineer="pe2")
    inbox = {name: eweb(name).get("/inbox").get_data(as_text=True) for name in ("pe", "pe2", "eng_mgr")}
    assert f"/engineering/project/{surveying}" in inbox["pe"]
    assert f"/engineering/project/{surveying}" not in inbox["pe2"] + inbox["eng_mgr"]
    assert f"/engineering/project/{applied}" in inbox["eng_mgr"]
    assert f"/engineering/project/{applied}" not in inbox["pe"] + inbox["pe2"]
