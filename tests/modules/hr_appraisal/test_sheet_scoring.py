"""Scoring of a sheet beyond the plain indicators (SPEC 3.6): the mixed indicators (superior's
rating averaged with a measured part: KPI-MGMT-CAPABILITY from the manager's direct reports,
KPI-ARCHIVE-CLARITY from the archive's completeness) and the share of the qualitative items in
the total (``hr.qualitative_weight``)."""
from decimal import Decimal

import pytest

from tests.modules.hr_appraisal.test_cycles import (
    act,
    patch_lines,
    self_assess,
    sheet,
    sheets_of,
    started_cycle,
)
from tests.plugins.appraisal_metrics import MANIFEST as METRICS
from tests.plugins.appraisal_metrics import hooks as plugin

pytestmark = [pytest.mark.modules("hr_appraisal", "appraisal_metrics"), pytest.mark.manifests(METRICS)]


@pytest.fixture(autouse=True)
def answers(staff):
    """The 市场总监's direct reports are the 市场部经理 and the 工程部经理 (SPEC 1.3)."""
    ids = staff["ids"]
    plugin.ANSWERS.clear()
    plugin.CALLS.clear()
    plugin.ANSWERS.extend([
        {"kpi": "KPI-MARKET-EXPANSION", "user_id": ids["dir"], "score": Decimal(90), "detail": "同比增长 12%"},
        {"kpi": "KPI-SALES-TEAM", "user_id": ids["dir"], "score": Decimal(70), "detail": "部门签约 70%"},
        {"kpi": "KPI-REPORT-TIMELINESS", "user_id": ids["mkt_mgr"], "due": 2, "on_time": 2, "detail": "2/2"},
        {"kpi": "KPI-REPORT-TIMELINESS", "user_id": ids["eng_mgr"], "due": 4, "on_time": 2, "detail": "2/4"},
        {"kpi": "KPI-COMPLIANCE", "user_id": ids["eng_mgr"], "points": Decimal(10), "detail": "罚分 10"},
    ])
    yield
    plugin.ANSWERS.clear()
    plugin.CALLS.clear()


def lines_of(doc):
    return {line["code"] or line["item"]: line for line in doc["lines"]}


def scored_by(hapi, staff, name, sheet_id, scores, comment=""):
    def change(lines):
        for line in lines:
            if (line["code"] or line["item"]) in scores:
                line["mgr_score"] = scores[line["code"] or line["item"]]
                line["comment"] = comment
    status, body = patch_lines(hapi, staff, name, sheet_id, change)
    assert status == 200, body
    status, body = act(hapi, staff, name, "sheet", sheet_id, "submit_scores")
    assert status == 200, body


QUALITY_4 = {"工作态度": 4, "团队协作": 4, "工作主动性": 4, "责任心": 4}


def test_management_capability_averages_the_rating_and_the_reports_kpis(app, staff, hapi):
    ids = staff["ids"]
    cycle_id = started_cycle(hapi, staff, departments=("MKT",))
    # one hook call; the 工程部经理, outside the cycle, measured in it as the director's report
    assert len(plugin.CALLS) == 1 and ids["eng_mgr"] in plugin.CALLS[0]["user_ids"]
    assert "KPI-MGMT-CAPABILITY" not in plugin.CALLS[0]["kpis"]
    assert ids["eng_mgr"] not in sheets_of(app, cycle_id)
    director = sheets_of(app, cycle_id)[ids["dir"]]
    mgmt = lines_of(sheet(hapi, staff, "dir", director))["KPI-MGMT-CAPABILITY"]
    # compliance (100 + 90) / 2 = 95, timeliness (100 + 50) / 2 = 75: measured 85, not rated yet
    assert Decimal(mgmt["score"]) == 85 and mgmt["item"] == "内部管理能力"
    assert mgmt["data"] == "实测 85.00（下属 2 人 规范执行 95.00、报告时效 75.00）；上级评分 待评"

    self_assess(hapi, staff, "dir", director)
    # the superior (总经理) must rate it: a mixed indicator is scored by hand
    def quality_only(lines):
        for line in lines:
            if line["kind"] == "quality":
                line["mgr_score"] = 4
    assert patch_lines(hapi, staff, "gm", director, quality_only)[0] == 200
    status, body = act(hapi, staff, "gm", "sheet", director, "submit_scores")
    assert status == 422 and "KPI-MGMT-CAPABILITY" in body["error"]
    scored_by(hapi, staff, "gm", director, {**QUALITY_4, "KPI-MGMT-CAPABILITY": 4})
    assert act(hapi, staff, "adm", "sheet", director, "consolidate")[0] == 200
    doc = sheet(hapi, staff, "dir", director)
    mgmt = lines_of(doc)["KPI-MGMT-CAPABILITY"]
    assert Decimal(mgmt["score"]) == Decimal("82.50")                  # (85 + 80) / 2
    assert mgmt["data"].endswith("；上级评分 80") and mgmt["data"].startswith("实测 85.00")
    # 40 × 90 + 30 × 82.5 + 10 × 70 + 20 × 100 = 8775
    assert (Decimal(doc["total"]), doc["grade"]) == (Decimal("87.75"), "B")


def test_management_capability_is_the_rating_alone_without_reports(app, staff, hapi):
    """No direct report holds his position any more: the superior's rating alone counts."""
    from sqlalchemy import delete

    from core.extensions import db
    from core.org.models import UserPosition
    ids = staff["ids"]
    with app.app_context():
        db.session.execute(delete(UserPosition).where(UserPosition.user_id.in_([ids["mkt_mgr"], ids["eng_mgr"]])))
        db.session.commit()
    director = sheets_of(app, started_cycle(hapi, staff, departments=("MKT",)))[ids["dir"]]
    mgmt = lines_of(sheet(hapi, staff, "dir", director))["KPI-MGMT-CAPABILITY"]
    assert mgmt["score"] is None and mgmt["no_data"] is True and mgmt["data"] == "实测 无数据；上级评分 待评"
    self_assess(hapi, staff, "dir", director)
    scored_by(hapi, staff, "gm", director, {**QUALITY_4, "KPI-MGMT-CAPABILITY": 3})
    assert act(hapi, staff, "adm", "sheet", director, "consolidate")[0] == 200
    mgmt = lines_of(sheet(hapi, staff, "dir", director))["KPI-MGMT-CAPABILITY"]
    assert Decimal(mgmt["score"]) == 60 and mgmt["no_data"] is False


def test_archive_clarity_averages_the_archive_completeness_and_the_rating(app, staff, hapi, make_staff):
    assistant = make_staff({"ast": ("ROLE-MKT-AST", "MKT", "POS-MKT-AST")})
    people = {"ids": {**staff["ids"], **assistant["ids"]}, "headers": {**staff["headers"], **assistant["headers"]}}
    ast = assistant["ids"]["ast"]
    plugin.ANSWERS.append({"kpi": "KPI-ARCHIVE-CLARITY", "user_id": ast, "score": Decimal(60),
                           "detail": "归档 6/10"})
    cycle_id = started_cycle(hapi, people, departments=("MKT",))
    own = sheets_of(app, cycle_id)[ast]
    doc = sheet(hapi, people, "ast", own)
    superior = next(name for name, uid in people["ids"].items() if uid == doc["superior_id"])
    clarity = lines_of(doc)["KPI-ARCHIVE-CLARITY"]
    assert Decimal(clarity["score"]) == 60 and clarity["data"] == "实测 60.00（归档 6/10）；上级评分 待评"
    self_assess(hapi, people, "ast", own)
    scored_by(hapi, people, superior, own, {**QUALITY_4, "KPI-ARCHIVE-CLARITY": 5, "KPI-SERVICE-QUALITY": 4},
              comment="资料清晰")
    assert act(hapi, people, "adm", "sheet", own, "consolidate")[0] == 200
    clarity = lines_of(sheet(hapi, people, "ast", own))["KPI-ARCHIVE-CLARITY"]
    assert Decimal(clarity["score"]) == 80 and clarity["data"] == "实测 60.00（归档 6/10）；上级评分 100"


@pytest.mark.parametrize("share, total, grade", [(0, "89.25", "B"), (20, "83.40", "B"), (40, "77.55", "C")])
def test_the_qualitative_items_weigh_in_the_total_by_the_setting(app, staff, hapi, share, total, grade):
    """The 项目工程师 of test_cycles: indicators' total 89.25; qualitative score 3 → 60."""
    from core import settings
    with app.app_context():
        settings.set_value("hr.qualitative_weight", share)
    ids = staff["ids"]
    plugin.ANSWERS[:] = [
        {"kpi": "KPI-PROJECT-EVAL", "user_id": ids["pe"], "score": Decimal(90), "detail": "竣工评估 90 分"},
        {"kpi": "KPI-REPORT-TIMELINESS", "user_id": ids["pe"], "due": 4, "on_time": 3, "detail": "周报 3/4"},
        {"kpi": "KPI-REPORT-QUALITY", "user_id": ids["pe"], "rating_sum": Decimal(8), "rating_count": 2},
    ]
    pe = sheets_of(app, started_cycle(hapi, staff))[ids["pe"]]
    self_assess(hapi, staff, "pe", pe)
    scored_by(hapi, staff, "eng_mgr", pe, dict.fromkeys(["工作态度", "团队协作", "技术能力提升", "客户沟通", "执行力"], 3))
    assert act(hapi, staff, "adm", "sheet", pe, "consolidate")[0] == 200
    doc = sheet(hapi, staff, "pe", pe)
    # (100 − w) % × 89.25 + w % × 60
    assert (Decimal(doc["qualitative_score"]), Decimal(doc["total"]), doc["grade"]) == (60, Decimal(total), grade)


def test_the_qualitative_weight_is_at_most_half(app):
    from core import settings
    with app.app_context():
        with pytest.raises(settings.ValidationError) as refused:
            settings.set_value("hr.qualitative_weight", 60)
        assert set(refused.value.errors) == {"hr.qualitative_weight"} and settings.get("hr.qualitative_weight") == 0


def test_refusals_name_their_rule(app, staff, hapi):
    """R-H-030 who assesses and scores, R-H-031 who acknowledges, R-H-032 a closed sheet: each
    refusal says its rule, as the sales refusals do."""
    from tests.modules.hr_appraisal.test_cycles import superior_scores
    ids = staff["ids"]
    cycle_id = started_cycle(hapi, staff)
    pe = sheets_of(app, cycle_id)[ids["pe"]]
    status, body = act(hapi, staff, "eng_mgr", "sheet", pe, "submit_self")
    assert status == 422 and "R-H-030" in body["rules"] and "(R-H-030)" in body["error"], body
    self_assess(hapi, staff, "pe", pe)
    status, body = act(hapi, staff, "pe", "sheet", pe, "submit_scores")
    assert status in (403, 422)
    if status == 422:
        assert "R-H-030" in body["rules"] and "(R-H-030)" in body["error"], body
    superior_scores(hapi, staff, "eng_mgr", pe)
    assert act(hapi, staff, "adm", "sheet", pe, "consolidate")[0] == 200
    status, body = act(hapi, staff, "eng_mgr", "sheet", pe, "acknowledge")
    assert status == 422 and "R-H-031" in body["rules"] and "(R-H-031)" in body["error"], body
    assert act(hapi, staff, "pe", "sheet", pe, "acknowledge")[0] == 200
    status, body = act(hapi, staff, "adm", "cycle", cycle_id, "close")
    assert status == 422 and "(R-H-031)" in body["error"]                  # the others are open
    from sqlalchemy import update

    from core.extensions import db
    from modules.hr_appraisal.cycles import AppraisalSheet
    with app.app_context():
        db.session.execute(update(AppraisalSheet).where(AppraisalSheet.cycle_id == cycle_id, AppraisalSheet.id != pe)
                           .values(state="acknowledged"))
        db.session.commit()
    assert act(hapi, staff, "adm", "cycle", cycle_id, "close")[0] == 200
    # core refuses to edit a closed sheet (not an editable state); a script saving it hears R-H-032
    assert patch_lines(hapi, staff, "adm", pe, lambda lines: None)[0] == 403
    from core.documents import service
    from core.documents.service import ValidationFailed
    from modules.hr_appraisal.cycles import SHEET
    with app.app_context():
        closed = db.session.get(AppraisalSheet, pe)
        with pytest.raises(ValidationFailed) as refused:
            service.apply_values(SHEET, closed, {"mgr_comment": "改一下"})
        assert "(R-H-032)" in " ".join(refused.value.errors)


def test_f_e02_is_offered_on_engineering_sheets_only(app, staff, hapi, hweb):
    """F-E02 (工程部人员月考评表) is the engineering staff's form: the 客户经理's sheet has its
    internal print only; each KPI line shows its code once (its own column)."""
    ids = staff["ids"]
    sheets = sheets_of(app, started_cycle(hapi, staff, departments=("ENG", "MKT")))
    engineer, seller = sheets[ids["pe"]], sheets[ids["am"]]
    boss = hweb("eng_mgr")
    page = boss.get(f"/hr_appraisal/sheet/{engineer}").get_data(as_text=True)
    assert 'data-print="fe02"' in page
    lines = page[page.index('id="lines"'):page.index("</table>", page.index('id="lines"'))]
    assert lines.count("KPI-PROJECT-EVAL") == 1 and "本人负责工程项目的评估情况" in lines
    assert "工程部人员月考评表" in boss.get(f"/hr_appraisal/sheet/{engineer}/print/fe02").get_data(as_text=True)
    manager = hweb("mkt_mgr")
    assert 'data-print="fe02"' not in manager.get(f"/hr_appraisal/sheet/{seller}").get_data(as_text=True)
    assert manager.get(f"/hr_appraisal/sheet/{seller}/print/fe02").status_code == 404
    assert manager.get(f"/hr_appraisal/sheet/{seller}/pdf/fe02").status_code == 404
    assert manager.get(f"/hr_appraisal/sheet/{seller}/print").status_code == 200


def test_no_grade_before_consolidation(app, staff, hapi):
    """While the person and his superior score, the total is provisional: no grade shown yet."""
    ids = staff["ids"]
    pe = sheets_of(app, started_cycle(hapi, staff))[ids["pe"]]
    assert not sheet(hapi, staff, "pe", pe)["grade"]
    self_assess(hapi, staff, "pe", pe)
    assert not sheet(hapi, staff, "pe", pe)["grade"]
    scored_by(hapi, staff, "eng_mgr", pe, dict.fromkeys(["工作态度", "团队协作", "技术能力提升", "客户沟通", "执行力"], 4))
    assert act(hapi, staff, "adm", "sheet", pe, "consolidate")[0] == 200
    doc = sheet(hapi, staff, "pe", pe)
    assert doc["grade"] == K_grade(doc["total"])


def K_grade(total):
    from decimal import Decimal
    bands = [(90, "A"), (80, "B"), (70, "C"), (60, "D")]
    return next((g for bound, g in bands if Decimal(total) >= bound), "E")
