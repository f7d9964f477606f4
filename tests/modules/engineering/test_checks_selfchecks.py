"""Self-checks (F-E06, R-E-040..046): a sheet starts with its stage's checklist (the manager's
template, else SPEC's defaults), its conclusion follows its items, the engineer confirms and
signs it, the manager may spot-check it; the first-pass rate over projects and a period feeds
the appraisal; another engineer's project stays out of reach."""
from datetime import date
from decimal import Decimal

import pytest

from core.extensions import db

from .conftest import make_project

pytestmark = pytest.mark.modules("engineering")


def sheet(pid, stage="cabling", **extra):
    return {"project_id": pid, "scope": "教学楼1层水平布线", "stage": stage, "check_date": "2027-01-12", **extra}


def create(team, eapi, pid, who="pe", **extra):
    status, body = eapi(team, who, "post", "selfcheck", sheet(pid, **extra))
    assert status == 201, body
    return body


def put_items(team, eapi, doc, results, conclusion=None, who="pe"):
    """results: per item (result, recheck_result) in the sheet's order; the rest of the sheet kept."""
    rows = []
    for item, (result, recheck) in zip(doc["items"], results):
        row = {"item": item["item"], "requirement": item["requirement"], "result": result}
        if result == "failed":
            row.update(problem="标签缺失", rectify_req="按标识方案补贴标签", rectify_due="2027-01-15")
        if recheck:
            row.update(recheck_result=recheck, recheck_date="2027-01-14")
        rows.append(row)
    payload = {**sheet(doc["project_id"], stage=doc["stage"]), "version": doc["version"], "items": rows}
    if conclusion:
        payload["conclusion"] = conclusion
    return eapi(team, who, "put", f"selfcheck/{doc['id']}", payload)


def test_new_sheet_starts_with_default_checklist_then_the_managers_template(app, team, eapi):
    pid = make_project(app, team, state="in_construction")
    doc = create(team, eapi, pid)
    assert doc["number"].startswith("ZC-") and doc["state"] == "draft"
    items = [line["item"] for line in doc["items"]]
    assert "水平永久链路长度" in items and "两端标识" in items
    assert all(not line["result"] for line in doc["items"])
    # The manager writes the cable-laying template: it starts with the defaults, he edits it.
    status, template = eapi(team, "eng_mgr", "post", "checklist", {"title": "线缆敷设自检模板", "stage": "cabling"})
    assert status == 201, template
    assert len(template["items"]) == len(doc["items"])
    status, template = eapi(team, "eng_mgr", "put", f"checklist/{template['id']}", {
        "title": "线缆敷设自检模板", "stage": "cabling", "version": template["version"],
        "items": [{"item": "线缆余量", "requirement": "配线间预留3-6 m"}, {"item": "两端标识", "requirement": "按标识方案"}]})
    assert status == 200, template
    # One template per stage.
    status, body = eapi(team, "eng_mgr", "post", "checklist", {"title": "另一个", "stage": "cabling"})
    assert status == 422 and "stage" in body["fields"]
    # The engineer reads templates, writes none.
    assert eapi(team, "pe", "get", f"checklist/{template['id']}")[0] == 200
    assert eapi(team, "pe", "post", "checklist", {"title": "x", "stage": "materials"})[0] == 403
    doc = create(team, eapi, pid)
    assert [line["item"] for line in doc["items"]] == ["线缆余量", "两端标识"]
    # Lines given by the engineer are kept as given.
    status, body = eapi(team, "pe", "post", "selfcheck", {**sheet(pid), "items": [{"item": "桥架盖板"}]})
    assert status == 201 and [line["item"] for line in body["items"]] == ["桥架盖板"]


def test_conclusion_follows_the_items(app, team, eapi):
    pid = make_project(app, team, state="in_construction")
    doc = create(team, eapi, pid)
    n = len(doc["items"])
    # Passed while an item failed and is not re-checked: refused, with the item named.
    results = [("failed", None)] + [("passed", None)] * (n - 1)
    status, body = put_items(team, eapi, doc, results, "passed")
    assert status == 422 and doc["items"][0]["item"] in body["fields"]["conclusion"][0]
    # Passed after rectification needs the re-check passed.
    status, body = put_items(team, eapi, doc, results, "passed_after_rectification")
    assert status == 422 and "conclusion" in body["fields"]
    # Re-checked as passed: "passed" is refused (it was rectified), "passed after rectification" taken.
    results[0] = ("failed", "passed")
    status, body = put_items(team, eapi, doc, results, "passed")
    assert status == 422 and "after rectification" in body["fields"]["conclusion"][0]
    status, saved = put_items(team, eapi, doc, results, "passed_after_rectification")
    assert status == 200, saved
    # n - 1 of the n items passed at the first check.
    assert Decimal(saved["first_pass_rate"]) == (Decimal(n - 1) * 100 / n).quantize(Decimal("0.01"))
    # Nothing failed: "passed after rectification" is refused; "failed" is always the engineer's to say.
    status, body = put_items(team, eapi, saved, [("passed", None)] * n, "passed_after_rectification")
    assert status == 422 and "conclusion" in body["fields"]
    status, body = put_items(team, eapi, saved, [("passed", None)] * n, "failed")
    assert status == 200 and body["first_pass_rate"] == "100.00", body


def test_engineer_confirms_and_signs_manager_spot_checks(app, team, eapi):
    pid = make_project(app, team, state="in_construction")
    doc = create(team, eapi, pid, stage="termination")
    n = len(doc["items"])
    # Not every item checked, no conclusion: confirm refused naming what is missing.
    status, body = eapi(team, "pe", "post", f"selfcheck/{doc['id']}/transitions/confirm", {})
    assert status == 422 and doc["items"][0]["item"] in str(body) and "conclusion" in str(body)
    # A failed item without its rectification and due date (R-E-046).
    status, doc = put_items(team, eapi, doc, [("passed", None)] * n, "passed")
    assert status == 200, doc
    rows = [{"item": i["item"], "result": i["result"]} for i in doc["items"]]
    rows[1] = {"item": rows[1]["item"], "result": "failed", "recheck_result": "passed"}
    status, doc = eapi(team, "pe", "put", f"selfcheck/{doc['id']}", {
        **sheet(pid, stage="termination"), "version": doc["version"], "items": rows,
        "conclusion": "passed_after_rectification"})
    assert status == 200, doc
    status, body = eapi(team, "pe", "post", f"selfcheck/{doc['id']}/transitions/confirm", {})
    assert status == 422 and "R-E-046" in str(body)
    status, doc = put_items(team, eapi, doc, [("passed", None), ("failed", "passed")] + [("passed", None)] * (n - 2),
                            "passed_after_rectification")
    assert status == 200, doc
    # Another engineer does not see the sheet; the market director reads it, confirms nothing.
    assert eapi(team, "pe2", "post", f"selfcheck/{doc['id']}/transitions/confirm", {})[0] == 404
    assert eapi(team, "dir", "get", f"selfcheck/{doc['id']}")[0] == 200
    assert eapi(team, "dir", "post", f"selfcheck/{doc['id']}/transitions/confirm", {})[0] == 403
    status, doc = eapi(team, "pe", "post", f"selfcheck/{doc['id']}/transitions/confirm", {})
    assert status == 200 and doc["state"] == "confirmed"
    # Confirmed, it is no longer edited.
    assert eapi(team, "pe", "patch", f"selfcheck/{doc['id']}", {"scope": "x", "version": doc["version"]})[0] in (403, 409, 422)
    # The engineer does not spot-check; the manager does, once.
    assert eapi(team, "pe", "post", f"selfcheck/{doc['id']}/transitions/spot_check", {})[0] == 403
    status, doc = eapi(team, "eng_mgr", "post", f"selfcheck/{doc['id']}/transitions/spot_check",
                       {"comment": "抽检3个信息点，线序正确"})
    assert status == 200, doc
    assert doc["spot_check_by_id"] == team["ids"]["eng_mgr"] and doc["spot_check_opinion"] == "抽检3个信息点，线序正确"
    assert eapi(team, "eng_mgr", "post", f"selfcheck/{doc['id']}/transitions/spot_check", {})[0] in (403, 409, 422)
    with app.app_context():
        from modules.engineering.selfchecks import selfcheck_passed
        assert selfcheck_passed(doc["id"], pid)
        assert not selfcheck_passed(doc["id"], pid + 1)


def test_first_pass_rate_of_projects_in_a_period(app, team):
    from modules.engineering.selfchecks import SelfCheck, SelfCheckItem, first_pass_rate
    mine, other = make_project(app, team, state="in_construction"), make_project(app, team, state="in_construction")
    with app.app_context():
        def written(pid, day, results, state="confirmed"):
            check = SelfCheck(number=f"ZC-T{day.isoformat()}-{pid}-{state}", project_id=pid, scope="x", stage="cabling",
                              check_date=day, state=state, owner_id=team["ids"]["pe"])
            check.items.extend(SelfCheckItem(item=f"项{n}", result=r) for n, r in enumerate(results))
            db.session.add(check)
        written(mine, date(2027, 1, 5), ["passed", "passed", "failed", "na"])     # 2 of 3
        written(mine, date(2027, 1, 20), ["passed", "failed"])                    # 1 of 2
        written(mine, date(2027, 1, 21), ["failed", "failed"], state="draft")     # not confirmed
        written(mine, date(2027, 2, 2), ["failed"])                               # outside the period
        written(other, date(2027, 1, 10), ["passed", "passed", "passed"])        # 3 of 3
        db.session.commit()
        assert first_pass_rate([mine], date(2027, 1, 1), date(2027, 1, 31)) == Decimal("60.00")
        assert first_pass_rate([mine, other], date(2027, 1, 1), date(2027, 1, 31)) == Decimal("75.00")
        assert first_pass_rate([other], date(2027, 2, 1), date(2027, 2, 28)) is None


def test_weekly_self_check_reminder_and_validity(app, team):
    """R-E-044: a week after the start (then after the last confirmed check) the engineers are
    reminded; R-E-041: a passed check counts for an application within the validity."""
    from datetime import timedelta

    from core import calendar_today
    from modules.engineering.selfchecks import SelfCheck, erp_reminders, selfcheck_passed
    today = calendar_today.today()
    pid = make_project(app, team, state="in_construction", actual_start=today - timedelta(days=8),
                       deputy_engineer_id=team["ids"]["pe2"])
    make_project(app, team, state="planning")
    with app.app_context():
        due = [r for r in erp_reminders(calendar_today.now()) if f":{pid}:" in r.key]
        assert {r.user_id for r in due} == {team["ids"]["pe"], team["ids"]["pe2"]}
        assert all(r.is_overdue(calendar_today.now()) for r in due)
        check = SelfCheck(number="ZC-T1", project_id=pid, scope="x", stage="cabling", check_date=today,
                          state="confirmed", conclusion="passed", owner_id=team["ids"]["pe"])
        db.session.add(check)
        db.session.commit()
        due = [r for r in erp_reminders(calendar_today.now()) if f":{pid}:" in r.key]
        assert due and all(str(today + timedelta(days=7)) in r.key and not r.is_overdue(calendar_today.now())
                           for r in due)
        assert selfcheck_passed(check.id, pid, on=today + timedelta(days=7))
        assert not selfcheck_passed(check.id, pid, on=today + timedelta(days=8))


def test_demo_records(app, team):
    from core.auth.models import User
    from modules.engineering import cabling, selfchecks
    make_project(app, team, state="in_construction")
    make_project(app, team, state="system_test")
    with app.app_context():
        users = {name: db.session.get(User, team["ids"][name]) for name in ("eng_mgr", "pe")}
        selfchecks.demo(users)
        cabling.demo(users)
        states = sorted(c.state for c in db.session.scalars(db.select(selfchecks.SelfCheck)))
        assert states == ["confirmed"] * 4 + ["draft"] * 2
        assert db.session.scalar(db.select(db.func.count()).select_from(selfchecks.CheckTemplate)) == 8
        reports = {r.project.state: r for r in db.session.scalars(db.select(cabling.CablingTest))}
        assert reports["system_test"].state == "approved" and reports["system_test"].pass_rate == 100
        assert reports["in_construction"].state == "draft" and reports["in_construction"].untested_links == 24
        # Run again: nothing added.
        selfchecks.demo(users)
        cabling.demo(users)
        assert db.session.scalar(db.select(db.func.count()).select_from(selfchecks.SelfCheck)) == 6
