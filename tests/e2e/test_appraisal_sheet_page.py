"""An appraisal sheet's page and prints in Chromium at 1366 px: the lines table fits its card
(no sideways scrolling to reach the scores), each KPI code shows once, and F-E02 (工程部人员月考评表)
is offered on engineering staff's sheets only."""
import pytest
from sqlalchemy import select

from core.extensions import db
from tests.modules.hr_appraisal.conftest import PEOPLE

pytestmark = [pytest.mark.e2e, pytest.mark.modules("hr_appraisal")]
LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def staff(make_staff):
    return make_staff(PEOPLE)


@pytest.fixture
def sheets(app, staff, module_api):
    """A started cycle of 工程部 and 市场部 -> employee name -> sheet id."""
    hapi = module_api("hr_appraisal")
    status, cycle = hapi(staff, "adm", "post", "cycle", {"cadence": "monthly", "period_start": "2026-11-15",
                                                         "departments": ["ENG", "MKT"]})
    assert status == 201, cycle
    status, body = hapi(staff, "adm", "post", f"cycle/{cycle['id']}/transitions/start", {"version": cycle["version"]})
    assert status == 200, body
    from modules.hr_appraisal.cycles import AppraisalSheet
    with app.app_context():
        by_user = {s.employee_id: s.id for s in db.session.scalars(select(AppraisalSheet))}
    return {name: by_user[uid] for name, uid in staff["ids"].items() if uid in by_user}


def overflow(page, selector) -> int:
    """How many pixels the element's content is wider than the element (0: no sideways scrolling)."""
    return page.eval_on_selector(selector, "e => e.scrollWidth - e.clientWidth")


def test_the_sheet_fits_at_1366_px_and_shows_each_code_once(page, sign_in, screenshot, sheets):
    page.set_viewport_size(LAPTOP)
    sign_in("eng_mgr")
    page.goto(f"/hr_appraisal/sheet/{sheets['pe']}")
    screenshot("1-superior-reads")
    assert overflow(page, "#lines") <= 0 and overflow(page, "#lines >> xpath=..") <= 0
    row = page.locator("#lines tbody tr", has_text="KPI-PROJECT-EVAL")
    assert row.inner_text().count("KPI-PROJECT-EVAL") == 1 and "本人负责工程项目的评估情况" in row.inner_text()
    assert page.locator('[data-print="fe02"]').count() == 1            # an engineer's sheet: F-E02
    page.goto(f"/hr_appraisal/sheet/{sheets['pe']}/print/fe02")
    screenshot("2-fe02-print")
    assert page.inner_text("h1") == "工程部人员月考评表"
    printed = page.inner_text("body")
    assert "KPI-PROJECT-EVAL" not in printed and "本人负责工程项目的评估情况" in printed   # F-E02 names, no codes
    assert "100.00\n" in printed + "\n" and "100.0000" not in printed                    # the total as a score


def test_the_self_assessment_form_fits_at_1366_px(page, sign_in, screenshot, sheets):
    page.set_viewport_size(LAPTOP)
    sign_in("pe")
    page.goto(f"/hr_appraisal/sheet/{sheets['pe']}/edit")
    screenshot()
    assert overflow(page, "#lines") <= 0 and overflow(page, "#lines >> xpath=..") <= 0


def test_f_e02_is_not_offered_on_market_sheets(page, sign_in, screenshot, sheets):
    page.set_viewport_size(LAPTOP)
    sign_in("mkt_mgr")
    page.goto(f"/hr_appraisal/sheet/{sheets['am']}")
    screenshot()
    assert page.locator('[data-print="fe02"]').count() == 0
    assert overflow(page, "#lines >> xpath=..") <= 0
    response = page.goto(f"/hr_appraisal/sheet/{sheets['am']}/print/fe02")
    assert response.status == 404
