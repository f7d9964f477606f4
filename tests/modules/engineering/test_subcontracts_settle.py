"""A subcontract is settled by its agreed final account (F-T12 inward) only, never by hand: a
subcontract in progress does not wait in the 工程部经理's 待我处理 for months, and nobody marks it
settled without the final account that deducts its penalties and material charges (found by
issue 18's browser test)."""
import pytest

from .test_subcontracts import act, signed_subcontract, teams  # noqa: F401  (fixture)
from .test_subcontracts_money import set_state

pytestmark = pytest.mark.modules("engineering")


def test_in_progress_subcontract_is_not_settled_by_hand_nor_waits_in_the_inbox(app, team, eapi, eweb, teams):  # noqa: F811
    from modules.engineering.subcontracts import Subcontract
    _pid, sub = signed_subcontract(app, team, eapi, teams)
    set_state(app, Subcontract, sub["id"], "in_progress")
    inbox = eweb("eng_mgr").get("/inbox").get_data(as_text=True)
    assert sub["number"] not in inbox
    status, _body = act(eapi, team, "eng_mgr", f"subcontract/{sub['id']}", "settle")
    assert status in (403, 404, 409, 422)
    status, doc = eapi(team, "eng_mgr", "get", f"subcontract/{sub['id']}")
    assert doc["state"] == "in_progress"
    page = eweb("eng_mgr").get(f"/engineering/subcontract/{sub['id']}").get_data(as_text=True)
    assert 'data-transition="settle"' not in page
