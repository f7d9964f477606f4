"""Fixtures of the appraisal module: a small company with its reporting lines (positions), each
person with an API token, and a helper driving the API."""
import pytest
from sqlalchemy import select

from core.api.models import ApiToken
from core.extensions import db
from core.org.models import Position, UserPosition
from tests.conftest import department_id

PEOPLE = {"adm": ("ROLE-ADM", "ADM", "POS-ADM"), "dir": ("ROLE-MKT-DIR", "MKT", "POS-MKT-DIR"),
          "eng_mgr": ("ROLE-ENG-MGR", "ENG", "POS-ENG-MGR"), "pe": ("ROLE-ENG-PE", "ENG", "POS-ENG-PE"),
          "pe2": ("ROLE-ENG-PE", "ENG", "POS-ENG-PE"), "mkt_mgr": ("ROLE-MKT-MGR", "MKT", "POS-MKT-MGR"),
          "am": ("ROLE-MKT-AM", "MKT", "POS-MKT-AM")}


@pytest.fixture
def staff(app, make_user):
    """{"ids": name -> user id, "headers": name -> API headers}."""
    ids, headers = {}, {}
    for name, (role, dept, _position) in PEOPLE.items():
        ids[name] = make_user(name, role, department_id=department_id(app, dept), full_name=f"员工{name}")
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
