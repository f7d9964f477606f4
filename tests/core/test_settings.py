"""System parameters (系统参数): typed declarations, validation, caching, audit and the admin page."""
import json
import re
import sys
import types
from datetime import date, time
from decimal import Decimal

import pluggy
import pytest
from sqlalchemy import event, func, select

from core import hooks as core_hooks
from core import hookspecs, plugins, settings
from core.audit.models import AuditEntry
from core.extensions import db
from core.hookspecs import hookimpl
from core.manifest import Manifest
from core.settings import Setting, SettingValue
from tests.conftest import PASSWORD, reset_database

EXTRA_SETTINGS = [
    Setting("extra.rate", "decimal", "5", "Minimum margin (%)", min=0, max=100),
    Setting("extra.start", "date", "2026-01-01", "Start date", min="2025-01-01"),
    Setting("extra.tags", "list", ["a"], "Tags"),
    Setting("extra.level", "choice", 2, "Level", choices=[(1, "Low"), (2, "Middle"), (3, "High")]),
    Setting("extra.note", "str", None, "Note", max=10),
    Setting("extra.cutoff", "time", "09:30", "Cut-off time"),
]


def hooks_module(monkeypatch, name, declarations):
    """A module of hook implementations importable by name, as a pip-installed plugin's would be."""
    module = types.ModuleType(name)

    @hookimpl
    def erp_settings():
        return declarations
    module.erp_settings = erp_settings
    monkeypatch.setitem(sys.modules, name, module)
    return name


def manifests_with(monkeypatch, declarations, name="extra"):
    hooks = hooks_module(monkeypatch, f"erp_test_{name}_hooks", declarations)
    manifests = plugins.discover()
    manifests[name] = Manifest(name=name, version="0.1", label="Extra", package="tests.core", hooks=hooks)
    return manifests


@pytest.fixture
def extra_app(database, make_app, monkeypatch):
    reset_database(*database)
    app = make_app(ERP_MANIFESTS=manifests_with(monkeypatch, EXTRA_SETTINGS))
    with app.app_context():
        from core.seed import seed_all
        seed_all()
    return app


def stored_rows(app):
    with app.app_context():
        return {r.key: json.loads(r.value) for r in db.session.scalars(select(SettingValue))}


# ---- the hook and the declarations -------------------------------------------------------------

def test_hook_erp_settings(extra_app):
    erp = extra_app.extensions["erp"]
    assert erp.settings["extra.rate"][0] == "extra"
    assert erp.settings["core.workday_end_time"][0] == "core"
    with extra_app.app_context():
        assert settings.get("extra.rate") == Decimal("5")
        assert settings.get("extra.start") == date(2026, 1, 1)
        assert settings.get("extra.tags") == ["a"]
        assert settings.get("extra.level") == 2
        assert settings.get("extra.note") is None
        assert settings.get("extra.cutoff") == time(9, 30)


def test_core_declares_typed_defaults(app):
    with app.app_context():
        assert settings.get("core.workday_end_time") == time(18, 0)
        assert settings.get("core.immediate_deadline_hours") == 24
        assert settings.get("core.deadline_roll") == "previous_working_day"
        assert settings.get("core.deputy_inherits_manager_rights") is True
        assert settings.get("core.company_name") == "天盈隆数码技术(深圳)有限公司"
        assert settings.is_default("core.workday_end_time")


def test_a_key_declared_twice_stops_start_up_naming_both_modules(database, make_app, monkeypatch):
    duplicate = [Setting("core.company_name", "str", "x", "Company")]
    with pytest.raises(plugins.ModuleError) as exc:
        make_app(ERP_MANIFESTS=manifests_with(monkeypatch, duplicate, name="rival"))
    message = str(exc.value)
    assert "core.company_name" in message and "'core'" in message and "'rival'" in message


def test_duplicate_detected_on_a_bare_plugin_manager():
    class Rival:
        @hookimpl
        def erp_settings(self):
            return [Setting("core.deadline_roll", "str", "", "Roll")]

    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    pm.register(core_hooks, name="core")
    pm.register(Rival(), name="rival")
    erp = types.SimpleNamespace(pm=pm, settings={})
    with pytest.raises(plugins.ModuleError, match=r"setting 'core.deadline_roll' is declared by both "
                                                  r"module '(core|rival)' and module '(core|rival)'"):
        settings.register_declarations(erp)


@pytest.mark.parametrize("bad", [
    Setting("extra.x", "int", "many", "X"),
    Setting("extra.x", "colour", "red", "X"),
    Setting("extra.x", "choice", "a", "X"),
    Setting("extra.x", "int", 5, "X", min=10),
])
def test_an_invalid_declaration_stops_start_up_naming_the_module(database, make_app, monkeypatch, bad):
    with pytest.raises(plugins.ModuleError, match=r"module 'extra' declares"):
        make_app(ERP_MANIFESTS=manifests_with(monkeypatch, [bad]))


# ---- reading and writing -----------------------------------------------------------------------

def test_set_then_get_returns_the_typed_value(app):
    with app.app_context():
        assert settings.set("core.immediate_deadline_hours", " 48 ") is True
        assert settings.get("core.immediate_deadline_hours") == 48
        settings.set("core.workday_end_time", "17:30")
        settings.set("core.deputy_inherits_manager_rights", "false")
        assert settings.set("core.immediate_deadline_hours", 48) is False   # unchanged: nothing written
    with app.app_context():   # a new request: read back from the database
        assert settings.get("core.immediate_deadline_hours") == 48
        assert settings.get("core.workday_end_time") == time(17, 30)
        assert settings.get("core.deputy_inherits_manager_rights") is False
        assert not settings.is_default("core.workday_end_time")
    assert stored_rows(app) == {"core.immediate_deadline_hours": 48, "core.workday_end_time": "17:30",
                                "core.deputy_inherits_manager_rights": False}
    with app.app_context():
        settings.reset("core.workday_end_time")
        assert settings.get("core.workday_end_time") == time(18, 0)


def test_every_type_is_validated_and_typed(extra_app):
    with extra_app.app_context():
        settings.set_many({"extra.rate": "7.25", "extra.start": "2026-03-01", "extra.tags": "x, y，z\nw",
                           "extra.level": "3", "extra.note": "hi", "extra.cutoff": "08:05"})
        assert settings.get("extra.rate") == Decimal("7.25")
        assert settings.get("extra.start") == date(2026, 3, 1)
        assert settings.get("extra.tags") == ["x", "y", "z", "w"]
        assert settings.get("extra.level") == 3
        assert settings.get("extra.note") == "hi"
        assert settings.get("extra.cutoff") == time(8, 5)
        settings.set("extra.note", "")   # default None: may be emptied
        assert settings.get("extra.note") == ""
        bad = {"extra.rate": "101", "extra.start": "2024-12-31", "extra.level": "9",
               "extra.note": "far too long", "extra.cutoff": "9h"}
        with pytest.raises(settings.ValidationError) as exc:
            settings.set_many(bad)
        assert exc.value.errors == {
            "extra.rate": "Must be at most 100.",
            "extra.start": "Must be at least 2025-01-01.",
            "extra.level": "Choose one of the listed values.",
            "extra.note": "Enter at most 10 characters.",
            "extra.cutoff": "Enter a time as HH:MM, for example 18:00.",
        }
    with extra_app.app_context():
        assert settings.get("extra.rate") == Decimal("7.25")


def test_an_invalid_value_is_refused_naming_the_field_and_nothing_is_saved(app):
    with app.app_context():
        with pytest.raises(settings.ValidationError) as exc:
            settings.set_many({"core.workday_end_time": "17:00", "core.immediate_deadline_hours": "0"})
        assert exc.value.key == "core.immediate_deadline_hours"
        assert str(exc.value) == "Deadline for immediate submissions (hours): Must be at least 1."
        with pytest.raises(settings.ValidationError, match="End of the working day: Enter a time as HH:MM"):
            settings.set("core.workday_end_time", "25:00")
        with pytest.raises(ValueError):   # ValidationError is a ValueError for callers that only know that
            settings.set("core.company_name", "")
        assert settings.get("core.workday_end_time") == time(18, 0)
    assert stored_rows(app) == {}


def test_an_unknown_key_is_a_clear_key_error(app):
    with app.app_context():
        with pytest.raises(KeyError) as exc:
            settings.get("sales.no_such_thing")
        assert isinstance(exc.value, settings.UnknownSetting)
        assert str(exc.value) == "no enabled module declares the setting 'sales.no_such_thing'"
        with pytest.raises(settings.UnknownSetting):
            settings.set("nobody.knows", "1")


def test_get_is_cached_for_the_request(app):
    statements = []
    with app.app_context():
        settings.set("core.immediate_deadline_hours", "36")
    with app.app_context():
        listener = lambda *args: statements.append(args[2])   # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            for _ in range(200):
                settings.get("core.immediate_deadline_hours")
                settings.get("core.workday_end_time")
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
    assert len([s for s in statements if "setting_value" in s]) == 1


def test_every_change_is_audited_with_old_and_new_values(app):
    with app.app_context():
        settings.set("core.workday_end_time", "18:30")
        settings.set("core.workday_end_time", "19:00")
        rows = db.session.scalars(select(AuditEntry).where(
            AuditEntry.model == "setting_value", AuditEntry.record_id == "core.workday_end_time")
            .order_by(AuditEntry.id)).all()
        by_action = [(r.action, json.loads(r.changes)) for r in rows]
        events = [c for a, c in by_action if a == "setting_changed"]
        assert events == [{"key": "core.workday_end_time", "old": "18:00", "new": "18:30"},
                          {"key": "core.workday_end_time", "old": "18:30", "new": "19:00"}]
        update = next(c for a, c in by_action if a == "update")
        assert update["value"] == ['"18:30"', '"19:00"']
        assert [a for a, _c in by_action if a in ("insert", "update")] == ["insert", "update"]


# ---- the admin page ----------------------------------------------------------------------------

def test_settings_page_needs_the_permission(client, login_as):
    login_as("ROLE-MKT-AM")
    assert client.get("/admin/settings").status_code == 403
    assert client.post("/admin/settings", data={"core.company_name": "x"}).status_code == 403


def test_admin_sees_the_parameters_grouped_by_module_in_the_menu(app, client, login_as):
    login_as("ROLE-ADMIN")
    page = client.get("/admin/settings").get_data(as_text=True)
    assert "System parameters" in page and 'href="/admin/settings"' in page
    assert '<legend class="card-header h6 mb-0">System</legend>' in page
    assert 'name="core.workday_end_time" value="18:00"' in page
    assert 'value="previous_working_day" selected' in page


def test_admin_saves_all_fields_at_once(app, client, login_as):
    login_as("ROLE-ADMIN")
    response = client.post("/admin/settings", data={
        "core.company_name": "天盈隆", "core.workday_end_time": "17:30",
        "core.immediate_deadline_hours": "24", "core.deadline_roll": "next_working_day",
        "core.deputy_inherits_manager_rights": ["false"]})
    assert response.status_code == 302
    assert stored_rows(app) == {"core.company_name": "天盈隆", "core.workday_end_time": "17:30",
                                "core.deadline_roll": "next_working_day",
                                "core.deputy_inherits_manager_rights": False}
    page = client.get("/admin/settings").get_data(as_text=True)
    assert "Settings saved: 4 changed." in page and 'value="17:30"' in page
    with app.app_context():
        actor = db.session.scalar(select(AuditEntry.actor).where(AuditEntry.action == "setting_changed").limit(1))
        assert actor == "u_role_admin"


def test_one_invalid_field_saves_nothing_and_errors_are_shown_per_field(app, client, login_as):
    login_as("ROLE-ADMIN")
    response = client.post("/admin/settings", data={
        "core.company_name": "新名字", "core.workday_end_time": "6pm",
        "core.immediate_deadline_hours": "1000", "core.deputy_inherits_manager_rights": ["false", "true"]})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    errors = dict(re.findall(r'data-field="([^"]+)">([^<]+)</div>', page))
    assert errors == {"core.workday_end_time": "Enter a time as HH:MM, for example 18:00.",
                      "core.immediate_deadline_hours": "Must be at most 720."}
    assert 'value="新名字"' in page and 'value="6pm"' in page   # what was typed is kept
    assert stored_rows(app) == {}
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "setting_changed")) == 0


def test_errors_are_in_the_users_language(app, client, login_as):
    login_as("ROLE-ADMIN")
    client.post("/language", data={"language": "zh_CN", "next": "/"})
    page = client.post("/admin/settings", data={"core.immediate_deadline_hours": "abc"}).get_data(as_text=True)
    assert "系统参数" in page
    assert 'data-field="core.immediate_deadline_hours">请输入整数。' in page
    from flask_babel import force_locale
    with app.test_request_context(), force_locale("zh_CN"), pytest.raises(settings.ValidationError) as exc:
        settings.set("core.immediate_deadline_hours", "abc")
    assert str(exc.value) == "即时提交期限（小时）：请输入整数。"


def test_settings_page_shows_a_plugins_section(extra_app):
    from core.seed import create_user
    with extra_app.app_context():
        create_user("root", PASSWORD, ["ROLE-ADMIN"])
        db.session.commit()
    client = extra_app.test_client()
    client.post("/login", data={"username": "root", "password": PASSWORD})
    page = client.get("/admin/settings").get_data(as_text=True)
    assert '<legend class="card-header h6 mb-0">Extra</legend>' in page
    assert 'name="extra.rate" value="5"' in page
    response = client.post("/admin/settings", data={"extra.tags": "p\nq", "extra.level": "1"})
    assert response.status_code == 302
    assert stored_rows(extra_app) == {"extra.tags": ["p", "q"], "extra.level": 1}
