import json

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


def test_chain_verifies_and_detects_alteration(app):
    with app.app_context():
        for i in range(3):
            db.session.add(Department(code=f"D{i}", name=f"部门{i}"))
            db.session.commit()
        checked, bad, _ = audit.verify(db.session)
        assert bad is None and checked == len(entries())
        victim = entries(model="department")[1]
        db.session.execute(text("UPDATE audit_entry SET changes = :c WHERE id = :id"),
                           {"c": '{"name": "forged"}', "id": victim.id})
        db.session.commit()
        db.session.expire_all()
        _, bad, reason = audit.verify(db.session)
        assert bad.id == victim.id and "altered" in reason


def test_chain_detects_a_removed_row(app):
    with app.app_context():
        for i in range(3):
            db.session.add(Department(code=f"R{i}", name=f"部门{i}"))
            db.session.commit()
        rows = entries(model="department")
        db.session.execute(text("DELETE FROM audit_entry WHERE id = :id"), {"id": rows[1].id})
        db.session.commit()
        _, bad, reason = audit.verify(db.session)
        assert bad.id == rows[2].id and "removed" in reason


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
