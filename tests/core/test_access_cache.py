"""Each worker caches users' permissions (core.auth.access); a change must still reach every
worker with its commit, and a rolled-back change must never be cached."""
from sqlalchemy import event, select

from core.auth.models import Role, RolePermission, User
from core.extensions import db
from tests.conftest import PASSWORD

ADMIN_PAGE = "/admin/roles"
PERMISSION = "core.roles.manage"


def _role_with_grant(app, code="ROLE-TEST"):
    with app.app_context():
        role = Role(code=code, name="测试", name_en="Test")
        role.grants = [RolePermission(code=PERMISSION)]
        db.session.add(role)
        db.session.commit()


def _sign_in(client, username):
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302


def test_revoking_a_grant_reaches_another_worker_with_the_commit(app, make_app, make_user):
    _role_with_grant(app)
    make_user("tess", "ROLE-TEST")
    worker_a, worker_b = app, make_app()  # two apps: two workers' caches over one database
    client = worker_a.test_client()
    _sign_in(client, "tess")
    assert client.get(ADMIN_PAGE).status_code == 200  # worker A has cached tess's permissions

    with worker_b.app_context():  # the admin, served by worker B, revokes the grant
        role = db.session.scalar(select(Role).where(Role.code == "ROLE-TEST"))
        role.grants = []
        db.session.commit()
    assert client.get(ADMIN_PAGE).status_code == 403

    with worker_b.app_context():  # and gives it back
        db.session.scalar(select(Role).where(Role.code == "ROLE-TEST")).grants = [RolePermission(code=PERMISSION)]
        db.session.commit()
    assert client.get(ADMIN_PAGE).status_code == 200


def test_taking_a_role_away_reaches_another_worker(app, make_app, make_user):
    """A role taken from a user also ends his sessions (core.auth.sessions): he signs in again
    and has lost what the role gave."""
    _role_with_grant(app)
    user_id = make_user("tess", "ROLE-TEST", "ROLE-MKT-AM")
    client = app.test_client()
    _sign_in(client, "tess")
    assert client.get(ADMIN_PAGE).status_code == 200
    with make_app().app_context():
        user = db.session.get(User, user_id)
        user.roles = [r for r in user.roles if r.code != "ROLE-TEST"]
        db.session.commit()
    assert client.get(ADMIN_PAGE).status_code == 302
    _sign_in(client, "tess")
    assert client.get(ADMIN_PAGE).status_code == 403


def test_a_rolled_back_grant_is_not_cached(app, make_user):
    _role_with_grant(app)
    user_id = make_user("tess")
    with app.test_request_context():
        user = db.session.get(User, user_id)
        user.roles.append(db.session.scalar(select(Role).where(Role.code == "ROLE-TEST")))
        db.session.flush()
        assert user.can(PERMISSION)  # seen inside the transaction that made it
        db.session.rollback()
    client = app.test_client()
    _sign_in(client, "tess")
    assert client.get(ADMIN_PAGE).status_code == 403


def test_signed_in_pages_read_permissions_from_the_cache(app, make_user):
    _role_with_grant(app)
    make_user("tess", "ROLE-TEST")
    client = app.test_client()
    _sign_in(client, "tess")
    client.get(ADMIN_PAGE)
    statements = []
    with app.app_context():
        engine = db.engine
    listener = lambda conn, cursor, statement, *args: statements.append(statement)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get("/").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    # The signed-in user's roles and grants (core.auth.access._load's statement); other people's
    # roles may be read (who must write a visit log, whether an owner takes a step himself).
    own = [s for s in statements if "SELECT role.code, role_permission.code" in s]
    assert not own, statements
    assert sum("cache_signal" in s for s in statements) == 1  # read with the user, once
