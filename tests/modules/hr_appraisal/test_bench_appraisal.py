"""The benchmark's appraisal scenario (bench/appraisal.py, ``python -m bench --only appraisal``)
on a tiny staff, so CI runs it: its generator (staff with roles and positions, a year of weekly
reports, self-checks, visit logs, weekly summaries, penalties, sales plans with personal targets,
contracts and collections, purchase orders and receipts), a cycle started and closed through the
workflow for a third of the staff and then for all of them with the same statements besides the
rows' INSERTs, every sheet measured and frozen, every KPI the generated year measures with a value
on every sheet that has it (KPI coverage), and the report's Appraisal section."""
from argparse import Namespace

import pytest
from sqlalchemy import func, select

from core.extensions import db

pytestmark = pytest.mark.modules("hr_appraisal", "engineering", "sales", "procurement")


def test_the_appraisal_scenario_runs_and_its_statements_do_not_grow_with_the_people(app):
    from bench import run
    result = {"kind": "sqlite", "appraisal": run.bench_appraisal(app, Namespace(hr_staff=12), "sqlite")}
    assert "skipped" not in result["appraisal"], result
    small, large = result["appraisal"]["figures"]
    assert (small["people"], large["people"]) == (4, 12)
    assert small["sheets"] >= 4 and large["sheets"] >= 12 and large["sheets"] - small["sheets"] == 8
    for name in ("start", "close"):
        assert small[name]["statements"] == large[name]["statements"], (name, small, large)
    assert large["measured"] == large["sheets"]          # every sheet has its total
    counts = large["counts"]
    assert counts["staff"] == 12 and counts["weekly_reports"] > 0 and counts["visit_logs"] > 0
    assert counts["weekly_summaries"] > 0 and counts["selfchecks"] > 0
    assert counts["contracts"] > 0 and counts["collections"] == 3 * counts["contracts"]
    assert counts["purchase_order_lines"] > 0
    # 5 engineers, 4 客户经理 and 3 buyers (i % 3): what the generated year measures, every sheet
    # of its people has a value, in both cycles (the first cycle's month is inside the year too).
    for figures, (engineers, market) in ((small, (2, 1)), (large, (5, 4))):
        coverage = figures["coverage"]
        assert coverage["KPI-PROJECT-EVAL"] == (engineers, 0), coverage
        assert coverage["KPI-SALES-OWN"] == (market, 0), coverage
        for code in ("KPI-REPORT-TIMELINESS", "KPI-REPORT-QUALITY"):
            assert coverage[code] == (engineers + market, 0), (code, coverage)
        assert coverage["KPI-COMPLIANCE"] == (figures["sheets"], 0), coverage
        buyers = figures["sheets"] - engineers - market
        # Procurement answers hr_appraisal_metrics: every buyer measured.
        for code in ("KPI-PUR-TIMELINESS", "KPI-PUR-COST"):
            assert coverage[code] == (buyers, 0), (code, coverage)
    text = "\n".join(run.appraisal_report([result]))
    assert "Appraisal (issue 19)" in text and "CHANGES WITH THE PEOPLE" not in text
    assert "KPI coverage" in text and "KPI-SALES-OWN 4/4" in text

    from modules.hr_appraisal.cycles import AppraisalSheet
    with app.app_context():
        open_sheets = db.session.scalar(select(func.count()).select_from(AppraisalSheet)
                                        .where(AppraisalSheet.state != "closed"))
    assert open_sheets == 0
