"""Fixtures for the sales module: an organised market department and helpers to drive the API."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from core.extensions import db


@pytest.fixture
def market(app, make_staff):
    """The market department's people, each with an API token; returns {"ids", "headers"}."""
    people = {"am": "ROLE-MKT-AM", "aam": "ROLE-MKT-AAM", "mgr": "ROLE-MKT-MGR", "ps_mgr": "ROLE-PS-MGR",
              "pse": "ROLE-MKT-PSE", "ast": "ROLE-MKT-AST", "dir": "ROLE-MKT-DIR", "gm": "ROLE-GM",
              "eng_mgr": "ROLE-ENG-MGR", "pe": "ROLE-ENG-PE", "am2": "ROLE-MKT-AM"}
    staff = make_staff({name: (role, None if role == "ROLE-GM" else "MKT", "POS-MKT-MGR" if name == "mgr" else None)
                        for name, role in people.items()})
    with app.app_context():
        from modules.sales.models import Area
        db.session.add(Area(code="SZ", name="深圳片区", manager_id=staff["ids"]["aam"]))
        db.session.add(Area(code="GZ", name="广州片区"))
        db.session.commit()
    return staff


@pytest.fixture
def api(module_api):
    """api(market, name, method, path, json=None) -> (status, body) using the person's bearer token.

    Its own client, so a browser session signed in on `client` never stands in for the token."""
    return module_api("sales")


@pytest.fixture
def web(browser_as):
    """web(name): a browser of its own signed in as the person (the `client` fixture carries the
    API's bearer tokens)."""
    return browser_as


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
