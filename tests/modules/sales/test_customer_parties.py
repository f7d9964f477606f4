"""A customer's party record follows the customer (SPEC 5.7, issue #10 item 9): the party pages
show and edit it only for those the customer admits; parties no profile covers stay master data."""
import pytest
from sqlalchemy import select

from core.extensions import db
from core.parties import Party, services
from tests.conftest import sign_in_as
from tests.core.test_parties import party_form
from tests.modules.sales.test_presales import customer

pytestmark = pytest.mark.modules("sales")

HOSPITAL = "深圳市第一人民医院"
SUPPLIER = "广州网联设备有限公司"   # sorts before HOSPITAL


@pytest.fixture
def parties(app, market, api):
    """The party of `am`'s customer (area SZ, managed by `aam`) and a supplier no profile covers."""
    customer(app, market, api, name=HOSPITAL)
    with app.app_context():
        supplier = services.create_party(SUPPLIER, ["supplier"], phone="020-1")
        db.session.commit()
        hospital = db.session.scalar(select(Party.id).where(Party.name == HOSPITAL))
        return {"hospital": hospital, "supplier": supplier.id}


def phone_of(app, party_id):
    with app.app_context():
        return db.session.get(Party, party_id).phone


def edit_phone(client, app, party_id, phone):
    with app.app_context():
        party = db.session.get(Party, party_id)
        data = party_form(name=party.name, short_name="", roles=party.role_codes, phone=phone,
                          version=str(party.version))
    return client.post(f"/parties/{party_id}/edit", data=data)


def listed(client, query=""):
    return client.get(f"/parties/?status=all{query}").get_data(as_text=True)


def test_another_account_manager_neither_sees_nor_edits_the_customers_party(app, client, market, parties):
    hospital = parties["hospital"]
    sign_in_as(client, "am2")   # a 客户经理 with no customers
    page = listed(client)
    assert SUPPLIER in page and HOSPITAL not in page
    assert client.get(f"/parties/{hospital}").status_code == 404
    assert client.get(f"/parties/{hospital}/edit").status_code == 404
    assert edit_phone(client, app, hospital, "13800000000").status_code == 404
    assert client.post(f"/parties/{hospital}/contacts", data={"name": "王主任"}).status_code == 404
    assert phone_of(app, hospital) == ""
    with app.app_context():
        assert db.session.get(Party, hospital).contacts == []
    # Paging after a party he may not see does not tell where its name sorts.
    assert SUPPLIER in listed(client, f"&after={hospital}")
    # Master data stays his to edit.
    assert edit_phone(client, app, parties["supplier"], "020-2").status_code == 302
    assert phone_of(app, parties["supplier"]) == "020-2"


def test_the_owner_and_the_market_manager_edit_it(app, client, market, parties):
    hospital = parties["hospital"]
    sign_in_as(client, "am")
    assert HOSPITAL in listed(client)
    assert 'id="edit-party"' in client.get(f"/parties/{hospital}").get_data(as_text=True)
    assert edit_phone(client, app, hospital, "0755-1").status_code == 302
    assert client.post(f"/parties/{hospital}/contacts", data={"name": "王主任"}).status_code == 302
    sign_in_as(client, "mgr")
    assert edit_phone(client, app, hospital, "0755-2").status_code == 302
    assert phone_of(app, hospital) == "0755-2"


@pytest.mark.parametrize("who", ["aam", "ast", "dir"])
def test_those_who_only_read_the_customer_see_the_party_without_editing(app, client, market, parties, who):
    """The area's 片区客户经理, the 市场部助理 and the 市场总监 read the customer (SPEC 5.7)."""
    hospital = parties["hospital"]
    sign_in_as(client, who)
    assert HOSPITAL in listed(client)
    page = client.get(f"/parties/{hospital}")
    assert page.status_code == 200
    assert 'id="edit-party"' not in page.get_data(as_text=True)
    assert 'id="contact-form"' not in page.get_data(as_text=True)
    assert edit_phone(client, app, hospital, "13800000000").status_code == 403
    assert client.post(f"/parties/{hospital}/contacts", data={"name": "王主任"}).status_code == 403
    assert phone_of(app, hospital) == ""


@pytest.mark.parametrize("who", ["pe", "eng_mgr"])
def test_engineering_does_not_see_customers_it_has_no_project_for(app, client, market, parties, who):
    sign_in_as(client, who)
    page = listed(client)
    assert SUPPLIER in page and HOSPITAL not in page
    assert client.get(f"/parties/{parties['hospital']}").status_code == 404
