"""Every core hook: documented, listed in the partner guide, and shown working here."""
import inspect
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core import hookspecs, plugins
from core.manifest import Manifest
from core.auth.models import Role
from core.extensions import db
from core.org.models import Department

ROOT = Path(__file__).resolve().parents[2]
GUIDE = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
TESTS = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("test_*.py"))


def installed_hookspecs(manifests) -> dict:
    """Every hookspec core and the installed modules define, by name."""
    modules = [hookspecs] + [m for m in map(plugins.hookspec_module, manifests.values()) if m is not None]
    return {name: fn for module in modules for name, fn in inspect.getmembers(module, inspect.isfunction)
            if hasattr(fn, f"{hookspecs.PROJECT}_spec")}


def contract_problems(specs: dict, guide: str, tests: str) -> list[str]:
    """What breaks the hook contract: each hookspec has a docstring with an example, a section
    ``### `name(signature)` `` in the guide and a test named test_hook_<name>; each hook section
    of the guide is a hookspec with that exact signature."""
    documented = dict(re.findall(r"^### `(\w+)(\(.*\))`$", guide, re.M))
    problems = []
    for name, fn in specs.items():
        signature = str(inspect.signature(fn))
        if not (fn.__doc__ and "Example::" in fn.__doc__):
            problems.append(f"{name} needs a docstring with an example")
        if documented.get(name) != signature:
            problems.append(f"docs/plugins.md needs a section ### `{name}{signature}`")
        if not re.search(rf"\btest_hook_{name}\b", tests):
            problems.append(f"no test named test_hook_{name}")
    problems += [f"docs/plugins.md documents `{name}{signature}`, which no hookspec defines"
                 for name, signature in documented.items() if name not in specs]
    return problems


def test_every_hookspec_of_every_installed_module_is_documented_and_tested():
    specs = installed_hookspecs(plugins.discover())
    assert {"erp_models", "sales_validate_quotation", "sales_request_price_inquiry"} <= set(specs)
    assert contract_problems(specs, GUIDE, TESTS) == []


def test_the_contract_check_refuses_an_undocumented_hookspec_and_a_stale_section(tmp_path, monkeypatch):
    package = tmp_path / "erp_ledger"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "hookspecs.py").write_text(
        "from core.hookspecs import hookspec\n\n\n"
        "@hookspec\ndef ledger_posted(entry, user):\n    \"\"\"Example::\n\n        pass\n    \"\"\"\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    ledger = Manifest(name="ledger", version="1.0", package="erp_ledger")
    specs = installed_hookspecs({**plugins.discover(), "ledger": ledger})
    hook = "ledger_posted"  # not spelled out after test_hook_, or this file would count as its test
    assert contract_problems(specs, GUIDE, TESTS) == [
        f"docs/plugins.md needs a section ### `{hook}(entry, user)`", f"no test named test_hook_{hook}"]
    # The other direction: a section left behind after its hook changed or went away.
    specs = installed_hookspecs(plugins.discover())
    stale = GUIDE.replace("### `erp_reminders(now)`", "### `erp_reminders(now, user)`") + "\n### `erp_greet()`\n"
    assert contract_problems(specs, stale, TESTS) == [
        "docs/plugins.md needs a section ### `erp_reminders(now)`",
        "docs/plugins.md documents `erp_greet()`, which no hookspec defines"]


@pytest.fixture
def sample_app(seeded_app):
    manifests = plugins.discover()
    from tests.plugins.sample import MANIFEST
    manifests["sample"] = MANIFEST
    return seeded_app(ERP_MANIFESTS=manifests)


def sign_in(app, *roles):
    from core.seed import create_user
    from tests.conftest import PASSWORD
    with app.app_context():
        create_user("tester", PASSWORD, roles)
        db.session.commit()
    client = app.test_client()
    client.post("/login", data={"username": "tester", "password": PASSWORD})
    return client


def test_hook_erp_models(sample_app):
    from tests.plugins.sample.hooks import SampleNote
    assert sample_app.extensions["erp"].models["sample"] == [SampleNote]
    assert "department" in [m.__tablename__ for m in sample_app.extensions["erp"].models["core"]]


def test_hook_erp_blueprints(sample_app):
    client = sample_app.test_client()
    assert client.get("/sample/").get_data(as_text=True) == "sample page"


def test_hook_erp_permissions(sample_app):
    assert sample_app.extensions["erp"].permissions["sample.view"][0] == "sample"


def test_hook_erp_roles(sample_app):
    with sample_app.app_context():
        roles = {r.code: r for r in db.session.scalars(select(Role))}
        assert "sample.view" in roles["ROLE-FIN"].permission_codes
        assert roles["ROLE-SAMPLE"].name == "样例角色"


def test_hook_erp_menu_items(sample_app):
    client = sign_in(sample_app, "ROLE-FIN")
    page = client.get("/").get_data(as_text=True)
    assert 'data-section="sample"' in page and 'href="/sample/"' in page
    other = sign_in_other(sample_app)
    assert 'href="/sample/"' not in other.get("/").get_data(as_text=True)


def sign_in_other(app):
    from core.seed import create_user
    from tests.conftest import PASSWORD
    with app.app_context():
        create_user("outsider", PASSWORD, ["ROLE-MKT-AM"])
        db.session.commit()
    client = app.test_client()
    client.post("/login", data={"username": "outsider", "password": PASSWORD})
    return client


def test_hook_erp_cli_commands(sample_app):
    result = sample_app.test_cli_runner().invoke(args=["sample", "ping"])
    assert result.exit_code == 0 and result.output.strip() == "pong"


def test_hook_erp_seed_data(sample_app):
    with sample_app.app_context():
        from core.seed import seed_all
        seed_all()  # twice: idempotent
        assert db.session.scalar(select(func.count()).select_from(Department).where(Department.code == "SMP")) == 1


def test_hook_erp_demo_data(sample_app):
    with sample_app.app_context():
        sample_app.extensions["erp"].pm.hook.erp_demo_data(app=sample_app)
        db.session.commit()
        assert db.session.scalar(select(Department.name_en).where(Department.code == "SMP")) == "Sample department"


def test_hook_erp_rules(sample_app):
    module, rule = sample_app.extensions["erp"].rules["SMP-001"]
    assert module == "sample" and rule.kind == "deadline" and rule.params == ("core.workday_end_time",)
    page = sign_in(sample_app, "ROLE-ADMIN").get("/admin/rules").get_data(as_text=True)
    assert 'data-rule="SMP-001"' in page and "样例规则" in page and "A sample rule." in page


def test_hook_erp_dashboard_widgets(sample_app):
    page = sign_in(sample_app, "ROLE-FIN").get("/").get_data(as_text=True)
    assert "Samples waiting" in page and ">7<" in page
    assert "Samples waiting" not in sign_in_other(sample_app).get("/").get_data(as_text=True)


def test_hook_erp_user_deactivation_blockers(sample_app):
    """An account is deactivated only once no module has anything of his left to hand over:
    refused with the modules' sentences on the admin's user page and by `erp users deactivate`."""
    from core.auth.models import User
    from core.seed import create_user
    from tests.conftest import PASSWORD
    with sample_app.app_context():
        people = [create_user(name, PASSWORD, ["ROLE-MKT-AM"]) for name in ("keeper", "leaver")]
        db.session.commit()
        keeper, leaver = (p.id for p in people)
    admin = sign_in(sample_app, "ROLE-ADMIN")
    form = {"full_name": "同事", "email": "", "department_id": 0, "roles": [], "language": "", "active": "",
            "password": ""}
    response = admin.post(f"/admin/users/{keeper}", data={**form, "username": "keeper"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "2 samples are still his: hand them over first." in page
    from core.testing.helpers import ErpCliRunner
    result = ErpCliRunner(sample_app).invoke(["users", "deactivate", "keeper"])
    assert result.exit_code != 0 and "2 samples are still his" in result.output
    assert admin.post(f"/admin/users/{leaver}", data={**form, "username": "leaver"}).status_code == 302
    with sample_app.app_context():
        assert db.session.get(User, keeper).active is True and db.session.get(User, leaver).active is False
        create_user("leaver2", PASSWORD, ["ROLE-MKT-AM"])
        db.session.commit()
    result = ErpCliRunner(sample_app).invoke(["users", "deactivate", "leaver2"])
    assert result.exit_code == 0, result.output
    with sample_app.app_context():
        assert db.session.scalar(select(User.active).where(User.username == "leaver2")) is False
