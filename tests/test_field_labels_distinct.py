"""Found walking the pages in Chinese: a document's detail page or list named two fields alike, so a
reader could not tell them apart (客户 twice on the service ticket, its survey and the installed device;
逾期 twice where a late submission sat next to core's "Overdue"; 岗位 and 部门 twice on the job profile)."""
import pytest
from flask_babel import force_locale
from flask_babel import gettext as _

pytestmark = pytest.mark.modules("engineering", "hr_appraisal", "sales")

WALKED = ("engineering.service_ticket", "engineering.satisfaction_survey", "engineering.installed_device",
          "engineering.team", "engineering.team_assessment", "engineering.nonconformance",
          "engineering.project_evaluation", "engineering.progress_report", "hr_appraisal.job_profile",
          "hr_appraisal.trip", "hr_appraisal.trip_claim", "hr_appraisal.travel_standard",
          "sales.monthly_summary", "sales.weekly_summary", "sales.regional_report")


def twice(labels):
    labels = [str(label) for label in labels]
    return sorted({label for label in labels if labels.count(label) > 1})


@pytest.mark.parametrize("code", WALKED)
@pytest.mark.parametrize("locale", ["en", "zh"])
def test_no_two_fields_or_columns_of_a_document_share_a_label(app, code, locale):
    from core.documents import OVERDUE
    with app.test_request_context(), force_locale(locale):
        doctype = app.extensions["erp"].doctypes[code]
        shown = [f.label for f in doctype.fields] + ([OVERDUE.label] if doctype.deadline else [])
        shown += [_(label) for label in ("Owner", "Department", "Created")]     # core's, on every detail page
        assert twice(shown) == []
        assert twice([c.label for c in doctype.columns]) == []
