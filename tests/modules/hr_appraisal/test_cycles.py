"""Appraisal cycles and sheets (WF-H01; R-H-030..R-H-032) on fixed hook data (the test plugin)."""
from datetime import date
from decimal import Decimal

import pytest

from core.extensions import db
from tests.plugins.appraisal_metrics import MANIFEST as METRICS
from tests.plugins.appraisal_metrics import hooks as plugin

pytestmark = [pytest.mark.modules("hr_appraisal", "appraisal_metrics"), pytest.mark.manifests(METRICS)]


@pytest.fixture(autouse=True)
def answers(staff):
    plugin.ANSWERS.clear()
    plugin.CALLS.clear()
    pe = staff["ids"]["pe"]
    plugin.ANSWERS.extend([
        {"kpi": "KPI-PROJECT-EVAL", "user_id": pe, "score": Decimal(90), "detail": "竣工评估 90 分"},
        {"kpi": "KPI-REPORT-TIMELINESS", "user_id": pe, "due": 4, "on_time": 3, "detail": "周报 3/4"},
        {"kpi": "KPI-REPORT-QUALITY", "user_id": pe, "rating_sum": Decimal(8), "rating_count": 2},
    ])
    yield
    plugin.ANSWERS.clear()
    plugin.CALLS.clear()


def act(hapi, staff, name, code, doc_id, transition, comment="", **extra):
    status, doc = hapi(staff, name, "get", f"{code}/{doc_id}")
    version = doc["version"] if status == 200 else 1
    return hapi(staff, name, "post", f"{code}/{doc_id}/transitions/{transition}",
                {"version": version, "comment": comment, **extra})


def started_cycle(hapi, staff, departments=("ENG",)):
    status, cycle = hapi(staff, "adm", "post", "cycle", {"cadence": "monthly", "period_start": "2026-11-15",
                                                         "departments": list(departments)})
    assert status == 201, cycle
    assert (cycle["period_start"], cycle["period_end"]) == ("2026-11-01", "2026-11-30")
    status, body = act(hapi, staff, "adm", "cycle", cycle["id"], "start")
    assert status == 200, body
    return cycle["id"]


def sheets_of(app, cycle_id):
    from modules.hr_appraisal.cycles import AppraisalSheet
    with app.app_context():
        return {s.employee_id: s.id for s in db.session.query(AppraisalSheet).filter_by(cycle_id=cycle_id)}


def sheet(hapi, staff, name, sheet_id):
    status, doc = hapi(staff, name, "get", f"sheet/{sheet_id}")
    assert status == 200, doc
    return doc


def patch_lines(hapi, staff, name, sheet_id, change):
    doc = sheet(hapi, staff, "adm", sheet_id)
    lines = [{k: line[k] for k in ("kind", "code", "item", "weight", "self_score", "mgr_score", "comment", "day")}
             for line in doc["lines"]]
    change(lines)
    sent = [{k: v for k, v in line.items() if k not in ("kind", "code")} for line in lines]   # the module's
    return hapi(staff, name, "patch", f"sheet/{sheet_id}", {"lines": sent, "version": doc["version"]})


def self_assess(hapi, staff, name, sheet_id):
    def scores(lines):
        for line in lines:
            if line["kind"] == "quality":
                line["self_score"] = 4
    assert patch_lines(hapi, staff, name, sheet_id, scores)[0] == 200
    status, body = act(hapi, staff, name, "sheet", sheet_id, "submit_self")
    assert status == 200, body


def superior_scores(hapi, staff, name, sheet_id, score=4, kpis=False):
    def scores(lines):
        for line in lines:
            if line["kind"] == "quality" or (kpis and line["kind"] == "kpi"):
                line["mgr_score"] = score
    status, body = patch_lines(hapi, staff, name, sheet_id, scores)
    assert status == 200, body
    status, body = act(hapi, staff, name, "sheet", sheet_id, "submit_scores")
    assert status == 200, body


def test_a_cycle_from_opening_to_close(app, staff, hapi):
    ids = staff["ids"]
    cycle_id = started_cycle(hapi, staff)
    assert len(plugin.CALLS) == 1 and plugin.CALLS[0]["user_ids"] == {ids["eng_mgr"], ids["pe"], ids["pe2"]}
    sheets = sheets_of(app, cycle_id)
    assert set(sheets) == {ids["eng_mgr"], ids["pe"], ids["pe2"]}          # ENG only
    doc = sheet(hapi, staff, "pe", sheets[ids["pe"]])
    assert doc["state"] == "self_assessment" and doc["superior_id"] == ids["eng_mgr"]
    kpi = {line["code"]: line for line in doc["lines"] if line["kind"] == "kpi"}
    assert {c: Decimal(line["weight"]) for c, line in kpi.items()} == {
        "KPI-PROJECT-EVAL": 50, "KPI-REPORT-TIMELINESS": 15, "KPI-REPORT-QUALITY": 10, "KPI-COMPLIANCE": 25}
    assert Decimal(kpi["KPI-REPORT-TIMELINESS"]["score"]) == 75 and kpi["KPI-REPORT-TIMELINESS"]["data"] == "周报 3/4"
    assert [line["item"] for line in doc["lines"] if line["kind"] == "quality"] == [
        "工作态度", "团队协作", "技术能力提升", "客户沟通", "执行力"]                  # F-E02's items
    # R-H-030: the 市场总监 scores the 工程部经理
    assert sheet(hapi, staff, "adm", sheets[ids["eng_mgr"]])["superior_id"] == ids["dir"]

    self_assess(hapi, staff, "pe", sheets[ids["pe"]])
    superior_scores(hapi, staff, "eng_mgr", sheets[ids["pe"]])
    status, body = act(hapi, staff, "adm", "sheet", sheets[ids["pe"]], "consolidate")
    assert status == 200, body
    doc = sheet(hapi, staff, "pe", sheets[ids["pe"]])
    # 50 × 90 + 15 × 75 + 10 × 80 + 25 × 100 = 8925 -> 89.25, B
    assert (Decimal(doc["total"]), doc["grade"], doc["state"]) == (Decimal("89.25"), "B", "acknowledgement")
    assert Decimal(doc["qualitative_score"]) == 80
    assert act(hapi, staff, "pe", "sheet", sheets[ids["pe"]], "acknowledge")[0] == 200

    # the cycle waits for the other sheets (R-H-031)
    status, body = act(hapi, staff, "adm", "cycle", cycle_id, "close")
    assert status == 422 and "R-H-031" in body["rules"]
    for name in ("pe2", "eng_mgr"):
        self_assess(hapi, staff, name, sheets[ids[name]])
    superior_scores(hapi, staff, "eng_mgr", sheets[ids["pe2"]])
    superior_scores(hapi, staff, "dir", sheets[ids["eng_mgr"]])
    for name in ("pe2", "eng_mgr"):
        assert act(hapi, staff, "adm", "sheet", sheets[ids[name]], "consolidate")[0] == 200
        assert act(hapi, staff, name, "sheet", sheets[ids[name]], "acknowledge")[0] == 200
    status, body = act(hapi, staff, "adm", "cycle", cycle_id, "close")
    assert status == 200, body
    assert {sheet(hapi, staff, "adm", s)["state"] for s in sheets.values()} == {"closed"}

    # R-H-032: later data changes do not alter a closed sheet
    plugin.ANSWERS[0]["score"] = Decimal(10)
    assert act(hapi, staff, "adm", "cycle", cycle_id, "collect")[0] == 422
    from modules.hr_appraisal.cycles import (
        AppraisalCycle,
        AppraisalSheet,
        measure_sheets,
    )
    with app.app_context():
        measure_sheets([db.session.get(AppraisalSheet, sheets[ids["pe"]])], db.session.get(AppraisalCycle, cycle_id))
        db.session.commit()
    doc = sheet(hapi, staff, "pe", sheets[ids["pe"]])
    assert (Decimal(doc["total"]), doc["grade"], doc["frozen"]) == (Decimal("89.25"), "B", True)
    assert patch_lines(hapi, staff, "adm", sheets[ids["pe"]], lambda lines: None)[0] in (403, 409, 422)


def test_collect_measures_again_until_consolidation_only(app, staff, hapi):
    ids = staff["ids"]
    cycle_id = started_cycle(hapi, staff)
    pe = sheets_of(app, cycle_id)[ids["pe"]]
    plugin.ANSWERS[0]["score"] = Decimal(70)
    assert act(hapi, staff, "adm", "cycle", cycle_id, "collect")[0] == 200
    kpi = {line["code"]: line for line in sheet(hapi, staff, "pe", pe)["lines"]}
    assert Decimal(kpi["KPI-PROJECT-EVAL"]["score"]) == 70 and len(plugin.CALLS) == 2


def test_scoring_is_the_direct_superiors_only(app, staff, hapi):
    ids = staff["ids"]
    cycle_id = started_cycle(hapi, staff)
    pe = sheets_of(app, cycle_id)[ids["pe"]]

    def mgr(lines):
        lines[4]["mgr_score"] = 3
    # in self-assessment nobody gives the superior's scores, not even the employee
    status, body = patch_lines(hapi, staff, "pe", pe, mgr)
    assert status == 422 and "lines" in body["fields"]
    self_assess(hapi, staff, "pe", pe)
    # the employee may not give himself the superior's score
    status, body = patch_lines(hapi, staff, "pe", pe, mgr)
    assert status in (403, 422)
    # nor may the 行政部, nor someone outside his reports (not even seeing the sheet)
    assert patch_lines(hapi, staff, "adm", pe, mgr)[0] == 422
    assert patch_lines(hapi, staff, "pe2", pe, mgr)[0] in (403, 404)
    assert patch_lines(hapi, staff, "dir", pe, mgr)[0] in (403, 404)
    status, body = act(hapi, staff, "dir", "sheet", pe, "submit_scores")
    assert status in (403, 404)
    status, body = act(hapi, staff, "pe", "sheet", pe, "submit_scores")
    assert status in (403, 422)
    # the module's values stay whoever sends others
    def forge(lines):
        lines[0]["weight"] = "99"
    assert patch_lines(hapi, staff, "eng_mgr", pe, forge)[0] == 422
    superior_scores(hapi, staff, "eng_mgr", pe)
    assert sheet(hapi, staff, "pe", pe)["state"] == "consolidation"


@pytest.mark.parametrize("score, needs_comment", [(1, True), (2, True), (3, False), (4, False), (5, True)])
def test_a_comment_is_required_at_2_or_less_and_at_5(app, staff, hapi, score, needs_comment):
    ids = staff["ids"]
    pe = sheets_of(app, started_cycle(hapi, staff))[ids["pe"]]
    self_assess(hapi, staff, "pe", pe)

    def scores(lines):
        for line in lines:
            if line["kind"] == "quality":
                line["mgr_score"] = score
    assert patch_lines(hapi, staff, "eng_mgr", pe, scores)[0] == 200
    status, body = act(hapi, staff, "eng_mgr", "sheet", pe, "submit_scores")
    if not needs_comment:
        assert status == 200, body
        return
    assert status == 422 and "工作态度" in body["error"]

    def comment(lines):
        for line in lines:
            if line["kind"] == "quality":
                line["comment"] = "表现突出" if score == 5 else "需改进"
    assert patch_lines(hapi, staff, "eng_mgr", pe, comment)[0] == 200
    assert act(hapi, staff, "eng_mgr", "sheet", pe, "submit_scores")[0] == 200


def test_self_scores_need_the_comment_too(app, staff, hapi):
    pe = sheets_of(app, started_cycle(hapi, staff))[staff["ids"]["pe"]]

    def scores(lines):
        for line in lines:
            if line["kind"] == "quality":
                line["self_score"] = 5
    assert patch_lines(hapi, staff, "pe", pe, scores)[0] == 200
    status, body = act(hapi, staff, "pe", "sheet", pe, "submit_self")
    assert status == 422 and "lines" in str(body)


def test_missing_data_redistributes_the_weight(app, staff, hapi):
    """The source of KPI-PROJECT-EVAL (engineering) is off: 无数据, its 50 spread over the others."""
    ids = staff["ids"]
    del plugin.ANSWERS[0]
    pe = sheets_of(app, started_cycle(hapi, staff))[ids["pe"]]
    kpi = {line["code"]: line for line in sheet(hapi, staff, "pe", pe)["lines"]}
    assert kpi["KPI-PROJECT-EVAL"]["no_data"] is True and kpi["KPI-PROJECT-EVAL"]["score"] is None
    assert kpi["KPI-PROJECT-EVAL"]["data"] == "无数据"
    self_assess(hapi, staff, "pe", pe)
    superior_scores(hapi, staff, "eng_mgr", pe)
    assert act(hapi, staff, "adm", "sheet", pe, "consolidate")[0] == 200
    # (15 × 75 + 10 × 80 + 25 × 100) / 50 = 88.5
    doc = sheet(hapi, staff, "pe", pe)
    assert (Decimal(doc["total"]), doc["grade"]) == (Decimal("88.50"), "B")


def test_missing_data_scored_by_hand_with_the_manual_policy(app, staff, hapi):
    from core import settings
    ids = staff["ids"]
    with app.app_context():
        settings.set_value("hr.missing_kpi_policy", "manual")
    del plugin.ANSWERS[0]
    pe = sheets_of(app, started_cycle(hapi, staff))[ids["pe"]]
    self_assess(hapi, staff, "pe", pe)

    def quality_only(lines):
        for line in lines:
            if line["kind"] == "quality":
                line["mgr_score"] = 4
    assert patch_lines(hapi, staff, "eng_mgr", pe, quality_only)[0] == 200
    status, body = act(hapi, staff, "eng_mgr", "sheet", pe, "submit_scores")
    assert status == 422 and "KPI-PROJECT-EVAL" in body["error"]

    def by_hand(lines):
        next(line for line in lines if line["code"] == "KPI-PROJECT-EVAL")["mgr_score"] = 3
    assert patch_lines(hapi, staff, "eng_mgr", pe, by_hand)[0] == 200
    assert act(hapi, staff, "eng_mgr", "sheet", pe, "submit_scores")[0] == 200
    assert act(hapi, staff, "adm", "sheet", pe, "consolidate")[0] == 200
    # 50 × 60 + 15 × 75 + 10 × 80 + 25 × 100 = 7425
    assert Decimal(sheet(hapi, staff, "pe", pe)["total"]) == Decimal("74.25")


def test_taboos_deduct_from_compliance(app, staff, hapi):
    ids = staff["ids"]
    pe = sheets_of(app, started_cycle(hapi, staff))[ids["pe"]]
    self_assess(hapi, staff, "pe", pe)

    def taboo(text):
        def change(lines):
            lines.append({"kind": "taboo", "item": text, "day": "2026-11-12", "comment": "11月12日现场失控"})
        return change
    status, body = patch_lines(hapi, staff, "eng_mgr", pe, taboo("迟到"))
    assert status == 422 and "lines" in body["fields"]
    assert patch_lines(hapi, staff, "eng_mgr", pe, taboo("不能控制现场，不能主动解决问题"))[0] == 200
    superior_scores(hapi, staff, "eng_mgr", pe)
    assert act(hapi, staff, "adm", "sheet", pe, "consolidate")[0] == 200
    doc = sheet(hapi, staff, "pe", pe)
    kpi = {line["code"]: line for line in doc["lines"]}
    assert Decimal(kpi["KPI-COMPLIANCE"]["score"]) == 95 and Decimal(doc["taboo_points"]) == 5
    assert Decimal(doc["total"]) == Decimal("88.00")               # 89.25 - 25 × 5 / 100


def test_the_appeal_window(app, staff, hapi, monkeypatch):
    from core import calendar, calendar_today
    ids = staff["ids"]
    pe = sheets_of(app, started_cycle(hapi, staff))[ids["pe"]]
    self_assess(hapi, staff, "pe", pe)
    superior_scores(hapi, staff, "eng_mgr", pe)
    monkeypatch.setattr(calendar_today, "today", lambda: date(2026, 12, 7))        # a Monday
    assert act(hapi, staff, "adm", "sheet", pe, "consolidate")[0] == 200
    doc = sheet(hapi, staff, "pe", pe)
    with app.app_context():
        assert doc["appeal_due"] == calendar.add_working_days(date(2026, 12, 7), 3).isoformat() == "2026-12-10"
    assert act(hapi, staff, "pe", "sheet", pe, "appeal")[0] == 422                  # the reason is required
    monkeypatch.setattr(calendar_today, "today", lambda: date(2026, 12, 11))
    status, body = act(hapi, staff, "pe", "sheet", pe, "appeal", "数据有误")
    assert status == 422 and "R-H-031" in body["rules"]
    monkeypatch.setattr(calendar_today, "today", lambda: date(2026, 12, 10))
    assert act(hapi, staff, "eng_mgr", "sheet", pe, "appeal", "代为申诉")[0] in (403, 422)
    assert act(hapi, staff, "pe", "sheet", pe, "appeal", "周报数据有误")[0] == 200
    doc = sheet(hapi, staff, "pe", pe)
    assert doc["state"] == "consolidation" and doc["appeal_reason"] == "周报数据有误"
    assert act(hapi, staff, "adm", "sheet", pe, "consolidate")[0] == 200
    # past the window without acknowledgement the cycle may close it (deemed acknowledged)
    monkeypatch.setattr(calendar_today, "today", lambda: date(2026, 12, 16))
    with app.app_context():
        from modules.hr_appraisal.cycles import AppraisalSheet, every_sheet_acknowledged
        s = db.session.get(AppraisalSheet, pe)
        assert s.appeal_due == date(2026, 12, 15)
        assert every_sheet_acknowledged(type("C", (), {"id": s.cycle_id})(), None) != []   # the others are open


def test_who_sees_which_sheets(app, staff, hapi, client):
    ids = staff["ids"]
    cycle_id = started_cycle(hapi, staff, departments=("ENG", "MKT"))
    sheets = sheets_of(app, cycle_id)
    assert set(sheets) == {ids[n] for n in ("dir", "eng_mgr", "pe", "pe2", "mkt_mgr", "am")}

    def listed(name):
        status, body = hapi(staff, name, "get", "sheet?size=100")
        assert status == 200, body
        return {row["id"] for row in body["items"]}
    assert listed("pe") == {sheets[ids["pe"]]}
    assert listed("eng_mgr") == {sheets[ids[n]] for n in ("eng_mgr", "pe", "pe2")}
    assert listed("dir") == {sheets[ids[n]] for n in ("dir", "eng_mgr", "mkt_mgr")}
    assert listed("adm") == set(sheets.values())
    assert hapi(staff, "pe2", "get", f"sheet/{sheets[ids['pe']]}")[0] in (403, 404)


def test_only_the_administration_runs_cycles(app, staff, hapi):
    status, body = hapi(staff, "pe", "post", "cycle", {"cadence": "monthly", "period_start": "2026-11-15",
                                                       "departments": ["ENG"]})
    assert status == 403
    status, body = hapi(staff, "adm", "post", "cycle", {"cadence": "yearly", "period_start": "2026-11-15",
                                                        "departments": ["ENG"]})
    assert status == 422 and "cadence" in body["fields"]
    status, body = hapi(staff, "adm", "post", "cycle", {"cadence": "quarterly", "period_start": "2026-11-15",
                                                        "departments": ["ENG"]})
    assert status == 201 and (body["period_start"], body["period_end"]) == ("2026-10-01", "2026-12-31")
    assert act(hapi, staff, "eng_mgr", "cycle", body["id"], "start")[0] in (403, 404)
    pe = sheets_of(app, started_cycle(hapi, staff))[staff["ids"]["pe"]]
    self_assess(hapi, staff, "pe", pe)
    superior_scores(hapi, staff, "eng_mgr", pe)
    assert act(hapi, staff, "eng_mgr", "sheet", pe, "consolidate")[0] in (403, 422)


def test_weights_are_editable_per_cycle_before_scoring(app, staff, hapi):
    pe = sheets_of(app, started_cycle(hapi, staff))[staff["ids"]["pe"]]

    def weights(lines):
        lines[0]["weight"], lines[3]["weight"] = "40", "35"
    assert patch_lines(hapi, staff, "pe", pe, weights)[0] == 422       # not the employee
    assert patch_lines(hapi, staff, "adm", pe, weights)[0] == 200
    self_assess(hapi, staff, "pe", pe)
    assert patch_lines(hapi, staff, "adm", pe, weights)[0] == 200      # unchanged: fine
    def again(lines):
        lines[0]["weight"] = "50"
    assert patch_lines(hapi, staff, "adm", pe, again)[0] == 422        # scoring started


def test_reminders_follow_the_sheet(app, staff, hapi):
    from core import calendar_today
    from modules.hr_appraisal.cycles import erp_reminders
    ids = staff["ids"]
    pe = sheets_of(app, started_cycle(hapi, staff))[ids["pe"]]

    def mine():
        with app.app_context():
            return {r.key.split(":")[0].rsplit(".", 1)[1]: (r.user_id, r.due_at.date().isoformat())
                    for r in erp_reminders(calendar_today.now()) if r.key.endswith(f":{pe}")}
    assert mine() == {"self": (ids["pe"], "2026-11-30")}                  # the period's last working day
    self_assess(hapi, staff, "pe", pe)
    assert mine() == {"score": (ids["eng_mgr"], "2026-12-03")}            # 3rd working day after
    superior_scores(hapi, staff, "eng_mgr", pe)
    assert mine() == {}
    assert act(hapi, staff, "adm", "sheet", pe, "consolidate")[0] == 200
    (who, _day), = mine().values()
    assert who == ids["pe"] and "ack" in mine()


def test_sheets_are_made_by_cycles_only(app, staff, hapi, api_client):
    admin = api_client("ROLE-ADMIN", "ROLE-ADM")
    response = admin.post("hr_appraisal/sheet", json={"title": "手工考核表"})
    assert response.status_code in (403, 422), response.get_json()
