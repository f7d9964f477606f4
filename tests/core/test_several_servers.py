"""Two app servers (two gunicorn processes on their own ports, one database, one secret key), as
the README's production set-up has: what one server does to a user's access reaches the other at
its next request, sign-in throttling counts across both, and numbering and the audit chain stay
right with writes landing on both at once."""
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from core.auth.models import Role, RolePermission
from core.extensions import db
from tests.conftest import PASSWORD
from tests.core.test_demo_serves import free_port

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
SECRET = "test-secret"


def _database_url(database) -> str:
    """The test database as an ERP_DATABASE_URL (PostgreSQL: its schema as a connection option)."""
    url, options = database
    schema_option = options.get("connect_args", {}).get("options")
    return f"{url}?options={quote(schema_option)}" if schema_option else url


@pytest.fixture
def servers(app, database, tmp_path):
    env = {**os.environ, "ERP_DATABASE_URL": _database_url(database), "ERP_SECRET_KEY": SECRET,
           "ERP_AUDIT_KEY": app.config["ERP_AUDIT_KEY"],
           "ERP_COOKIE_SECURE": "0", "ERP_LANGUAGE": "en", "PYTHONPATH": str(ROOT)}
    for name in ("ERP_MODULES", "ERP_TEST_DATABASE_URL"):
        env.pop(name, None)
    ports = [free_port(), free_port()]
    logs = [tmp_path / f"server-{port}.log" for port in ports]
    processes = [subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "1", "--threads", "8", "-b", f"127.0.0.1:{port}", "core.wsgi:app"],
        cwd=tmp_path, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT) for port, log in zip(ports, logs)]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for base, process, log in zip(bases, processes, logs):
            deadline = time.time() + 60
            while True:
                assert process.poll() is None, log.read_text()
                try:
                    if requests.get(base + "/healthz", timeout=10).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                assert time.time() < deadline, "server did not start"
                time.sleep(0.3)
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)
        errors = [log.read_text() for log in logs if "Traceback" in log.read_text()]
        assert not errors, "\n".join(errors)  # a server's error, whatever the test saw


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def browser(base: str, username: str) -> requests.Session:
    session = requests.Session()
    session.base = base
    page = session.get(base + "/login").text
    response = session.post(base + "/login", data={"username": username, "password": PASSWORD,
                                                   "csrf_token": _token(page)}, allow_redirects=False)
    assert response.status_code == 302, response.text[:500]
    return session


def status(session, path) -> int:
    return session.get(session.base + path, allow_redirects=False).status_code


def test_access_changes_on_one_server_reach_the_other(app, make_user, servers):
    a, b = servers
    with app.app_context():
        role = Role(code="ROLE-TEST", name="测试", name_en="Test")
        role.grants = [RolePermission(code="core.roles.manage")]
        db.session.add(role)
        db.session.commit()
        role_field = f"role-{role.id}"
    make_user("ops", "ROLE-ADMIN")
    tess_id = make_user("tess", "ROLE-TEST", "ROLE-MKT-AM")
    make_user("uma", "ROLE-MKT-AM")
    admin = browser(a, "ops")
    tess_on_b = browser(b, "tess")
    assert status(tess_on_b, "/admin/roles") == 200  # server B has cached her permissions

    # The administrator, on server A, revokes the grant in the permission matrix.
    page = admin.get(a + "/admin/roles").text
    form = [("csrf_token", _token(page))] + [
        (name, code) for name, code in re.findall(r'name="(role-\d+)" value="([^"]+)" checked', page)
        if (name, code) != (role_field, "core.roles.manage")]
    assert admin.post(a + "/admin/roles", data=form, allow_redirects=False).status_code == 302
    assert status(tess_on_b, "/admin/roles") == 403

    # A session ended on A is ended on B.
    uma_on_a = browser(a, "uma")
    uma_on_b = requests.Session()
    uma_on_b.base = b
    uma_on_b.cookies.update(uma_on_a.cookies)  # the same cookie presented to the other server
    assert status(uma_on_b, "/") == 200
    uma_on_a.post(a + "/logout", data={"csrf_token": _token(uma_on_a.get(a + "/").text)})
    assert status(uma_on_b, "/") == 302

    # A user deactivated on A is out on B.
    page = admin.get(f"{a}/admin/users/{tess_id}").text
    assert admin.post(f"{a}/admin/users/{tess_id}", data={
        "csrf_token": _token(page), "username": "tess", "full_name": "tess", "email": "",
        "department_id": "0", "roles": [], "language": ""}, allow_redirects=False).status_code == 302
    assert status(tess_on_b, "/") == 302


def test_sign_in_throttling_counts_across_servers(app, make_user, servers):
    make_user("vera", "ROLE-MKT-AM")
    limit = app.config["ERP_LOGIN_MAX_FAILURES"]
    statuses = []

    def guess(base, i):
        session = requests.Session()
        page = session.get(base + "/login").text
        statuses.append(session.post(base + "/login", data={"username": "vera", "password": f"guess-{i}",
                                                            "csrf_token": _token(page)}).status_code)

    threads = [threading.Thread(target=guess, args=(servers[i % 2], i)) for i in range(2 * limit + 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [401] * limit + [429] * (limit + 2)
    for base in servers:  # the right password too, on either server, while the window lasts
        session = requests.Session()
        page = session.get(base + "/login").text
        assert session.post(base + "/login", data={"username": "vera", "password": PASSWORD,
                                                   "csrf_token": _token(page)}).status_code == 429


def test_numbering_and_audit_chain_hold_with_writes_on_both_servers(app, make_user, runner, servers):
    from core.api.models import ApiToken
    from core.auth.models import User
    from core.cli import cli
    from modules.sales.models import Area  # the sales customer is the document numbered here
    user_id = make_user("wes", "ROLE-MKT-AM")
    with app.app_context():
        area = Area(code="SZ", name="深圳片区")
        db.session.add(area)
        db.session.flush()
        area_id = area.id
        token, secret = ApiToken.issue(db.session.get(User, user_id), "two servers")
        db.session.add(token)
        db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    created, errors = [], []

    def create(base, i):
        response = requests.post(base + "/api/v1/sales/customer", headers=headers, json={
            "title": f"并发客户 {i}", "industry": "government", "area_id": area_id})
        (created if response.status_code == 201 else errors).append(
            response.json().get("number") if response.status_code == 201 else response.text)

    threads = [threading.Thread(target=create, args=(servers[i % 2], i)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(created) == len(set(created)) == 16
    serials = sorted(int(number.rsplit("-", 1)[1]) for number in created)
    assert serials == list(range(serials[0], serials[0] + 16))
    result = runner.invoke(cli, ["audit", "verify"])
    assert result.exit_code == 0, result.output
