"""The timeline as staff read it (issue 12, item 6): field labels, values as shown elsewhere,
people's names, the action's name rather than its code, and no print entries."""
import re

import pytest

from core.extensions import db
from tests.conftest import sign_in_as
from tests.modules.sales.test_presales import registered

pytestmark = pytest.mark.modules("sales")


def timeline(client, url):
    page = client.get(url).get_data(as_text=True)
    block = page[page.index('id="timeline"'):]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", block[:block.index("</ul>")]))


def test_the_timeline_names_fields_people_and_actions_as_staff_read_them(app, market, api, client):
    from core.auth.models import User
    with app.app_context():
        db.session.get(User, market["ids"]["pse"]).full_name = "孙工"
        db.session.get(User, market["ids"]["ps_mgr"]).full_name = "李经理"
        db.session.commit()
    _opp, reg = registered(app, market, api, client)
    sign_in_as(client, "mgr")
    url = f"/sales/registration/{reg['id']}"
    client.get(url + "/print")
    text = timeline(client, url)
    assert "Sign and assign pre-sales" in text and "李经理" in text       # the action and who took it
    assert "Pre-sales lead: — → 孙工" in text                           # a label and a name
    assert "presales_lead_id" not in text and "(assign)" not in text and "ps_mgr" not in text
    assert "print" not in text.lower()
    customer = api(market, "am", "get", f"customer/{_opp['customer_id']}")[1]
    status, _body = api(market, "am", "patch", f"customer/{customer['id']}", {"version": customer["version"], "credit": "poor"})
    assert status == 200
    assert "Credit: Good → Poor" in timeline(client, f"/sales/customer/{customer['id']}")   # translated choices


def test_a_related_panel_opens_the_related_form_pre_filled(app, market, api, client):
    from tests.modules.sales.test_presales import opportunity
    opp = opportunity(app, market, api)
    sign_in_as(client, "am")
    page = client.get(f"/sales/opportunity/{opp['id']}").get_data(as_text=True)
    panel = page[page.index('data-related="sales.registration"'):]
    link = re.search(r'href="([^"]+)"', panel[:panel.index("</h2>")]).group(1).replace("&amp;", "&")
    assert link == f"/sales/registration/new?opportunity_id={opp['id']}"
    form = client.get(link).get_data(as_text=True)
    select = form[form.index('name="opportunity_id"'):]
    assert re.search(rf'<option selected value="{opp["id"]}"|<option value="{opp["id"]}" selected', select[:select.index("</select>")])
    sign_in_as(client, "ps_mgr")   # may not register: no button
    page = client.get(f"/sales/opportunity/{opp['id']}").get_data(as_text=True)
    if 'data-related="sales.registration"' in page:
        panel = page[page.index('data-related="sales.registration"'):]
        assert "data-new-related" not in panel[:panel.index("</h2>")]


def test_an_empty_dropdown_says_why(app, market, api, client):
    from tests.modules.sales.test_presales import opportunity
    opportunity(app, market, api)       # a lead: no approved registration, so no budget for it yet
    sign_in_as(client, "pse")
    body = client.get("/sales/quotation/choices/opportunity").get_json()
    assert body["items"] == [] and "approved project registration" in body["empty"]
    body = client.get("/sales/quotation/choices/opportunity?q=不存在的项目").get_json()
    assert body["items"] == [] and "不存在的项目" in body["empty"]


def test_only_the_branch_of_the_information_type_is_offered(app, market, api, client):
    from tests.modules.sales.test_presales import opportunity
    opp = opportunity(app, market, api, info_type="equipment")
    sign_in_as(client, "am")
    page = client.get(f"/sales/opportunity/{opp['id']}").get_data(as_text=True)
    assert 'data-transition="follow_equipment"' in page
    assert 'data-transition="follow_engineering"' not in page and 'data-transition="follow_tender"' not in page
    status, body = api(market, "am", "post", f"opportunity/{opp['id']}/transitions/follow_tender", {})
    assert status == 422 and "does not apply" in body["error"] + str(body.get("fields", ""))
    assert api(market, "am", "post", f"opportunity/{opp['id']}/transitions/follow_equipment", {})[1]["state"] == "equip_in_progress"
