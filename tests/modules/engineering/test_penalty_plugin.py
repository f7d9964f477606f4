"""The penalty regulations are engineering's extension point: a partner plugin
(tests/plugins/penalty_extra) adds a catalogue item, proposes it from evidence and hears the
penalties confirmed; with the plugin off its item is no longer offered (past penalties kept)."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from core.extensions import db
from tests.plugins.penalty_extra import MANIFEST as EXTRA
from tests.plugins.penalty_extra import hooks as extra

from .conftest import make_project
from .test_forms_flow import TEAM, new, step
from .test_penalties import act, item_id, make_team, propose

WITH_PLUGIN = [pytest.mark.modules("engineering", "penalty_extra"), pytest.mark.manifests(EXTRA)]


@pytest.fixture
def clock(monkeypatch):
    """clock("2026-12-08 17:00"): the company's current time (Asia/Shanghai) from then on."""
    from core import calendar_today

    def set_time(text):
        moment = datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("Asia/Shanghai"))
        monkeypatch.setattr(calendar_today, "now", lambda: moment)
    return set_time


def with_plugin(test):
    for mark in WITH_PLUGIN:
        test = mark(test)
    return test


@with_plugin
def test_hook_engineering_penalty_items(app, team, eapi):
    page = eapi(team, "eng_mgr", "get", "penalty_item?size=50")[1]
    items = {row["code"]: row for row in page["items"]}
    assert "X-01" in items and "P-03" in items
    x01 = eapi(team, "eng_mgr", "get", f"penalty_item/{items['X-01']['id']}")[1]
    assert x01["source"] == "penalty_extra" and x01["team_fine"] == "100.00" and x01["target"] == "team"
    tid = make_team(app)
    doc = propose(app, team, eapi, "X-01", team_party_id=tid)
    assert doc["fine"] == "100.00"
    # A team-only item.
    assert "target_type" in propose(app, team, eapi, "X-01", expect=422)["fields"]


def issue_notice(app, team, eapi, description, severity="ordinary", team_name=TEAM["team_name"]):
    pid = make_project(app, team, state="in_construction")
    notice = new(team, eapi, "ft16", {"project_id": pid, **TEAM, "team_name": team_name,
                                      "found_at": "2026-12-07T10:00", "location": "三层弱电间",
                                      "description": description, "severity": severity,
                                      "rectify_requirement": "补拍照片并上传", "rectify_due": "2026-12-09"})
    return step(team, eapi, "ft16", notice, "issue")


def penalties_of(team, eapi, reference):
    page = eapi(team, "eng_mgr", "get", "penalty?size=50")[1]
    return sorted((row for row in page["items"] if row["evidence_ref"] == reference), key=lambda r: r["id"])


@with_plugin
def test_hook_engineering_penalties(app, team, eapi, clock):
    clock("2026-12-07 11:00")
    tid = make_team(app, TEAM["team_name"])
    notice = issue_notice(app, team, eapi, "隐蔽部位未拍照片留档")
    made = penalties_of(team, eapi, notice["number"])
    codes = {eapi(team, "eng_mgr", "get", f"penalty/{row['id']}")[1]["item_id"] for row in made}
    assert codes == {item_id(app, "P-03"), item_id(app, "X-01")}
    x01 = next(row for row in made if row["fine"] == "100.00")
    assert x01["state"] == "proposed" and x01["team_party_id"] == tid
    # Another notice without photos: engineering's own P-03 only.
    other = issue_notice(app, team, eapi, "线缆未绑扎")
    assert len(penalties_of(team, eapi, other["number"])) == 1


@with_plugin
def test_hook_engineering_penalty_confirmed(app, team, eapi, clock):
    clock("2026-12-07 10:00")
    extra.CONFIRMED.clear()
    tid = make_team(app)
    doc = propose(app, team, eapi, "X-01", team_party_id=tid)
    act(team, eapi, "pe", doc, "notify")
    act(team, eapi, "pe", doc, "acknowledge", ack_name="刘建国")
    assert extra.CONFIRMED == []
    status, doc = act(team, eapi, "eng_mgr", doc, "confirm")
    assert status == 200
    staff = propose(app, team, eapi, "P-08")
    act(team, eapi, "pe", staff, "notify")
    act(team, eapi, "pe2", staff, "acknowledge")
    act(team, eapi, "eng_mgr", staff, "confirm")
    assert [(n, code, t) for n, code, t, _p, _f in extra.CONFIRMED] == [
        (doc["number"], "X-01", "team"), (staff["number"], "P-08", "staff")]
    assert extra.CONFIRMED[1][3] == 5 and extra.CONFIRMED[0][4] == 100


@pytest.mark.modules("engineering")
def test_plugin_off_its_item_is_no_longer_offered_past_penalties_kept(app, team, eapi, clock):
    clock("2026-12-07 10:00")
    from modules.engineering.penalties import PenaltyItem, offered_items
    tid = make_team(app, TEAM["team_name"])
    with app.app_context():
        # The plugin's item and a penalty citing it, left in the database from when it was on.
        p08 = db.session.scalar(select(PenaltyItem).where(PenaltyItem.code == "P-08"))
        item = PenaltyItem(number="CFTK-X001", title="X-01 未按要求上传现场照片", state="draft", code="X-01",
                           description="未按要求上传现场照片", target="team", team_fine=100, source="penalty_extra",
                           active=True)
        db.session.add(item)
        db.session.commit()
        assert "X-01" not in {label.split()[0] for _id, label in offered_items()}
        assert p08.id in {i for i, _label in offered_items()}
        x01 = item.id
    status, body = eapi(team, "pe", "post", "penalty", {"item_id": x01, "target_type": "team", "team_party_id": tid,
                                                        "occurred_on": "2026-12-07", "facts": "未上传照片"})
    assert status == 422 and "item_id" in body["fields"]
    # Evidence proposes engineering's own items only.
    notice = issue_notice(app, team, eapi, "隐蔽部位未拍照片留档")
    assert len(penalties_of(team, eapi, notice["number"])) == 1
