"""Self-checks (F-E06, R-E-040..046): a sheet starts with its stage's checklist (the manager's
template, else SPEC's defaults), its conclusion follows its items, the engineer confirms and
signs it, the manager may spot-check it; the first-pass rate over projects and a period feeds
the appraisal; another engineer's project stays out of reach."""
from datetime import date
from decimal import Decimal

import pytest

from core.extensions import db

from .conftest import make_project

pytestmark = pytest.mark.modules("engineering")


def sheet(pid, stage="cabling", **extra):
    return {"project_id": pid, "scope": "教学楼1层水平布线", "stage": stage, "check_date": "2027-01-12", **extra}


def create(team, eapi, pid, who="pe", **extra):
    status, body = eapi(team, who, "post", "selfcheck", sheet(pid, **extra))
    assert status == 201, body
    return body


def put_items(team, eapi, doc, results, conclusion=None, who="pe"):
    """results: per item (result, recheck_result) in the sheet's order; the rest of the sheet kept."""
    rows = []
    for item, (result, recheck) in zip(doc["items"], results):
        row = {"item": item["item"], "requirement": item["requirement"], "result": result}
        if result == "failed":
            row.update(problem="标签缺失", rectify_req="按标识方案补贴标签", rectify_due="2027-01-15")
        if recheck:
            row.update(recheck_result=recheck, recheck_date="2027-01-14")
        rows.append(row)
    payload = {**sheet(doc["project_id"], stage=doc["stage"]), "version": doc["version"], "items": rows}
    if conclusion:
        payload["conclusion"] = conclusion
    return eapi(team, who, "put", f"selfcheck/{doc['id']}", payload)


def test_new_sheet_starts_with_default_checklist_then_the_managers_template(app, team, eapi):
    pid = make_project(app, team, state="in_construction")
    doc = create(team, eapi, pid)
    assert doc["number"].startswith("ZC-") and doc["state"] == "draft"
    items = [line["item"] for line in doc["items"]]
    assert "水平永久链路长度" in items and "两端标识" in items
    assert all(not line["result"] for line in doc["items"])
    # The manager writes the cable-laying template: it starts with the defaults, he edits it.
    status, template = eapi(team, "eng_mgr", "post", "checklist", {"title": "线缆敷设自检模板", "stage": "cabling"})
    assert status == 201, template
    assert len(template["items"]) == len(doc["items"])
    status, template = eapi(team, "eng_mgr", "put", f"checklist/{template['id']}", {
        "title": "线缆敷设自检模板", "stage": "cabling", "version": template["version"],
        "items": [{"item": "线缆余量", "requirement": "配线间预留3-6 m"}, {"item": "两端标识", "requirement": "按标识方案"}]})
    assert status == 200, template
    # One template per stage.
    status, body = eapi(team, "eng_mgr", "post", "checklist", {"title": "另一个", "stage": "cabling"})
    assert status == 422 and "stage" in body["fields"]
    # The engineer reads templates, writes none.
    assert eapi(team, "pe", "get", f"checklist/{template['id']}")[0] == 200
    assert eapi(team, "pe", "post", "checklist", {"title": "x", "stage": "materials"})[0] == 403
    doc = create(team, eapi, pid)
    assert [line["item"] for line in doc["items"]] == ["线缆余量", "两端标识"]
    # Lines given by the engineer are kept as given.
    status, body = eapi(team, "pe", "post", "selfcheck", {**sheet(pid), "items": [{"item": "桥架盖板"}]})
    assert status == 201 and [line["item"] for line in body["items"]] == ["桥架盖板"]
