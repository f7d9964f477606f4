"""The penalty's page shows what a person reads, not the internal key that keeps an automatic
proposal from being made twice (found by issue 18's browser test)."""
import pytest

from core.extensions import db

from .test_penalties import make_team, propose

pytestmark = pytest.mark.modules("engineering")


def test_page_and_api_do_not_show_the_proposal_key(app, team, eapi, eweb):
    from modules.engineering.penalties import Penalty
    doc = propose(app, team, eapi, "P-03", team_party_id=make_team(app), severity="major",
                  evidence_ref="GC16-2026-0001")
    with app.app_context():
        db.session.get(Penalty, doc["id"]).source_key = "ft16_issued:eng_ft16:1:P-03:team:1"
        db.session.commit()
    html = eweb("eng_mgr").get(f"/engineering/penalty/{doc['id']}").get_data(as_text=True)
    assert "GC16-2026-0001" in html and "800.00" in html
    assert "ft16_issued" not in html
    status, body = eapi(team, "eng_mgr", "get", f"penalty/{doc['id']}")
    assert status == 200 and "source_key" not in body and body["evidence_ref"] == "GC16-2026-0001"
