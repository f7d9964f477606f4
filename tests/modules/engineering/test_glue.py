"""Engineering part 2 connected: team fines lower the team's monthly grade (F-E03), repeated code
breaches suspend the team, a verified complaint proposes P-08, a material loss charged in an inward
F-T12 proposes P-11, and WF-E09's inward supervision reports are reminded."""
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from core.extensions import db

from .test_penalties import act, confirmed_on, propose
from .test_team_assessment import assess
from .test_teams import approved_team

pytestmark = pytest.mark.modules("engineering")


@pytest.fixture
def clock(monkeypatch):
    """clock("2026-12-08 17:00"): the company's current time (Asia/Shanghai) from then on."""
    from core import calendar_today

    def set_time(text):
        moment = datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("Asia/Shanghai"))
        monkeypatch.setattr(calendar_today, "now", lambda: moment)
    return set_time


def party_of(app, team_id):
    from modules.engineering.teams import ConstructionTeam
    with app.app_context():
        return db.session.get(ConstructionTeam, team_id).party_id


# ---- 1. team fines lower the monthly grade ------------------------------------------------------
@pytest.mark.parametrize("fine, points", [("200", "2.00"), ("2999", "29.99"), ("3000", "30.00"), ("5000", "30.00")])
def test_points_of_fines_per_100_capped(app, fine, points):
    from modules.engineering.penalties import points_of_fines
    with app.app_context():
        assert points_of_fines(Decimal(fine)) == Decimal(points)


def test_team_fines_of_the_month_lower_the_assessment(app, team, eapi, eweb, clock):
    clock("2026-12-07 10:00")
    t = approved_team(app, team, eapi)
    tid = party_of(app, t["id"])
    november = propose(app, team, eapi, "P-08", team_party_id=tid, occurred_on="2026-11-20")     # 500
    breach = propose(app, team, eapi, "P-09", team_party_id=tid, occurred_on="2026-11-21")       # 200
    propose(app, team, eapi, "P-16", team_party_id=tid, occurred_on="2026-11-22")                # proposed only
    october = propose(app, team, eapi, "P-03", team_party_id=tid, occurred_on="2026-10-02")      # other month
    confirmed_on(app, november["id"], date(2026, 11, 25))
    confirmed_on(app, breach["id"], date(2026, 11, 30))
    confirmed_on(app, october["id"], date(2026, 10, 31))
    doc = assess(team, eapi, t["id"], "2026-11", "90")
    assert Decimal(doc["penalty_points"]) == Decimal(7) and Decimal(doc["total"]) == Decimal(83)
    assert doc["grade"] == "B"
    page = eweb("eng_mgr").get(f"/engineering/team_assessment/{doc['id']}").get_data(as_text=True)
    assert november["number"] in page and breach["number"] in page and october["number"] not in page
    # The rate is a setting.
    from core import settings
    with app.app_context():
        settings.set("eng.team_penalty_points_per_100", "2")
        db.session.commit()
    doc = assess(team, eapi, t["id"], "2026-10", "90")
    assert Decimal(doc["penalty_points"]) == Decimal(4) and Decimal(doc["total"]) == Decimal(86)


# ---- 2. repeated code breaches suspend -----------------------------------------------------------
def test_third_code_breach_in_the_window_suspends_the_team(app, team, eapi, clock):
    clock("2026-12-07 10:00")
    t = approved_team(app, team, eapi)
    tid = party_of(app, t["id"])
    docs = [propose(app, team, eapi, "P-09", team_party_id=tid, occurred_on=day)
            for day in ("2026-12-01", "2026-12-02", "2026-12-03")]
    confirmed_on(app, docs[0]["id"], date(2026, 6, 6))                # outside the 6 months
    confirmed_on(app, docs[1]["id"], date(2026, 11, 2))
    act(team, eapi, "pe", docs[2], "notify")
    act(team, eapi, "pe", docs[2], "acknowledge", ack_name="刘建国")
    assert act(team, eapi, "eng_mgr", docs[2], "confirm")[0] == 200
    assert eapi(team, "eng_mgr", "get", f"team/{t['id']}")[1]["state"] == "approved"     # 2 in 6 months
    confirmed_on(app, docs[0]["id"], date(2026, 6, 7))                # now inside
    fourth = propose(app, team, eapi, "P-09", team_party_id=tid, occurred_on="2026-12-04")
    act(team, eapi, "pe", fourth, "notify")
    act(team, eapi, "pe", fourth, "acknowledge", ack_name="刘建国")
    status, body = act(team, eapi, "eng_mgr", fourth, "confirm")
    assert status == 200 and body["state"] == "confirmed"
    entry = eapi(team, "eng_mgr", "get", f"team/{t['id']}")[1]
    assert entry["state"] == "suspended"
    assert fourth["number"] in entry["status_reason"] and docs[0]["number"] in entry["status_reason"]
    assert "P-09" in entry["status_reason"]
