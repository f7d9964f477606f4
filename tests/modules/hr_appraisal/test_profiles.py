"""Job profiles (岗位说明书, X-H05): seeded from SPEC 1.4, read by all, edited by the 行政部."""
import pytest
from sqlalchemy import func, select

from core.extensions import db

pytestmark = pytest.mark.modules("hr_appraisal")


def seed(app):
    from modules.hr_appraisal.profiles import seed_profiles
    with app.app_context():
        made = len(seed_profiles())
        db.session.commit()
        return made


def test_seeded_for_every_role_once(app, staff):
    from modules.hr_appraisal.profiles import ROLES, JobProfile
    assert seed(app) == len(ROLES) == 14
    assert seed(app) == 0                                     # idempotent
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(JobProfile)) == 14
        dir_profile = db.session.scalar(select(JobProfile).where(JobProfile.role_code == "ROLE-MKT-DIR"))
        assert dir_profile.state == "confirmed" and dir_profile.position == "市场总监"
        assert dir_profile.reports_to == "总经理"
        kinds = {item.kind for item in dir_profile.items}
        assert kinds == {"duty", "authority", "criterion", "taboo"}
        assert "市场份额拓展" in [i.text for i in dir_profile.items if i.kind == "criterion"]


def test_taboos_of(app, staff):
    from modules.hr_appraisal.profiles import taboos_of
    seed(app)
    with app.app_context():
        assert taboos_of("ROLE-ENG-PE") == ["不能控制现场，不能主动解决问题"]
        assert "做出超成本的工程预算报价" in taboos_of("ROLE-MKT-PSE")
        assert taboos_of("ROLE-UNKNOWN") == []


def test_everyone_reads_adm_edits(app, staff, hapi):
    seed(app)
    status, body = hapi(staff, "pe", "get", "job_profile?size=50")
    assert status == 200 and len(body["items"]) == 14
    pid = next(i["id"] for i in body["items"] if i["role_code"] == "ROLE-ENG-PE")
    status, doc = hapi(staff, "pe", "get", f"job_profile/{pid}")
    assert status == 200
    status, _ = hapi(staff, "pe", "patch", f"job_profile/{pid}", {"version": doc["version"], "purpose": "x"})
    assert status == 403
    status, changed = hapi(staff, "adm", "patch", f"job_profile/{pid}",
                           {"version": doc["version"], "career_path": "工程部经理"})
    assert status == 200 and changed["career_path"] == "工程部经理"
    # a second profile in force for the same role is refused naming the field
    status, body = hapi(staff, "adm", "post", "job_profile", {
        "role_code": "ROLE-ENG-PE", "position": "项目工程师", "dept_name": "工程部", "reports_to": "工程部经理",
        "purpose": "工程项目的实施与管理"})
    assert status == 422 and "role_code" in body["fields"]
    status, body = hapi(staff, "adm", "post", "job_profile", {"position": "x"})
    assert status == 422 and "role_code" in body["fields"] and "purpose" in body["fields"]


def test_print_in_chinese(app, staff, hweb):
    seed(app)
    from modules.hr_appraisal.profiles import JobProfile
    with app.app_context():
        pid = db.session.scalar(select(JobProfile.id).where(JobProfile.role_code == "ROLE-ENG-PE"))
    page = hweb("pe").get(f"/hr_appraisal/job_profile/{pid}/print")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "岗位说明书" in text and "不能控制现场" in text


def test_pdf(app, staff, hweb):
    seed(app)
    from modules.hr_appraisal.profiles import JobProfile
    with app.app_context():
        pid = db.session.scalar(select(JobProfile.id).where(JobProfile.role_code == "ROLE-MKT-DIR"))
    response = hweb("am").get(f"/hr_appraisal/job_profile/{pid}/pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def test_the_role_is_named_not_coded(app, staff, hweb, hapi):
    """Found walking the profile page: the role read "ROLE-ENG-PE" where a reader expects 项目工程师."""
    seed(app)
    from core.auth.models import Role
    from modules.hr_appraisal.profiles import JobProfile
    with app.app_context():
        pid = db.session.scalar(select(JobProfile.id).where(JobProfile.role_code == "ROLE-ENG-PE"))
        role = db.session.scalar(select(Role).where(Role.code == "ROLE-ENG-PE"))
        names = {role.name, role.name_en} - {""}
    for path in (f"/hr_appraisal/job_profile/{pid}", f"/hr_appraisal/job_profile/{pid}/print",
                 "/hr_appraisal/job_profile/new", "/hr_appraisal/job_profile/"):
        page = hweb("adm").get(path).get_data(as_text=True)
        assert any(name in page for name in names), path
        assert ">ROLE-ENG-PE<" not in page.replace("<dd>ROLE", ">ROLE").replace(" ", ""), path
    status, body = hapi(staff, "pe", "get", f"job_profile/{pid}")
    assert status == 200 and body["role_code"] == "ROLE-ENG-PE"       # the API keeps the code
