import json
from datetime import timezone

from sqlalchemy import select, text

from core.audit import log as audit
from core.audit.models import AuditEntry
from core.auth.models import Role, User
from core.extensions import db
from core.org.models import Department


def entries(**by):
    stmt = select(AuditEntry).order_by(AuditEntry.id)
    for k, v in by.items():
        stmt = stmt.where(getattr(AuditEntry, k) == v)
    return db.session.scalars(stmt).all()


def test_insert_update_delete_are_recorded_with_field_diffs(app):
    with app.app_context():
        dept = Department(code="QA", name="质检部")
        db.session.add(dept)
        db.session.commit()
        dept.name = "质量部"
        db.session.commit()
        db.session.delete(dept)
        db.session.commit()
        rows = entries(model="department", record_id=str(dept.id))
        assert [r.action for r in rows] == ["insert", "update", "delete"]
        assert json.loads(rows[0].changes)["name"] == "质检部"
        assert json.loads(rows[1].changes) == {"name": ["质检部", "质量部"]}
        assert json.loads(rows[2].changes)["code"] == "QA"


def test_a_rolled_back_change_leaves_no_entry(app):
    with app.app_context():
        before = len(entries())
        db.session.add(Department(code="TMP", name="临时"))
        db.session.flush()
        db.session.rollback()
        assert len(entries()) == before


def test_role_changes_on_a_user_are_recorded_and_passwords_redacted(app, make_user):
    user_id = make_user("hank", "ROLE-MKT-AM")
    with app.app_context():
        user = db.session.get(User, user_id)
        user.roles.append(db.session.scalar(select(Role).where(Role.code == "ROLE-MKT-MGR")))
        user.set_password("another-password")
        db.session.commit()
        update = entries(model="user", record_id=str(user_id), action="update")[-1]
        changes = json.loads(update.changes)
        assert changes["roles"]["added"] == ["市场部经理"]
        assert changes["password_hash"] == ["***", "***"]
        created = entries(model="user", record_id=str(user_id), action="insert")[0]
        assert json.loads(created.changes)["password_hash"] == "***"


def test_web_changes_record_who_ip_and_request_id(app, client, login_as, make_user):
    admin_id = login_as("ROLE-ADMIN", username="root")
    target = make_user("ivy", "ROLE-MKT-AM")
    response = client.post(f"/admin/users/{target}", data={
        "username": "ivy", "full_name": "Ivy Chen", "email": "", "department_id": 0,
        "roles": [], "language": "", "active": "y"}, headers={"X-Request-ID": "req-42"},
        environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert response.status_code == 302
    with app.app_context():
        update = entries(model="user", record_id=str(target), action="update")[-1]
        assert update.user_id == admin_id and update.actor == "root"
        assert update.ip == "10.1.2.3" and update.request_id == "req-42"
        assert json.loads(update.changes)["full_name"] == ["ivy", "Ivy Chen"]


def test_sign_ins_and_failures_are_audited(app, client, make_user):
    make_user("jack", "ROLE-MKT-AM")
    client.post("/login", data={"username": "jack", "password": "wrong"})
    client.post("/login", data={"username": "jack", "password": "correct-horse-battery"})
    with app.app_context():
        actions = [e.action for e in entries() if e.action.startswith("log")]
        assert actions[-2:] == ["login_failed", "login"]
        assert json.loads(entries(action="login_failed")[-1].changes)["reason"] == "bad password"


def test_permission_changes_are_audited(app, client, login_as):
    login_as("ROLE-ADMIN")
    with app.app_context():
        role = db.session.scalar(select(Role).where(Role.code == "ROLE-FIN"))
        role_id, current = role.id, role.permission_codes
    form = {f"role-{r}": [] for r in []}
    # Keep every role's grants except: give finance the audit viewer.
    with app.app_context():
        for r in db.session.scalars(select(Role)):
            form[f"role-{r.id}"] = sorted(r.permission_codes)
    form[f"role-{role_id}"] = sorted(current | {"core.audit.view"})
    assert client.post("/admin/roles", data=form).status_code == 302
    with app.app_context():
        change = entries(action="permissions_changed")
        assert len(change) == 1
        assert json.loads(change[0].changes) == {"role": "ROLE-FIN", "granted": ["core.audit.view"], "revoked": []}


def add_departments(prefix, count=3):
    for i in range(count):
        db.session.add(Department(code=f"{prefix}{i}", name=f"部门{i}"))
        db.session.commit()


def stored_chain():
    """Each entry's id, content (as entry_hash takes it) and links, in order."""
    rows = []
    for e in entries():
        row = {c: getattr(e, c) for c in ("ts", "user_id", "actor", "ip", "request_id", "action", "model",
                                          "record_id", "changes", "prev_hash", "hash")}
        if row["ts"].tzinfo is None:
            row["ts"] = row["ts"].replace(tzinfo=timezone.utc)
        rows.append((e.id, row))
    return rows


def rewrite_chain_from(entry_id, link, **altered):
    """What a forger with write access does: alter an entry and link it and every later one
    again with `link(prev_hash, row)`."""
    prev = None
    for row_id, row in stored_chain():
        if row_id == entry_id:
            row.update(altered)
            prev = row["prev_hash"]
        if prev is None:
            continue
        row["prev_hash"], row["hash"] = prev, link(prev, row)
        columns = ", ".join(f"{c} = :{c}" for c in (*altered, "prev_hash", "hash"))
        db.session.execute(text(f"UPDATE audit_entry SET {columns} WHERE id = :id"), {**row, "id": row_id})
        prev = row["hash"]
    db.session.commit()


def test_chain_verifies_and_detects_alteration(app):
    with app.app_context():
        add_departments("D")
        result = audit.verify(db.session)
        assert result.ok and result.checked == len(entries())
        victim = entries(model="department")[1]
        db.session.execute(text("UPDATE audit_entry SET changes = :c WHERE id = :id"),
                           {"c": '{"name": "forged"}', "id": victim.id})
        db.session.commit()
        db.session.expire_all()
        result = audit.verify(db.session)
        assert result.broken_at == victim.id and result.entry.id == victim.id and "altered" in result.reason


def test_chain_names_a_removed_row_by_its_own_id(app):
    with app.app_context():
        add_departments("R")
        removed = entries(model="department")[1].id
        db.session.execute(text("DELETE FROM audit_entry WHERE id = :id"), {"id": removed})
        db.session.commit()
        result = audit.verify(db.session)
        assert result.broken_at == removed and result.entry is None
        assert f"entry #{removed} was removed" in result.reason


def test_a_chain_rewritten_from_an_altered_row_without_the_key_is_detected(app):
    with app.app_context():
        add_departments("W")
        victim = entries(model="department")[0]
        forged = '{"code": "W0", "name": "forged"}'
        for link in (audit.unkeyed_entry_hash, lambda prev, row: audit.entry_hash(prev, row, "a guessed key")):
            rewrite_chain_from(victim.id, link, changes=forged)
            result = audit.verify(db.session)
            assert result.broken_at == victim.id and "altered" in result.reason


def test_the_chain_is_keyed_by_erp_audit_key(app, make_app):
    with app.app_context():
        add_departments("K", 1)
        assert audit.verify(db.session).ok
        entry_id, row = stored_chain()[-1]
        assert row["hash"] == audit.entry_hash(row["prev_hash"], row, "test-audit-key")
        assert row["hash"] != audit.unkeyed_entry_hash(row["prev_hash"], row)
    with make_app(ERP_AUDIT_KEY="another key").app_context():
        result = audit.verify(db.session)
        assert result.broken_at == entries()[0].id and "ERP_AUDIT_KEY" in result.reason


def test_entries_written_before_the_key_are_chained_under_it_at_upgrade(app):
    with app.app_context():
        add_departments("U")
        rewrite_chain_from(entries()[0].id, audit.unkeyed_entry_hash)  # as the code before the key wrote them
        old_head = entries()[-1].hash
        assert not audit.verify(db.session).ok
        count = audit.resign_unkeyed(db.session.connection(), "test-audit-key")
        db.session.commit()
        assert audit.verify(db.session).ok
        *resigned, marker = entries()
        assert count == len(resigned) and marker.action == "audit_keyed"
        assert json.loads(marker.changes) == {"entries": count, "old_head": old_head, "old_chain": "intact"}


def test_a_break_in_the_unkeyed_chain_stays_on_record_after_the_upgrade(app):
    with app.app_context():
        add_departments("B")
        rewrite_chain_from(entries()[0].id, audit.unkeyed_entry_hash)
        victim = entries(model="department")[1]
        db.session.execute(text("UPDATE audit_entry SET changes = :c WHERE id = :id"),
                           {"c": '{"name": "forged"}', "id": victim.id})
        audit.resign_unkeyed(db.session.connection(), "test-audit-key")
        db.session.commit()
        assert audit.verify(db.session).ok
        marker = entries()[-1]
        assert json.loads(marker.changes)["old_chain"] == \
            f"broken at entry #{victim.id}: its content does not match its hash"


def test_audit_recorded_hook_sees_each_entry(app):
    seen = []

    class Listener:
        @staticmethod
        def erp_audit_recorded(entry):
            seen.append((entry["action"], entry["model"]))
    from core.hookspecs import hookimpl
    Listener.erp_audit_recorded = hookimpl(Listener.erp_audit_recorded)
    app.extensions["erp"].pm.register(Listener, name="listener")
    with app.app_context():
        db.session.add(Department(code="HK", name="钩子"))
        db.session.commit()
    assert ("insert", "department") in seen


test_hook_erp_audit_recorded = test_audit_recorded_hook_sees_each_entry


def test_audit_viewer_searches_and_shows_a_record_history(app, client, login_as, make_user):
    login_as("ROLE-ADMIN", username="auditor")
    target = make_user("kate", "ROLE-MKT-AM")
    page = client.get(f"/admin/audit?model=user&record={target}").get_data(as_text=True)
    assert "kate" in page and "insert" in page
    page = client.get("/admin/audit?user=auditor&action=login").get_data(as_text=True)
    assert "auditor" in page
    page = client.get("/admin/audit?model=nothing-like-this").get_data(as_text=True)
    assert "No entries." in page
    assert client.get("/admin/audit?date_from=2000-01-01&date_to=2100-01-01").status_code == 200


def test_audit_viewer_is_forbidden_without_permission(client, login_as):
    login_as("ROLE-MKT-AM")
    assert client.get("/admin/audit").status_code == 403


def test_upgrading_a_database_with_unkeyed_entries_chains_them_under_the_key(tmp_path):
    from datetime import datetime

    from alembic import command

    from core import create_app, migrate
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite3'}", "SECRET_KEY": "test",
                      "ERP_AUDIT_KEY": "the key", "ERP_LANGUAGE": "en", "ERP_MODULES": []})
    with app.app_context():
        command.upgrade(migrate.alembic_config(app), "c0007")  # before the key
        prev = audit.GENESIS
        for i in range(3):
            row = {"ts": datetime(2026, 11, 1, 9, i, tzinfo=timezone.utc), "user_id": 1, "actor": "amy",
                   "ip": "10.0.0.1", "request_id": "", "action": "login", "model": "", "record_id": "",
                   "changes": "{}"}
            digest = audit.unkeyed_entry_hash(prev, row)
            db.session.execute(AuditEntry.__table__.insert(), [{**row, "prev_hash": prev, "hash": digest}])
            prev = digest
        db.session.commit()
        assert not audit.verify(db.session).ok
        migrate.upgrade(app)
        result = audit.verify(db.session)
        assert result.ok and result.checked == 4
        assert json.loads(entries()[-1].changes) == {"entries": 3, "old_head": prev, "old_chain": "intact"}
        db.engine.dispose()


def test_the_audit_key_is_erp_audit_key_else_generated_once_apart_from_the_session_key(tmp_path, monkeypatch):
    from core import config
    monkeypatch.delenv("ERP_SECRET_KEY", raising=False)
    monkeypatch.delenv("ERP_AUDIT_KEY", raising=False)
    generated = config.load(str(tmp_path))
    assert generated["ERP_AUDIT_KEY"] == (tmp_path / "audit_key").read_text().strip()
    assert len(generated["ERP_AUDIT_KEY"]) == 64 and generated["ERP_AUDIT_KEY"] != generated["SECRET_KEY"]
    assert config.load(str(tmp_path))["ERP_AUDIT_KEY"] == generated["ERP_AUDIT_KEY"]
    monkeypatch.setenv("ERP_AUDIT_KEY", "shared by every app server")
    assert config.load(str(tmp_path))["ERP_AUDIT_KEY"] == "shared by every app server"
