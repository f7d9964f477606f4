"""Labels of the trip and the cycle that had borrowed other documents' words: the trip's planned
start, purpose and transport (shown as a works start, an entertainment's purpose and a logistics
cost) and the cycle's first state (shown as an unpaid bill). Their own msgids now."""
import pytest

pytestmark = pytest.mark.modules("hr_appraisal")


def test_trip_form_and_cycle_state_have_their_own_words(app, staff, browser_as):
    adm = browser_as("adm")
    form = adm.get("/hr_appraisal/trip/new").get_data(as_text=True)
    for label in ("Planned departure", "Means of transport", "Purpose of the trip"):
        assert label in form, label
    assert "Planned start" not in form
    from modules.hr_appraisal.cycles import CYCLE_WORKFLOW
    from modules.hr_appraisal.trips import TRIP
    assert str(CYCLE_WORKFLOW.states["open"]) == "Not started"
    with app.test_request_context():
        listed = {c.name: str(c.label) for c in TRIP.columns}
    assert listed["planned_start"] == "Planned departure"


def test_a_declared_title_is_not_listed_twice():
    """The list always shows the number and the title first: a declared title field is no extra
    column (the appraisal sheets' list showed 标题 twice)."""
    from modules.hr_appraisal.cycles import CYCLE, SHEET
    for doctype in (SHEET, CYCLE):
        assert any(f.name == "title" for f in doctype.fields)
        assert "title" not in [c.name for c in doctype.columns], doctype.code
