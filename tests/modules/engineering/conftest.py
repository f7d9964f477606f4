"""Fixtures for the engineering module: the engineering department and those who follow its
projects, each with an API token, and projects in the state a test needs."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from core.extensions import db

# name -> (role, department, position)
PEOPLE = {"eng_mgr": ("ROLE-ENG-MGR", "ENG", "POS-ENG-MGR"), "pe": ("ROLE-ENG-PE", "ENG", "POS-ENG-PE"),
          "pe2": ("ROLE-ENG-PE", "ENG", "POS-ENG-PE"), "gm": ("ROLE-GM", None, "POS-GM"),
          "dir": ("ROLE-MKT-DIR", "MKT", "POS-MKT-DIR"), "mkt_mgr": ("ROLE-MKT-MGR", "MKT", "POS-MKT-MGR"),
          "am": ("ROLE-MKT-AM", "MKT", "POS-MKT-AM"), "buyer": ("ROLE-PUR-BUY", "PUR", "POS-PUR-BUY"),
          "pur_mgr": ("ROLE-PUR-MGR", "PUR", "POS-PUR-MGR"), "fin": ("ROLE-FIN", "FIN", "POS-FIN")}


@pytest.fixture
def team(make_staff):
    """The engineering department and its neighbours; returns {"ids", "headers"}."""
    return make_staff(PEOPLE)


@pytest.fixture
def eapi(module_api):
    """eapi(team, name, method, path, json=None) -> (status, body) on /api/v1/engineering/."""
    return module_api("engineering")


@pytest.fixture
def eweb(browser_as):
    """eweb(name): a browser of its own signed in as the person."""
    return browser_as


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
