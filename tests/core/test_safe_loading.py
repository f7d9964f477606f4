"""What an operator meets when a module is not ready: its migrations not applied, its code broken,
a module it needs off. Each is one sentence at the command line (no traceback unless --debug), the
administrator reads the first in the web app, and `erp modules` keeps working to fix the others.
"""
import importlib
import re
import sys
from importlib.metadata import EntryPoint

import pytest
from click.testing import CliRunner

from core import create_app, maintenance, plugins
from core.cli import cli
from core.extensions import db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def erp(tmp_path, monkeypatch):
    """Run `erp ARGS...` as an operator would, on a database of its own (SQLite)."""
    for name in ("ERP_MODULES", "ERP_SECRET_KEY", "ERP_AUDIT_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ERP_DATABASE_URL", f"sqlite:///{tmp_path / 'erp.sqlite3'}")
    monkeypatch.setenv("ERP_LANGUAGE", "en")
    monkeypatch.setenv("ERP_COOKIE_SECURE", "0")
    monkeypatch.setenv("ERP_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("FLASK_DEBUG", "0")  # `erp --debug` sets it for the process; put back after the test

    def run(*args, modules=None):
        with monkeypatch.context() as env:
            if modules is not None:
                env.setenv("ERP_MODULES", modules)
            return CliRunner().invoke(cli, list(args))
    return run


@pytest.fixture
def installed(tmp_path, monkeypatch):
    """Install extra modules: entry points of the "erp.modules" group, packages written to disk."""
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    extra: list[EntryPoint] = []
    real = plugins.entry_points
    monkeypatch.setattr(plugins, "entry_points", lambda group: [*real(group=group), *extra])

    def install(name, files=None, value=None):
        package = f"erp_{name}"
        for relative, source in (files or {}).items():
            path = folder / package / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(source)
        importlib.invalidate_caches()
        extra.append(EntryPoint(name=name, value=value or f"{package}:MANIFEST", group=plugins.ENTRY_POINT_GROUP))
    yield install
    for module in list(sys.modules):
        if module.startswith(("erp_cracked", "erp_needy")):
            del sys.modules[module]


def manifest_source(name, depends=()):
    return f"from core.manifest import Manifest\nMANIFEST = Manifest(name={name!r}, version='2.0', package='erp_{name}', " \
           f"depends={tuple(depends)!r})\n"


def rows(output: str) -> dict[str, dict]:
    lines = [line for line in output.splitlines() if line.strip()]
    header = re.split(r"\s{2,}", lines[0])
    return {values[0]: dict(zip(header, values)) for values in (re.split(r"\s{2,}", line) for line in lines[1:])}


# ---- unapplied migrations ------------------------------------------------------------------------
SALES_AND_HELLO = "sales,hello"  # whatever else is installed (a deployment's own plugins)


def test_commands_refuse_with_one_sentence_naming_the_module_to_upgrade(erp):
    assert erp("db", "upgrade", modules="sales").exit_code == 0  # hello's migrations left out

    result = erp("users", "purge-sessions", modules=SALES_AND_HELLO)
    assert result.exit_code == 1
    assert result.output == ("Error: The database lacks the migrations of hello: run `erp db upgrade` "
                             "before using the system.\n")
    # What fixes it still works, and so do the commands that never need the tables.
    assert erp("modules", "list").exit_code == 0
    assert erp("db", "check", modules=SALES_AND_HELLO).exit_code == 0
    assert erp("users", "purge-sessions", "--help").exit_code == 0
    upgraded = erp("db", "upgrade", modules=SALES_AND_HELLO)
    assert upgraded.exit_code == 0 and "Upgraded: core, sales, hello" in upgraded.output
    assert erp("users", "purge-sessions", modules=SALES_AND_HELLO).exit_code == 0


def test_an_empty_database_names_core_too(erp):
    result = erp("audit", "verify", modules=SALES_AND_HELLO)
    assert result.exit_code == 1
    assert "lacks the migrations of core, sales, hello: run `erp db upgrade`" in result.output
    assert "Traceback" not in result.output


def test_web_app_shows_the_administrator_what_to_upgrade_and_others_maintenance(erp, monkeypatch):
    assert erp("db", "upgrade", modules="sales").exit_code == 0
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "ERP_PASSWORD_METHOD": "pbkdf2:sha256:1000",
                      "ERP_MODULES": ["sales", "hello"]})
    with app.app_context():
        from core.seed import create_user
        create_user("boss", PASSWORD, ["ROLE-ADMIN"], "Boss")
        create_user("clerk", PASSWORD, ["ROLE-MKT-AM"], "Clerk")
        db.session.commit()
    client = app.test_client()

    anonymous = client.get("/")
    assert anonymous.status_code == 503
    assert "under maintenance" in anonymous.get_data(as_text=True)
    assert client.get("/healthz").status_code == 200
    assert client.get("/login").status_code == 200

    assert client.post("/login", data={"username": "clerk", "password": PASSWORD}).status_code == 302
    page = client.get("/")
    assert page.status_code == 503 and page.headers["Retry-After"]
    text = page.get_data(as_text=True)
    assert "The system is under maintenance. Please try again later." in text
    assert "hello" not in text and "erp db upgrade" not in text
    api = client.get("/api/v1/me", headers={"Accept": "application/json"})
    assert api.status_code == 503 and api.json["error"] == "The system is under maintenance. Please try again later."

    client.post("/logout")
    assert client.post("/login", data={"username": "boss", "password": PASSWORD}).status_code == 302
    for path in ("/", "/admin/modules", "/hello/"):
        page = client.get(path)
        assert page.status_code == 503, path
        assert ("The database lacks the migrations of hello: run “erp db upgrade” on the server, then reload "
                "this page.") in page.get_data(as_text=True)

    # The operator upgrades; the site comes back without a restart.
    assert erp("db", "upgrade", modules=SALES_AND_HELLO).exit_code == 0
    monkeypatch.setattr(maintenance, "RECHECK_SECONDS", 0)
    assert client.get("/").status_code == 200
    assert client.get("/admin/modules").status_code == 200
    assert app.extensions["erp"].pending == []
    with app.app_context():
        db.engine.dispose()


# ---- broken code, dependencies off ---------------------------------------------------------------
def test_a_broken_plugin_does_not_break_modules_list_or_disable(erp, installed):
    assert erp("db", "upgrade").exit_code == 0
    installed("cracked", {"__init__.py": manifest_source("cracked"), "hooks.py": "def erp_models(:\n"})
    installed("missing", value="erp_no_such_package:MANIFEST")

    listed = erp("modules", "list")
    assert listed.exit_code == 0, listed.output
    table = rows(listed.output)
    assert table["cracked"]["ENABLED"] == "no"
    assert table["cracked"]["WHY"].startswith("broken: erp_cracked.hooks fails to import (SyntaxError: ")
    assert table["missing"]["ENABLED"] == "no"
    assert table["missing"]["WHY"] == ("broken: module 'missing' (erp_no_such_package:MANIFEST) cannot be loaded: "
                                       "ModuleNotFoundError: No module named 'erp_no_such_package'")
    assert table["hello"]["ENABLED"] == "yes"
    assert "Traceback" not in listed.output

    # The strict app refuses with one sentence naming the module, at any command.
    refused = erp("users", "purge-sessions")
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    assert refused.output.startswith("Error: Module 'missing' (erp_no_such_package:MANIFEST) cannot be loaded")
    assert len(refused.output.strip().splitlines()) == 1

    disabled = erp("modules", "disable", "missing")
    assert disabled.exit_code == 0 and "Disabled missing" in disabled.output
    refused = erp("users", "purge-sessions")
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    assert refused.output.startswith("Error: Module 'cracked' failed to load (erp_cracked.hooks)")
    assert erp("modules", "disable", "cracked").exit_code == 0

    assert erp("users", "purge-sessions").exit_code == 0  # both off: the app starts
    assert erp("db", "upgrade").exit_code == 0
    enabled = erp("modules", "enable", "missing")
    assert enabled.exit_code == 1 and "Module missing cannot be enabled: module 'missing'" in enabled.output

    debug = erp("--debug", "modules", "list")
    assert debug.exit_code == 0
    assert "Traceback" in debug.output and "ModuleNotFoundError" in debug.output


def test_a_module_needing_a_broken_one_is_listed_off_with_the_reason(erp, installed):
    installed("cracked", {"__init__.py": manifest_source("cracked"), "hooks.py": "import erp_gone_away\n"})
    installed("needy", {"__init__.py": manifest_source("needy", ["cracked"]), "hooks.py": ""})
    table = rows(erp("modules", "list").output)
    assert table["cracked"]["WHY"] == ("broken: erp_cracked.hooks fails to import (ModuleNotFoundError: "
                                       "No module named 'erp_gone_away')")
    assert table["needy"]["WHY"] == "needs module 'cracked', which is broken"


def test_a_dependency_off_is_one_sentence_for_any_command(erp, installed):
    installed("needy", {"__init__.py": manifest_source("needy", ["sales"]), "hooks.py": ""})
    sentence = ("Error: Module 'needy' needs module 'sales', which is off (not in ERP_MODULES); "
                "see `erp modules list`.\n")
    for args in (("db", "upgrade"), ("users", "purge-sessions"), ("audit", "verify"), ("hello", "--help")):
        result = erp(*args, modules="needy,hello")
        assert result.exit_code == 1, args
        assert result.output == sentence, args
    listing = erp("--help", modules="needy,hello")
    assert listing.exit_code == 0 and "Traceback" not in listing.output
    assert sentence in listing.output and "modules" in listing.output
    assert erp("modules", "list", modules="needy,hello").exit_code == 0
