"""The organisation is data: a deployment's company file (ERP_COMPANY_FILE) instead of the
handbook's company, checked before anything is written, seeded idempotently."""
import pytest
from sqlalchemy import func, select

from core.auth.models import Role, RolePermission, User
from core.cli import cli
from core.extensions import db
from core.models import SeededGrant
from core.org.company import DEFAULT_COMPANY_FILE, CompanyFileError, load_company
from core.org.models import Department, Position, department_managers
from core.seed import seed_all, seed_demo_users

QUALITY = ('departments = [\n',
           'departments = [\n  { code = "QA", name = "质量部", name_en = "Quality Department", parent = "GMO" },\n')
QUALITY_HEAD = ('positions = [\n',
                'positions = [\n  { code = "POS-QA", name = "质量部经理", department = "QA", reports_to = "POS-GM", '
                'role = "ROLE-QA", head = true },\n')
QUALITY_ROLE = ('roles = [\n',
                'roles = [\n  { code = "ROLE-QA", name = "质量经理", name_en = "Quality Manager", '
                'permissions = ["core.parties.view"] },\n')
QUALITY_USER = ('demo_users = [\n', 'demo_users = [\n  { username = "qa", full_name = "钱质量", role = "ROLE-QA", '
                                    'position = "POS-QA" },\n')
# 行政部 becomes 人事行政部 under a new code: hr_appraisal still grants to ROLE-ADM.
HR_FOR_ADM = [('"ROLE-ADM"', '"ROLE-HR"'),
              ('name = "行政部", name_en = "Administration" }', 'name = "人事行政部", name_en = "HR and Administration" }')]


def company_file(tmp_path, *replacements, name="company.toml"):
    """The handbook's company file with `(old, new)` text replacements, as a deployment edits its copy."""
    text = DEFAULT_COMPANY_FILE.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def deployment(tmp_path, database, make_app):
    """An app seeded from a deployment's file: an extra department with its head, role and demo user,
    and 行政部's role renamed."""
    from tests.conftest import reset_database
    reset_database(*database)
    path = company_file(tmp_path, QUALITY, QUALITY_HEAD, QUALITY_ROLE, QUALITY_USER, *HR_FOR_ADM)
    app = make_app(ERP_COMPANY_FILE=str(path))
    app.instance_path = str(tmp_path / "instance")  # demo passwords
    with app.app_context():
        app.seed_notes = seed_all()
    return app


def test_a_deployment_file_seeds_its_extra_department_and_renamed_role(deployment):
    with deployment.app_context():
        roles = {r.code: r for r in db.session.scalars(select(Role))}
        assert (roles["ROLE-HR"].name, roles["ROLE-HR"].name_en) == ("人事行政部", "HR and Administration")
        assert "ROLE-ADM" not in roles
        assert roles["ROLE-QA"].permission_codes == {"core.parties.view"}
        quality = db.session.scalar(select(Department).where(Department.code == "QA"))
        assert (quality.name, quality.parent.code) == ("质量部", "GMO")
        head = quality.head_position
        assert (head.code, head.role.code, head.reports_to.code) == ("POS-QA", "ROLE-QA", "POS-GM")
        assert db.session.scalar(select(Position).where(Position.code == "POS-ADM")).role.code == "ROLE-HR"

        accounts = {username: role for username, role, _ in seed_demo_users()}
        assert accounts["qa"] == "ROLE-QA" and accounts["adm"] == "ROLE-HR" and accounts["admin"] == "ROLE-ADMIN"
        assert department_managers(quality)[0].username == "qa"


def test_a_module_granting_to_a_role_the_file_lacks_is_reported_in_one_sentence(deployment):
    # One sentence per module, however many grants (the appraisal module grants 行政部 a long list).
    hr_sentence = deployment.seed_notes[-1]
    assert hr_sentence.startswith("Module hr_appraisal grants hr_appraisal.access, hr_appraisal.cycle.manage, ")
    assert hr_sentence.endswith(f"to role ROLE-ADM, which {deployment.config['ERP_COMPANY_FILE']} does not define: "
                                "those grants are not applied.")
    assert deployment.seed_notes == [
        f"Module procurement grants procurement.access, procurement.request.read, procurement.request.create, "
        f"procurement.request.edit, procurement.request.submit, procurement.request.cancel to role ROLE-ADM, "
        f"which {deployment.config['ERP_COMPANY_FILE']} does not define: those grants are not applied.",
        hr_sentence]
    # Modules' grants to the roles the file keeps still apply.
    with deployment.app_context():
        gm = db.session.scalar(select(Role).where(Role.code == "ROLE-GM"))
        assert {"core.audit.view", "hr_appraisal.sheet.score", "sales.access"} <= gm.permission_codes


def test_seeding_again_adds_nothing_and_keeps_what_the_admin_revoked(deployment, tmp_path):
    with deployment.app_context():
        quality = db.session.scalar(select(Role).where(Role.code == "ROLE-QA"))
        quality.grants = []  # the admin revokes its default permission
        db.session.commit()

        def counts():
            return [db.session.scalar(select(func.count()).select_from(model))
                    for model in (Role, RolePermission, SeededGrant, Department, Position)]
        before = counts()
        seed_all()
        seed_all()
        assert counts() == before
        assert quality.permission_codes == set()

        # The deployment edits its file: the entries it names follow, nothing is duplicated.
        company_file(tmp_path, QUALITY, QUALITY_HEAD, QUALITY_ROLE, QUALITY_USER, *HR_FOR_ADM,
                     ('name = "质量部", name_en = "Quality Department"', 'name = "品质部", name_en = "Quality Assurance"'))
        seed_all()
        assert counts() == before
        dept = db.session.scalar(select(Department).where(Department.code == "QA"))
        assert (dept.name, dept.name_en) == ("品质部", "Quality Assurance")


def test_the_handbook_company_is_the_default(app):
    company = load_company()
    assert app.config["ERP_COMPANY_FILE"] == str(DEFAULT_COMPANY_FILE)
    assert company.name == "天盈隆数码技术(深圳)有限公司"
    assert [d.code for d in company.departments] == ["GMO", "MKT", "ENG", "PUR", "ADM", "FIN"]
    assert len(company.roles) == len(company.positions) == len(company.demo_users) == 14
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0  # demo users only by erp demo


MALFORMED = [
    ((QUALITY_HEAD,), "positions #1 (POS-QA): department 'QA' is not one of the departments in this file."),
    ((('{ code = "POS-GM", name = "总经理", ', '{ code = "POS-GM", '),),
     "positions #1 (POS-GM): 'name' is missing."),
    ((('reports_to = "POS-GM", role = "ROLE-MKT-DIR"', 'reports_to = "POS-MKT-MGR", role = "ROLE-MKT-DIR"'),),
     "positions #2 (POS-MKT-DIR): reports_to goes round in a circle: POS-MKT-DIR → POS-MKT-MGR → POS-MKT-DIR."),
    ((('code = "ROLE-GM", name = "总经理"', 'code = "ROLE-ADMIN", name = "总经理"'),),
     "roles #1 (ROLE-ADMIN): ROLE-ADMIN (系统管理员) is core's own role; leave it out of the file."),
    ((('code = "ROLE-FIN"', 'code = "ROLE-GM"'),), "roles #14 (ROLE-GM): code 'ROLE-GM' is already used by roles #1 (ROLE-GM)."),
    ((('role = "ROLE-GM", head = true', 'role = "ROLE-GM", head = "yes"'),),
     "positions #1 (POS-GM): 'head' must be true or false."),
    ((('name = "总经理室"', 'nmae = "总经理室"'),),
     "departments #1 (GMO): unknown key 'nmae'; the keys are code, name, name_en, parent."),
]


@pytest.mark.parametrize("replacements, problem", MALFORMED)
def test_a_malformed_file_is_refused_naming_the_file_the_entry_and_the_problem(tmp_path, replacements, problem):
    path = company_file(tmp_path, *replacements)
    with pytest.raises(CompanyFileError) as refused:
        load_company(path)
    assert str(refused.value) == f"{path}: {problem}"


def test_a_file_that_is_not_toml_is_refused_with_its_line(tmp_path):
    path = company_file(tmp_path, ('{ code = "GMO", name = "总经理室"', '{ code = "GMO" name = "总经理室"'))
    with pytest.raises(CompanyFileError) as refused:
        load_company(path)
    message = str(refused.value)  # tomllib's own words vary with Python's version; its line does not
    assert message.startswith(f"{path}: the company file is not valid TOML (") and "line 13" in message


def test_erp_db_seed_refuses_a_malformed_file_before_writing_anything(tmp_path, make_app, database):
    from tests.conftest import reset_database
    reset_database(*database)
    path = company_file(tmp_path, QUALITY, QUALITY_HEAD)  # ROLE-QA is not among the roles
    app = make_app(ERP_COMPANY_FILE=str(path))
    result = app.test_cli_runner().invoke(cli, ["db", "seed"])
    assert result.exit_code == 1
    assert f"Error: {path}: positions #1 (POS-QA): role 'ROLE-QA' is not one of the roles in this file." \
        in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Department)) == 0


def test_erp_db_seed_loads_the_file_and_reports_what_cannot_apply(deployment):
    result = deployment.test_cli_runner().invoke(cli, ["db", "seed"])
    assert result.exit_code == 0, result.output
    assert "to role ROLE-ADM, which" in result.stderr
    assert f"Seeded {deployment.config['ERP_COMPANY_FILE']}: 7 departments, 15 positions, 15 roles." in result.stdout
