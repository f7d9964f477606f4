"""The `erp` command.

Commands that build their own app from the environment (db upgrade, modules, demo) run against a
temporary SQLite database and instance folder; the others use the test app through `runner`.
"""
import json
import re

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, select, text

from core import plugins
from core.audit import log as audit_log
from core.audit.models import AuditEntry
from core.auth.models import User
from core.cli import cli
from core.extensions import db
from core.manifest import Manifest
from tests.core.test_audit import rewrite_chain_from as rewrite_audit_chain
from tests.core.test_org import ROLES

NEW_PASSWORD = "lantern-quarry-57"


@pytest.fixture
def erp(tmp_path, monkeypatch):
    """Run `erp ARGS...` as an operator would: configuration from ERP_* environment variables."""
    url = f"sqlite:///{tmp_path / 'erp.sqlite3'}"
    for name in ("ERP_MODULES", "ERP_LANGUAGE", "ERP_SECRET_KEY", "ERP_AUDIT_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ERP_DATABASE_URL", url)
    monkeypatch.setenv("ERP_LANGUAGE", "en")
    monkeypatch.setenv("ERP_COOKIE_SECURE", "0")
    # The instance folder (secret key, demo passwords) goes to the temporary folder too.
    monkeypatch.setenv("ERP_INSTANCE_PATH", str(tmp_path / "instance"))

    def run(*args, input=None):
        return CliRunner().invoke(cli, list(args), input=input)
    run.url = url
    return run


def rows(output: str) -> dict[str, dict]:
    lines = [line for line in output.splitlines() if line.strip()]
    header = re.split(r"\s{2,}", lines[0])
    assert header == ["NAME", "VERSION", "ENABLED", "WHY", "DEPENDS", "PACKAGE"]
    table = {}
    for line in lines[1:]:
        values = re.split(r"\s{2,}", line)
        assert len(values) == len(header), line
        table[values[0]] = dict(zip(header, values))
    return table


# ---- modules ------------------------------------------------------------------------------------
def test_modules_list(erp):
    result = erp("modules", "list")
    assert result.exit_code == 0, result.output
    table = rows(result.output)
    assert table["hello"] == {"NAME": "hello", "VERSION": "1.0.0", "ENABLED": "yes", "WHY": "enabled",
                              "DEPENDS": "-", "PACKAGE": "erp-plugin-hello"}
    for name in ("sales", "engineering", "procurement", "hr_appraisal"):
        assert table[name]["ENABLED"] == "yes" and table[name]["PACKAGE"] == "yinglong-erp"
        assert table[name]["VERSION"] == "0.1.0"


def test_modules_list_honours_erp_modules(erp, monkeypatch):
    monkeypatch.setenv("ERP_MODULES", "sales")
    table = rows(erp("modules", "list").output)
    assert table["sales"]["ENABLED"] == "yes"
    assert (table["engineering"]["ENABLED"], table["engineering"]["WHY"]) == ("no", "not in ERP_MODULES")


def test_modules_disable_and_enable(erp):
    assert erp("db", "upgrade").exit_code == 0
    result = erp("modules", "disable", "procurement")
    assert result.exit_code == 0, result.output
    assert "Disabled procurement" in result.output
    table = rows(erp("modules", "list").output)
    assert (table["procurement"]["ENABLED"], table["procurement"]["WHY"]) == ("no", "disabled by the administrator")
    assert table["sales"]["ENABLED"] == "yes"

    result = erp("modules", "enable", "procurement")
    assert result.exit_code == 0, result.output
    assert "Enabled procurement" in result.output
    table = rows(erp("modules", "list").output)
    assert (table["procurement"]["ENABLED"], table["procurement"]["WHY"]) == ("yes", "enabled")


def test_modules_enable_notes_erp_modules(erp, monkeypatch):
    assert erp("db", "upgrade").exit_code == 0
    monkeypatch.setenv("ERP_MODULES", "sales")
    result = erp("modules", "enable", "procurement")
    assert result.exit_code == 0, result.output
    assert "ERP_MODULES does not list procurement" in result.output


def test_modules_enable_unknown_module_fails(erp):
    assert erp("db", "upgrade").exit_code == 0
    result = erp("modules", "enable", "crm")
    assert result.exit_code == 1
    assert "Module crm is not installed." in result.output


FAKE = {
    "sales": Manifest(name="sales", version="0.1.0", package="modules.sales"),
    "hello": Manifest(name="hello", version="1.0.0", depends=("sales",), package="erp_hello"),
}


def test_modules_dependencies(erp, monkeypatch):
    assert erp("db", "upgrade").exit_code == 0
    monkeypatch.setattr(plugins, "discover", lambda broken=None: dict(FAKE))
    result = erp("modules", "disable", "sales")
    assert result.exit_code == 1
    assert "Module sales cannot be disabled: hello depend on it." in result.output

    assert erp("modules", "disable", "hello").exit_code == 0
    assert erp("modules", "disable", "sales").exit_code == 0
    result = erp("modules", "enable", "hello")
    assert result.exit_code == 0, result.output
    assert "Also enabled, because hello needs them: sales" in result.output

    # A state that stops the app (hello on, sales off) still lists, with the reason.
    engine = create_engine(erp.url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE module_state SET enabled = :off WHERE name = 'sales'"), {"off": False})
    engine.dispose()
    result = erp("modules", "list")
    assert result.exit_code == 0, result.output
    table = rows(result.output)
    assert table["hello"]["ENABLED"] == "no" and table["hello"]["DEPENDS"] == "sales"
    assert "'sales'" in table["hello"]["WHY"] and "disabled by the administrator" in table["hello"]["WHY"]


# ---- users --------------------------------------------------------------------------------------
def login(client, username, password):
    return client.post("/login", data={"username": username, "password": password}).status_code


def test_users_create(app, runner, client):
    result = runner.invoke(cli, ["users", "create", "--username", "xavier", "--role", "ROLE-MKT-AM",
                                 "--password", NEW_PASSWORD, "--full-name", "Xavier"])
    assert result.exit_code == 0, result.output
    assert "Created user xavier" in result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "xavier"))
        assert [r.code for r in user.roles] == ["ROLE-MKT-AM"] and user.full_name == "Xavier"
        assert user.can("sales.access")
    assert login(client, "xavier", "wrong-password") == 401
    assert login(client, "xavier", NEW_PASSWORD) == 302


def test_users_create_prompts_for_the_password(runner, client):
    result = runner.invoke(cli, ["users", "create", "--username", "yvonne", "--role", "ROLE-GM"],
                           input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Password" in result.output and NEW_PASSWORD not in result.output
    assert login(client, "yvonne", NEW_PASSWORD) == 302


def test_users_create_refuses_an_unknown_role(app, runner):
    result = runner.invoke(cli, ["users", "create", "--username", "zed", "--role", "ROLE-MKT-AM",
                                 "--role", "ROLE-PIRATE", "--password", NEW_PASSWORD])
    assert result.exit_code != 0
    assert "ROLE-PIRATE" in result.output
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "zed")) is None


def test_users_create_refuses_a_duplicate_and_a_short_password(runner, make_user):
    make_user("taken", "ROLE-GM")
    result = runner.invoke(cli, ["users", "create", "--username", "taken", "--role", "ROLE-GM",
                                 "--password", NEW_PASSWORD])
    assert result.exit_code == 1 and "already exists" in result.output
    result = runner.invoke(cli, ["users", "create", "--username", "shorty", "--role", "ROLE-GM",
                                 "--password", "short"])
    assert result.exit_code == 1 and "at least 12 characters" in result.output


# ---- audit --------------------------------------------------------------------------------------
@pytest.fixture
def audit_ids(app, make_user):
    for name in ("ann", "ben", "cat"):
        make_user(name, "ROLE-MKT-AM")
    with app.app_context():
        ids = db.session.scalars(select(AuditEntry.id).order_by(AuditEntry.id)).all()
    assert len(ids) >= 3
    return ids


def raw_sql(app, sql, **params):
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(text(sql), params)


def test_audit_verify_intact(runner, audit_ids):
    result = runner.invoke(cli, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert f"Audit log intact: {len(audit_ids)} entries verified." in result.output


def test_audit_verify_detects_an_altered_row(app, runner, audit_ids):
    target = audit_ids[len(audit_ids) // 2]
    raw_sql(app, "UPDATE audit_entry SET changes = :changes WHERE id = :id", changes='{"username": "mallory"}',
            id=target)
    result = runner.invoke(cli, ["audit", "verify"])
    assert result.exit_code == 1
    assert f"BROKEN at entry #{target} " in result.output
    assert "altered" in result.output


def test_audit_verify_names_a_removed_row_by_its_own_id(app, runner, audit_ids):
    removed = audit_ids[len(audit_ids) // 2]
    raw_sql(app, "DELETE FROM audit_entry WHERE id = :id", id=removed)
    result = runner.invoke(cli, ["audit", "verify"])
    assert result.exit_code == 1
    assert f"BROKEN at entry #{removed}: entry #{removed} was removed" in result.output


@pytest.mark.parametrize("column, forged", [("actor", "mallory"), ("user_id", 999), ("ip", "203.0.113.9")])
def test_audit_hash_covers_actor_user_and_address(app, runner, audit_ids, column, forged):
    target = audit_ids[-1]
    raw_sql(app, f"UPDATE audit_entry SET {column} = :value WHERE id = :id", value=forged, id=target)
    result = runner.invoke(cli, ["audit", "verify"])
    assert result.exit_code == 1
    assert f"BROKEN at entry #{target} " in result.output and "altered" in result.output


@pytest.fixture
def checkpoint(runner, audit_ids, tmp_path):
    """A checkpoint file taken now, over the audit_ids entries."""
    result = runner.invoke(cli, ["audit", "checkpoint"])
    assert result.exit_code == 0, result.output
    path = tmp_path / "checkpoint.json"
    path.write_text(result.output)
    return path


def verify_since(runner, checkpoint):
    return runner.invoke(cli, ["audit", "verify", "--since-checkpoint", str(checkpoint)])


def test_audit_checkpoint_signs_the_head_and_verify_since_it_passes(runner, audit_ids, checkpoint):
    signed = json.loads(checkpoint.read_text())["audit_checkpoint"]
    assert (signed["entry_id"], signed["entries"]) == (audit_ids[-1], len(audit_ids))
    result = verify_since(runner, checkpoint)
    assert result.exit_code == 0, result.output
    assert f"It still holds entry #{audit_ids[-1]} as signed by the checkpoint of {signed['taken']}." \
        in result.output


def test_verify_since_checkpoint_detects_entries_removed_from_the_end(app, runner, audit_ids, checkpoint):
    raw_sql(app, "DELETE FROM audit_entry WHERE id >= :id", id=audit_ids[-2])
    assert runner.invoke(cli, ["audit", "verify"]).exit_code == 0  # what the chain alone cannot see
    result = verify_since(runner, checkpoint)
    assert result.exit_code == 1
    assert f"BROKEN at entry #{audit_ids[-2]}: entries were removed from the end" in result.output


def test_verify_since_checkpoint_names_a_row_removed_in_the_middle(app, runner, audit_ids, checkpoint):
    removed = audit_ids[1]
    raw_sql(app, "DELETE FROM audit_entry WHERE id = :id", id=removed)
    result = verify_since(runner, checkpoint)
    assert result.exit_code == 1
    assert f"BROKEN at entry #{removed}: entry #{removed} was removed" in result.output


def rewrite_chain_from(app, entry_id, key, **altered):
    """Alter an entry and link it and every later one again under `key`."""
    with app.app_context():
        rewrite_audit_chain(entry_id, lambda prev, row: audit_log.entry_hash(prev, row, key), **altered)


def test_verify_since_checkpoint_detects_a_chain_rewritten_from_an_altered_row(app, runner, audit_ids,
                                                                              checkpoint):
    target = audit_ids[1]
    rewrite_chain_from(app, target, "a guessed key", actor="mallory")
    result = verify_since(runner, checkpoint)
    assert result.exit_code == 1
    assert f"BROKEN at entry #{target} " in result.output and "altered" in result.output


def test_verify_since_checkpoint_detects_a_rewrite_even_with_the_key(app, runner, audit_ids, checkpoint):
    rewrite_chain_from(app, audit_ids[1], "test-audit-key", actor="mallory")
    assert runner.invoke(cli, ["audit", "verify"]).exit_code == 0  # the key holder's chain verifies
    result = verify_since(runner, checkpoint)
    assert result.exit_code == 1
    assert f"BROKEN at entry #{audit_ids[-1]} " in result.output and "is not the entry the checkpoint" in result.output


def test_verify_since_checkpoint_refuses_an_altered_checkpoint(runner, audit_ids, checkpoint):
    document = json.loads(checkpoint.read_text())
    document["audit_checkpoint"]["entry_id"] = audit_ids[-2]  # to hide the last entry's removal
    checkpoint.write_text(json.dumps(document))
    result = verify_since(runner, checkpoint)
    assert result.exit_code == 1
    assert "its signature does not match: the file was altered" in result.output
    checkpoint.write_text("not a checkpoint")
    assert "is not a checkpoint written by `erp audit checkpoint`" in verify_since(runner, checkpoint).output


def test_audit_checkpoint_refuses_to_sign_a_broken_chain(app, runner, audit_ids):
    raw_sql(app, "UPDATE audit_entry SET actor = 'mallory' WHERE id = :id", id=audit_ids[0])
    result = runner.invoke(cli, ["audit", "checkpoint"])
    assert result.exit_code == 1
    assert f"BROKEN at entry #{audit_ids[0]} " in result.output and "audit_checkpoint" not in result.output


# ---- demo ---------------------------------------------------------------------------------------
def demo_accounts(output: str) -> dict[str, tuple[str, str]]:
    lines = output.split("Demo users (username / role / password):\n", 1)[1].splitlines()
    return {u: (r, p) for u, r, p in (line.split() for line in lines if line.strip())}


@pytest.mark.slow
def test_demo_twice_on_a_fresh_database(erp):
    def counts():
        engine = create_engine(erp.url)
        with engine.connect() as conn:
            users = conn.execute(text('SELECT COUNT(*) FROM "user"')).scalar()
            per_role = dict(conn.execute(text(
                "SELECT r.code, COUNT(ur.user_id) FROM role r LEFT JOIN user_role ur ON ur.role_id = r.id "
                "GROUP BY r.code")).all())
            greetings = conn.execute(text("SELECT COUNT(*) FROM hello_greeting")).scalar()
        engine.dispose()
        return users, per_role, greetings

    first = erp("demo", "--no-serve")
    assert first.exit_code == 0, first.output
    accounts = demo_accounts(first.output)
    assert len(accounts) == len(ROLES) == 15
    assert {role for role, _ in accounts.values()} == {code for code, *_ in ROLES}
    assert "(unchanged)" not in first.output
    after_first = counts()

    second = erp("demo", "--no-serve")
    assert second.exit_code == 0, second.output
    assert demo_accounts(second.output) == accounts  # passwords are reprinted, not reset

    # A second run adds nothing: no account, no record (the modules' demo people, such as the
    # new employees in training, included).
    users, per_role, greetings = counts()
    assert (users, per_role, greetings) == after_first and greetings == 1
    assert all(per_role[code] >= 1 for code, *_ in ROLES)

    # The printed password signs in.
    from core import create_app
    app = create_app({"WTF_CSRF_ENABLED": False})
    client = app.test_client()
    role, password = accounts["am"]
    assert role == "ROLE-MKT-AM"
    assert login(client, "am", password) == 302
    assert client.get("/sales/").status_code == 200
    with app.app_context():
        db.engine.dispose()


@pytest.mark.slow
def test_demo_against_another_database_keeps_the_first_ones_passwords(erp, monkeypatch, tmp_path):
    first = erp("demo", "--no-serve")
    assert first.exit_code == 0, first.output
    accounts = demo_accounts(first.output)

    monkeypatch.setenv("ERP_DATABASE_URL", f"sqlite:///{tmp_path / 'other.sqlite3'}")
    other = erp("demo", "--no-serve")
    assert other.exit_code == 0, other.output
    assert "(unchanged)" not in other.output
    assert demo_accounts(other.output) != accounts   # its own users, with their own passwords

    monkeypatch.setenv("ERP_DATABASE_URL", erp.url)
    again = erp("demo", "--no-serve")
    assert demo_accounts(again.output) == accounts   # the first database's passwords, still true
    from core import create_app
    app = create_app({"WTF_CSRF_ENABLED": False})
    assert login(app.test_client(), "am", accounts["am"][1]) == 302
    with app.app_context():
        db.engine.dispose()


def test_the_instance_folder_is_erp_instance_path(erp, tmp_path):
    """Keys, demo passwords and the default SQLite file go where ERP_INSTANCE_PATH says."""
    result = erp("modules", "list")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "instance" / "secret_key").is_file() and (tmp_path / "instance" / "audit_key").is_file()
