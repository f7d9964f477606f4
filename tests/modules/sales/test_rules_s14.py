"""Issue 14's missing rules of quotations, registrations and bids: quotation versions,
validity and approval deadlines read from their settings, R-S-013 recorded, F-S06's five parts,
task acceptance escalated."""
import pytest
from sqlalchemy import select

from core.extensions import db
from tests.modules.sales.test_presales import fix_price, quotation, registered, to_pricing

pytestmark = pytest.mark.modules("sales")


def sent_quotation(app, market, api, client):
    opp, _reg = registered(app, market, api, client)
    quote = quotation(market, api, opp, cost="90000.00")
    to_pricing(market, api, quote)
    assert fix_price(client, quote, "100000.00").status_code == 200
    status, body = api(market, "pse", "post", f"quotation/{quote['id']}/transitions/send", {})
    assert status == 200 and body["state"] == "quoted", body
    return opp, body


# ---- a. quotation versions ---------------------------------------------------------------------
def test_a_new_version_supersedes_the_old_which_stays_readable_and_linked(app, market, api, client):
    _opp, old = sent_quotation(app, market, api, client)
    assert old["revision"] == 1
    # The comment (what the customer asked) is required; nothing is half-made without it.
    status, body = api(market, "pse", "post", f"quotation/{old['id']}/transitions/new_version", {})
    assert status == 422, body
    status, body = api(market, "pse", "post", f"quotation/{old['id']}/transitions/new_version",
                       {"comment": "客户要求增加 200 点"})
    assert status == 200 and body["state"] == "superseded", body
    new_id = body["superseded_by_id"]
    assert new_id and new_id != old["id"]
    status, new = api(market, "pse", "get", f"quotation/{new_id}")
    assert status == 200 and new["state"] == "draft" and new["revision"] == 2
    assert new["number"] == f"{old['number']}-V2" and new["supersedes_id"] == old["id"]
    assert new["total_price"] == old["total_price"] and len(new["lines"]) == 1
    # The old version stays readable, no longer editable, and cannot be revised twice.
    status, again = api(market, "pse", "get", f"quotation/{old['id']}")
    assert status == 200 and again["state"] == "superseded" and again["superseded_by_id"] == new_id
    assert api(market, "pse", "patch", f"quotation/{old['id']}", {"title": "改"})[0] in (403, 409, 422)
    assert api(market, "pse", "post", f"quotation/{old['id']}/transitions/new_version", {"comment": "再改"})[0] in (409, 422)
    # The new draft is reviewed and priced again; its own new version is V3.
    to_pricing(market, api, new)
    assert fix_price(client, new, "100000.00").status_code == 200
    assert api(market, "pse", "post", f"quotation/{new_id}/transitions/send", {})[0] == 200
    status, body = api(market, "pse", "post", f"quotation/{new_id}/transitions/new_version", {"comment": "再降价"})
    assert status == 200, body
    status, third = api(market, "pse", "get", f"quotation/{body['superseded_by_id']}")
    assert third["revision"] == 3 and third["number"] == f"{old['number']}-V3"
    # The detail page shows both links.
    from tests.conftest import sign_in_as
    sign_in_as(client, "pse")
    page = client.get(f"/sales/quotation/{new_id}").get_data(as_text=True)
    assert old["number"] in page and third["number"] in page


def test_only_who_may_revise_quotations_makes_a_new_version(app, market, api, client):
    _opp, old = sent_quotation(app, market, api, client)
    status, body = api(market, "dir", "post", f"quotation/{old['id']}/transitions/new_version", {"comment": "x"})
    assert status == 422 and "permission" in body["error"], body   # core's answer to a transition not granted
    with app.app_context():
        from modules.sales.models import Quotation
        assert db.session.scalar(select(db.func.count()).select_from(Quotation)) == 1
