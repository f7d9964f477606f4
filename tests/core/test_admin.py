from sqlalchemy import select

from core.auth.models import Role, User
from core.extensions import db
from tests.conftest import PASSWORD


def user_form(**overrides):
    data = {"username": "newbie", "full_name": "新同事", "email": "", "department_id": 0,
            "roles": [], "language": "", "active": "y", "password": "mosaic-tundra-41"}
    data.update(overrides)
    return data


def role_id(app, code):
    with app.app_context():
        return db.session.scalar(select(Role.id).where(Role.code == code))


def test_admin_creates_a_user_who_can_sign_in(app, client, login_as):
    login_as("ROLE-ADMIN")
    response = client.post("/admin/users/new", data=user_form(roles=[role_id(app, "ROLE-MKT-AM")]))
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "newbie"))
        assert [r.code for r in user.roles] == ["ROLE-MKT-AM"]
    client.post("/logout")
    assert client.post("/login", data={"username": "newbie", "password": "mosaic-tundra-41"}).status_code == 302


def test_invalid_user_form_reports_each_field_and_saves_nothing(app, client, login_as):
    login_as("ROLE-ADMIN", username="boss")
    response = client.post("/admin/users/new", data=user_form(
        username="boss", email="not-an-email", password="short"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "This username is already taken." in page
    assert "Not a valid e-mail address." in page
    assert 'data-field="password"' in page
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(User)) == 1


def test_new_user_needs_a_password(client, login_as):
    login_as("ROLE-ADMIN")
    response = client.post("/admin/users/new", data=user_form(password=""))
    assert response.status_code == 400 and "A new user needs a password." in response.get_data(as_text=True)


def test_deactivating_a_user_and_not_yourself(app, client, login_as, make_user):
    me = login_as("ROLE-ADMIN", username="boss")
    other = make_user("leaving", "ROLE-MKT-AM")
    response = client.post(f"/admin/users/{other}", data=user_form(username="leaving", active=""))
    assert response.status_code == 302
    response = client.post(f"/admin/users/{me}", data=user_form(username="boss", active="", roles=[role_id(app, "ROLE-ADMIN")]))
    assert response.status_code == 400 and "You cannot deactivate yourself." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, other).active is False
        assert db.session.get(User, me).active is True


def test_reset_password_shows_a_new_one_once(app, client, login_as, make_user):
    login_as("ROLE-ADMIN")
    other = make_user("forgetful", "ROLE-MKT-AM")
    response = client.post(f"/admin/users/{other}/reset-password", follow_redirects=True)
    page = response.get_data(as_text=True)
    password = page.split("New password for forgetful: ")[1].split(" ")[0]
    with app.app_context():
        user = db.session.get(User, other)
        assert user.check_password(password) and not user.check_password(PASSWORD)


def test_permission_matrix_grants_and_revokes(app, client, login_as, make_user):
    login_as("ROLE-ADMIN")
    fin = role_id(app, "ROLE-FIN")
    with app.app_context():
        form = {f"role-{r.id}": sorted(r.permission_codes) for r in db.session.scalars(select(Role))}
    form[f"role-{fin}"] = ["core.users.manage", "no.such.permission"]
    assert client.post("/admin/roles", data=form).status_code == 302
    with app.app_context():
        assert db.session.get(Role, fin).permission_codes == {"core.users.manage"}
    page = client.get("/admin/roles").get_data(as_text=True)
    assert 'name="role-%d" value="core.users.manage" checked' % fin in page
    # The finance user now reaches the users page.
    client.post("/logout")
    make_user("money", "ROLE-FIN")
    client.post("/login", data={"username": "money", "password": PASSWORD})
    assert client.get("/admin/users").status_code == 200


def test_permission_matrix_is_grouped_by_module(client, login_as):
    login_as("ROLE-ADMIN")
    page = client.get("/admin/roles").get_data(as_text=True)
    for section in ("Sales", "Engineering", "Procurement", "Appraisal", "System"):
        assert f">{section}</th>" in page


def test_user_list_search(client, login_as, make_user):
    login_as("ROLE-ADMIN")
    make_user("zhang_san", "ROLE-MKT-AM", full_name="张三")
    make_user("li_si", "ROLE-MKT-AM", full_name="李四")
    page = client.get("/admin/users?q=张").get_data(as_text=True)
    assert "zhang_san" in page and "li_si" not in page


def test_reseeding_never_regrants_what_the_admin_revoked(app):
    from core.seed import seed_all
    with app.app_context():
        gm = db.session.scalar(select(Role).where(Role.code == "ROLE-GM"))
        assert "sales.access" in gm.permission_codes
        gm.grants = [g for g in gm.grants if g.code != "sales.access"]
        db.session.commit()
        seed_all()
        db.session.expire_all()
        gm = db.session.scalar(select(Role).where(Role.code == "ROLE-GM"))
        assert "sales.access" not in gm.permission_codes
