"""Project evaluation (F-E08): one per accepted project, its calculated block and score proposals
from the project's data, total and grade, due 10 working days after the final acceptance (late
submission recorded), approved by the engineering manager, commented by the market side; the
project goes under warranty only with it approved; I-18 announced on approval."""
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from core.extensions import db

from .conftest import make_project

pytestmark = pytest.mark.modules("engineering")
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def clock(monkeypatch):
    from core import calendar_today

    def set_time(text):
        moment = datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)
        monkeypatch.setattr(calendar_today, "now", lambda: moment)
    return set_time


def _doc(people, **values):
    ids = people["ids"]
    return dict(title="", owner_id=ids["pe"], created_by_id=ids["pe"], updated_by_id=ids["pe"], **values)


def with_data(app, people, pid):
    """Baseline 50,000 approved, 52,000 spent (4 % over), a confirmed self-check 4 of 5 items passed first."""
    from modules.engineering.costs import CostPosting, CostSheet
    from modules.engineering.selfchecks import SelfCheck, SelfCheckItem
    with app.app_context():
        db.session.add(CostSheet(**_doc(people, number=f"FY-T{pid}", state="approved", project_id=pid,
                                        contract_amount_excl_tax=Decimal(70000), budget_total=Decimal(50000))))
        for n, amount in enumerate(("30000", "22000", "5000")):
            db.session.add(CostPosting(**_doc(people, number=f"FJ-T{pid}-{n}", state="posted", project_id=pid,
                                              category="equipment", kind="actual" if n < 2 else "committed",
                                              amount=Decimal(amount), source="manual")))
        check = SelfCheck(**_doc(people, number=f"ZC-T{pid}", state="confirmed", project_id=pid, scope="布线",
                                 stage="cabling", check_date=date(2027, 3, 1)))
        check.items.extend(SelfCheckItem(item=f"项{n}", result="failed" if n == 0 else "passed") for n in range(5))
        db.session.add(check)
        db.session.commit()


def approved_evaluation(app, people, pid):
    """An approved F-E08 of the project written straight to the database (for the tests of the
    other closing steps, which need the warranty gate passed)."""
    from modules.engineering.evaluation import ProjectEvaluation
    with app.app_context():
        db.session.add(ProjectEvaluation(**_doc(people, number=f"HP-T{pid}", state="approved", project_id=pid,
                                                total=Decimal(85), grade="B")))
        db.session.commit()


def accepted_project(app, team, state="closing", accepted=date(2027, 4, 10), **values):
    return make_project(app, team, state=state, planned_completion=date(2027, 3, 31), actual_completion=accepted,
                        actual_start=date(2026, 12, 10), **values)


def scores(body, **given):
    return [{"dimension": line["dimension"], "score": given.get(line["dimension"], line["score"]),
             "note": line.get("note") or ""} for line in body["scores"]]


def put(team, eapi, body, who="pe", **values):
    payload = {"project_id": body["project_id"], "version": body["version"], "scores": scores(body),
               "delay_reasons": body.get("delay_reasons") or "", "safety": body.get("safety") or "",
               "lessons": body.get("lessons") or "", "people": body.get("people") or ""}
    payload.update(values)
    return eapi(team, who, "put", f"project_evaluation/{body['id']}", payload)


def test_calculated_block_and_proposals_from_fixed_data(app, team, eapi):
    pid = accepted_project(app, team)
    with_data(app, team, pid)
    status, body = eapi(team, "pe", "post", "project_evaluation", {"project_id": pid})
    assert status == 201, body
    assert body["number"].startswith("HP-") and body["state"] == "draft"
    assert Decimal(body["contract_amount"]) == Decimal(80000)
    assert body["delay_days"] == 10
    assert (Decimal(body["budget_cost"]), Decimal(body["actual_cost"])) == (Decimal(50000), Decimal(52000))
    assert Decimal(body["margin_pct"]) == Decimal("25.71")            # (70,000 − 52,000) / 70,000
    assert Decimal(body["budget_accuracy"]) == Decimal("96.00")
    assert Decimal(body["selfcheck_pass_rate"]) == Decimal(80) and body["subitem_pass_rate"] is None
    assert body["change_count"] == 0 and body["quality_notices"] == 0
    lines = {line["dimension"]: line for line in body["scores"]}
    assert list(lines) == ["schedule", "cost", "quality", "satisfaction", "documentation", "safety"]
    assert [lines[k]["max_score"] for k in lines] == [20, 25, 25, 15, 10, 5]
    proposed = {k: (Decimal(v["proposed"]) if v["proposed"] is not None else None) for k, v in lines.items()}
    assert proposed == {"schedule": Decimal(15), "cost": Decimal(21), "quality": Decimal(20), "satisfaction": None,
                        "documentation": None, "safety": Decimal(5)}
    assert Decimal(body["total"]) == Decimal(61)
    # One evaluation per project.
    status, again = eapi(team, "pe", "post", "project_evaluation", {"project_id": pid})
    assert status == 422 and "project_id" in again["fields"]
    # Only for a project the customer accepted.
    early = make_project(app, team, state="in_construction")
    assert eapi(team, "pe", "post", "project_evaluation", {"project_id": early})[0] == 422


@pytest.mark.parametrize("satisfaction, documentation, total, grade", [
    ("15", "10", "91", "A"), ("14", "10", "90", "A"), ("13", "10", "89", "B"), ("7", "7", "80", "B"),
    ("6", "7", "79", "C"), ("0", "4", "70", "C"), ("0", "3", "69", "D")])
def test_total_and_grade_bands(app, team, eapi, satisfaction, documentation, total, grade):
    pid = accepted_project(app, team, accepted=date(2027, 3, 31))        # on time
    body = eapi(team, "pe", "post", "project_evaluation", {"project_id": pid})[1]
    # No budget: cost scored by hand; quality without checks proposes full marks.
    lines = {line["dimension"]: line for line in body["scores"]}
    assert lines["cost"]["proposed"] is None and Decimal(lines["quality"]["proposed"]) == 25
    status, body = put(team, eapi, body, scores=[
        {"dimension": "schedule", "score": "20"}, {"dimension": "cost", "score": "16"},
        {"dimension": "quality", "score": "25"}, {"dimension": "satisfaction", "score": satisfaction},
        {"dimension": "documentation", "score": documentation}, {"dimension": "safety", "score": "5"}])
    assert status == 200, body
    assert Decimal(body["total"]) == Decimal(total) and body["grade"] == grade


def test_grade_of_at_the_boundaries():
    from modules.engineering.evaluation import grade_of
    assert [grade_of(Decimal(x)) for x in ("100", "90", "89.99", "80", "79.99", "70", "69.99", "0")] == \
        ["A", "A", "B", "B", "C", "C", "D", "D"]
    assert grade_of(None) is None


def test_scores_bounded_and_each_dimension_once(app, team, eapi):
    pid = accepted_project(app, team)
    body = eapi(team, "pe", "post", "project_evaluation", {"project_id": pid})[1]
    status, errors = put(team, eapi, body, scores=[{"dimension": "safety", "score": "6"}])
    assert status == 422 and "scores" in errors["fields"]
    status, errors = put(team, eapi, body, scores=[{"dimension": "safety", "score": "5"},
                                                   {"dimension": "safety", "score": "4"}])
    assert status == 422 and "scores" in errors["fields"]
    # Nothing half-saved.
    assert len(eapi(team, "pe", "get", f"project_evaluation/{body['id']}")[1]["scores"]) == 6


def test_submit_approve_comment_and_the_warranty_gate(app, team, eapi, clock):
    clock("2027-04-12 10:00")
    pid = accepted_project(app, team)
    with_data(app, team, pid)
    body = eapi(team, "pe", "post", "project_evaluation", {"project_id": pid})[1]
    # The warranty waits for the approved evaluation.
    status, refused = eapi(team, "eng_mgr", "post", f"project/{pid}/transitions/to_warranty", {})
    assert status == 422 and "R-E-077" in str(refused)
    # Submitting needs every dimension scored, the delay's reasons, safety, lessons, people.
    status, refused = eapi(team, "pe", "post", f"project_evaluation/{body['id']}/transitions/submit", {})
    assert status == 422
    text = str(refused)
    assert "scores" in text and "delay_reasons" in text and "lessons" in text
    # Another engineer and the market may not write it.
    assert eapi(team, "pe2", "get", f"project_evaluation/{body['id']}")[0] == 404
    assert eapi(team, "mkt_mgr", "post", "project_evaluation", {"project_id": pid})[0] == 403
    status, body = put(team, eapi, body, scores=scores(body, satisfaction="13", documentation="9"),
                       delay_reasons="甲方机房空调延迟到货", safety="无安全事故", lessons="提前确认甲供设备到货时间",
                       people="刘建国 施工队长 认真负责 90")
    assert status == 200, body
    assert Decimal(body["total"]) == Decimal(83) and body["grade"] == "B"
    assert eapi(team, "pe", "post", f"project_evaluation/{body['id']}/transitions/submit", {})[0] == 200
    body = eapi(team, "pe", "get", f"project_evaluation/{body['id']}")[1]
    assert body["submitted_late"] is False and body["state"] == "submitted"
    assert eapi(team, "pe", "post", f"project_evaluation/{body['id']}/transitions/approve", {})[0] == 403
    status, done = eapi(team, "eng_mgr", "post", f"project_evaluation/{body['id']}/transitions/approve", {})
    assert status == 200, done
    # The market side comments; the engineer may not.
    assert eapi(team, "pe", "post", f"project_evaluation/{body['id']}/transitions/comment_market",
                {"market_comment": "x"})[0] == 403
    status, _body = eapi(team, "mkt_mgr", "post", f"project_evaluation/{body['id']}/transitions/comment_market",
                         {"market_comment": "预算偏差4%，客户关系良好"})
    assert status == 200, _body
    assert eapi(team, "pe", "get", f"project_evaluation/{body['id']}")[1]["market_comment"] == "预算偏差4%，客户关系良好"
    # The evaluation's condition is met (the final account's, F-T12, is its own part's).
    status, body = eapi(team, "eng_mgr", "post", f"project/{pid}/transitions/to_warranty", {})
    assert "R-E-077" not in str(body) and "F-E08" not in str(body)


def test_due_on_the_tenth_working_day_and_late_submission_recorded(app, team, eapi, clock):
    from core.rules.models import RuleViolation
    from modules.engineering.evaluation import due_at
    with app.app_context():
        # Accepted on Friday 5 March 2027: the tenth working day after is Friday 19 March.
        due = due_at(date(2027, 3, 5)).astimezone(SHANGHAI)
        assert due.date() == date(2027, 3, 19)
        assert due_at(date(2027, 3, 6)).astimezone(SHANGHAI).date() == date(2027, 3, 19)   # a Saturday: as Friday
        assert due_at(date(2027, 3, 8)).astimezone(SHANGHAI).date() == date(2027, 3, 22)
    for moment, late in (("2027-03-19 09:00", False), ("2027-03-22 09:00", True)):
        clock(moment)
        pid = accepted_project(app, team, accepted=date(2027, 3, 5))
        body = eapi(team, "pe", "post", "project_evaluation", {"project_id": pid})[1]
        assert body["due_at"].startswith("2027-03-19")
        overdue = eapi(team, "pe", "get", f"project_evaluation/{body['id']}")[1].get("overdue")
        assert overdue is late
        status, body = put(team, eapi, body, scores=scores(body, satisfaction="10", documentation="8", cost="20"),
                           delay_reasons="x", safety="无", lessons="无", people="无")
        assert status == 200, body
        assert eapi(team, "pe", "post", f"project_evaluation/{body['id']}/transitions/submit", {})[0] == 200
        body = eapi(team, "pe", "get", f"project_evaluation/{body['id']}")[1]
        assert body["submitted_late"] is late
        with app.app_context():
            found = db.session.scalar(select(RuleViolation.id).where(RuleViolation.rule_code == "R-E-077",
                                                                     RuleViolation.doc_id == body["id"]))
            assert (found is not None) is late


def test_reminder_for_the_accepted_project_without_evaluation(app, team, eapi, clock):
    from core import calendar_today
    from modules.engineering.evaluation import erp_reminders
    clock("2027-03-10 09:00")
    pid = accepted_project(app, team, accepted=date(2027, 3, 5))
    with app.app_context():
        reminders = [r for r in erp_reminders(calendar_today.now()) if f":{pid}:" in r.key]
        assert len(reminders) == 1 and reminders[0].user_id == team["ids"]["pe"]


def test_hook_engineering_project_evaluated(app, team, eapi):
    pid = accepted_project(app, team)
    with_data(app, team, pid)
    heard = []

    class Listener:
        from core.hookspecs import hookimpl

        @hookimpl
        def engineering_project_evaluated(self, project, evaluation):
            heard.append((project.id, evaluation.grade, evaluation.budget_accuracy))

    body = eapi(team, "pe", "post", "project_evaluation", {"project_id": pid})[1]
    body = put(team, eapi, body, scores=scores(body, satisfaction="15", documentation="10"), delay_reasons="x",
               safety="无", lessons="无", people="无")[1]
    eapi(team, "pe", "post", f"project_evaluation/{body['id']}/transitions/submit", {})
    app.extensions["erp"].pm.register(Listener(), name="eval-listener")
    try:
        assert eapi(team, "eng_mgr", "post", f"project_evaluation/{body['id']}/transitions/approve", {})[0] == 200
    finally:
        app.extensions["erp"].pm.unregister(name="eval-listener")
    assert heard == [(pid, "B", Decimal("96.00"))]


def test_demo_data(app, team):
    from core.auth.models import User
    from modules.engineering.evaluation import ProjectEvaluation, demo
    closing = accepted_project(app, team)
    warranty = accepted_project(app, team, state="warranty")
    closed = accepted_project(app, team, state="closed", accepted=date(2026, 3, 31))
    make_project(app, team, state="in_construction")
    with app.app_context():
        users = {name: db.session.get(User, team["ids"][name]) for name in ("pe", "eng_mgr")}
        demo(users)
        demo(users)                                 # once
        rows = {e.project_id: e for e in db.session.scalars(select(ProjectEvaluation))}
        assert {pid: rows[pid].state for pid in rows} == {closing: "draft", warranty: "approved", closed: "approved"}
        assert all(e.total is not None and e.grade and not e.submitted_late for e in rows.values())
        assert rows[closing].delay_reasons


def test_pages_open_and_stay_closed_to_others(app, team, eapi, eweb):
    pid = accepted_project(app, team)
    body = eapi(team, "pe", "post", "project_evaluation", {"project_id": pid})[1]
    browser = eweb("pe")
    for url in ("/engineering/project_evaluation/", f"/engineering/project_evaluation/{body['id']}",
                "/engineering/project_evaluation/new", f"/engineering/project_evaluation/{body['id']}/edit"):
        assert browser.get(url).status_code == 200, url
    assert body["number"] in browser.get(f"/engineering/project/{pid}").get_data(as_text=True)
    response = browser.get(f"/engineering/project_evaluation/{body['id']}/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert eweb("fin").get("/engineering/project_evaluation/").status_code == 403


def test_new_form_lists_every_dimension_and_a_blank_one_takes_the_proposal(app, team, eapi, eweb):
    import re

    from modules.engineering.evaluation import DIMENSIONS
    pid = accepted_project(app, team)
    page = eweb("pe").get("/engineering/project_evaluation/new").get_data(as_text=True)
    assert len(set(re.findall(r'name="scores-(\d+)-dimension"', page))) == len(DIMENSIONS)
    scores = [{"dimension": key, "score": "20" if key == "schedule" else None} for key, _label in DIMENSIONS]
    status, body = eapi(team, "pe", "post", "project_evaluation", {"project_id": pid, "scores": scores})
    assert status == 201, body
    lines = {line["dimension"]: line for line in body["scores"]}
    assert Decimal(lines["schedule"]["score"]) == 20
    assert all(line["score"] == line["proposed"] for key, line in lines.items() if key != "schedule")
    assert any(line["proposed"] is not None for key, line in lines.items() if key != "schedule")
