"""Modules as plugins: discovery, dependency resolution, admin switches and what a module adds."""
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, text

from core import plugins
from core.auth.models import Role, RolePermission
from core.auth.permissions import Permission
from core.extensions import db
from core.hookspecs import hookimpl
from core.manifest import Manifest
from core.models import ModuleState
from core.plugins import ModuleError

ROOT = Path(__file__).resolve().parents[2]
BUILT_INS = {"sales", "engineering", "procurement", "hr_appraisal"}


def manifest(name, *depends):
    # resolve() never imports a module, so any existing package will do.
    return Manifest(name=name, version="1.0", depends=depends, package="modules.sales")


def manifests(*items):
    return {m.name: m for m in items}


def by_name(statuses):
    return {s.manifest.name: s for s in statuses}


# Two modules where one needs the other, for the switch tests (hello does not really need sales).
FAKE = {
    "sales": Manifest(name="sales", version="0.1.0", label="Sales", package="modules.sales", sequence=10),
    "hello": Manifest(name="hello", version="1.0.0", label="Greetings", depends=("sales",),
                      package="erp_hello", sequence=90),
}


# ---- discovery ----------------------------------------------------------------------------------
def test_discover_finds_builtins_and_the_installed_plugin():
    found = plugins.discover()
    assert BUILT_INS | {"hello"} <= set(found)
    for name in BUILT_INS:
        assert found[name].version == "0.1.0"
        assert found[name].distribution == "yinglong-erp"
        assert found[name].package == f"modules.{name}"
    hello = found["hello"]
    assert (hello.version, hello.distribution, hello.package) == ("1.0.0", "erp-plugin-hello", "erp_hello")
    assert hello.hooks == "erp_hello.hooks"


# ---- resolve ------------------------------------------------------------------------------------
def test_unknown_name_in_erp_modules_is_refused_by_name():
    with pytest.raises(ModuleError, match="not installed: crm"):
        plugins.resolve(manifests(manifest("sales")), ["sales", "crm"], {})


def test_missing_dependency_names_both_modules():
    ms = manifests(manifest("sales"), manifest("hello", "crm"))
    with pytest.raises(ModuleError) as exc:
        plugins.resolve(ms, None, {})
    assert "'hello'" in str(exc.value) and "'crm'" in str(exc.value)
    assert "not installed" in str(exc.value)

    statuses = by_name(plugins.resolve(ms, None, {}, strict=False))
    assert statuses["sales"].enabled
    assert not statuses["hello"].enabled
    assert "'crm'" in statuses["hello"].reason and "not installed" in statuses["hello"].reason


def test_dependency_switched_off_stops_strict_start_naming_it():
    ms = manifests(manifest("sales"), manifest("hello", "sales"))
    with pytest.raises(ModuleError) as exc:
        plugins.resolve(ms, None, {"sales": False})
    message = str(exc.value)
    assert "'hello'" in message and "'sales'" in message and "disabled by the administrator" in message


def test_dependency_switched_off_is_reported_when_lenient():
    ms = manifests(manifest("sales"), manifest("hello", "sales"), manifest("engineering"))
    statuses = by_name(plugins.resolve(ms, None, {"sales": False}, strict=False))
    assert (statuses["sales"].enabled, statuses["sales"].reason) == (False, "disabled by the administrator")
    assert not statuses["hello"].enabled
    assert "'sales'" in statuses["hello"].reason and "off" in statuses["hello"].reason
    assert statuses["engineering"].enabled and statuses["engineering"].reason == "enabled"


def test_dependency_left_out_of_erp_modules_is_named():
    ms = manifests(manifest("sales"), manifest("hello", "sales"))
    with pytest.raises(ModuleError, match=r"'hello'.*'sales'.*not in ERP_MODULES"):
        plugins.resolve(ms, ["hello"], {})


def test_effective_modules_are_erp_modules_and_switches():
    ms = manifests(manifest("sales"), manifest("engineering"), manifest("procurement"))
    statuses = by_name(plugins.resolve(ms, ["sales", "procurement"], {"procurement": False}))
    assert [n for n, s in statuses.items() if s.enabled] == ["sales"]
    assert statuses["engineering"].reason == "not in ERP_MODULES"
    assert statuses["procurement"].reason == "disabled by the administrator"


def test_statuses_come_in_dependency_order():
    ms = manifests(manifest("hello", "sales"), manifest("sales"))
    order = [s.manifest.name for s in plugins.resolve(ms, None, {})]
    assert order.index("sales") < order.index("hello")


def test_dependency_cycle_is_shown():
    ms = manifests(manifest("a", "b"), manifest("b", "c"), manifest("c", "a"), manifest("d"))
    with pytest.raises(ModuleError, match="cycle") as exc:
        plugins.resolve(ms, None, {})
    cycle = str(exc.value).split(": ", 1)[1].split(" -> ")
    assert cycle[0] == cycle[-1] and set(cycle) == {"a", "b", "c"}
    # Read as "depends on": every arrow is a declared dependency.
    for module, needed in zip(cycle, cycle[1:]):
        assert needed in ms[module].depends, f"{module} -> {needed} is not a dependency"


def test_requirements_and_dependents_are_transitive():
    ms = manifests(manifest("a"), manifest("b", "a"), manifest("c", "b"), manifest("d"))
    assert plugins.requirements("c", ms) == ["a", "b"]
    assert plugins.dependents("a", ms, {"a", "b", "c", "d"}) == ["b", "c"]
    assert plugins.dependents("a", ms, {"a", "b"}) == ["b"]
    assert plugins.dependents("d", ms, {"a", "b", "c", "d"}) == []


# ---- what a module adds, and what it does not when left out ----------------------------------
def test_all_modules_add_routes_menus_permissions_and_commands(app, client, login_as):
    erp = app.extensions["erp"]
    assert BUILT_INS | {"hello"} <= set(erp.enabled)
    assert "engineering.access" in erp.permissions and "hello.view" in erp.permissions
    assert "hello" in app.cli.commands
    login_as("ROLE-GM")
    assert client.get("/engineering/").status_code == 200
    assert 'data-section="engineering"' in client.get("/").get_data(as_text=True)


@pytest.mark.modules("sales")
def test_module_left_out_of_erp_modules_adds_nothing(app, client, login_as):
    from core.cli import cli
    erp = app.extensions["erp"]
    assert erp.enabled == ["sales"]
    assert not [c for c in erp.permissions if c.startswith("engineering.")]
    assert [c for c in erp.permissions if c.startswith("sales.")]
    assert not [i for i in erp.menu_items if i.section == "engineering"]
    assert not [e for e in app.view_functions if e.startswith("engineering.")]
    assert "engineering" not in app.cli.commands and "hello" not in app.cli.commands
    result = app.test_cli_runner().invoke(cli, ["engineering", "--help"])
    assert result.exit_code != 0 and "No such command" in result.output

    login_as("ROLE-GM")
    with app.app_context():  # a grant left over from when engineering ran stays inert
        role = db.session.scalar(select(Role).where(Role.code == "ROLE-GM"))
        role.grants.append(RolePermission(code="engineering.access"))
        db.session.commit()
    assert client.get("/engineering/").status_code == 404
    assert client.get("/sales/").status_code == 200
    page = client.get("/").get_data(as_text=True)
    assert 'data-section="sales"' in page
    assert 'data-section="engineering"' not in page and 'href="/engineering/"' not in page


def test_module_left_out_is_never_imported(tmp_path):
    code = ("import json, sys\n"
            "from core import create_app\n"
            "app = create_app()\n"
            "print(json.dumps({'enabled': app.extensions['erp'].enabled,\n"
            "                  'modules': sorted(m for m in sys.modules if m.startswith(('modules.', 'erp_hello')))}))\n")
    env = {**os.environ, "ERP_MODULES": "sales", "ERP_SECRET_KEY": "test", "ERP_AUDIT_KEY": "test",
           "ERP_DATABASE_URL": f"sqlite:///{tmp_path / 'erp.sqlite3'}"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["enabled"] == ["sales"]
    assert "modules.sales.hooks" in report["modules"]
    for name in ("modules.engineering.hooks", "modules.engineering.views", "erp_hello.hooks",
                 "erp_hello.models", "erp_hello.views"):
        assert name not in report["modules"]


# ---- admin switches -----------------------------------------------------------------------------
def test_switched_off_module_does_not_run_at_next_start(app, make_app):
    with app.app_context():
        db.session.add(ModuleState(name="procurement", enabled=False))
        db.session.commit()
    restarted = make_app()
    erp = restarted.extensions["erp"]
    status = by_name(erp.statuses)["procurement"]
    assert (status.enabled, status.reason) == (False, "disabled by the administrator")
    assert "procurement" not in erp.enabled and "sales" in erp.enabled
    assert not [c for c in erp.permissions if c.startswith("procurement.")]
    assert "procurement.index" not in restarted.view_functions
    assert "procurement" in app.extensions["erp"].enabled  # the running app is unchanged
    # ERP_MODULES ∩ switches
    only = make_app(ERP_MODULES=["sales", "procurement"])
    assert only.extensions["erp"].enabled == ["sales"]


def test_switched_off_module_keeps_its_data(app, make_app, login_as):
    from erp_hello.models import Greeting
    with app.app_context():
        db.session.add(Greeting(text="kept while off"))
        db.session.add(ModuleState(name="hello", enabled=False))
        db.session.commit()
    off = make_app()
    assert "hello" not in off.extensions["erp"].enabled
    assert off.test_client().get("/hello/").status_code == 404
    with off.app_context():
        from sqlalchemy import inspect
        assert "hello_greeting" in inspect(db.engine).get_table_names()
        assert db.session.execute(text("SELECT text FROM hello_greeting")).scalars().all() == ["kept while off"]
        from core import migrate
        assert migrate.differences(off) == []  # a disabled module's table is not a difference
        db.session.get(ModuleState, "hello").enabled = True
        db.session.commit()
    on = make_app()
    assert "hello" in on.extensions["erp"].enabled
    client = on.test_client()
    with on.app_context():
        from core.seed import create_user
        from tests.conftest import PASSWORD
        create_user("gm2", PASSWORD, ["ROLE-GM"])
        db.session.commit()
    assert client.post("/login", data={"username": "gm2", "password": PASSWORD}).status_code == 302
    assert "kept while off" in client.get("/hello/").get_data(as_text=True)


def test_dependency_switched_off_stops_start_unless_lenient(app, make_app):
    with app.app_context():
        db.session.add(ModuleState(name="sales", enabled=False))
        db.session.commit()
    with pytest.raises(ModuleError, match=r"'hello'.*'sales'"):
        make_app(ERP_MANIFESTS=FAKE)
    lenient = by_name(make_app(ERP_MANIFESTS=FAKE, ERP_MODULES_LENIENT=True).extensions["erp"].statuses)
    assert not lenient["sales"].enabled and not lenient["hello"].enabled
    assert "'sales'" in lenient["hello"].reason


def test_enable_also_enables_what_the_module_needs(app, make_app):
    from core import switches
    with app.app_context():
        db.session.add_all([ModuleState(name="sales", enabled=False), ModuleState(name="hello", enabled=False)])
        db.session.commit()
    off = make_app(ERP_MANIFESTS=FAKE)
    assert off.extensions["erp"].enabled == []
    with off.app_context():
        assert switches.enable("hello") == ["sales", "hello"]
        assert {s.name: s.enabled for s in db.session.scalars(select(ModuleState))} == {"sales": True, "hello": True}
    assert make_app(ERP_MANIFESTS=FAKE).extensions["erp"].enabled == ["sales", "hello"]


@pytest.mark.parametrize("app", [{"ERP_MANIFESTS": FAKE}], indirect=True)
def test_disable_is_refused_while_an_enabled_module_needs_it(app):
    from core import switches
    with app.app_context():
        with pytest.raises(switches.SwitchRefused, match="hello"):
            switches.disable("sales")
        assert db.session.get(ModuleState, "sales") is None
        with pytest.raises(switches.SwitchRefused, match="not installed"):
            switches.disable("crm")
        switches.disable("hello")
        switches.disable("sales")  # nothing needs it any more
        assert {s.name: s.enabled for s in db.session.scalars(select(ModuleState))} == {"sales": False, "hello": False}


@pytest.mark.parametrize("app", [{"ERP_MANIFESTS": FAKE}], indirect=True)
def test_admin_page_shows_the_refusal(app, client, login_as):
    login_as("ROLE-ADMIN")
    response = client.post("/admin/modules", data={"name": "sales", "action": "disable"})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Module sales cannot be disabled: hello depend on it." in page
    assert 'class="alert alert-danger"' in page
    with app.app_context():
        assert db.session.get(ModuleState, "sales") is None

    response = client.post("/admin/modules", data={"name": "hello", "action": "disable"}, follow_redirects=True)
    assert "Module hello disabled." in response.get_data(as_text=True)
    response = client.post("/admin/modules", data={"name": "hello", "action": "enable"}, follow_redirects=True)
    assert "Enabled: hello." in response.get_data(as_text=True)


def test_admin_page_needs_the_permission(client, login_as):
    login_as("ROLE-GM")
    assert client.post("/admin/modules", data={"name": "sales", "action": "disable"}).status_code == 403


# ---- declarations that cannot be applied --------------------------------------------------------
class Copycat:
    @hookimpl
    def erp_permissions(self):
        return [Permission("sales.access", "Open sales, again")]


def test_same_permission_from_two_modules_names_both():
    statuses = plugins.resolve(plugins.discover(), None, {})
    pm = plugins.make_plugin_manager(statuses)
    pm.register(Copycat(), name="copycat")
    with pytest.raises(ModuleError) as exc:
        plugins.collect(pm, "erp_permissions", lambda p: p.code, "permission")
    message = str(exc.value)
    assert "'sales.access'" in message and "'sales'" in message and "'copycat'" in message


@pytest.fixture
def partner_module(tmp_path, monkeypatch):
    """Write a partner's module package to disk (name erp_<x>, hooks.py from `source`) and install it."""
    written = []

    def write(name, source, **parts):
        package = tmp_path / f"erp_{name}"
        package.mkdir()
        (package / "__init__.py").write_text("")
        for module, code in {"hooks": source, **parts}.items():
            (package / f"{module}.py").write_text("from core.hookspecs import hookimpl\n"
                                                  "from core.auth.permissions import Permission\n" + code)
        written.append(package.name)
        return Manifest(name=name, version="1.0", package=package.name, parts=tuple(parts))
    monkeypatch.syspath_prepend(str(tmp_path))
    yield write
    for name in list(sys.modules):
        if name.split(".")[0] in written:
            del sys.modules[name]


def test_duplicate_permission_stops_the_app(partner_module, make_app):
    copycat = partner_module("copycat", "@hookimpl\n"
                                        "def erp_permissions():\n"
                                        "    return [Permission('hello.view', 'View greetings, again')]\n")
    with pytest.raises(ModuleError) as exc:
        make_app(ERP_MANIFESTS={**plugins.discover(), "copycat": copycat})
    message = str(exc.value)
    assert "permission 'hello.view'" in message and "'hello'" in message and "'copycat'" in message


def test_unknown_hook_is_refused_naming_the_module(partner_module):
    bogus = partner_module("bogus", "@hookimpl\n"
                                    "def erp_greet_everyone():\n"
                                    "    return []\n")
    with pytest.raises(ModuleError) as exc:
        plugins.make_plugin_manager([plugins.ModuleStatus(bogus, True, "enabled")])
    assert "'bogus'" in str(exc.value) and "erp_greet_everyone" in str(exc.value)


def test_module_whose_hooks_fail_to_import_is_named():
    broken = Manifest(name="broken", version="1.0", package="modules.sales", hooks="modules.sales.no_such_hooks")
    with pytest.raises(ModuleError, match="'broken' failed to load"):
        plugins.make_plugin_manager([plugins.ModuleStatus(broken, True, "enabled")])


def test_none_instead_of_a_list_is_refused_naming_the_hook():
    class Forgetful:
        @hookimpl
        def erp_permissions(self):
            pass  # declares nothing, but forgot to say so with []
    statuses = plugins.resolve(plugins.discover(), None, {})
    pm = plugins.make_plugin_manager(statuses)
    pm.register(Forgetful(), name="forgetful")
    with pytest.raises(ModuleError, match=r"every implementation of erp_permissions must return a list.*forgetful"):
        plugins.collect(pm, "erp_permissions", lambda p: p.code, "permission")


# ---- a module in parts --------------------------------------------------------------------------
DESK = "@hookimpl\ndef erp_permissions():\n    return [Permission('desk.use', 'Use the desk')]\n"


def test_each_part_of_a_module_is_a_plugin_whose_hooks_are_called(partner_module):
    desk = partner_module("desk", DESK,
                          notes="@hookimpl\ndef erp_permissions():\n    return [Permission('desk.note.write', 'Write')]\n",
                          tasks="@hookimpl\ndef erp_permissions():\n    return [Permission('desk.task.do', 'Do')]\n")
    pm = plugins.make_plugin_manager([plugins.ModuleStatus(desk, True, "enabled")])
    assert {name for name, _ in pm.list_name_plugin()} == {"desk", "desk.notes", "desk.tasks"}
    declared = plugins.collect(pm, "erp_permissions", lambda p: p.code, "permission")
    # owned by the module, in the manifest's order: its hooks.py, then each part
    assert [(module, p.code) for module, p in declared] == [
        ("desk", "desk.use"), ("desk", "desk.note.write"), ("desk", "desk.task.do")]


def test_two_parts_declaring_the_same_thing_are_named():
    class Twin:
        @hookimpl
        def erp_permissions(self):
            return [Permission("sales.customer.transfer", "Transfer, again")]
    statuses = plugins.resolve(plugins.discover(), None, {})
    pm = plugins.make_plugin_manager(statuses)
    pm.register(Twin(), name="sales.twin")
    with pytest.raises(ModuleError) as exc:
        plugins.collect(pm, "erp_permissions", lambda p: p.code, "permission")
    assert "module 'sales' (part 'customers')" in str(exc.value) and "module 'sales' (part 'twin')" in str(exc.value)


def test_sales_parts_are_registered_each_with_its_own_hooks(app):
    pm = app.extensions["erp"].pm
    import modules.sales.bidding, modules.sales.customers
    assert pm.get_plugin("sales.customers") is modules.sales.customers
    assert pm.get_plugin("sales.bidding") is modules.sales.bidding
    erp = app.extensions["erp"]
    assert erp.permissions["sales.customer.transfer"][0] == "sales"   # declared by the part, owned by the module
    assert erp.doctypes["sales.tender"].module == "sales"
    done = [impl.plugin_name for impl in pm.hook.erp_transition_done.get_hookimpls()]
    assert {"sales.presales", "sales.visits", "sales.bidding"} <= set(done) and "sales" not in done


def test_a_part_that_fails_to_import_stops_start_naming_module_and_part(partner_module):
    gone = partner_module("gone", DESK)
    gone = Manifest(**{**gone.__dict__, "parts": ("ledger",)})   # listed, but no such file
    with pytest.raises(ModuleError, match=r"module 'gone' failed to load its part 'ledger' \(erp_gone.ledger\)"):
        plugins.make_plugin_manager([plugins.ModuleStatus(gone, True, "enabled")])
    broken = partner_module("broken", DESK, ledger="import erp_no_such_thing\n")
    with pytest.raises(ModuleError, match=r"module 'broken' failed to load its part 'ledger'.*erp_no_such_thing"):
        plugins.make_plugin_manager([plugins.ModuleStatus(broken, True, "enabled")])


def test_a_disabled_module_registers_and_imports_none_of_its_parts(partner_module):
    desk = partner_module("desk", DESK, notes="raise AssertionError('imported while disabled')\n")
    pm = plugins.make_plugin_manager([plugins.ModuleStatus(desk, False, "disabled by the administrator")])
    assert not [name for name, _ in pm.list_name_plugin() if name.startswith("desk")]
    assert "erp_desk.notes" not in sys.modules and "erp_desk.hooks" not in sys.modules
    statuses = plugins.resolve(plugins.discover(), ["engineering"], {})
    assert not [name for name, _ in plugins.make_plugin_manager(statuses).list_name_plugin()
                if name.split(".")[0] == "sales"]


# ---- pluggy's own calling: tracing and wrappers --------------------------------------------------
def test_erp_trace_hooks_logs_every_hook_call(make_app, caplog):
    caplog.set_level(logging.INFO, logger="core")
    make_app(ERP_MODULES=["sales"])
    assert not [r for r in caplog.records if "erp_permissions" in r.getMessage()]
    make_app(ERP_MODULES=["sales"], ERP_TRACE_HOOKS=True)
    traced = [r.getMessage() for r in caplog.records if r.name == "core"]
    for hook in ("erp_permissions", "erp_document_types", "erp_menu_items", "erp_models", "erp_settings"):
        assert any(hook in message for message in traced), f"{hook} was not traced"
    assert any("finish erp_document_types" in message for message in traced)


class HideBidTasks:
    """A deployment's plugin wrapping another module's declarations."""
    @hookimpl(wrapper=True)
    def erp_menu_items(self):
        declared = yield
        for items in declared:
            items[:] = [i for i in items if i.endpoint != "sales.bid_tasks_mine"]
        return declared


def test_a_wrapper_around_a_declaration_hook_applies():
    statuses = plugins.resolve(plugins.discover(), ["sales"], {})
    pm = plugins.make_plugin_manager(statuses)
    endpoints = [i.endpoint for _, i in plugins.collect(pm, "erp_menu_items", lambda i: i.endpoint, "menu endpoint")]
    assert "sales.bid_tasks_mine" in endpoints
    pm.register(HideBidTasks(), name="policy")
    endpoints = [i.endpoint for _, i in plugins.collect(pm, "erp_menu_items", lambda i: i.endpoint, "menu endpoint")]
    assert "sales.bid_tasks_mine" not in endpoints and "sales.index" in endpoints
