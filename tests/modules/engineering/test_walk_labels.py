"""Found walking the pages in Chinese: a document's detail page named two fields alike (客户 twice on
the service ticket, its survey and the installed device), so a reader could not tell them apart."""
import pytest

pytestmark = pytest.mark.modules("engineering")

WALKED = ("engineering.service_ticket", "engineering.satisfaction_survey", "engineering.installed_device",
          "engineering.team", "engineering.team_assessment", "engineering.nonconformance",
          "engineering.project_evaluation")


@pytest.mark.parametrize("code", WALKED)
def test_no_two_fields_of_a_document_share_a_label(app, code):
    with app.app_context():
        doctype = app.extensions["erp"].doctypes[code]
        labels = [str(f.label) for f in doctype.fields]
        assert sorted({label for label in labels if labels.count(label) > 1}) == []
