"""The cost baseline proposed from the contract's pre-sales budget when sales is in use (R-E-020,
engineering_cost_budget answered by sales), and sales' minimum margin used for the alert (R-E-021)."""
from decimal import Decimal

import pytest

from core.extensions import db
from tests.modules.sales.conftest import api, market  # noqa: F401  (sales' fixtures)
from tests.modules.sales.test_contracts import draft, won_equipment

from .conftest import make_project
from .test_costs import notes_of, post

pytestmark = pytest.mark.modules("engineering", "sales")


def test_the_baseline_starts_from_the_contracts_pre_sales_budget(app, market, api, eapi):
    opp = won_equipment(app, market, api, price="40000")          # cost 30000, 13 % VAT
    status, contract = draft(market, api, opp)
    assert status == 201, contract
    pid = make_project(app, market, sales_contract_id=contract["id"], contract_ref=contract["number"])
    status, sheet = eapi(market, "pe", "post", "cost_sheet", {"project_id": pid})
    assert status == 201, sheet
    assert sheet["budget_source"] == "presales"
    assert sheet["contract_amount_excl_tax"] == "40000.00" and Decimal(sheet["target_margin_pct"]) == Decimal(25)
    assert [(line["category"], line["budget"]) for line in sheet["lines"]] == [("equipment", "30000.00")]
    # A project created by hand is found by its contract's number; what the engineer typed stays.
    other = make_project(app, market, contract_ref=contract["number"])
    status, sheet = eapi(market, "pe", "post", "cost_sheet", {"project_id": other, "target_margin_pct": "20",
                                                             "lines": [{"category": "subcontract", "budget": "8000"}]})
    assert status == 201, sheet
    assert sheet["contract_amount_excl_tax"] == "40000.00" and sheet["target_margin_pct"] == "20.00"
    assert [line["category"] for line in sheet["lines"]] == ["subcontract"]
    # Without a contract nothing is proposed: the engineer types the budget.
    alone = make_project(app, market)
    status, body = eapi(market, "pe", "post", "cost_sheet", {"project_id": alone})
    assert status == 422 and "lines" in body["fields"]


def test_sales_minimum_margin_is_the_alerts(app, market, eapi):
    from core import settings
    with app.app_context():
        settings.set_value("sales.min_profit_margin_pct", "30")
        db.session.commit()
    pid = make_project(app, market)
    status, sheet = eapi(market, "pe", "post", "cost_sheet", {"project_id": pid, "contract_amount_excl_tax": "100000",
                                                             "target_margin_pct": "35",
                                                             "lines": [{"category": "equipment", "budget": "65000"}]})
    assert status == 201, sheet
    assert eapi(market, "pe", "post", f"cost_sheet/{sheet['id']}/transitions/submit", {})[0] == 200
    assert eapi(market, "eng_mgr", "post", f"cost_sheet/{sheet['id']}/transitions/approve", {})[0] == 200
    assert post(market, eapi, pid, "equipment", "actual", "66000")[0] == 201     # 34 %: above sales' 30 %
    assert notes_of(app, market["ids"]["pe"]) == []
    assert post(market, eapi, pid, "travel", "actual", "5000")[0] == 201        # 29 % < 30 % (engineering's is 5)
    assert len(notes_of(app, market["ids"]["pe"])) == 1
