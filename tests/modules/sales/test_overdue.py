"""Overdue computed from the deadline and the clock (issue 12, item 2): a draft past its deadline
is overdue before anyone submits it, in the list (column and filter), the detail page and the API;
handing it in ends it."""
import pytest

from tests.conftest import sign_in_as
from tests.modules.sales.test_visits import act, report_payload

pytestmark = pytest.mark.modules("sales")


def overdue_in_list(client, market, who, **args):
    response = client.get("/api/v1/sales/regional_report", query_string=args, headers=market["headers"][who])
    assert response.status_code == 200, response.get_json()
    return {row["id"]: row["overdue"] for row in response.get_json()["items"]}


def test_a_draft_report_past_its_deadline_is_overdue_everywhere_until_submitted(app, market, api, client, clock):
    clock("2026-06-30 17:00")                      # due 30 June 18:00 (quarter end)
    status, report = api(market, "aam", "post", "regional_report", report_payload(app))
    assert status == 201 and report["overdue"] is False, report
    assert overdue_in_list(client, market, "mgr") == {report["id"]: False}   # 10:00 in UTC as stored
    assert overdue_in_list(client, market, "mgr", overdue="1") == {}
    clock("2026-06-30 18:01")
    status, report = api(market, "aam", "get", f"regional_report/{report['id']}")
    assert report["overdue"] is True                # never submitted, and yet overdue
    assert overdue_in_list(client, market, "mgr") == {report["id"]: True}
    assert overdue_in_list(client, market, "mgr", overdue="1") == {report["id"]: True}
    assert overdue_in_list(client, market, "mgr", overdue="0") == {}

    sign_in_as(client, "mgr")
    page = client.get("/sales/regional_report/?overdue=1").get_data(as_text=True)
    assert report["number"] in page
    assert report["number"] not in client.get("/sales/regional_report/?overdue=0").get_data(as_text=True)
    detail = client.get(f"/sales/regional_report/{report['id']}").get_data(as_text=True)
    assert "逾期" in detail or "Overdue" in detail

    status, report = act(market, api, "aam", "regional_report", report["id"], "submit")
    assert status == 200 and report["overdue"] is False and report["submitted_late"] is True
    assert overdue_in_list(client, market, "mgr", overdue="1") == {}
