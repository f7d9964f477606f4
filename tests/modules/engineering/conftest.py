"""Fixtures for the engineering module: the engineering department and those who follow its
projects, each with an API token, and projects in the state a test needs."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from core.api.models import ApiToken
from core.extensions import db
from core.org.models import Position, UserPosition
from tests.conftest import PASSWORD, department_id

PEOPLE = {"eng_mgr": ("ROLE-ENG-MGR", "ENG"), "pe": ("ROLE-ENG-PE", "ENG"), "pe2": ("ROLE-ENG-PE", "ENG"),
          "gm": ("ROLE-GM", None), "dir": ("ROLE-MKT-DIR", "MKT"), "mkt_mgr": ("ROLE-MKT-MGR", "MKT"),
          "am": ("ROLE-MKT-AM", "MKT"), "buyer": ("ROLE-PUR-BUY", "PUR"), "pur_mgr": ("ROLE-PUR-MGR", "PUR"),
          "fin": ("ROLE-FIN", "FIN")}
POSITIONS = {"eng_mgr": "POS-ENG-MGR", "pe": "POS-ENG-PE", "pe2": "POS-ENG-PE", "gm": "POS-GM", "dir": "POS-MKT-DIR",
             "mkt_mgr": "POS-MKT-MGR", "am": "POS-MKT-AM", "buyer": "POS-PUR-BUY", "pur_mgr": "POS-PUR-MGR",
             "fin": "POS-FIN"}


@pytest.fixture
def team(app, make_user):
    """The engineering department and its neighbours; returns {"ids", "headers"}."""
    ids, headers = {}, {}
    for name, (role, dept) in PEOPLE.items():
        ids[name] = make_user(name, role, department_id=department_id(app, dept) if dept else None)
    with app.app_context():
        from core.auth.models import User
        for name in PEOPLE:
            token, secret = ApiToken.issue(db.session.get(User, ids[name]), "tests")
            db.session.add(token)
            headers[name] = {"Authorization": f"Bearer {secret}"}
        for name, code in POSITIONS.items():
            position = db.session.scalar(select(Position).where(Position.code == code))
            if position is not None:
                db.session.add(UserPosition(user_id=ids[name], position_id=position.id))
        db.session.commit()
    return {"ids": ids, "headers": headers}


@pytest.fixture
def eapi(app):
    """eapi(team, name, method, path, json=None) -> (status, body) on /api/v1/engineering/."""
    client = app.test_client()

    def call(people, name, method, path, json=None):
        response = getattr(client, method)(f"/api/v1/engineering/{path}", json=json, headers=people["headers"][name])
        return response.status_code, response.get_json()
    return call


@pytest.fixture
def eweb(app):
    """eweb(name): a browser of its own signed in as the person."""
    browser = app.test_client()

    def sign_in(name):
        browser.post("/logout")
        assert browser.post("/login", data={"username": name, "password": PASSWORD}).status_code == 302
        return browser
    return sign_in


def make_project(app, people, state="planning", engineer="pe", amount="80000", **values):
    """A project written directly in ``state`` (the tests of the project's workflow walk it
    themselves). Returns its id."""
    from modules.engineering.projects import EngProject
    with app.app_context():
        fields = dict(title="市一中校园网综合布线工程", customer_name="市第一中学", site_address="市一中新校区",
                      project_type="cabling", contract_amount=Decimal(amount), supervision_mode="none",
                      planned_start=date(2026, 12, 10), planned_completion=date(2027, 3, 31), warranty_months=12,
                      engineer_id=people["ids"][engineer] if engineer else None, state=state,
                      owner_id=people["ids"]["eng_mgr"], created_by_id=people["ids"]["eng_mgr"],
                      updated_by_id=people["ids"]["eng_mgr"])
        fields.update(values)
        count = db.session.scalar(select(db.func.count()).select_from(EngProject))
        project = EngProject(number=f"GC-T{count + 1:04d}", **fields)
        db.session.add(project)
        db.session.commit()
        return project.id
