"""The appraisal pages: menus 我的考核 and 待我评分, the cycle's results (chart and table by
department and grade), the sheet's print and PDF, the list export."""
from decimal import Decimal

import pytest

from tests.conftest import PASSWORD
from tests.modules.hr_appraisal.test_cycles import (
    act,
    self_assess,
    sheets_of,
    started_cycle,
    superior_scores,
)
from tests.plugins.appraisal_metrics import MANIFEST as METRICS
from tests.plugins.appraisal_metrics import hooks as plugin

pytestmark = [pytest.mark.modules("hr_appraisal", "appraisal_metrics"), pytest.mark.manifests(METRICS)]


@pytest.fixture
def browser(app):
    def sign_in(name):
        client = app.test_client()
        assert client.post("/login", data={"username": name, "password": PASSWORD}).status_code == 302
        return client
    return sign_in


def graded_cycle(app, staff, hapi):
    ids = staff["ids"]
    plugin.ANSWERS[:] = [{"kpi": "KPI-PROJECT-EVAL", "user_id": ids["pe"], "score": Decimal(95), "detail": "95"}]
    cycle_id = started_cycle(hapi, staff)
    sheets = sheets_of(app, cycle_id)
    for name, boss in (("pe", "eng_mgr"), ("pe2", "eng_mgr")):
        self_assess(hapi, staff, name, sheets[ids[name]])
        superior_scores(hapi, staff, boss, sheets[ids[name]])
        assert act(hapi, staff, "adm", "sheet", sheets[ids[name]], "consolidate")[0] == 200
    return cycle_id, sheets


def test_menus_lead_to_my_sheets_and_those_to_score(app, staff, hapi, browser):
    ids = staff["ids"]
    sheets = sheets_of(app, started_cycle(hapi, staff))
    pe = browser("pe")
    response = pe.get("/hr_appraisal/mine")
    assert response.status_code == 302 and "owner=me" in response.location
    page = pe.get(response.location).get_data(as_text=True)
    assert f"/hr_appraisal/sheet/{sheets[ids['pe']]}" in page and f"/hr_appraisal/sheet/{sheets[ids['pe2']]}" not in page
    self_assess(hapi, staff, "pe", sheets[ids["pe"]])
    manager = browser("eng_mgr")
    response = manager.get("/hr_appraisal/to-score")
    page = manager.get(response.location).get_data(as_text=True)
    assert f"/hr_appraisal/sheet/{sheets[ids['pe']]}" in page and f"/hr_appraisal/sheet/{sheets[ids['pe2']]}" not in page
    assert pe.get("/hr_appraisal/cycle/").status_code == 403


def test_cycle_page_shows_results_by_department_and_grade(app, staff, hapi, browser):
    cycle_id, _sheets = graded_cycle(app, staff, hapi)
    from modules.hr_appraisal.cycles import results
    with app.app_context():
        data = results(cycle_id)
    # pe: 50×95 + 25×100 = 7250 / 75 -> 96.67 A; pe2: compliance only, 100 -> A
    assert data["distribution"] == {"A": 2, "B": 0, "C": 0, "D": 0, "E": 0}
    assert data["departments"] == {"工程部": {"A": 2, "B": 0, "C": 0, "D": 0, "E": 0}}
    page = browser("adm").get(f"/hr_appraisal/cycle/{cycle_id}").get_data(as_text=True)
    assert "data-cycle-results" in page and "data-chart=" in page and "chart.umd.min.js" in page
    export = browser("adm").get(f"/hr_appraisal/sheet/export.csv?cycle_id={cycle_id}")
    assert export.status_code == 200 and "96.67" in export.get_data(as_text=True)


def test_a_sheet_prints_in_chinese(app, staff, hapi, browser):
    ids = staff["ids"]
    _cycle, sheets = graded_cycle(app, staff, hapi)
    pe = browser("pe")
    page = pe.get(f"/hr_appraisal/sheet/{sheets[ids['pe']]}/print").get_data(as_text=True)
    assert "员工考核表" in page and "技术能力提升" in page and "KPI-PROJECT-EVAL" in page
    pdf = pe.get(f"/hr_appraisal/sheet/{sheets[ids['pe']]}/pdf")
    assert pdf.status_code == 200 and pdf.data[:4] == b"%PDF"
    assert browser("pe2").get(f"/hr_appraisal/sheet/{sheets[ids['pe']]}/print").status_code in (403, 404)
    # F-E02's layout for engineering staff
    page = pe.get(f"/hr_appraisal/sheet/{sheets[ids['pe']]}/print/fe02").get_data(as_text=True)
    assert "工程部人员月考评表" in page and "96.67" in page and "执行力" in page
    pdf = pe.get(f"/hr_appraisal/sheet/{sheets[ids['pe']]}/pdf/fe02")
    assert pdf.status_code == 200 and pdf.data[:4] == b"%PDF"


def test_the_sheet_form_offers_only_what_people_type(app, staff, hapi, browser):
    ids = staff["ids"]
    pe = sheets_of(app, started_cycle(hapi, staff))[ids["pe"]]
    page = browser("pe").get(f"/hr_appraisal/sheet/{pe}/edit")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "self_score" in html and "-score\"" not in html and "-no_data" not in html
    assert browser("pe2").get(f"/hr_appraisal/sheet/{pe}/edit").status_code in (403, 404)
