"""Fixtures for hr_appraisal's job profiles and business trips: people of every department placed
in their positions (core's Superior reads them), each with an API token."""
import pytest
from sqlalchemy import select

from core.api.models import ApiToken
from core.extensions import db
from core.org.models import Position, UserPosition
from tests.conftest import PASSWORD, department_id

PEOPLE = {"gm": ("ROLE-GM", None, "POS-GM"), "dir": ("ROLE-MKT-DIR", "MKT", "POS-MKT-DIR"),
          "mkt_mgr": ("ROLE-MKT-MGR", "MKT", "POS-MKT-MGR"), "am": ("ROLE-MKT-AM", "MKT", "POS-MKT-AM"),
          "eng_mgr": ("ROLE-ENG-MGR", "ENG", "POS-ENG-MGR"), "pe": ("ROLE-ENG-PE", "ENG", "POS-ENG-PE"),
          "adm": ("ROLE-ADM", "ADM", "POS-ADM"), "fin": ("ROLE-FIN", "FIN", "POS-FIN")}


@pytest.fixture
def staff(app, make_user):
    """{"ids", "headers"} of PEOPLE."""
    ids, headers = {}, {}
    for name, (role, dept, _pos) in PEOPLE.items():
        ids[name] = make_user(name, role, department_id=department_id(app, dept) if dept else None)
    with app.app_context():
        from core.auth.models import User
        for name, (_role, _dept, code) in PEOPLE.items():
            token, secret = ApiToken.issue(db.session.get(User, ids[name]), "tests")
            db.session.add(token)
            headers[name] = {"Authorization": f"Bearer {secret}"}
            position = db.session.scalar(select(Position).where(Position.code == code))
            db.session.add(UserPosition(user_id=ids[name], position_id=position.id))
        db.session.commit()
    return {"ids": ids, "headers": headers}


@pytest.fixture
def hapi(app):
    """hapi(staff, name, method, path, json=None) -> (status, body) on /api/v1/hr_appraisal/."""
    client = app.test_client()

    def call(people, name, method, path, json=None):
        response = getattr(client, method)(f"/api/v1/hr_appraisal/{path}", json=json, headers=people["headers"][name])
        return response.status_code, response.get_json()
    return call


@pytest.fixture
def hweb(app):
    """hweb(name): a browser of its own signed in as the person."""
    def sign_in(name):
        browser = app.test_client()
        assert browser.post("/login", data={"username": name, "password": PASSWORD}).status_code == 302
        return browser
    return sign_in
