import pytest
from sqlalchemy import select

from core.audit.models import AuditEntry
from core.auth.models import User
from core.extensions import db
from tests.conftest import PASSWORD


def test_login_and_logout(client, make_user):
    make_user("alice", "ROLE-MKT-AM")
    response = client.post("/login", data={"username": "alice", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302


def test_login_is_case_insensitive_on_username(client, make_user):
    make_user("Alice", "ROLE-MKT-AM")
    assert client.post("/login", data={"username": "alice", "password": PASSWORD}).status_code == 302


@pytest.mark.parametrize("username,password", [("alice", "wrong-password"), ("nobody", PASSWORD)])
def test_bad_credentials_get_one_generic_message(client, make_user, username, password):
    make_user("alice", "ROLE-MKT-AM")
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 401
    assert "Invalid username or password." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_inactive_user_is_refused_with_the_same_message(client, make_user):
    make_user("bob", "ROLE-MKT-AM", active=False)
    response = client.post("/login", data={"username": "bob", "password": PASSWORD})
    assert response.status_code == 401
    assert "Invalid username or password." in response.get_data(as_text=True)


def test_deactivated_user_loses_an_open_session(app, client, login_as):
    user_id = login_as("ROLE-MKT-AM")
    with app.app_context():
        db.session.get(User, user_id).active = False
        db.session.commit()
    assert client.get("/").status_code == 302


def test_missing_fields_are_reported_per_field(client):
    response = client.post("/login", data={"username": "", "password": ""})
    assert response.status_code == 400
    assert response.get_data(as_text=True).count('class="invalid-feedback') == 2


def test_passwords_are_hashed_with_scrypt_by_default(make_app):
    from core.seed import create_user
    app = make_app(ERP_PASSWORD_METHOD="scrypt")
    with app.app_context():
        user = create_user("carol", "s3cret-pass", ["ROLE-GM"])
        assert user.password_hash.startswith("scrypt:")
        assert "s3cret-pass" not in user.password_hash
        assert user.check_password("s3cret-pass") and not user.check_password("other")


def test_login_attempts_are_rate_limited(app, client, make_user):
    make_user("dave", "ROLE-MKT-AM")
    for _ in range(app.config["ERP_LOGIN_MAX_FAILURES"]):
        assert client.post("/login", data={"username": "dave", "password": "nope"}).status_code == 401
    # Even the right password is refused while the window lasts.
    response = client.post("/login", data={"username": "dave", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.get_data(as_text=True)
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.model == "login")).all()
    assert actions.count("login_failed") == 5 and "login_throttled" in actions


def test_open_redirect_after_login_is_refused(client, make_user):
    make_user("erin", "ROLE-MKT-AM")
    response = client.post("/login?next=https://evil.example/x", data={"username": "erin", "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_anonymous_is_redirected_to_login(client):
    response = client.get("/admin/users")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")


def test_anonymous_api_client_gets_json_401(client):
    response = client.get("/admin/users", headers={"Accept": "application/json"})
    assert response.status_code == 401 and response.is_json


def test_forbidden_page_is_403_without_the_data(client, make_user, login_as):
    make_user("secret_person", "ROLE-GM")
    login_as("ROLE-MKT-AM")
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert "secret_person" not in response.get_data(as_text=True)
    json_response = client.get("/admin/users", headers={"Accept": "application/json"})
    assert json_response.status_code == 403 and json_response.get_json()["status"] == 403


def test_permission_required_allows_holders(client, login_as):
    login_as("ROLE-ADMIN")
    assert client.get("/admin/users").status_code == 200


def test_csrf_is_required_on_every_form(make_app, make_user, database):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        from core.seed import seed_all
        seed_all()
    client = app.test_client()
    from core.seed import create_user
    with app.app_context():
        create_user("frank", PASSWORD, ["ROLE-ADMIN"])
        db.session.commit()
    response = client.post("/login", data={"username": "frank", "password": PASSWORD})
    assert response.status_code == 400  # no token: refused, not signed in
    assert client.get("/admin/users").status_code == 302
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/login", data={"username": "frank", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    assert client.post("/admin/roles", data={}).status_code == 400


def test_pages_carry_a_token_of_their_own_session(seeded_app):
    """The layout's forms (sign out, language) carry a CSRF token signed once per worker for each
    session: the same on every page of that session, refused in any other."""
    import re
    from core.seed import create_user
    app = seeded_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        create_user("frank", PASSWORD, ["ROLE-ADMIN"])
        create_user("grace", PASSWORD, ["ROLE-ADMIN"])
        db.session.commit()

    def signed_in(username):
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
        return client

    def layout_token(client):
        page = client.get("/").get_data(as_text=True)
        return re.search(r'action="/logout">\s*<input type="hidden" name="csrf_token" value="([^"]+)"', page).group(1)
    frank, grace = signed_in("frank"), signed_in("grace")
    token = layout_token(frank)
    assert layout_token(frank) == token != layout_token(grace)
    assert grace.post("/language", data={"language": "en", "csrf_token": token}).status_code == 400
    assert frank.post("/language", data={"language": "en", "csrf_token": token}).status_code == 302
    assert frank.post("/logout", data={"csrf_token": layout_token(frank)}).status_code == 302
    assert frank.get("/").status_code == 302  # signed out


def test_session_cookies_are_signed_with_each_apps_own_key(app, make_app, make_user):
    """Session signers are built once per secret key, and only ever used with that key: a cookie
    of one key is refused by an app with another, unless that key is among its fallbacks."""
    make_user("frank", "ROLE-ADMIN")
    client = app.test_client()
    client.post("/login", data={"username": "frank", "password": PASSWORD})
    cookie = client.get_cookie("session").value
    assert client.get("/admin/users").status_code == 200
    for config, signed_in in (({"SECRET_KEY": "another-key"}, False),
                              ({"SECRET_KEY": "another-key", "SECRET_KEY_FALLBACKS": ["test-secret"]}, True)):
        other = make_app(**config).test_client()
        other.set_cookie("session", cookie)
        assert (other.get("/admin/users").status_code == 200) is signed_in, config


def test_session_cookie_flags(make_app):
    app = make_app(SESSION_COOKIE_SECURE=True)
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    response = app.test_client().get("/login")
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "Secure" in cookie


def test_change_own_password(client, login_as):
    login_as("ROLE-MKT-AM", username="grace")
    bad = client.post("/profile", data={"current": "wrong", "new": "violet-harbour-93", "confirm": "violet-harbour-93"})
    assert "The current password is wrong." in bad.get_data(as_text=True)
    ok = client.post("/profile", data={"current": PASSWORD, "new": "violet-harbour-93", "confirm": "violet-harbour-93"})
    assert ok.status_code == 302
    client.post("/logout")
    assert client.post("/login", data={"username": "grace", "password": "violet-harbour-93"}).status_code == 302


def test_healthz_answers_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["database"] == "ok"


def test_two_people_met_outside_a_sign_in_are_not_the_same(app, make_user):
    """A user loaded for an API token or a job has no session key: he is still only himself (a
    superior check `user in superiors` must not admit every such user)."""
    first, second = make_user("first", "ROLE-GM"), make_user("second", "ROLE-FIN")
    with app.app_context():
        a, b = db.session.get(User, first), db.session.get(User, second)
        assert a != b and not (a == b) and b not in [a] and a in [a]
