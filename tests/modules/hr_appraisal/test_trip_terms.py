"""Found walking the business trip pages in Chinese: msgids shared with other modules came out in
their words — the trip's purpose as 招待事由 (entertainment), its departure as 计划开工日期
(construction start), its transport as 交通物流 (logistics), the finance step as 金融 (banking)."""
import pytest
from flask_babel import force_locale

pytestmark = pytest.mark.modules("hr_appraisal", "sales", "engineering", "procurement")

WRONG = ("招待事由", "开工", "物流", "金融", "娱乐")


def shown(app, code):
    doctype = app.extensions["erp"].doctypes[code]
    texts = [f.label for f in doctype.fields] + [c.label for c in doctype.columns]
    line_fields = list(doctype.lines.fields) if doctype.lines else []
    for f in [*doctype.fields, *line_fields]:
        texts += [f.label] + [label for _value, label in f.choices]
    workflow = doctype.workflow
    texts += [t.label for t in workflow.transitions] + [t.signs for t in workflow.transitions if t.signs]
    return [str(text) for text in texts]


@pytest.mark.parametrize("code", ["hr_appraisal.trip", "hr_appraisal.trip_claim"])
def test_the_trip_pages_speak_of_trips_not_of_other_modules_words(app, code):
    with app.test_request_context(), force_locale("zh"):
        words = shown(app, code)
        assert [w for w in words if any(bad in w for bad in WRONG)] == []
