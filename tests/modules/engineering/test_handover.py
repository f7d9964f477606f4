"""I-05 with both modules on, end to end through sales' own API: the 工程部经理 accepts the
implementation handover, the project opens with the contract's data and sales shows its number;
a supplement changes the project's contract amount; terminating the contract cancels the project."""
import pytest

from core.extensions import db
from tests.modules.sales.conftest import api, market, web  # noqa: F401  (sales' fixtures)
from tests.modules.sales.test_contracts import handed_over_contract, people  # noqa: F401
from tests.modules.sales.test_deal import act

pytestmark = pytest.mark.modules("sales", "engineering")


def test_accepted_handover_opens_the_project(app, people, api, web):  # noqa: F811
    contract, handover = handed_over_contract(app, people, api, web)
    status, body = act(people, api, "eng_mgr", "handover", handover["id"], "approve")
    assert status == 200, body
    reference = body["project_ref"]
    assert reference.startswith("GC-"), body
    assert api(people, "mgr", "get", f"contract/{contract['id']}")[1]["project_ref"] == reference
    from modules.engineering.projects import EngProject
    with app.app_context():
        project = db.session.query(EngProject).filter_by(number=reference).one()
        assert (project.title, project.site_address, project.supervision_mode, project.supervisor_firm) == (
            "科技园核心网络", "深圳湾科技园A座", "firm", "深圳建科监理")
        assert project.contract_ref == contract["number"] and project.sales_contract_id == contract["id"]
        assert project.contract_amount == 45200 and project.warranty_months == 36
        assert project.project_type == "network"          # a core switch: a network project, no cabling test
        assert [line.item for line in project.scope] == ["核心交换机"]
        assert project.state == "received" and project.assign_due_at is not None
    # The engineering manager is told a project waits for its engineer.
    page = web("eng_mgr").get("/notifications").get_data(as_text=True)
    assert reference in page
