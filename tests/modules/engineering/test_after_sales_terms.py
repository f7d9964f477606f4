"""Found walking the after-sales pages in Chinese: msgids shared with other documents came out in
their words — a device's model as 对象, its location as 到货地点 (place of delivery), a ticket
just reported as 已提交报告 (report handed in), a survey's return as 实际返回日期 (back from a trip)."""
import pytest
from flask_babel import force_locale

pytestmark = pytest.mark.modules("engineering", "hr_appraisal", "sales", "procurement")

WRONG = {"engineering.installed_device": ("对象", "到货地点"),
         "engineering.service_ticket": ("已提交报告", "(售后服务)"),
         "engineering.satisfaction_survey": ("实际返回日期",)}


def shown(app, code):
    doctype = app.extensions["erp"].doctypes[code]
    line_fields = list(doctype.lines.fields) if doctype.lines else []
    texts = [c.label for c in doctype.columns]
    for f in [*doctype.fields, *line_fields]:
        texts += [f.label] + [label for _value, label in f.choices]
    if doctype.workflow is not None:
        texts += list(doctype.workflow.states.values()) + [t.label for t in doctype.workflow.transitions]
    return [str(text) for text in texts]


@pytest.mark.parametrize("code", sorted(WRONG))
def test_after_sales_pages_use_their_own_words(app, code):
    with app.test_request_context(), force_locale("zh"):
        words = shown(app, code)
        assert [w for w in words if any(bad in w for bad in WRONG[code])] == []
