"""Procurement's events on the project's costs (I-04): an approved order commits the lines naming
the project, an accepted receipt turns what it accepted from committed into actual; the project's
purchase request goes to procurement (I-03)."""
from decimal import Decimal

import pytest
from sqlalchemy import select

from core.extensions import db
from tests.modules.procurement.test_orders import contracted, line
from tests.modules.procurement.test_receipts import inspected_and_accepted, register, row

from .conftest import make_project
from .test_costs import approved_baseline, table_of

pytestmark = pytest.mark.modules("engineering", "procurement")


@pytest.fixture
def papi(app):
    """papi(team, name, method, path, json=None) -> (status, body) on /api/v1/procurement/."""
    client = app.test_client()

    def call(people, name, method, path, json=None):
        response = getattr(client, method)(f"/api/v1/procurement/{path}", json=json, headers=people["headers"][name])
        return response.status_code, response.get_json()
    return call


def test_an_approved_order_commits_and_the_accepted_receipt_spends(app, team, eapi, eweb, papi):
    pid = make_project(app, team)
    approved_baseline(team, eapi, pid)
    number = eapi(team, "pe", "get", f"project/{pid}")[1]["number"]
    order = contracted(app, team, papi, eweb,
                       line(qty="10", price="5000", project_ref=f"{number} 市一中"),
                       line("六类非屏蔽双绞线", qty="20", price="600", project_ref=number),
                       line("办公室打印机", qty="1", price="2000", project_ref=""))
    rows = {r.category: r for r in table_of(app, pid).rows}
    assert rows["equipment"].committed == Decimal(50000) and rows["main_material"].committed == Decimal(12000)
    assert table_of(app, pid).total.committed == Decimal(62000)          # the printer is not the project's
    status, postings = eapi(team, "pe", "get", "cost_posting")
    assert status == 200 and {p["reference"] for p in postings["items"]} == {order["number"]}
    assert {p["source"] for p in postings["items"]} == {"procurement"}
    receipt = register(team, papi, order)
    receipt = inspected_and_accepted(team, papi, receipt, [row(4, "passed"), row(20, "passed"), row(0)],
                                     inspector="pe")
    table = table_of(app, pid)
    rows = {r.category: r for r in table.rows}
    assert (rows["equipment"].committed, rows["equipment"].actual) == (Decimal(30000), Decimal(20000))
    assert (rows["main_material"].committed, rows["main_material"].actual) == (Decimal(0), Decimal(12000))
    status, postings = eapi(team, "pe", "get", f"cost_posting?size=100")
    assert sum(1 for p in postings["items"] if p["reference"] == receipt["number"]) == 4


def test_the_projects_purchase_request_goes_to_procurement(app, team, eweb):
    from modules.engineering.projects import EngProject, ProjectScopeLine
    from modules.procurement.requests import PurchaseRequest
    pid = make_project(app, team)
    with app.app_context():
        db.session.add_all([
            ProjectScopeLine(project_id=pid, item="六类非屏蔽双绞线", brand_model="康普", qty=Decimal(30), unit="箱",
                             supply_by="ours"),
            ProjectScopeLine(project_id=pid, item="机柜", qty=Decimal(2), unit="台", supply_by="customer")])
        db.session.commit()
        number = db.session.get(EngProject, pid).number
    assert eweb("pe2").post(f"/engineering/project/{pid}/request-purchase").status_code == 404
    response = eweb("pe").post(f"/engineering/project/{pid}/request-purchase", follow_redirects=True)
    assert response.status_code == 200
    with app.app_context():
        request = db.session.scalar(select(PurchaseRequest).where(PurchaseRequest.project_ref == number))
        assert request is not None and request.owner_id == team["ids"]["pe"] and request.project_related
        assert [(x.item, x.qty) for x in request.lines] == [("六类非屏蔽双绞线", Decimal(30))]
        assert request.number in response.get_data(as_text=True)
