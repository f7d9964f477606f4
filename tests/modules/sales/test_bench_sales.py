"""The benchmark's sales scenario (bench/sales.py, ``python -m bench --only sales``) on a tiny row
count, so CI runs it: its generator, each measured call, its statement counts at a tenth of the
rows and at all of them, and the report's Sales section. The ageing it times must give the sums a
reader of the lines would compute."""
from argparse import Namespace
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from core.extensions import db

pytestmark = pytest.mark.modules("sales")


def expected_ageing(user_id, by, as_of, area_ids=None):
    """The ageing computed in Python from every line: {key: {bucket: amount}}."""
    from modules.sales.collections import OPEN, Collection
    out = {}
    for line in db.session.scalars(select(Collection).where(Collection.state.in_(OPEN))):
        if area_ids is not None and line.area_id not in area_ids and line.owner_id != user_id:
            continue
        due = line.due_date
        days = (as_of - due).days if due is not None else 0
        bucket = ("not_due" if days <= 0 else "d30" if days <= 30 else "d90" if days <= 90
                  else "d180" if days <= 180 else "over180")
        key = line.owner_id if by == "owner" else line.area_id
        amounts = out.setdefault(key, {})
        amounts[bucket] = amounts.get(bucket, Decimal(0)) + line.amount
    return out


def test_the_sales_scenario_runs_and_its_statements_do_not_grow_with_the_rows(app):
    from bench import run, sales
    args = Namespace(sales_contracts=40, sales_repeat=3)
    result = {"kind": "sqlite", "load_before": (0, 0, 0), "load_after": (0, 0, 0),
              "sales": run.bench_sales(app, args, "sqlite")}
    tenth, full = result["sales"]["tenth"], result["sales"]["full"]
    assert tenth["counts"]["collections"] == 40 and full["counts"]["collections"] == 400
    assert full["counts"]["contracts"] == 40 and full["counts"]["customers"] == 4
    assert [f["name"] for f in full["figures"]] == [name for name, _user, _call in sales.calls(None)]
    for small, whole in zip(tenth["figures"], full["figures"]):
        assert small["statements"] == whole["statements"] == whole["statements_min"], (small, whole)
        assert whole["rows"] > 0, whole
    ageing = {f["name"]: f["statements"] for f in full["figures"] if f["name"].startswith("ageing")}
    assert set(ageing.values()) == {2}  # the grouped sums, then the owners' or areas' names
    text = "\n".join(run.sales_report([result], args))
    assert "Sales (issue 15)" in text and "Targets (issue 15)" in text and "CHANGES WITH THE ROWS" not in text


def test_the_ageing_timed_gives_the_sums_of_the_lines(app):
    from core.auth.models import User
    from modules.sales.collections import ageing
    from modules.sales.models import Area
    from bench import sales
    with app.app_context():
        filled = sales.fill(app, 30)
    as_of = filled["today"]
    with app.test_request_context():
        mgr = db.session.scalar(select(User).where(User.username == "bench_s_mgr"))
        aam = db.session.scalar(select(User).where(User.username == "bench_s_aam"))
        his = set(db.session.scalars(select(Area.id).where(Area.manager_id == aam.id)))
        assert his
        for user, areas in ((mgr, None), (aam, his)):
            for by in ("owner", "area"):
                got = {r.key: {b: a for b, a in r.amounts.items() if a} for r in ageing(user, by, as_of)}
                want = {k: {b: a for b, a in v.items() if a}
                        for k, v in expected_ageing(user.id, by, as_of, areas).items()}
                assert got == want, (user.username, by)
        # On a bucket's first and last day (the bounds are dates computed in Python).
        for shift in (0, 1, 30, 31, 90, 91, 180, 181):
            day = as_of + timedelta(days=shift)
            got = {r.key: {b: a for b, a in r.amounts.items() if a} for r in ageing(mgr, "owner", day)}
            want = {k: {b: a for b, a in v.items() if a} for k, v in expected_ageing(mgr.id, "owner", day).items()}
            assert got == want, shift
