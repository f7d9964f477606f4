"""Fixtures for the sales module: an organised market department and helpers to drive the API."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from core.api.models import ApiToken
from core.extensions import db
from core.org.models import Position, UserPosition
from tests.conftest import PASSWORD, department_id


@pytest.fixture
def market(app, make_user):
    """The market department's people, each with an API token; returns name -> headers."""
    mkt = department_id(app, "MKT")
    people = {"am": "ROLE-MKT-AM", "aam": "ROLE-MKT-AAM", "mgr": "ROLE-MKT-MGR", "ps_mgr": "ROLE-PS-MGR",
              "pse": "ROLE-MKT-PSE", "ast": "ROLE-MKT-AST", "dir": "ROLE-MKT-DIR", "gm": "ROLE-GM",
              "eng_mgr": "ROLE-ENG-MGR", "pe": "ROLE-ENG-PE", "am2": "ROLE-MKT-AM"}
    ids, headers = {}, {}
    for name, role in people.items():
        ids[name] = make_user(name, role, department_id=None if role in ("ROLE-GM",) else mkt)
    with app.app_context():
        from core.auth.models import User
        for name, role in people.items():
            token, secret = ApiToken.issue(db.session.get(User, ids[name]), "tests")
            db.session.add(token)
            headers[name] = {"Authorization": f"Bearer {secret}"}
        pos = db.session.scalar(select(Position).where(Position.code == "POS-MKT-MGR"))
        db.session.add(UserPosition(user_id=ids["mgr"], position_id=pos.id))
        from modules.sales.models import Area
        db.session.add(Area(code="SZ", name="深圳片区", manager_id=ids["aam"]))
        db.session.add(Area(code="GZ", name="广州片区"))
        db.session.commit()
    return {"ids": ids, "headers": headers}


@pytest.fixture
def api(app):
    """api(name, method, path, json=None) -> (status, body) using the person's bearer token.

    Its own client, so a browser session signed in on `client` never stands in for the token."""
    api_client = app.test_client()

    def call(market, name, method, path, json=None):
        response = getattr(api_client, method)(f"/api/v1/sales/{path}", json=json, headers=market["headers"][name])
        return response.status_code, response.get_json()
    return call


@pytest.fixture
def web(app):
    """web(name): a browser of its own signed in as the person (the `client` fixture carries the
    API's bearer tokens)."""
    browser = app.test_client()

    def sign_in(name):
        browser.post("/logout")
        assert browser.post("/login", data={"username": name, "password": PASSWORD}).status_code == 302
        return browser
    return sign_in


def area_id(app, code="SZ"):
    from modules.sales.models import Area
    with app.app_context():
        return db.session.scalar(select(Area.id).where(Area.code == code))


@pytest.fixture
def clock(monkeypatch):
    """clock("2026-03-02 17:30"): the company's current time (Asia/Shanghai) from then on."""
    from core import calendar_today

    def set_time(text):
        moment = datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("Asia/Shanghai"))
        monkeypatch.setattr(calendar_today, "now", lambda: moment)
    return set_time
