"""hr_appraisal's hooks as a partner plugin (tests/plugins/appraisal_metrics) implements them."""
from datetime import date

import pytest

from tests.plugins.appraisal_metrics import MANIFEST as METRICS
from tests.plugins.appraisal_metrics import hooks as plugin

pytestmark = [pytest.mark.modules("hr_appraisal", "appraisal_metrics"), pytest.mark.manifests(METRICS)]


@pytest.fixture(autouse=True)
def clean_plugin():
    plugin.ANSWERS.clear()
    plugin.CALLS.clear()
    yield
    plugin.ANSWERS.clear()
    plugin.CALLS.clear()


def test_hook_hr_appraisal_metrics(app):
    plugin.ANSWERS.extend([{"kpi": "KPI-REPORT-TIMELINESS", "user_id": 7, "due": 4, "on_time": 3, "detail": "3/4"},
                           {"kpi": "KPI-SALES-OWN", "user_id": 8, "score": 90, "detail": "90%"}])
    with app.app_context():
        answers = app.extensions["erp"].pm.hook.hr_appraisal_metrics(
            kpis=["KPI-REPORT-TIMELINESS"], user_ids=[7, 8], start=date(2026, 11, 1), end=date(2026, 11, 30))
    assert [row for batch in answers for row in batch] == [plugin.ANSWERS[0]]


def test_hook_hr_appraisal_kpis(app):
    with app.app_context():
        answers = app.extensions["erp"].pm.hook.hr_appraisal_kpis()
    assert {"code": "KPI-TICKETS", "name_zh": "工单响应", "name_en": "Ticket response", "kind": "quantitative",
            "measure": "due"} in [k for batch in answers for k in batch]
