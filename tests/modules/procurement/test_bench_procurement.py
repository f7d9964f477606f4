"""The benchmark's procurement scenario (bench/procurement.py, ``python -m bench --only
procurement``) on a tiny row count, so CI runs it: its generator, the scorecard and the payables
ageing measured with the same statements at a tenth of the rows and at all of them, the 200-line
delivery received through the workflow, and the report's Procurement section. The ageing it times
must give the sums a reader of the payables would compute."""
from argparse import Namespace
from decimal import Decimal

import pytest
from sqlalchemy import select

from core import calendar_today
from core.extensions import db

pytestmark = pytest.mark.modules("procurement")


def test_the_procurement_scenario_runs_and_its_statements_do_not_grow_with_the_rows(app):
    from bench import run
    args = Namespace(procurement_orders=200, procurement_suppliers=20, sales_repeat=3)
    result = {"kind": "sqlite", "procurement": run.bench_procurement(app, args, "sqlite")}
    tenth, full = result["procurement"]["tenth"], result["procurement"]["full"]
    assert full["counts"]["orders"] >= 200 and full["counts"]["suppliers"] == 20
    assert full["counts"]["receipt_lines"] > full["counts"]["orders"]
    for small, whole in zip(tenth["figures"][:2], full["figures"][:2]):
        assert small["statements"] == whole["statements"] == whole["statements_min"], (small, whole)
    receiving = full["figures"][2]
    assert receiving["name"].startswith("receiving a 200-line delivery") and receiving["rows"] == 200
    text = "\n".join(run.procurement_report([result]))
    assert "Procurement (issue 16)" in text and "Targets (issue 16)" in text and "CHANGES WITH THE ROWS" not in text

    # The ageing the benchmark times is what the payables say.
    from modules.procurement.payables import OPEN, Payable, ageing
    from core.auth.models import User
    today = calendar_today.today()
    with app.test_request_context("/"):
        manager = db.session.scalar(select(User).where(User.username == "bench_p_mgr"))
        expected: dict = {}
        for p in db.session.scalars(select(Payable).where(Payable.state.in_(OPEN))):
            days = (today - p.due_date).days
            bucket = ("not_due" if days <= 0 else "d30" if days <= 30 else "d60" if days <= 60
                      else "d90" if days <= 90 else "over90")
            amounts = expected.setdefault(p.supplier_id, {})
            amounts[bucket] = amounts.get(bucket, Decimal(0)) + p.open_amount
        assert {row.supplier_id: row.amounts for row in ageing(manager, today)} == expected
        assert expected
