"""hr_appraisal's hooks as a partner plugin (tests/plugins/appraisal_metrics) implements them, and
the engine combining the measures per the hook's contract (SPEC 3.6, I-14)."""
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from core.extensions import db
from tests.plugins.appraisal_metrics import MANIFEST as METRICS
from tests.plugins.appraisal_metrics import hooks as plugin

pytestmark = [pytest.mark.modules("hr_appraisal", "appraisal_metrics"), pytest.mark.manifests(METRICS)]
START, END = date(2026, 11, 1), date(2026, 11, 30)


@pytest.fixture(autouse=True)
def clean_plugin():
    plugin.ANSWERS.clear()
    plugin.CALLS.clear()
    yield
    plugin.ANSWERS.clear()
    plugin.CALLS.clear()


def measured(app, kpis, user_ids):
    from modules.hr_appraisal.kpis import measure
    with app.app_context():
        return {key: (m.score, m.detail) for key, m in measure(kpis, user_ids, START, END).items()}


def test_hook_hr_appraisal_metrics(app):
    plugin.ANSWERS.extend([{"kpi": "KPI-REPORT-TIMELINESS", "user_id": 7, "due": 4, "on_time": 3, "detail": "3/4"},
                           {"kpi": "KPI-SALES-OWN", "user_id": 8, "score": 90, "detail": "90%"}])
    with app.app_context():
        answers = app.extensions["erp"].pm.hook.hr_appraisal_metrics(
            kpis=["KPI-REPORT-TIMELINESS"], user_ids=[7, 8], start=START, end=END)
    assert [row for batch in answers for row in batch] == [plugin.ANSWERS[0]]
    # the engine asks once for everybody and combines
    plugin.CALLS.clear()
    got = measured(app, ["KPI-REPORT-TIMELINESS", "KPI-SALES-OWN"], [7, 8, 9])
    assert len(plugin.CALLS) == 1 and plugin.CALLS[0]["user_ids"] == {7, 8, 9}
    assert plugin.CALLS[0]["start"] == START and plugin.CALLS[0]["end"] == END
    assert got == {(7, "KPI-REPORT-TIMELINESS"): (Decimal("75.00"), "3/4"), (8, "KPI-SALES-OWN"): (Decimal("90.00"), "90%")}


def test_hook_hr_appraisal_kpis(app):
    with app.app_context():
        answers = app.extensions["erp"].pm.hook.hr_appraisal_kpis()
        from modules.hr_appraisal.kpis import catalogue
        kpis = catalogue()
    assert {"code": "KPI-TICKETS", "name_zh": "工单响应", "name_en": "Ticket response", "kind": "quantitative",
            "measure": "due"} in [k for batch in answers for k in batch]
    assert kpis["KPI-TICKETS"].measure == "due" and kpis["KPI-TICKETS"].quantitative
    assert kpis["KPI-COMPLIANCE"].name_zh == "公司及部门管理规范的执行情况"   # SPEC's own kept first


def test_each_measure_is_combined_per_the_contract(app):
    plugin.ANSWERS.extend([
        # scores of two modules averaged
        {"kpi": "KPI-SALES-OWN", "user_id": 1, "score": Decimal(80), "detail": "a"},
        {"kpi": "KPI-SALES-OWN", "user_id": 1, "score": Decimal(95), "detail": "b"},
        # counts summed over modules
        {"kpi": "KPI-REPORT-TIMELINESS", "user_id": 1, "due": 3, "on_time": 3},
        {"kpi": "KPI-REPORT-TIMELINESS", "user_id": 1, "due": 5, "on_time": 3},
        # ratings: avg 3.5 -> 70
        {"kpi": "KPI-REPORT-QUALITY", "user_id": 1, "rating_sum": Decimal(7), "rating_count": 2},
        {"kpi": "KPI-REPORT-QUALITY", "user_id": 2, "rating_sum": Decimal(5), "rating_count": 1},
        {"kpi": "KPI-REPORT-QUALITY", "user_id": 2, "rating_sum": Decimal(1), "rating_count": 1},
        # points summed, 100 - sum, floor 0
        {"kpi": "KPI-COMPLIANCE", "user_id": 1, "points": Decimal(6)},
        {"kpi": "KPI-COMPLIANCE", "user_id": 2, "points": Decimal(70)},
        {"kpi": "KPI-COMPLIANCE", "user_id": 2, "points": Decimal(50)},
        # nothing due: no data
        {"kpi": "KPI-REPORT-TIMELINESS", "user_id": 2, "due": 0, "on_time": 0},
    ])
    got = measured(app, ["KPI-SALES-OWN", "KPI-REPORT-TIMELINESS", "KPI-REPORT-QUALITY", "KPI-COMPLIANCE"], [1, 2])
    assert got[(1, "KPI-SALES-OWN")] == (Decimal("87.50"), "a；b")
    assert got[(1, "KPI-REPORT-TIMELINESS")][0] == Decimal("75.00")
    assert got[(1, "KPI-REPORT-QUALITY")][0] == Decimal("70.00")
    assert got[(2, "KPI-REPORT-QUALITY")][0] == Decimal("60.00")
    assert got[(1, "KPI-COMPLIANCE")][0] == Decimal("94.00")
    assert got[(2, "KPI-COMPLIANCE")][0] == Decimal("0.00")
    assert got[(2, "KPI-REPORT-TIMELINESS")][0] is None            # 无数据
    assert (2, "KPI-SALES-OWN") not in got                          # no answer: 无数据


def test_compliance_deducts_the_registry_violations_not_waived(app, make_user):
    from core.rules import record_violation
    uid, other = make_user("am1", "ROLE-MKT-AM"), make_user("am2", "ROLE-MKT-AM")
    with app.app_context():
        def at(day):
            return datetime(2026, 11, day, 3, tzinfo=UTC)
        record_violation("R-H-031", "deadline_missed", user_id=uid, when=at(3))
        record_violation("R-H-031", "warned", user_id=uid, when=at(20))
        record_violation("R-H-031", "refused", user_id=uid, when=at(20))          # blocked: not held against him
        record_violation("R-H-031", "deadline_missed", user_id=uid, when=datetime(2026, 12, 1, 3, tzinfo=UTC))
        waived = record_violation("R-H-031", "deadline_missed", user_id=uid, when=at(21))
        waived.waived_at = at(22)
        db.session.commit()
    plugin.ANSWERS.append({"kpi": "KPI-COMPLIANCE", "user_id": uid, "points": Decimal(5), "detail": "处罚 5 分"})
    got = measured(app, ["KPI-COMPLIANCE"], [uid, other])
    assert got[(uid, "KPI-COMPLIANCE")][0] == Decimal("91.00")     # 100 - 5 - 2 × 2
    assert got[(other, "KPI-COMPLIANCE")][0] == Decimal("100.00")  # measured even without answers


@pytest.mark.parametrize("total, grade", [("90", "A"), ("89.99", "B"), ("80", "B"), ("79.99", "C"), ("70", "C"),
                                          ("69.99", "D"), ("60", "D"), ("59.99", "E"), ("0", "E"), ("100", "A")])
def test_grade_band_edges(app, total, grade):
    from modules.hr_appraisal.kpis import grade_of
    with app.app_context():
        assert grade_of(Decimal(total)) == grade


def test_role_templates_are_seeded_and_editable_only_to_weights_adding_up(app, api_client):
    adm = api_client("ROLE-ADM")
    from modules.hr_appraisal.kpis import seed_templates
    with app.app_context():
        assert seed_templates() == 11 and seed_templates() == 0    # once a user exists; idempotent
        db.session.commit()
    rows = adm.get("hr_appraisal/template?size=50").get_json()
    items = rows.get("items", rows.get("data", rows))
    assert len(items) == 11
    pe = next(t for t in items if t["role_code"] == "ROLE-ENG-PE")
    doc = adm.get(f"hr_appraisal/template/{pe['id']}").get_json()
    assert doc["lines"][0]["kpi"] == "KPI-PROJECT-EVAL" and Decimal(doc["lines"][0]["weight"]) == 50
    lines = [{"kpi": "KPI-PROJECT-EVAL", "weight": "60"}, {"kpi": "KPI-COMPLIANCE", "weight": "30"}]
    response = adm.patch(f"hr_appraisal/template/{pe['id']}", json={"lines": lines, "version": doc["version"]})
    assert response.status_code == 422 and "lines" in response.get_json()["fields"]
    lines[1]["weight"] = "40"
    response = adm.patch(f"hr_appraisal/template/{pe['id']}", json={"lines": lines, "version": doc["version"]})
    assert response.status_code == 200, response.get_json()
    lines = [{"kpi": "KPI-NOPE", "weight": "100"}]
    response = adm.patch(f"hr_appraisal/template/{pe['id']}", json={"lines": lines,
                                                                    "version": response.get_json()["version"]})
    assert response.status_code == 422
    outsider = api_client("ROLE-MKT-AM")
    assert outsider.post("hr_appraisal/template", json={"title": "x", "role_code": "ROLE-MKT-AM"}).status_code == 403
    assert outsider.patch(f"hr_appraisal/template/{pe['id']}", json={"notes": "x"}).status_code in (403, 404)


def test_scores_of_several_modules_are_weighted_by_their_share():
    """Two modules measuring 70 % and 30 % of one KPI: the score is their weighted mean."""
    from modules.hr_appraisal.kpis import _combine
    measured = _combine([{"score": 100, "weight": 70, "detail": "win rate"},
                         {"score": 50, "weight": 30, "detail": "budget accuracy"}])
    assert measured.score == Decimal("85.00")
    assert measured.detail == "win rate；budget accuracy"
    assert _combine([{"score": 80}, {"score": 60}]).score == Decimal("70.00")
