"""The benchmark's engineering scenario (bench/engineering.py, ``python -m bench --only
engineering``) on a tiny row count, so CI runs it: its generator fills projects, F-T forms of every
type of the family, the busy project's cost postings, penalties, after-sales tickets and
construction teams; every page it times answers as the user
would see it with the same statements at a tenth of the rows and at all of them; the cost table it
times sums the postings; the report's Engineering section."""
from argparse import Namespace
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from core.extensions import db

from bench.orders import MANIFEST as BENCH_ORDERS

# The benchmark's own orders module: its list page is the scenario's reference.
pytestmark = [pytest.mark.modules("engineering", "bench"), pytest.mark.manifests(BENCH_ORDERS)]


def test_the_engineering_scenario_runs_and_its_statements_do_not_grow_with_the_rows(app):
    from bench import run
    args = Namespace(eng_projects=40, eng_forms=400, eng_postings=50, sales_repeat=3, rows=60)
    result = {"kind": "sqlite", "engineering": run.bench_engineering(app, args, "sqlite")}
    tenth, full = result["engineering"]["tenth"], result["engineering"]["full"]
    assert full["counts"] == {"projects": 40, "forms": 400, "postings": 50, "penalty": 40, "service_ticket": 40,
                              "team": 40}
    assert tenth["counts"] == {"projects": 4, "forms": 40, "postings": 5, "penalty": 4, "service_ticket": 4, "team": 4}
    keys = [f["key"] for f in full["figures"]]
    assert keys == ["reference", "reference_detail", "list_mgr", "list_pe", "project", "form_list", "penalty_list",
                    "service_ticket_list", "team_list", "cost_page", "pdf", "cost_table"]
    for small, whole in zip(tenth["figures"], full["figures"]):
        assert small["statements"] == whole["statements"] == whole["statements_min"], (small, whole)
    text = "\n".join(run.engineering_report([result]))
    assert "Engineering (issue 17)" in text and "Targets (issue 17)" in text and "CHANGES WITH THE ROWS" not in text

    # What was generated is what the pages show: every form type has rows, the engineer sees
    # only his projects, and the cost table the benchmark times sums the busy project's postings.
    from modules.engineering.costs import CostPosting, cost_table
    from modules.engineering.forms import REGISTRY
    from modules.engineering.projects import EngProject
    with app.test_request_context("/"):
        for built in REGISTRY.values():
            assert db.session.scalar(select(func.count()).select_from(built.model)) > 0, built.form.code
        states = set(db.session.scalars(select(EngProject.state)))
        assert len(states) >= 8
        busy = db.session.scalar(select(EngProject).where(EngProject.number == "GC-BUSY"))
        busy_id = busy.id
        table = cost_table(busy)
        posted = db.session.scalar(select(func.sum(CostPosting.amount)).where(CostPosting.project_id == busy.id))
        assert table.total.committed + table.total.actual == posted > Decimal(0)
        assert table.sheet is not None and table.total.budget > 0
        # The project's page lists each form type's latest forms of the project (one statement
        # for all the lists), not another project's.
        latest = [db.session.scalar(select(b.model.number).where(b.model.project_id == busy_id)
                                    .order_by(b.model.id.desc()).limit(1)) for b in REGISTRY.values()]
        elsewhere = db.session.scalar(select(REGISTRY["ft01"].model.number).where(
            REGISTRY["ft01"].model.project_id != busy_id).limit(1))

    manager = app.test_client()
    from bench.engineering import sign_in
    sign_in(manager, "bench_e_mgr", f"/engineering/project/{busy_id}")
    page = manager.get(f"/engineering/project/{busy_id}").get_data(as_text=True)
    assert all(number in page for number in latest if number) and elsewhere not in page

    client = app.test_client()
    sign_in(client, "bench_e_pe2", "/engineering/project/")
    with app.app_context():
        from core.auth.models import User
        pe2 = db.session.scalar(select(User.id).where(User.username == "bench_e_pe2"))
        theirs = db.session.scalars(select(EngProject.number).where(
            (EngProject.engineer_id == pe2) | (EngProject.deputy_engineer_id == pe2))).all()
        others = db.session.scalars(select(EngProject.number).where(
            EngProject.engineer_id != pe2,
            (EngProject.deputy_engineer_id != pe2) | EngProject.deputy_engineer_id.is_(None),
            EngProject.state != "received")).all()
    page = client.get("/engineering/project/").get_data(as_text=True)
    assert theirs and all(number in page for number in theirs)
    assert others and not any(number in page for number in others)
    assert client.get(f"/engineering/project/{busy_id}").status_code in (403, 404)
