"""The supervision forms' family (F-T, SPEC 4.0/4.3): the header filled from the project, the
signature blocks signed by the company or recorded from the other party's paper depending on the
relation, the print of the paper form; F-T01 applies for the start through the start gate, F-T07
suspends and F-T08 resumes the project with the days counted."""
import os
import subprocess
import tempfile

import pytest

from core.extensions import db

from .conftest import make_project
from .test_costs import approved_baseline
from .test_schedule import approve, create

pytestmark = pytest.mark.modules("engineering")

SUPERVISOR_PAPER = {"supervisor_xsig_name": "李监理", "supervisor_xsig_org": "市建设监理公司",
                    "supervisor_xsig_title": "总监理工程师", "supervisor_xsig_date": "2026-12-05",
                    "supervisor_xsig_opinion": "同意"}
TEAM_PAPER = {"contractor_xsig_name": "赵队长", "contractor_xsig_org": "宏达布线施工队",
              "contractor_xsig_date": "2026-12-04"}


def ready_project(app, team, eapi, **values):
    """A project in preparation whose start conditions are met (its schedule and cost baseline approved)."""
    from datetime import date
    values.setdefault("safety_briefed_on", date(2026, 12, 1))
    values.setdefault("supervision_mode", "firm")
    values.setdefault("supervisor_firm", "市建设监理公司")
    pid = make_project(app, team, state="planning", **values)
    approve(team, eapi, create(team, eapi, pid))
    approved_baseline(team, eapi, pid)
    return pid


def ft01(team, eapi, pid, relation="outward", **values):
    body = {"project_id": pid, "relation": relation, "planned_start": "2026-12-10", "planned_completion": "2027-03-31",
            "contract_days": 111, **values}
    status, doc = eapi(team, "pe", "post", "ft01", body)
    assert status == 201, doc
    return doc


def all_ready(team, eapi, doc):
    lines = [{"item": line["item"], "status": "done"} for line in doc["lines"]]
    status, doc = eapi(team, "pe", "patch", f"ft01/{doc['id']}", {"lines": lines, "version": doc["version"]})
    assert status == 200, doc
    return doc


def pdf_text(app, eweb, name, path) -> str:
    response = eweb(name).get(path)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    with tempfile.NamedTemporaryFile(suffix=".pdf", delete=False) as f:
        f.write(response.data)
    if os.environ.get("ERP_TEST_PDF_DIR"):  # keep it to look at (pdftoppm -png)
        os.makedirs(os.environ["ERP_TEST_PDF_DIR"], exist_ok=True)
        with open(os.path.join(os.environ["ERP_TEST_PDF_DIR"], path.strip("/").replace("/", "-") + ".pdf"), "wb") as out:
            out.write(response.data)
    try:
        return subprocess.run(["pdftotext", f.name, "-"], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(f.name)


def project(app, pid):
    from modules.engineering.projects import EngProject
    with app.app_context():
        return db.session.get(EngProject, pid)


def test_outward_application_applies_for_the_start_and_prints(app, team, eapi, eweb):
    pid = ready_project(app, team, eapi)
    doc = ft01(team, eapi, pid)
    # The header comes from the project: to the supervision company, from the company.
    assert doc["number"].startswith("GC01-") and doc["state"] == "draft"
    assert doc["project_name"] == "市一中校园网综合布线工程" and doc["addressee"] == "市建设监理公司"
    assert doc["owner_unit"] == "市第一中学" and len(doc["lines"]) == 9
    # Not ready: the refusal names what is not done.
    status, body = eapi(team, "pe", "post", f"ft01/{doc['id']}/transitions/submit", {})
    assert status == 422 and "R-E-031" in str(body) and "Construction schedule approved" in str(body)
    doc = all_ready(team, eapi, doc)
    status, doc = eapi(team, "pe", "post", f"ft01/{doc['id']}/transitions/submit", {"comment": "具备开工条件"})
    assert status == 200, doc
    assert doc["state"] == "submitted" and doc["contractor_sig_by_id"] == team["ids"]["pe"]
    assert project(app, pid).state == "start_applied"
    # The supervisor's opinion is the external one, recorded from the signed paper.
    status, body = eapi(team, "pe", "post", f"ft01/{doc['id']}/transitions/review", {})
    assert status == 422 and "supervisor_xsig_name" in body["fields"]
    status, doc = eapi(team, "pe", "post", f"ft01/{doc['id']}/transitions/review", SUPERVISOR_PAPER)
    assert status == 200 and doc["state"] == "reviewed" and doc["supervisor_sig_at"] is None, doc
    text = pdf_text(app, eweb, "pe", f"/engineering/ft01/{doc['id']}/pdf")
    assert "工程开工申请单" in text and "市建设监理公司" in text and "李监理" in text and doc["number"] in text


def test_start_gate_refusal_is_named(app, team, eapi, eweb):
    from datetime import date
    pid = ready_project(app, team, eapi, safety_briefed_on=None)
    doc = all_ready(team, eapi, ft01(team, eapi, pid))
    status, body = eapi(team, "pe", "post", f"ft01/{doc['id']}/transitions/submit", {})
    assert status == 422 and "R-E-034" in str(body) and "R-E-031" in body["rules"]
    assert project(app, pid).state == "planning"
    # A large project also needs a reviewed construction organisation design (F-T03).
    big = ready_project(app, team, eapi, amount="500000", safety_briefed_on=date(2026, 12, 1))
    doc = all_ready(team, eapi, ft01(team, eapi, big))
    status, body = eapi(team, "pe", "post", f"ft01/{doc['id']}/transitions/submit", {})
    assert status == 422 and "F-T03" in str(body)
    status, design = eapi(team, "pe", "post", "ft03", {"project_id": big, "relation": "outward",
                                                        "design_title": "市一中综合布线施工组织设计",
                                                        "contents_check": ["overview", "schedule", "safety"],
                                                        "author": "张工"})
    assert status == 201, design
    # OUTWARD, the 工程部经理 signs as technical lead before it goes to the supervisor.
    status, body = eapi(team, "pe", "post", f"ft03/{design['id']}/transitions/submit", {})
    assert status == 422 and "technical lead" in str(body)
    status, body = eapi(team, "pe", "post", f"ft03/{design['id']}/transitions/tech_approve", {})
    assert status == 422 and "engineering manager" in str(body)
    assert eapi(team, "eng_mgr", "post", f"ft03/{design['id']}/transitions/tech_approve", {"comment": "同意"})[0] == 200
    assert eapi(team, "pe", "post", f"ft03/{design['id']}/transitions/submit", {})[0] == 200
    status, design = eapi(team, "pe", "post", f"ft03/{design['id']}/transitions/review", SUPERVISOR_PAPER)
    assert status == 200 and design["state"] == "reviewed", design
    text = pdf_text(app, eweb, "pe", f"/engineering/ft03/{design['id']}/pdf")
    assert "施工组织设计审核签证" in text and "市一中综合布线施工组织设计" in text
    status, doc = eapi(team, "pe", "post", f"ft01/{doc['id']}/transitions/submit", {})
    assert status == 200 and doc["state"] == "submitted", doc


def test_inward_the_team_signs_on_paper_and_the_company_reviews(app, team, eapi):
    pid = ready_project(app, team, eapi)
    status, body = eapi(team, "pe", "post", "ft01", {"project_id": pid, "relation": "inward", "planned_start": "2026-12-10",
                                                     "planned_completion": "2027-03-31", "contract_days": 111})
    assert status == 422 and "team_name" in str(body)
    doc = all_ready(team, eapi, ft01(team, eapi, pid, "inward", team_name="宏达布线施工队"))
    assert doc["addressee"] == doc["supervisor_name"] and doc["contractor_name"] == "宏达布线施工队"
    status, body = eapi(team, "pe", "post", f"ft01/{doc['id']}/transitions/submit", {})
    assert status == 422 and "contractor_xsig_name" in body["fields"]
    status, doc = eapi(team, "pe", "post", f"ft01/{doc['id']}/transitions/submit", TEAM_PAPER)
    assert status == 200 and doc["contractor_sig_at"] is None and doc["contractor_xsig_name"] == "赵队长", doc
    # The project engineer reviews as the supervising engineer; the owner's block is the manager's.
    status, doc = eapi(team, "pe", "post", f"ft01/{doc['id']}/transitions/review", {"comment": "同意开工"})
    assert status == 200 and doc["supervisor_sig_by_id"] == team["ids"]["pe"] and doc["supervisor_sig_decision"] == "agree"
    status, body = eapi(team, "pe", "post", f"ft01/{doc['id']}/transitions/owner_approve", {})
    assert status == 422 and "engineering manager" in str(body)
    status, doc = eapi(team, "eng_mgr", "post", f"ft01/{doc['id']}/transitions/owner_approve", {})
    assert status == 200 and doc["state"] == "owner_approved" and doc["owner_sig_by_id"] == team["ids"]["eng_mgr"]


def test_a_step_asks_for_the_paper_signature_only_of_the_other_party(app, team, eapi, eweb):
    """Outward the company is the contractor (its engineer signs by the step) and the supervisor
    signs on paper; inward it is the other way round: each step's page asks for what is on paper."""
    pid = ready_project(app, team, eapi)
    outward = all_ready(team, eapi, ft01(team, eapi, pid))
    inward = all_ready(team, eapi, ft01(team, eapi, pid, "inward", team_name="宏达布线施工队"))
    browser = eweb("pe")
    page = browser.get(f"/engineering/ft01/{outward['id']}/transitions/submit/input").get_data(as_text=True)
    assert "contractor_xsig_name" not in page
    page = browser.get(f"/engineering/ft01/{inward['id']}/transitions/submit/input").get_data(as_text=True)
    assert 'name="contractor_xsig_name"' in page


def test_who_may_see_and_write_forms(app, team, eapi, eweb):
    pid = ready_project(app, team, eapi)
    doc = ft01(team, eapi, pid)
    # Another project's engineer does not see it; the directors read it; sales writes none.
    assert eapi(team, "pe2", "get", f"ft01/{doc['id']}")[0] == 404
    assert eapi(team, "pe2", "post", f"ft01/{doc['id']}/transitions/submit", {})[0] == 404
    assert eapi(team, "gm", "get", f"ft01/{doc['id']}")[0] == 200
    assert eapi(team, "dir", "patch", f"ft01/{doc['id']}", {"contract_days": 5, "version": doc["version"]})[0] == 403
    assert eapi(team, "am", "post", "ft01", {"project_id": pid, "relation": "outward"})[0] == 403
    # pe2 may not write a form on a project not his.
    status, body = eapi(team, "pe2", "post", "ft01", {"project_id": pid, "relation": "outward",
                                                      "planned_start": "2026-12-10", "planned_completion": "2027-03-31",
                                                      "contract_days": 111})
    assert status == 422 and "project_id" in body["fields"]
    # The forms page lists the family by group, with "new" for whoever may write them.
    page = eweb("pe").get("/engineering/forms").get_data(as_text=True)
    assert "/engineering/ft01/new" in page and "/engineering/ft07" in page
    assert "/engineering/ft01/new" not in eweb("gm").get("/engineering/forms").get_data(as_text=True)
    assert eweb("am").get("/engineering/forms").status_code == 403
    assert "/engineering/forms" in eweb("pe").get("/engineering/").get_data(as_text=True)
    # The project's page lists its forms.
    assert doc["number"] in eweb("pe").get(f"/engineering/project/{pid}").get_data(as_text=True)


def test_suspension_and_resumption_count_the_days(app, team, eapi, eweb):
    pid = make_project(app, team, state="in_construction", supervision_mode="firm", supervisor_firm="市建设监理公司",
                       suspended_days=2)
    status, notice = eapi(team, "pe", "post", "ft07", {
        "project_id": pid, "relation": "outward", "reason": "safety", "reason_text": "脚手架未验收",
        "scope": "三层弱电间", "suspend_from": "2026-12-15T08:00", "requirements": "整改脚手架并报验",
        "attributable_to": "contractor"})
    assert status == 201, notice
    # Issued by the external supervisor: we are the receiving party.
    assert notice["addressee"] == notice["contractor_name"]
    status, notice = eapi(team, "pe", "post", f"ft07/{notice['id']}/transitions/issue", SUPERVISOR_PAPER)
    assert status == 200 and notice["state"] == "issued", notice
    assert project(app, pid).state == "suspended"
    status, notice = eapi(team, "pe", "post", f"ft07/{notice['id']}/transitions/acknowledge", {"comment": "已签收"})
    assert status == 200 and notice["contractor_sig_by_id"] == team["ids"]["pe"]
    resumption = {"project_id": pid, "relation": "outward", "suspension_id": notice["id"], "verification": "脚手架已验收合格",
                  "resume_at": "2026-12-20T08:00", "scope": "三层弱电间"}
    status, body = eapi(team, "pe", "post", "ft08", {**resumption, "resume_at": "2026-12-14T08:00"})
    assert status == 422 and "resume_at" in str(body)
    status, resumed = eapi(team, "pe", "post", "ft08", resumption)
    assert status == 201 and resumed["suspended_days"] == 5, resumed
    status, resumed = eapi(team, "pe", "post", f"ft08/{resumed['id']}/transitions/issue", SUPERVISOR_PAPER)
    assert status == 200, resumed
    after = project(app, pid)
    assert after.state == "in_construction" and after.suspended_days == 7
    assert eapi(team, "pe", "get", f"ft07/{notice['id']}")[1]["state"] == "closed"
    assert "工程暂停工通知" in pdf_text(app, eweb, "pe", f"/engineering/ft07/{notice['id']}/pdf")
    assert "工程复工通知" in pdf_text(app, eweb, "pe", f"/engineering/ft08/{resumed['id']}/pdf")
    # INWARD the engineering manager issues a suspension as chief supervising engineer.
    status, inward = eapi(team, "pe", "post", "ft07", {
        "project_id": pid, "relation": "inward", "team_name": "宏达布线施工队", "reason": "quality", "reason_text": "未按图施工",
        "scope": "二层", "suspend_from": "2026-12-22T08:00", "requirements": "返工", "attributable_to": "team"})
    assert status == 201 and inward["addressee"] == "宏达布线施工队"
    status, body = eapi(team, "pe", "post", f"ft07/{inward['id']}/transitions/issue", {})
    assert status == 422 and "engineering manager" in str(body)
    status, inward = eapi(team, "eng_mgr", "post", f"ft07/{inward['id']}/transitions/issue", {})
    assert status == 200 and inward["supervisor_sig_by_id"] == team["ids"]["eng_mgr"]
    assert project(app, pid).state == "suspended"


def test_every_form_has_its_pages(app, team, eweb):
    """The list and the new form of each of the family, for the project engineer (the forms'
    own tests open their detail pages and prints)."""
    from modules.engineering.forms import REGISTRY
    browser = eweb("pe")
    for code in REGISTRY:
        assert browser.get(f"/engineering/{code}/").status_code == 200, code
        page = browser.get(f"/engineering/{code}/new")
        assert page.status_code == 200, code
        assert 'name="relation"' in page.get_data(as_text=True), code


def test_demo_writes_forms_on_the_engineers_projects(app, team, eweb):
    from core.auth.models import User
    from modules.engineering import schedule, selfchecks, supervision
    from modules.engineering.projects import EngProject
    phases = ("planning", "in_construction", "suspended", "rectification")
    pids = [make_project(app, team, state=state) for state in phases]
    with app.app_context():
        users = {name: db.session.get(User, team["ids"][name]) for name in ("pe", "eng_mgr")}
        schedule.demo(users)
        selfchecks.demo(users)
        made = supervision.demo(users)
        assert {doc.__form__.code for doc in made} == {"ft01", "ft02", "ft03", "ft07", "ft08", "ft13", "ft14", "ft15",
                                                       "ft16", "ft17", "ft18", "ft19", "ft20", "ft21", "ft22"}
        states = {doc.__form__.code: doc.state for doc in made}
        assert states["ft15"] == "reviewed" and states["ft16"] == "issued" and states["ft19"] == "confirmed"
        assert states["ft02"] == states["ft03"] == "reviewed" and states["ft14"] == "closed"
        assert states["ft17"] == "read" and states["ft08"] == states["ft22"] == "draft"
        # The sub-item accepted after its passed self-check, on the schedule too.
        assert states["ft20"] == states["ft21"] == "closed"
        opinion = next(doc for doc in made if doc.__form__.code == "ft21")
        assert any(task.accepted_ref == opinion.number for task in schedule.subitems(pids[1]))
        # The projects stay in their phases (the demo shows every phase).
        assert [db.session.get(EngProject, pid).state for pid in pids] == list(phases)
        assert supervision.demo(users) == []          # once
        pages = [f"/engineering/{doc.__form__.code}/{doc.id}" for doc in made]
    # Their pages and prints open, the steps' pages with the other party's signature to type.
    browser = eweb("pe")
    for page in pages:
        assert browser.get(page).status_code == 200, page
        assert browser.get(f"{page}/print").status_code == 200, page
    assert "市一中校园网综合布线工程" in browser.get("/engineering/ft15/").get_data(as_text=True)  # the project listed
    ft13 = next(page for page in pages if "/ft13/" in page)
    review = browser.get(f"{ft13}/transitions/review/input").get_data(as_text=True)
    assert 'name="supervisor_xsig_name"' in review
