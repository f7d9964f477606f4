"""Sign-in sessions end server-side; remember-me tokens are random, hashed, single use and expire;
sign-in throttling holds under parallel attempts; unknown names cost the same hashing time;
passwords have a minimum strength; the API is not driven by a cookie."""
import json
import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, update

from core.api.models import ApiToken
from core.audit.models import AuditEntry
from core.auth.models import Role, User
from core.auth.sessions import UserSession
from core.extensions import db
from tests.conftest import PASSWORD, sign_in_as

REMEMBER = "remember_token"


def cookies_of(client) -> dict:
    return {c.key: c.value for c in client._cookies.values()}


def client_with(app, cookies: dict):
    """A new browser holding copies of `cookies` (what a thief would have captured)."""
    other = app.test_client()
    for name, value in cookies.items():
        other.set_cookie(name, value)
    return other


def signed_in(client) -> bool:
    return client.get("/").status_code == 200


def sign_in(client, username, remember=False):
    data = {"username": username, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    assert client.post("/login", data=data).status_code == 302


def test_a_session_cookie_captured_before_sign_out_is_dead_after_it(app, client, make_user):
    make_user("alice", "ROLE-MKT-AM")
    sign_in(client, "alice")
    captured = cookies_of(client)
    assert signed_in(client_with(app, captured))
    client.post("/logout")
    assert not signed_in(client_with(app, captured))
    with app.app_context():
        row = db.session.scalar(select(UserSession))
        assert row.ended_reason == "signed out" and row.ended_at is not None


def test_remember_tokens_are_random_hashed_and_end_with_sign_out(app, client, make_user):
    make_user("bob", "ROLE-MKT-AM")
    tokens = []
    for _ in range(2):
        browser = app.test_client()
        sign_in(browser, "bob", remember=True)
        tokens.append(cookies_of(browser)[REMEMBER])
    assert tokens[0] != tokens[1]
    with app.app_context():
        stored = " ".join(db.session.scalars(select(UserSession.token_hash)))
    assert all(token.split("|")[0].split(".")[1] not in stored for token in tokens)
    # Only the remember-me cookie, as after closing the browser: it signs in again...
    assert signed_in(client_with(app, {REMEMBER: tokens[1]}))
    # ...until its owner signs out in that session.
    browser = client_with(app, {REMEMBER: tokens[0]})
    assert signed_in(browser)
    browser.post("/logout")
    assert not signed_in(client_with(app, {REMEMBER: tokens[0]}))


def test_a_remember_token_is_single_use_and_rotated(app, client, make_user):
    make_user("carol", "ROLE-MKT-AM")
    sign_in(client, "carol", remember=True)
    first = cookies_of(client)[REMEMBER]
    browser = client_with(app, {REMEMBER: first})
    assert signed_in(browser)
    second = cookies_of(browser)[REMEMBER]
    assert second != first
    assert not signed_in(client_with(app, {REMEMBER: first}))  # spent
    assert signed_in(client_with(app, {REMEMBER: second}))


def test_remember_tokens_expire(app, client, make_user):
    make_user("dan", "ROLE-MKT-AM")
    sign_in(client, "dan", remember=True)
    token = cookies_of(client)[REMEMBER]
    with app.app_context():
        row = db.session.scalar(select(UserSession))
        assert row.remember
        expected = datetime.now(timezone.utc) + timedelta(days=app.config["ERP_REMEMBER_DAYS"])
        assert abs((row.expires_at.replace(tzinfo=timezone.utc) - expected).total_seconds()) < 60
        row.expires_at = datetime.now(timezone.utc) - timedelta(seconds=1)
        db.session.commit()
    assert not signed_in(client_with(app, {REMEMBER: token}))
    assert not signed_in(client)


def test_a_password_change_ends_the_users_other_sessions_and_keeps_this_one(app, client, make_user):
    make_user("erin", "ROLE-MKT-AM")
    phone = app.test_client()
    sign_in(phone, "erin", remember=True)
    phone_cookies = cookies_of(phone)
    sign_in(client, "erin")
    response = client.post("/profile", data={"current": PASSWORD, "new": "violet-harbour-93",
                                             "confirm": "violet-harbour-93"})
    assert response.status_code == 302
    assert signed_in(client)
    assert not signed_in(phone)
    assert not signed_in(client_with(app, {REMEMBER: phone_cookies[REMEMBER]}))


@pytest.mark.parametrize("change", ["deactivate", "remove_role", "reset_password"])
def test_an_administrators_change_ends_all_the_users_sessions(app, client, make_user, login_as, change):
    victim = make_user("frank", "ROLE-MKT-AM")
    browser = app.test_client()
    sign_in(browser, "frank", remember=True)
    captured = cookies_of(browser)
    login_as("ROLE-ADMIN")
    with app.app_context():
        user = db.session.get(User, victim)
        if change == "deactivate":
            user.active = False
        elif change == "remove_role":
            user.roles = []
        else:
            user.set_password("a-whole-new-secret-77")
        db.session.commit()
        if change == "deactivate":  # and back: the old sessions stay ended
            db.session.get(User, victim).active = True
            db.session.commit()
        if change == "remove_role":
            db.session.get(User, victim).roles = [db.session.scalar(select(Role).where(Role.code == "ROLE-MKT-AM"))]
            db.session.commit()
    assert not signed_in(browser)
    assert not signed_in(client_with(app, captured))
    assert not signed_in(client_with(app, {REMEMBER: captured[REMEMBER]}))


def test_adding_a_role_keeps_the_session(app, client, make_user):
    user_id = make_user("gina", "ROLE-MKT-AM")
    sign_in(client, "gina")
    with app.app_context():
        user = db.session.get(User, user_id)
        user.roles.append(db.session.scalar(select(Role).where(Role.code == "ROLE-MKT-MGR")))
        db.session.commit()
    assert signed_in(client)


def test_a_cookie_with_a_bare_user_id_is_refused(app, client, make_user):
    """Cookies from before server-side sessions (or forged from a leaked key) carry no token."""
    user_id = make_user("hank", "ROLE-MKT-AM")
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
        session["_fresh"] = True
    assert not signed_in(client)


# ---- throttling -----------------------------------------------------------------------------------
def test_parallel_wrong_passwords_are_checked_no_more_than_the_limit(app, make_user, monkeypatch):
    make_user("ivan", "ROLE-MKT-AM")
    checked = []
    from core.auth import views
    original = views._check_password
    monkeypatch.setattr(views, "_check_password", lambda user, pw: checked.append(pw) or original(user, pw))
    barrier = threading.Barrier(12)
    statuses = []

    def guess(i):
        browser = app.test_client()
        barrier.wait()
        statuses.append(browser.post("/login", data={"username": "ivan", "password": f"guess-{i}"},
                                     environ_base={"REMOTE_ADDR": f"10.0.0.{i + 1}"}).status_code)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    limit = app.config["ERP_LOGIN_MAX_FAILURES"]
    assert len(checked) == limit
    assert sorted(statuses) == [401] * limit + [429] * (12 - limit)
    with app.app_context():
        failed = db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "login_failed"))
    assert failed == limit


def test_a_good_sign_in_gives_the_address_its_attempt_back(app, client, make_user):
    """Colleagues behind one office address are not locked out by each other's sign-ins."""
    for i in range(app.config["ERP_LOGIN_MAX_FAILURES"] + 2):
        make_user(f"clerk{i}", "ROLE-MKT-AM")
        browser = app.test_client()
        sign_in(browser, f"clerk{i}")


def test_the_window_ends(app, client, make_user):
    make_user("jane", "ROLE-MKT-AM")
    for _ in range(app.config["ERP_LOGIN_MAX_FAILURES"]):
        client.post("/login", data={"username": "jane", "password": "nope"})
    assert client.post("/login", data={"username": "jane", "password": PASSWORD}).status_code == 429
    from core.auth.throttle import LoginThrottle
    with app.app_context():
        window = app.config["ERP_LOGIN_WINDOW_MINUTES"] * 60
        db.session.execute(update(LoginThrottle).values(window_start=LoginThrottle.window_start - window))
        db.session.commit()
    assert client.post("/login", data={"username": "jane", "password": PASSWORD}).status_code == 302


# ---- timing -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("username,password", [("nobody", "whatever-1"), ("kate", "wrong-one"), ("kate", PASSWORD)])
def test_every_sign_in_costs_exactly_one_password_hash(app, client, make_user, monkeypatch, username, password):
    """An unknown name is hashed against a dummy like a known one, so answers take the same time."""
    make_user("kate", "ROLE-MKT-AM")
    import werkzeug.security
    from core.auth import models, views
    calls = []
    real = werkzeug.security.check_password_hash
    counting = lambda stored, given: calls.append(stored) or real(stored, given)  # noqa: E731
    monkeypatch.setattr(views, "check_password_hash", counting)
    monkeypatch.setattr(models, "check_password_hash", counting)
    client.post("/login", data={"username": username, "password": password})
    assert len(calls) == 1
    assert calls[0].startswith(app.config["ERP_PASSWORD_METHOD"])


# ---- password strength ------------------------------------------------------------------------------
@pytest.mark.parametrize("password,reason", [
    ("short-1", "at least 12 characters"),
    ("password1234", "too easy to guess"),
    ("qwertyuiop12", "too easy to guess"),
    ("lucy-the-great-2026", "must not contain the username"),
])
def test_weak_passwords_are_refused_everywhere(app, client, login_as, runner, password, reason):
    from core.cli import cli
    login_as("ROLE-MKT-AM", username="lucy")
    response = client.post("/profile", data={"current": PASSWORD, "new": password, "confirm": password})
    assert response.status_code == 200 and reason in response.get_data(as_text=True)
    result = runner.invoke(cli, ["users", "create", "--username", "lucy2", "--full-name", "Lucy",
                                 "--role", "ROLE-GM", "--password", password.replace("lucy", "lucy2")])
    assert result.exit_code == 1 and reason in result.output


def test_weak_password_message_is_chinese_for_chinese_users(client, make_user):
    make_user("mike", "ROLE-MKT-AM", language="zh_CN")
    sign_in_as(client, "mike")
    response = client.post("/profile", data={"current": PASSWORD, "new": "password1234", "confirm": "password1234"})
    assert "太容易被猜到" in response.get_data(as_text=True)


# ---- API: bearer tokens only for writes; JSON only ---------------------------------------------------
pytest_workshop = pytest.mark.workshop


@pytest.fixture
def token_for(app, make_user):
    def issue(username, *roles, days=None):
        user_id = make_user(username, *roles)
        with app.app_context():
            expires = datetime.now(timezone.utc) + timedelta(days=days) if days else None
            token, secret = ApiToken.issue(db.session.get(User, user_id), "test", expires)
            db.session.add(token)
            db.session.commit()
        return {"Authorization": f"Bearer {secret}"}, user_id
    return issue


def _draft(client, headers):
    created = client.post("/api/v1/workshop/request", json={
        "title": "跨站", "supplier": "s", "amount": "10.00", "cost": "1.00",
        "lines": [{"item": "网线", "qty": 1, "price": "10.00"}]}, headers=headers)
    assert created.status_code == 201, created.get_json()
    return created.get_json()


@pytest_workshop
def test_the_api_cannot_be_driven_by_the_browsers_cookie(app, client, token_for):
    headers, user_id = token_for("nina", "ROLE-MKT-MGR")
    doc = _draft(client, headers)
    sign_in_as(client, "nina")  # the browser holds a session cookie
    url = f"/api/v1/workshop/request/{doc['id']}"
    foreign = {"Origin": "https://evil.example"}
    attempts = [
        client.post(url + "/transitions/cancel", data={"comment": "x"}, headers=foreign),
        client.post(url + "/transitions/cancel", json={"comment": "x"}, headers=foreign),
        client.post(url + "/transitions/cancel", headers=foreign),
        client.patch(url, json={"title": "改了", "version": doc["version"]}, headers=foreign),
        client.post("/api/v1/workshop/request", json={"title": "新"}, headers=foreign),
    ]
    assert [r.status_code for r in attempts] == [401] * 5
    assert all("Bearer" in r.headers["WWW-Authenticate"] and r.is_json for r in attempts)
    again = client.get(url).get_json()  # reading with the cookie is fine
    assert (again["state"], again["title"], again["version"]) == ("draft", "跨站", doc["version"])
    # The token, even beside the cookie, writes; the cookie's user does not matter.
    done = client.post(url + "/transitions/cancel", json={"comment": "令牌"}, headers=headers)
    assert done.status_code == 200 and done.get_json()["state"] == "cancelled"


@pytest_workshop
def test_api_bodies_other_than_json_get_415(client, token_for):
    headers, _ = token_for("olga", "ROLE-MKT-MGR")
    doc = _draft(client, headers)
    url = f"/api/v1/workshop/request/{doc['id']}"
    for kwargs in ({"data": {"comment": "x"}}, {"data": "x=1", "content_type": "text/plain"},
                   {"data": b"<a/>", "content_type": "application/xml"}):
        response = client.post(url + "/transitions/submit", headers=headers, **kwargs)
        assert response.status_code == 415 and response.is_json, kwargs
    assert client.get(url, headers=headers).get_json()["state"] == "draft"


@pytest_workshop
def test_revoked_expired_and_deactivated_users_tokens_are_refused(app, client, token_for):
    headers, user_id = token_for("paul", "ROLE-MKT-MGR", days=30)
    url = "/api/v1/workshop/request"
    assert client.get(url, headers=headers).status_code == 200
    cases = [
        lambda: db.session.execute(update(ApiToken).values(expires_at=datetime.now(timezone.utc) - timedelta(seconds=1))),
        lambda: db.session.execute(update(ApiToken).values(expires_at=None, revoked_at=datetime.now(timezone.utc))),
        lambda: (db.session.execute(update(ApiToken).values(revoked_at=None)),
                 setattr(db.session.get(User, user_id), "active", False)),
    ]
    for change in cases:
        with app.app_context():
            change()
            db.session.commit()
        response = client.get(url, headers=headers)
        assert response.status_code == 401 and response.is_json
        assert client.post(url, json={"title": "x"}, headers=headers).status_code == 401


def test_tokens_page_sets_an_expiry_and_shows_last_use(app, client, login_as):
    login_as("ROLE-MKT-MGR")
    page = client.post("/profile/tokens", data={"name": "对接", "days": "7"}).get_data(as_text=True)
    secret = page.split('id="new-token">')[1].split("<")[0]
    app.test_client().get("/api/v1/openapi.json", headers={"Authorization": f"Bearer {secret}"})
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        days = (token.expires_at.replace(tzinfo=timezone.utc) - datetime.now(timezone.utc)).days
        assert days == 6 and token.last_used_at is not None
    listing = client.get("/profile/tokens").get_data(as_text=True)
    with app.app_context():   # shown in the company's time zone (a UTC evening is the next day there)
        from core import calendar
        shown = token.expires_at.replace(tzinfo=timezone.utc).astimezone(calendar.timezone())
    assert shown.strftime("%Y-%m-%d") in listing
    bad = client.post("/profile/tokens", data={"name": "x", "days": "0"})
    assert bad.status_code == 200 and "between 1 and 3650" in bad.get_data(as_text=True)


# ---- CSRF on every page form ------------------------------------------------------------------------
@pytest_workshop
def test_every_post_route_refuses_a_request_without_its_csrf_token(make_app, make_user):
    """Enumerates the URL map: each page route taking POST refuses a signed-in POST that lacks
    the form's token; each API route refuses a cookie without the bearer token."""
    app = make_app(WTF_CSRF_ENABLED=True)
    make_user("quinn", "ROLE-ADMIN", "ROLE-GM", "ROLE-MKT-MGR")
    browser = app.test_client()
    page = browser.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert browser.post("/login", data={"username": "quinn", "password": PASSWORD, "csrf_token": token}).status_code == 302
    posts = [rule for rule in app.url_map.iter_rules() if "POST" in rule.methods]
    assert len(posts) > 30
    for rule in posts:
        url = rule.build({arg: 1 if rule._converters[arg].__class__.__name__ != "UnicodeConverter" else "x"
                          for arg in rule.arguments}, append_unknown=False)[1]
        response = browser.post(url, data={"anything": "1"}, headers={"Origin": "https://evil.example"})
        expected = 401 if rule.endpoint.startswith("api.") else 400
        assert response.status_code == expected, (rule.rule, response.status_code)
    assert signed_in(browser)



# ---- the user's own sessions ------------------------------------------------------------------------
def test_the_profile_lists_my_sessions_and_signs_out_the_others(app, client, make_user):
    make_user("rita", "ROLE-MKT-AM")
    phone = app.test_client()
    sign_in(phone, "rita", remember=True)
    phone_cookies = cookies_of(phone)
    sign_in(client, "rita")
    page = client.get("/profile").get_data(as_text=True)
    table = page.split('id="sessions"')[1].split("</table>")[0]
    assert table.count("<tr>") == 3 and "This session" in table  # header + two sessions
    assert client.post("/profile/sessions/end-others").status_code == 302
    assert signed_in(client)
    assert not signed_in(phone)
    assert not signed_in(client_with(app, {REMEMBER: phone_cookies[REMEMBER]}))
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "sessions_ended"))
        assert json.loads(entry.changes) == {"sessions": 1}


def test_old_session_records_are_purged(app, runner, make_user, client):
    from core.cli import cli
    make_user("sam", "ROLE-MKT-AM")
    for _ in range(3):
        browser = app.test_client()
        sign_in(browser, "sam")
        browser.post("/logout")
    sign_in(client, "sam")
    with app.app_context():
        long_ago = datetime.now(timezone.utc) - timedelta(days=40)
        db.session.execute(update(UserSession).where(UserSession.ended_at.is_not(None)).values(ended_at=long_ago))
        db.session.commit()
    result = runner.invoke(cli, ["users", "purge-sessions", "--days", "30"])
    assert result.exit_code == 0 and "Deleted 3" in result.output, result.output
    assert signed_in(client)  # the live one stays
