"""Cabling test reports (F-E07, R-E-015, R-E-043): the instrument's calibration, the summary and
the conclusion, a certifier's CSV imported (all rows or none, a re-test file), the manager's
approval and the pre-acceptance gate of a cabling project."""
from pathlib import Path

import pytest

from .conftest import make_project

pytestmark = pytest.mark.modules("engineering")

DATA = Path(__file__).parent / "data"


def report(team, pid, **extra):
    return {"project_id": pid, "test_start": "2027-01-18", "test_end": "2027-01-19", "tester_id": team["ids"]["pe"],
            "instrument_model": "Fluke DSX-5000", "instrument_serial": "1234567",
            "calibration_valid_until": "2027-06-30", "standard": "gb50312", "link_model": "permanent_link",
            "cable_category": "cat6", "links_installed": 24, "conclusion": "failed", **extra}


def link(link_id, result="PASS", **extra):
    return {"link_id": link_id, "medium": "copper", "length_m": "48.2", "wire_map": "pass", "next_margin_db": "5.1",
            "result": result, **extra}


def create(team, eapi, pid, **extra):
    status, body = eapi(team, "pe", "post", "cabling_test", report(team, pid, **extra))
    assert status == 201, body
    return body


def upload(browser, doc_id, name):
    with open(DATA / name, "rb") as f:
        return browser.post(f"/engineering/cabling_test/{doc_id}/links", data={"file": (f, name)},
                            content_type="multipart/form-data")


def test_calibration_expired_on_a_test_date_is_refused(app, team, eapi):
    pid = make_project(app, team, state="system_test")
    status, body = eapi(team, "pe", "post", "cabling_test", report(team, pid, calibration_valid_until="2027-01-18"))
    assert status == 422 and "R-E-015" in body["fields"]["calibration_valid_until"][0]
    assert create(team, eapi, pid, calibration_valid_until="2027-01-19")["number"].startswith("CS-")


def test_summary_and_conclusion(app, team, eapi):
    pid = make_project(app, team, state="system_test")
    links = [link(f"2F-B{n:02d}") for n in range(1, 4)] + [link("2F-B04", "FAIL", next_margin_db="-0.8")]
    status, body = eapi(team, "pe", "post", "cabling_test",
                        report(team, pid, links_installed=5, links=links, conclusion="passed"))
    assert status == 422 and "1 untested, 1 failed" in body["fields"]["conclusion"][0]
    body = create(team, eapi, pid, links_installed=5, links=links)
    assert (body["total_links"], body["passed_links"], body["pass_rate"]) == (4, 3, "75.00")
    # The failed link repaired and re-tested, the fifth tested: passed.
    links[3]["retest_result"] = "PASS"
    status, body = eapi(team, "pe", "put", f"cabling_test/{body['id']}", {
        **report(team, pid, links_installed=5, conclusion="passed"), "version": body["version"],
        "links": [*links, link("2F-B05")]})
    assert status == 200, body
    assert (body["total_links"], body["passed_links"], body["pass_rate"]) == (5, 5, "100.00")
    # A link listed twice, a link failing its wire map marked PASS: refused with the lines.
    status, body = eapi(team, "pe", "put", f"cabling_test/{body['id']}", {
        **report(team, pid, links_installed=5), "version": body["version"],
        "links": [link("2F-B01"), link("2f-b01"), link("2F-B02", wire_map="fail")]})
    assert status == 422
    assert "Line 2: link 2f-b01 is already on line 1." in str(body) and "Line 3" in str(body)


def test_csv_import_all_or_nothing_then_retest(app, team, eapi, eweb):
    pid = make_project(app, team, state="system_test")
    doc = create(team, eapi, pid)
    browser = eweb("pe")
    assert browser.get(f"/engineering/cabling_test/{doc['id']}/links").status_code == 200
    # A bad file: its rows named with their reasons, nothing saved.
    response = upload(browser, doc["id"], "fluke_linkware_bad.csv")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Row 3: Length (m) “4O.2” is not a number." in page and "Row 5: no result." in page
    status, body = eapi(team, "pe", "get", f"cabling_test/{doc['id']}")
    assert body["links"] == [] and body["version"] == doc["version"]
    # The good export: 24 links, 22 passed (a marginal PASS* counts as passed).
    response = upload(browser, doc["id"], "fluke_linkware_1F.csv")
    assert response.status_code == 302, response.get_data(as_text=True)
    status, body = eapi(team, "pe", "get", f"cabling_test/{doc['id']}")
    assert (body["total_links"], body["passed_links"]) == (24, 22)
    first = body["links"][0]
    assert first["link_id"] == "1F-A01" and first["length_m"] == "53.5000" and first["wire_map"] == "pass"
    assert first["location"] == "教学楼1层 A区 01号信息点"
    # The repaired links' re-test file: their re-test results, no new links.
    assert upload(browser, doc["id"], "fluke_linkware_1F_retest.csv").status_code == 302
    status, body = eapi(team, "pe", "get", f"cabling_test/{doc['id']}")
    assert (body["total_links"], body["passed_links"], body["pass_rate"]) == (24, 24, "100.00")
    failed_first = {l["link_id"]: l["retest_result"] for l in body["links"] if l["result"] == "FAIL"}
    assert failed_first == {"1F-A07": "PASS", "1F-A19": "PASS"}
    # Another engineer may not import into it, nor the market director.
    assert upload(eweb("pe2"), doc["id"], "fluke_linkware_1F.csv").status_code == 404
    assert upload(eweb("dir"), doc["id"], "fluke_linkware_1F.csv").status_code == 403


def test_pre_acceptance_gate_counts_untested_and_failed_links(app, team, eapi, eweb):
    pid = make_project(app, team, state="system_test")
    status, body = eapi(team, "pe", "post", f"project/{pid}/transitions/apply_pre_acceptance", {})
    assert status == 422 and "R-E-043" in str(body)
    doc = create(team, eapi, pid, links_installed=26)
    upload(eweb("pe"), doc["id"], "fluke_linkware_1F.csv")
    status, body = eapi(team, "pe", "post", f"project/{pid}/transitions/apply_pre_acceptance", {})
    assert status == 422 and "2 of 26 links untested, 2 failed" in str(body)
    # Re-tested and the last two links tested: passed, submitted (the CSV kept as raw data), approved.
    browser = eweb("pe")
    upload(browser, doc["id"], "fluke_linkware_1F_retest.csv")
    status, doc = eapi(team, "pe", "get", f"cabling_test/{doc['id']}")
    status, doc = eapi(team, "pe", "put", f"cabling_test/{doc['id']}", {
        **report(team, pid, links_installed=26, conclusion="passed"), "version": doc["version"],
        "links": [*doc["links"], link("1F-A25"), link("1F-A26")]})
    assert status == 200, doc
    # Not yet approved: refused.
    status, body = eapi(team, "pe", "post", f"project/{pid}/transitions/apply_pre_acceptance", {})
    assert status == 422 and "0 of 26 links untested, 0 failed" in str(body)
    status, doc = eapi(team, "pe", "post", f"cabling_test/{doc['id']}/transitions/submit", {})
    assert status == 200 and doc["state"] == "submitted", doc
    # The engineer does not approve his own report; the manager does.
    assert eapi(team, "pe", "post", f"cabling_test/{doc['id']}/transitions/approve", {})[0] in (403, 422)
    status, doc = eapi(team, "eng_mgr", "post", f"cabling_test/{doc['id']}/transitions/approve", {})
    assert status == 200 and doc["state"] == "approved", doc
    status, body = eapi(team, "pe", "post", f"project/{pid}/transitions/apply_pre_acceptance", {})
    assert status == 200 and body["state"] == "pre_acceptance", body


def test_gate_ignores_a_project_without_cabling_and_submit_needs_raw_data(app, team, eapi):
    network = make_project(app, team, state="system_test", project_type="network")
    status, body = eapi(team, "pe", "post", f"project/{network}/transitions/apply_pre_acceptance", {})
    assert status == 200, body
    # A network project whose scope holds cabling work is tested like a cabling project.
    from core.extensions import db
    from modules.engineering.projects import ProjectScopeLine
    network = make_project(app, team, state="system_test", project_type="network")
    with app.app_context():
        db.session.add(ProjectScopeLine(project_id=network, item="六类非屏蔽综合布线系统", qty=1, supply_by="ours"))
        db.session.commit()
    status, body = eapi(team, "pe", "post", f"project/{network}/transitions/apply_pre_acceptance", {})
    assert status == 422 and "R-E-043" in str(body)
    pid = make_project(app, team, state="system_test")
    doc = create(team, eapi, pid, links_installed=1, links=[link("1F-A01")], conclusion="passed")
    status, body = eapi(team, "pe", "post", f"cabling_test/{doc['id']}/transitions/submit", {})
    assert status == 422 and "raw test data" in str(body)
    # People outside the project's engineers: another engineer sees nothing, the GM reads only.
    assert eapi(team, "pe2", "get", f"cabling_test/{doc['id']}")[0] == 404
    assert eapi(team, "gm", "get", f"cabling_test/{doc['id']}")[0] == 200
    assert eapi(team, "gm", "post", "cabling_test", report(team, pid))[0] == 403
    assert eapi(team, "buyer", "get", f"cabling_test/{doc['id']}")[0] in (403, 404)


def test_fibre_links_are_measured_per_wavelength(app, team, eapi, eweb):
    pid = make_project(app, team, state="system_test")
    doc = create(team, eapi, pid, cable_category="om3_om4", links_installed=3)
    assert upload(eweb("pe"), doc["id"], "certifiber_backbone.csv").status_code == 302
    status, body = eapi(team, "pe", "get", f"cabling_test/{doc['id']}")
    assert len(body["links"]) == 6 and {l["medium"] for l in body["links"]} == {"fibre"}
    # Three links, one failing at 1300 nm.
    assert (body["total_links"], body["passed_links"]) == (3, 2)
    # A fibre marked PASS with more loss than allowed is refused.
    rows = body["links"]
    rows[3]["result"] = "PASS"
    status, body = eapi(team, "pe", "put", f"cabling_test/{doc['id']}", {
        **report(team, pid, cable_category="om3_om4", links_installed=3), "version": body["version"], "links": rows})
    assert status == 422 and "Line 4: link BB-02 loses more than allowed" in str(body)
