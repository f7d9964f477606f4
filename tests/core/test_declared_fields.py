"""A document type declared as fields only (tests/plugins/workshop/specimen.py: a field of every
kind, no form, schema or column code) gets its form, API schema, list, filters, print and guards."""
import json
import re

import pytest
from sqlalchemy import select

from core.api.models import ApiToken
from core.auth.models import User
from core.extensions import db
from tests.conftest import sign_in_as

pytestmark = pytest.mark.workshop
BASE = "/api/v1/workshop/specimen"


@pytest.fixture
def people(app, make_user):
    ids = {"am": make_user("am", "ROLE-MKT-AM"), "am2": make_user("am2", "ROLE-MKT-AM"),
           "mgr": make_user("mgr", "ROLE-MKT-MGR"), "pe": make_user("pe", "ROLE-ENG-PE"),
           "gm": make_user("gm", "ROLE-GM")}
    headers = {}
    with app.app_context():
        for name in ("am", "am2", "mgr"):
            token, secret = ApiToken.issue(db.session.get(User, ids[name]), "t")
            db.session.add(token)
            headers[name] = {"Authorization": f"Bearer {secret}"}
        db.session.commit()
    return {"ids": ids, "headers": headers}


def body(**overrides):
    data = {"title": "机房布线", "site": "一号楼", "notes": "先勘察", "points": 48, "ratio": "0.1250",
            "budget": "12000.00", "margin": "12.50", "survey_on": "2026-12-10", "start_at": "2026-12-11T09:30:00",
            "urgent": True, "level": "2", "tags": ["cabling", "cctv"], "team_ack_name": "王师傅",
            "team_ack_org": "恒通施工队", "lines": [{"item": "六类线", "qty": 3}]}
    data.update(overrides)
    return data


def test_the_api_schema_comes_from_the_fields(client, people):
    created = client.post(BASE, json=body(inspector_id=people["ids"]["pe"]), headers=people["headers"]["am"])
    assert created.status_code == 201, created.get_json()
    doc = created.get_json()
    assert doc["number"].startswith("SP-")
    assert (doc["site"], doc["points"], doc["budget"], doc["margin"], doc["urgent"], doc["level"]) == \
        ("一号楼", 48, "12000.00", "12.50", True, "2")
    assert doc["tags"] == ["cabling", "cctv"] and doc["inspector_id"] == people["ids"]["pe"]
    assert doc["start_at"] == "2026-12-11T09:30:00+08:00"  # the company's zone
    assert doc["team_ack_name"] == "王师傅" and doc["review_at"] is None
    assert "cost" not in doc  # hidden from the 客户经理 (permission on the field)
    bad = client.post(BASE, json=body(site="", points=-1, level="9", tags=["nope"], start_at="1999-01-01T00:00:00",
                                      lines=[{"item": "x", "qty": 0}]), headers=people["headers"]["am"])
    assert bad.status_code == 422
    assert {"site", "points", "level", "tags", "start_at", "lines"} <= set(bad.get_json()["fields"])


def test_multi_choice_values_are_a_real_list_and_filter_the_list(app, client, people):
    headers = people["headers"]["am"]
    for tags in (["cabling"], ["cctv", "access"], []):
        assert client.post(BASE, json=body(tags=tags), headers=headers).status_code == 201
    with app.app_context():
        from tests.plugins.workshop.specimen import Specimen
        stored = db.session.scalars(select(Specimen.tags).order_by(Specimen.id)).all()
    assert stored == [["cabling"], ["cctv", "access"], []]
    def titles_tags(query):
        return [i["tags"] for i in client.get(f"{BASE}?{query}", headers=headers).get_json()["items"]]
    assert titles_tags("tags=cctv") == [["cctv", "access"]]
    assert titles_tags("tags=cabling") == [["cabling"]]
    assert client.get(f"{BASE}?tags=nope", headers=headers).status_code == 400
    sign_in_as(client, "am")
    page = client.get("/workshop/specimen/?tags=access").get_data(as_text=True)
    assert len(set(re.findall(r"SP-\d{4}-\d{4}", page))) == 1


def test_the_web_form_has_every_field_and_saves(app, client, people):
    sign_in_as(client, "am")
    form = client.get("/workshop/specimen/new").get_data(as_text=True)
    for name in ("site", "notes", "points", "ratio", "budget", "margin", "survey_on", "start_at", "urgent",
                 "level", "tags", "inspector_id", "request_id", "team_ack_name", "team_ack_date"):
        assert f'name="{name}"' in form, name
    assert 'name="cost"' not in form and 'data-shown="cost"' not in form  # hidden from who may not see it
    assert 'name="grade"' not in form  # another's to fill: not an input (and, empty on a new one, not shown)
    assert 'name="review_by_id"' not in form  # a signature is given, never typed
    response = client.post("/workshop/specimen/new", data={
        "title": "网页创建", "site": "二号楼", "points": "5", "start_at": "2026-12-11T09:30", "tags": ["access", "cctv"],
        "level": "1", "inspector_id": str(people["ids"]["pe"]), "lines-0-item": "光纤", "lines-0-qty": "2"})
    assert response.status_code in (302, 303), response.get_data(as_text=True)[-3000:]
    with app.app_context():
        from tests.plugins.workshop.specimen import Specimen
        doc = db.session.scalar(select(Specimen).where(Specimen.title == "网页创建"))
        assert sorted(doc.tags) == ["access", "cctv"] and doc.points == 5 and doc.lines[0].item == "光纤"
        assert doc.start_at.replace(tzinfo=None).hour == 1  # 09:30 in Shanghai is 01:30 UTC
    detail = client.get(f"/workshop/specimen/{doc.id}").get_data(as_text=True)
    assert "二号楼" in detail
    assert client.get(f"/workshop/specimen/{doc.id}/print").status_code == 200
    assert client.get("/workshop/specimen/export.xlsx").status_code == 200


def test_a_field_required_from_a_state_stops_the_step_until_filled(client, people):
    headers = people["headers"]["am"]
    doc = client.post(BASE, json=body(), headers=headers).get_json()
    refused = client.post(f"{BASE}/{doc['id']}/transitions/submit", json={}, headers=headers)
    assert refused.status_code == 422 and "inspector_id" in refused.get_json()["fields"]
    patched = client.patch(f"{BASE}/{doc['id']}", json={"inspector_id": people["ids"]["pe"], "version": doc["version"]},
                           headers=headers)
    assert patched.status_code == 200, patched.get_json()
    done = client.post(f"{BASE}/{doc['id']}/transitions/submit", json={}, headers=headers)
    assert done.status_code == 200 and done.get_json()["state"] == "submitted"


def test_read_only_in_a_state_is_refused_in_the_api_and_the_form(app, client, people):
    headers = people["headers"]["am"]
    doc = client.post(BASE, json=body(inspector_id=people["ids"]["pe"]), headers=headers).get_json()
    doc = client.post(f"{BASE}/{doc['id']}/transitions/submit", json={}, headers=headers).get_json()
    refused = client.patch(f"{BASE}/{doc['id']}", json={"notes": "改了", "version": doc["version"]}, headers=headers)
    assert refused.status_code == 422
    assert "cannot be changed while the document is Submitted" in refused.get_json()["fields"]["notes"][0]
    allowed = client.patch(f"{BASE}/{doc['id']}", json={"site": "三号楼", "version": doc["version"]}, headers=headers)
    assert allowed.status_code == 200 and allowed.get_json()["notes"] == "先勘察"
    sign_in_as(client, "am")
    page = client.post(f"/workshop/specimen/{doc['id']}/edit", data={
        "title": doc["title"], "site": "三号楼", "notes": "网页改", "inspector_id": str(people["ids"]["pe"]),
        "version": str(allowed.get_json()["version"]), "lines-0-item": "六类线", "lines-0-qty": "3"})
    assert page.status_code == 400, page.headers.get("Location")
    assert "cannot be changed while the document is" in page.get_data(as_text=True)
    with app.app_context():
        from tests.plugins.workshop.specimen import Specimen
        assert db.session.get(Specimen, doc["id"]).notes == "先勘察"


def test_who_may_edit_a_field_and_who_may_see_it(client, people):
    am, mgr = people["headers"]["am"], people["headers"]["mgr"]
    refused = client.post(BASE, json=body(grade="A", cost="100.00"), headers=am)
    assert refused.status_code == 422 and {"grade", "cost"} <= set(refused.get_json()["fields"])
    created = client.post(BASE, json=body(grade="A", cost="100.00"), headers=mgr)
    assert created.status_code == 201 and created.get_json()["cost"] == "100.00"


def test_references_offer_and_accept_only_what_the_user_may_see(app, client, people):
    other = client.post("/api/v1/workshop/request", headers=people["headers"]["am2"], json={
        "title": "别人的申请", "amount": "1.00", "lines": [{"item": "x", "qty": 1}]}).get_json()
    mine = client.post("/api/v1/workshop/request", headers=people["headers"]["am"], json={
        "title": "我的申请", "amount": "1.00", "lines": [{"item": "x", "qty": 1}]}).get_json()
    for i in range(30):  # more than a page of choices: the first is still found by what is typed
        client.post("/api/v1/workshop/request", headers=people["headers"]["am"], json={
            "title": f"后来的申请 {i}", "amount": "1.00", "lines": [{"item": "x", "qty": 1}]})
    sign_in_as(client, "am")
    form = client.get("/workshop/specimen/new").get_data(as_text=True)
    assert 'data-choices-url="/workshop/specimen/choices/request"' in form
    assert "申请" not in form.split('name="request_id"')[1].split("</select>")[0]  # searched, not listed
    found = client.get("/workshop/specimen/choices/request?q=申请").get_json()["items"]
    assert len(found) == 20 and all("别人" not in item["text"] for item in found)
    found = client.get("/workshop/specimen/choices/request?q=" + mine["number"]).get_json()["items"]
    assert found == [{"value": mine["id"], "text": f"{mine['number']} 我的申请"}]
    assert client.get("/workshop/specimen/choices/request?q=别人").get_json()["items"] == []
    assert client.get("/workshop/specimen/choices/site").status_code == 404
    refused = client.post(BASE, json=body(request_id=other["id"]), headers=people["headers"]["am"])
    assert refused.status_code == 422 and "request_id" in refused.get_json()["fields"]
    assert client.post(BASE, json=body(request_id=mine["id"]), headers=people["headers"]["am"]).status_code == 201
    # A user field offers and accepts only holders of its role.
    assert 'value="%d"' % people["ids"]["pe"] in form.split('name="inspector_id"')[1].split("</select>")[0]
    assert 'value="%d"' % people["ids"]["am2"] not in form.split('name="inspector_id"')[1].split("</select>")[0]
    refused = client.post(BASE, json=body(inspector_id=people["ids"]["am2"]), headers=people["headers"]["am"])
    assert refused.status_code == 422 and "inspector_id" in refused.get_json()["fields"]


def test_a_reference_limited_by_where_offers_and_accepts_only_the_records_it_admits(app, client, people):
    am = people["headers"]["am"]
    made = [client.post("/api/v1/workshop/request", headers=am, json={
        "title": title, "amount": "1.00", "lines": [{"item": "x", "qty": 1}]}).get_json() for title in ("开着的申请", "驳回的申请")]
    with app.app_context():
        from tests.plugins.workshop.hooks import Request
        db.session.get(Request, made[1]["id"]).state = "rejected"
        db.session.commit()
    sign_in_as(client, "am")
    found = client.get("/workshop/specimen/choices/open_request?q=申请").get_json()["items"]
    assert [item["value"] for item in found] == [made[0]["id"]]
    refused = client.post(BASE, json=body(open_request_id=made[1]["id"]), headers=am)
    assert refused.status_code == 422 and "open_request_id" in refused.get_json()["fields"]
    doc = client.post(BASE, json=body(open_request_id=made[0]["id"]), headers=am).get_json()
    assert doc["open_request_id"] == made[0]["id"]
    with app.app_context():  # a record chosen before it stopped qualifying is still shown and kept
        db.session.get(Request, made[0]["id"]).state = "rejected"
        db.session.commit()
    form = client.get(f"/workshop/specimen/{doc['id']}/edit").get_data(as_text=True)
    assert "开着的申请" in form.split('name="open_request_id"')[1].split("</select>")[0]
    kept = client.patch(f"{BASE}/{doc['id']}", json={"version": doc["version"], "site": "二号楼"}, headers=am)
    assert kept.status_code == 200 and kept.get_json()["open_request_id"] == made[0]["id"]


def test_signatures_are_given_not_typed(app, client, people):
    from core.documents.fields import sign
    typed = client.post(BASE, json=body(review_by_id=people["ids"]["gm"], review_decision="agree"),
                        headers=people["headers"]["am"])
    assert typed.status_code == 422 and {"review_by_id", "review_decision"} <= set(typed.get_json()["fields"])
    doc = client.post(BASE, json=body(), headers=people["headers"]["am"]).get_json()
    assert doc["review_by_id"] is None and doc["review_decision"] == ""
    with app.app_context():
        from tests.plugins.workshop.specimen import Specimen
        specimen = db.session.get(Specimen, doc["id"])
        sign(specimen, "review", db.session.get(User, people["ids"]["gm"]), "agree", "同意")
        db.session.commit()
    read = client.get(f"{BASE}/{doc['id']}", headers=people["headers"]["am"]).get_json()
    assert read["review_by_id"] == people["ids"]["gm"] and read["review_decision"] == "agree"
    assert read["review_at"].endswith("+08:00")


def test_a_read_only_field_is_shown_and_given_never_typed(app, client, people):
    typed = client.post(BASE, json=body(checked_on="2026-12-01"), headers=people["headers"]["am"])
    assert typed.status_code == 422 and "checked_on" in typed.get_json()["fields"]
    doc = client.post(BASE, json=body(), headers=people["headers"]["am"]).get_json()
    assert doc["checked_on"] is None
    with app.app_context():  # the module sets it (a workflow step, its before_save)
        from datetime import date
        from tests.plugins.workshop.specimen import Specimen
        db.session.get(Specimen, doc["id"]).checked_on = date(2026, 12, 3)
        db.session.commit()
    read = client.get(f"{BASE}/{doc['id']}", headers=people["headers"]["am"]).get_json()
    assert read["checked_on"] == "2026-12-03"
    sign_in_as(client, "am")
    assert 'name="checked_on"' not in client.get(f"/workshop/specimen/{doc['id']}/edit").get_data(as_text=True)
    assert "2026-12-03" in client.get(f"/workshop/specimen/{doc['id']}").get_data(as_text=True)
    edited = client.patch(f"{BASE}/{doc['id']}", json={"version": read["version"], "site": "二号楼"},
                          headers=people["headers"]["am"])
    assert edited.status_code == 200 and edited.get_json()["checked_on"] == "2026-12-03"


def test_a_reference_to_a_small_table_and_a_default(app, client, people):
    from core.org.models import Department
    with app.app_context():
        unit = db.session.scalars(select(Department).order_by(Department.code)).first()
        unit_id, unit_name = unit.id, unit.name
    doc = client.post(BASE, json=body(unit_id=unit_id), headers=people["headers"]["am"]).get_json()
    assert doc["unit_id"] == unit_id and doc["shift"] == "day"      # left out: the default
    for wrong in ({"unit_id": 10**6}, {"shift": "dusk"}):
        refused = client.post(BASE, json=body(**wrong), headers=people["headers"]["am"])
        assert refused.status_code == 422 and set(wrong) <= set(refused.get_json()["fields"])
    sign_in_as(client, "am")
    form = client.get("/workshop/specimen/new").get_data(as_text=True)
    offered = form.split('name="unit_id"')[1].split("</select>")[0]
    assert unit_name in offered                                         # every option listed, not searched
    assert re.search(r'<option selected value="day">|<option value="day" selected>', form)
    assert unit_name in client.get(f"/workshop/specimen/{doc['id']}").get_data(as_text=True)


def test_openapi_describes_the_declared_fields(client, people):
    spec = client.get("/api/v1/openapi.json", headers=people["headers"]["am"]).get_json()
    schema = spec["components"]["schemas"]["WorkshopSpecimenInput"]
    assert {"site", "tags", "inspector_id", "request_id", "team_ack_name"} <= set(schema["properties"])
    assert schema["properties"]["tags"]["items"]["enum"] == ["cabling", "cctv", "access"]
    assert "site" in schema["required"]
    assert json.dumps(schema)  # serialisable


def test_detail_and_print_show_every_declared_field_as_staff_read_it(app, client, people):
    from core.documents.fields import sign
    mine = client.post("/api/v1/workshop/request", headers=people["headers"]["am"], json={
        "title": "我的申请", "amount": "1.00", "lines": [{"item": "x", "qty": 1}]}).get_json()
    doc = client.post(BASE, json=body(inspector_id=people["ids"]["pe"], request_id=mine["id"]),
                      headers=people["headers"]["am"]).get_json()
    with app.app_context():
        from tests.plugins.workshop.specimen import Specimen
        with app.test_request_context():
            sign(db.session.get(Specimen, doc["id"]), "review", db.session.get(User, people["ids"]["gm"]), "agree", "同意")
            db.session.commit()
    sign_in_as(client, "am")
    for path in (f"/workshop/specimen/{doc['id']}", f"/workshop/specimen/{doc['id']}/print"):
        page = client.get(path).get_data(as_text=True)
        for shown in ("一号楼", "先勘察", "¥12,000.00", "12.50%", "2026-12-10", "2026-12-11 09:30", "Cabling、CCTV",
                      "Level 2", "pe", mine["number"], "王师傅 · 恒通施工队", "gm", "Agree · 同意"):
            assert shown in page, (path, shown)
        assert "Cost" not in page  # hidden from the 客户经理


def test_a_field_editable_only_in_some_states_and_text_as_a_browser_sends_it(app, client, people):
    mgr = people["headers"]["mgr"]
    doc = client.post(BASE, json=body(notes="第一行\n第二行", inspector_id=people["ids"]["pe"]), headers=mgr).get_json()
    early = client.patch(f"{BASE}/{doc['id']}", json={"reviewer_note": "太早", "version": doc["version"]}, headers=mgr)
    assert early.status_code == 422 and "reviewer_note" in early.get_json()["fields"]
    doc = client.post(f"{BASE}/{doc['id']}/transitions/submit", json={}, headers=mgr).get_json()
    sign_in_as(client, "mgr")
    page = client.post(f"/workshop/specimen/{doc['id']}/edit", data={
        "title": doc["title"], "site": doc["site"], "notes": "第一行\r\n第二行", "reviewer_note": "可以",
        "inspector_id": str(people["ids"]["pe"]), "points": "48", "ratio": "0.1250", "budget": "12000.00",
        "margin": "12.50", "survey_on": "2026-12-10", "start_at": "2026-12-11T09:30", "urgent": "y", "level": "2",
        "tags": ["cabling", "cctv"], "team_ack_name": "王师傅", "team_ack_org": "恒通施工队",
        "version": str(doc["version"]), "lines-0-item": "六类线", "lines-0-qty": "3"})
    assert page.status_code == 302, page.get_data(as_text=True)[-2000:]
    read = client.get(f"{BASE}/{doc['id']}", headers=mgr).get_json()
    assert read["reviewer_note"] == "可以" and read["notes"] == "第一行\n第二行"


def test_an_action_asking_for_input_has_its_page_and_its_api(app, client, people):
    """A transition declared with fields: a page with them and the comment, the same in the API;
    the action cannot be taken without them, nor with a value the field refuses."""
    headers = people["headers"]["am"]
    doc = client.post(BASE, json={"title": "待排期", "site": "二号楼"}, headers=headers).get_json()
    url = f"{BASE}/{doc['id']}/transitions/schedule"
    missing = client.post(url, json={}, headers=headers)
    assert missing.status_code == 422 and {"survey_on", "inspector_id"} <= set(missing.get_json()["fields"])
    wrong = client.post(url, json={"survey_on": "2026-12-20", "inspector_id": people["ids"]["am2"]}, headers=headers)
    assert wrong.status_code == 422 and "inspector_id" in wrong.get_json()["fields"]
    assert client.get(f"{BASE}/{doc['id']}", headers=headers).get_json()["inspector_id"] is None  # nothing kept

    sign_in_as(client, "am")
    detail = client.get(f"/workshop/specimen/{doc['id']}").get_data(as_text=True)
    assert f'action="/workshop/specimen/{doc["id"]}/transitions/schedule/input"' in detail  # asked in a dialog
    page = client.get(f"/workshop/specimen/{doc['id']}/transitions/schedule/input").get_data(as_text=True)
    assert 'name="survey_on"' in page and 'name="inspector_id"' in page and "Instructions" in page
    assert client.post(f"/workshop/specimen/{doc['id']}/transitions/schedule").status_code == 303  # to its page
    done = client.post(f"/workshop/specimen/{doc['id']}/transitions/schedule/input", data={
        "survey_on": "2026-12-20", "inspector_id": str(people["ids"]["pe"]), "comment": "带上测线仪",
        "version": str(doc["version"])})
    assert done.status_code == 302, done.get_data(as_text=True)[-1500:]
    read = client.get(f"{BASE}/{doc['id']}", headers=headers).get_json()
    assert (read["survey_on"], read["inspector_id"]) == ("2026-12-20", people["ids"]["pe"])
    with app.app_context():
        from core.audit.models import AuditEntry
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "transition",
                                                           AuditEntry.model == "workshop_specimen",
                                                           AuditEntry.record_id == str(doc["id"])))
        assert json.loads(entry.changes)["comment"] == "带上测线仪"
    # Someone without the action's permission gets 403 on its page.
    sign_in_as(client, "pe")
    assert client.get(f"/workshop/specimen/{doc['id']}/transitions/schedule/input").status_code in (403, 404)


def test_a_choice_of_whole_numbers_is_stored_and_read_as_a_number(app, client, people):
    """A month 1..12: an Integer column; the form and the API read the value as a number; a value
    that is no choice is refused with the field; lists filter by it."""
    from sqlalchemy import Integer, inspect
    from tests.plugins.workshop.specimen import Specimen
    assert isinstance(inspect(Specimen).columns["month"].type, Integer)
    headers = people["headers"]["am"]
    doc = client.post(BASE, json=body(month=7), headers=headers)
    assert doc.status_code == 201 and doc.get_json()["month"] == 7, doc.get_json()
    for wrong in (13, 0, "七月", True):
        refused = client.post(BASE, json=body(month=wrong), headers=headers)
        assert refused.status_code == 422 and set(refused.get_json()["fields"]) == {"month"}, wrong
    assert client.post(BASE, json=body(month=None), headers=headers).get_json()["month"] is None
    assert [i["month"] for i in client.get(f"{BASE}?month=7", headers=headers).get_json()["items"]] == [7]
    assert client.get(f"{BASE}?month=13", headers=headers).status_code == 400
    sign_in_as(client, "am")
    form = client.get("/workshop/specimen/new").get_data(as_text=True)
    offered = form.split('name="month"')[1].split("</select>")[0]
    assert 'value="12">12月</option>' in offered and 'value="">' in offered
    bad = client.post("/workshop/specimen/new", data={"title": "月份", "site": "一号楼", "month": "13"})
    assert bad.status_code == 400 and "Not a valid choice" in bad.get_data(as_text=True)
    saved = client.post("/workshop/specimen/new", data={"title": "月份", "site": "一号楼", "month": "3"})
    assert saved.status_code == 302, saved.get_data(as_text=True)[-2000:]
    with app.app_context():
        stored = db.session.scalar(select(Specimen).where(Specimen.title == "月份"))
        assert stored.month == 3
    detail = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "3月" in detail                                             # its label, not the number
    assert client.get("/workshop/specimen/?month=3").status_code == 200
    assert client.get("/workshop/specimen/?month=x").status_code == 200   # the web list ignores it


def test_people_small_tables_and_choices_in_declared_lines(app, client, people):
    """A line's user, small-table reference and choice fields are offered in the line form as in
    the document's; a line naming someone without the role is refused (form and API), naming the line."""
    from core.org.models import Department
    with app.app_context():
        team = db.session.scalars(select(Department).order_by(Department.code)).first()
        team_id, team_name = team.id, team.name
    sign_in_as(client, "am")
    form = client.get("/workshop/specimen/new").get_data(as_text=True)
    fitters = form.split('name="lines-0-fitter_id"')[1].split("</select>")[0]
    assert f'value="{people["ids"]["pe"]}"' in fitters and f'value="{people["ids"]["am2"]}"' not in fitters
    assert team_name in form.split('name="lines-0-team_id"')[1].split("</select>")[0]
    assert '<option value="2">L</option>' in form.split('name="lines-0-size"')[1].split("</select>")[0]
    saved = client.post("/workshop/specimen/new", data={
        "title": "明细", "site": "一号楼", "lines-0-item": "光纤", "lines-0-qty": "2",
        "lines-0-fitter_id": str(people["ids"]["pe"]), "lines-0-team_id": str(team_id), "lines-0-size": "2",
        "lines-1-item": "", "lines-1-qty": "", "lines-1-fitter_id": "", "lines-1-team_id": "", "lines-1-size": ""})
    assert saved.status_code == 302, saved.get_data(as_text=True)[-2000:]
    with app.app_context():
        from tests.plugins.workshop.specimen import Specimen
        doc = db.session.scalar(select(Specimen).where(Specimen.title == "明细"))
        assert [(l.fitter_id, l.team_id, l.size) for l in doc.lines] == [(people["ids"]["pe"], team_id, 2)]
    wrong = client.post("/workshop/specimen/new", data={
        "title": "明细2", "site": "一号楼", "lines-0-item": "光纤", "lines-0-qty": "2",
        "lines-0-fitter_id": str(people["ids"]["am2"])})
    assert wrong.status_code == 400
    headers = people["headers"]["am"]
    refused = client.post(BASE, json=body(lines=[{"item": "x", "qty": 1}, {"item": "y", "qty": 1,
                                                                           "fitter_id": people["ids"]["am2"]}]),
                          headers=headers)
    assert refused.status_code == 422 and "Line 2" in refused.get_json()["fields"]["_"][0]
    refused = client.post(BASE, json=body(lines=[{"item": "x", "qty": 1, "team_id": 10**6}]), headers=headers)
    assert refused.status_code == 422 and "Line 1" in refused.get_json()["fields"]["_"][0]
    refused = client.post(BASE, json=body(lines=[{"item": "x", "qty": 1, "size": 3}]), headers=headers)
    assert refused.status_code == 422 and "size" in json.dumps(refused.get_json()["fields"])
    created = client.post(BASE, json=body(lines=[{"item": "x", "qty": 1, "size": 1, "fitter_id": people["ids"]["pe"]}]),
                          headers=headers)
    assert created.status_code == 201 and created.get_json()["lines"][0]["size"] == 1


def test_an_action_that_leaves_the_document_in_its_state(app, client, people):
    """Transition(target=None) from several states: the state stays, the action is audited with
    its comment, the page says what the action's done_message says; 403 in the API and on its
    page for someone who may not take it, before his input is read."""
    headers = people["headers"]["am"]
    doc = client.post(BASE, json=body(inspector_id=people["ids"]["pe"]), headers=headers).get_json()
    url = f"{BASE}/{doc['id']}/transitions/reassign"
    assert client.post(url, json={"inspector_id": people["ids"]["pe"]}, headers=headers).status_code == 422
    done = client.post(url, json={"inspector_id": people["ids"]["pe"], "comment": "换人"}, headers=headers)
    assert done.status_code == 200 and done.get_json()["state"] == "draft"
    doc = client.post(f"{BASE}/{doc['id']}/transitions/submit", json={}, headers=headers).get_json()
    assert doc["state"] == "submitted"
    denied = client.post(url, json={"inspector_id": people["ids"]["pe"], "comment": "x"},
                         headers=people["headers"]["am2"])
    assert denied.status_code in (403, 404)      # am2 does not even see it
    with app.app_context():   # the general manager sees it (he approves it) but may not reassign
        token, secret = ApiToken.issue(db.session.get(User, people["ids"]["gm"]), "t")
        db.session.add(token)
        db.session.commit()
    denied = client.post(url, json={"inspector_id": 10**6, "comment": "x"}, headers={"Authorization": f"Bearer {secret}"})
    assert denied.status_code == 403 and "fields" not in denied.get_json()
    sign_in_as(client, "am")
    page = client.post(f"/workshop/specimen/{doc['id']}/transitions/reassign/input",
                       data={"inspector_id": str(people["ids"]["pe"]), "comment": "再换", "version": str(doc["version"])},
                       follow_redirects=True)
    assert page.status_code == 200 and "Inspector now" in page.get_data(as_text=True)
    read = client.get(f"{BASE}/{doc['id']}", headers=headers).get_json()
    assert read["state"] == "submitted"
    with app.app_context():
        from core.audit.models import AuditEntry
        entries = [json.loads(e.changes) for e in db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "transition", AuditEntry.model == "workshop_specimen",
            AuditEntry.record_id == str(doc["id"])).order_by(AuditEntry.id))]
        assert [(e["transition"], e["from"], e["to"]) for e in entries if e["transition"] == "reassign"] == [
            ("reassign", "draft", "draft"), ("reassign", "submitted", "submitted")]
    sign_in_as(client, "gm")
    assert client.get(f"/workshop/specimen/{doc['id']}/transitions/reassign/input").status_code == 403
    with pytest.raises(ValueError):
        from core.workflow import Transition
        Transition("x", "X", ["draft"], None, kind="submit")

def test_an_action_may_start_from_the_document_and_tell_what_it_decides_on(app, client, people):
    """A field of an action whose default and help are callables of the document: the page opens
    with the default filled in and the help below; the API takes the default when left out; a
    value the field refuses leaves the document as it was."""
    headers = people["headers"]["am"]
    doc = client.post(BASE, json={"title": "估算", "site": "三号楼", "points": 48}, headers=headers).get_json()
    sign_in_as(client, "am")
    page = client.get(f"/workshop/specimen/{doc['id']}/transitions/estimate/input").get_data(as_text=True)
    assert re.search(r'name="budget"[^>]*value="4800.00"', page), page[page.index('name="budget"') - 200:][:400]
    assert 'data-help="budget">48 points to survey.' in page
    refused = client.post(f"/workshop/specimen/{doc['id']}/transitions/estimate/input", data={"budget": "-1"})
    assert refused.status_code == 400 and 'data-field="budget"' in refused.get_data(as_text=True)
    url = f"{BASE}/{doc['id']}/transitions/estimate"
    negative = client.post(url, json={"budget": "-5"}, headers=headers)
    assert negative.status_code == 422 and "budget" in negative.get_json()["fields"]
    assert client.get(f"{BASE}/{doc['id']}", headers=headers).get_json()["budget"] is None  # nothing kept
    taken = client.post(url, json={}, headers=headers)  # left out: the document's default
    assert taken.status_code == 200 and taken.get_json()["budget"] == "4800.00", taken.get_json()
    again = client.post(url, json={"budget": "5000"}, headers=headers).get_json()
    assert again["budget"] == "5000.00"
    page = client.get(f"/workshop/specimen/{doc['id']}/transitions/estimate/input").get_data(as_text=True)
    assert re.search(r'name="budget"[^>]*value="5000.00"', page)  # the value set is offered next time


def test_a_reference_refused_by_where_says_why(app, client, people):
    am = people["headers"]["am"]
    rejected = client.post("/api/v1/workshop/request", headers=am, json={
        "title": "驳回的申请", "amount": "1.00", "lines": [{"item": "x", "qty": 1}]}).get_json()
    with app.app_context():
        from tests.plugins.workshop.hooks import Request
        db.session.get(Request, rejected["id"]).state = "rejected"
        db.session.commit()
    refused = client.post(BASE, json=body(open_request_id=rejected["id"]), headers=am).get_json()
    assert refused["fields"]["open_request_id"] == ["Choose a request that was not rejected."]
    unseen = client.post(BASE, json=body(open_request_id=rejected["id"]), headers=people["headers"]["am2"]).get_json()
    assert unseen["fields"]["open_request_id"] == ["Choose a record you may see."]  # nothing told of it
    from core.documents.fields import Field
    with pytest.raises(ValueError):
        Field("r", "R", "reference", target="workshop.request", refusal="why?")


def test_a_reference_depending_on_another_field_offers_and_accepts_only_what_fits_it(app, client, people):
    """depends_on: the choices page gets the other field's value from the form; the save guard
    checks the record against the document, also when only the other field changes."""
    am = people["headers"]["am"]
    acme, other = [client.post("/api/v1/workshop/request", headers=am, json={
        "title": title, "supplier": supplier, "amount": "1.00", "lines": [{"item": "x", "qty": 1}]}).get_json()
        for title, supplier in (("甲供应商的申请", "甲公司"), ("乙供应商的申请", "乙公司"))]
    sign_in_as(client, "am")
    form = client.get("/workshop/specimen/new").get_data(as_text=True)
    select = form.split('name="supplier_request_id"')[0].rsplit("<select", 1)[1]
    assert 'data-choices-url="/workshop/specimen/choices/supplier_request"' in select
    assert 'data-choices-depends="supplier"' in select
    found = client.get("/workshop/specimen/choices/supplier_request?q=申请&supplier=甲公司").get_json()["items"]
    assert [item["value"] for item in found] == [acme["id"]]
    assert client.get("/workshop/specimen/choices/supplier_request?q=申请").get_json()["items"] == []

    refused = client.post(BASE, json=body(supplier="甲公司", supplier_request_id=other["id"]), headers=am)
    assert refused.status_code == 422
    assert refused.get_json()["fields"]["supplier_request_id"] == ["Choose a request of this supplier."]
    doc = client.post(BASE, json=body(supplier="甲公司", supplier_request_id=acme["id"]), headers=am).get_json()
    assert doc["supplier_request_id"] == acme["id"]
    # Changing the field it depends on is checked too, and nothing is saved when refused.
    moved = client.patch(f"{BASE}/{doc['id']}", json={"version": doc["version"], "supplier": "乙公司"}, headers=am)
    assert moved.status_code == 422 and "supplier_request_id" in moved.get_json()["fields"]
    assert client.get(f"{BASE}/{doc['id']}", headers=am).get_json()["supplier"] == "甲公司"
    both = client.patch(f"{BASE}/{doc['id']}", json={"version": doc["version"], "supplier": "乙公司",
                                                     "supplier_request_id": other["id"]}, headers=am)
    assert both.status_code == 200 and both.get_json()["supplier_request_id"] == other["id"]
    # The web form is guarded the same way.
    page = client.get(f"/workshop/specimen/{doc['id']}/edit").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    response = client.post(f"/workshop/specimen/{doc['id']}/edit", data={
        "version": version, "title": "机房布线", "site": "一号楼", "shift": "day", "supplier": "甲公司",
        "supplier_request_id": str(other["id"])})
    assert response.status_code == 400 and "Choose a request of this supplier." in response.get_data(as_text=True)
