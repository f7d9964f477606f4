"""A field hidden from the reader (cost, margin) cannot be sorted or filtered by: the order of the
rows would reveal it. Refused with a 400 naming the field, in pages, exports and the API."""
import pytest

from tests.conftest import sign_in_as

pytestmark = pytest.mark.workshop


def create(client, title, cost):
    response = client.post("/workshop/request/new", data={
        "title": title, "amount": "100", "cost": cost, "lines-0-item": "网线", "lines-0-qty": "1"})
    assert response.status_code == 302


def test_sorting_or_filtering_by_a_hidden_field_is_refused(client, make_user, login_as):
    login_as("ROLE-MKT-AM")  # may not see costs (workshop.cost.view)
    create(client, "贵", "900")
    create(client, "便宜", "100")

    for url in ("/workshop/request/?sort=cost", "/workshop/request/?sort=-cost",
                "/workshop/request/export.csv?sort=-cost", "/workshop/request/export.xlsx?sort=cost"):
        page = client.get(url)
        assert page.status_code == 400, url
        assert "You may not sort or filter by “Cost”" in page.get_data(as_text=True), url
    assert client.get("/workshop/request/?cost=900").status_code == 400
    assert client.get("/workshop/request/?price=1").status_code == 400  # a hidden line column too

    api = client.get("/api/v1/workshop/request?sort=-cost")
    assert api.status_code == 400
    assert api.get_json()["fields"] == {"sort": ["You may not sort or filter by “Cost”: it is hidden from you."]}
    assert client.get("/api/v1/workshop/request?cost=900").get_json()["fields"].keys() == {"cost"}

    client.post("/language", data={"language": "zh_CN"})
    page = client.get("/workshop/request/?sort=cost").get_data(as_text=True)   # "Cost" itself: a module's word
    assert "不能按“" in page and "”排序或筛选" in page

    # Visible fields sort as before; whoever may see the cost sorts by it.
    assert client.get("/workshop/request/?sort=-amount").status_code == 200
    make_user("manager", "ROLE-MKT-MGR")
    sign_in_as(client, "manager")
    assert client.get("/api/v1/workshop/request?sort=-cost").status_code == 200
    assert client.get("/workshop/request/export.csv?sort=-cost").status_code == 200
