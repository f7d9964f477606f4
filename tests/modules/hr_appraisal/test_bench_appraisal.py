"""The benchmark's appraisal scenario (bench/appraisal.py, ``python -m bench --only appraisal``)
on a tiny staff, so CI runs it: its generator (staff with roles and positions, a year of weekly
reports, visit logs, weekly summaries and penalties), a cycle started and closed through the
workflow for a third of the staff and then for all of them with the same statements besides the
rows' INSERTs, every sheet measured and frozen, and the report's Appraisal section."""
from argparse import Namespace

import pytest
from sqlalchemy import func, select

from core.extensions import db

pytestmark = pytest.mark.modules("hr_appraisal", "engineering", "sales")


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
    assert counts["weekly_summaries"] > 0
    text = "\n".join(run.appraisal_report([result]))
    assert "Appraisal (issue 19)" in text and "CHANGES WITH THE PEOPLE" not in text

    from modules.hr_appraisal.cycles import AppraisalSheet
    with app.app_context():
        open_sheets = db.session.scalar(select(func.count()).select_from(AppraisalSheet)
                                        .where(AppraisalSheet.state != "closed"))
    assert open_sheets == 0
