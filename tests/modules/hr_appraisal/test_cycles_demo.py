"""Demo appraisal cycles (issue 19): a closed month covering every grade, an open cycle awaiting scores."""
import pytest
from sqlalchemy import func, select

from core.extensions import db

pytestmark = pytest.mark.modules("hr_appraisal")


def _load(app):
    """The part's demo step, as ``erp demo`` runs it (the hook, last of the module's)."""
    from modules.hr_appraisal import cycles_demo
    hooks = [impl.function for impl in app.extensions["erp"].pm.hook.erp_demo_data.get_hookimpls()]
    assert cycles_demo.erp_demo_data in hooks and hooks[0] is cycles_demo.erp_demo_data  # called last
    cycles_demo.erp_demo_data(app)
    db.session.commit()


def test_demo_cycles(app):
    from core import seed
    from core.auth.models import User
    from modules.hr_appraisal.cycles import AppraisalCycle, AppraisalSheet
    with app.app_context():
        seed.seed_demo_users()
        _load(app)
        cycles = db.session.scalars(select(AppraisalCycle).order_by(AppraisalCycle.period_start)).all()
        assert [c.state for c in cycles] == ["closed", "assessment"]
        closed, current = cycles
        assert closed.period_end < current.period_start and set(closed.departments) == {"MKT", "ENG"}
        sheets = db.session.scalars(select(AppraisalSheet).where(AppraisalSheet.cycle_id == closed.id)).all()
        assert len(sheets) >= 5
        assert {s.state for s in sheets} == {"closed"} and all(s.frozen for s in sheets)
        assert {s.grade for s in sheets} == set("ABCDE")
        appealed = [s for s in sheets if s.appeal_reason]
        assert len(appealed) == 1
        # the open cycle: sheets wait for the 市场部经理's and the 工程部经理's scores (待我评分)
        users = {u.username: u.id for u in db.session.scalars(select(User))}
        waiting = db.session.scalars(select(AppraisalSheet.superior_id).where(
            AppraisalSheet.cycle_id == current.id, AppraisalSheet.state == "manager_assessment")).all()
        assert users["mkt_mgr"] in waiting and users["eng_mgr"] in waiting
        assert db.session.scalar(select(func.count(AppraisalSheet.id)).where(
            AppraisalSheet.cycle_id == current.id, AppraisalSheet.state == "self_assessment")) > 0
        # the 市场部助理's service is rated: last month submitted and on her sheet, this month waiting
        from modules.hr_appraisal.surveys import ServiceSurvey
        states = {(cycle_id, state) for cycle_id, state in db.session.execute(
            select(ServiceSurvey.cycle_id, ServiceSurvey.state))}
        assert states == {(closed.id, "submitted"), (current.id, "draft")}
        service = db.session.scalar(select(AppraisalSheet).where(
            AppraisalSheet.cycle_id == closed.id, AppraisalSheet.employee_id == users["mkt_ast"]))
        line = next(line for line in service.lines if line.code == "KPI-SERVICE-QUALITY")
        assert line.score is not None and line.data.startswith("服务评价 2 份")
        count = db.session.scalar(select(func.count(AppraisalSheet.id)))
        _load(app)                                                  # a second load adds nothing
        assert db.session.scalar(select(func.count(AppraisalCycle.id))) == 2
        assert db.session.scalar(select(func.count(AppraisalSheet.id))) == count


def test_demo_page_to_score(app, client):
    """The 市场部经理 sees the sheets waiting for his scores."""
    from core import seed
    from core.auth.models import User
    from core.testing.helpers import PASSWORD, sign_in_as
    with app.app_context():
        seed.seed_demo_users()
        _load(app)
        db.session.scalar(select(User).filter_by(username="mkt_mgr")).set_password(PASSWORD)
        db.session.commit()
    sign_in_as(client, "mkt_mgr")
    response = client.get("/hr_appraisal/to-score", follow_redirects=True)
    assert response.status_code == 200
    from modules.hr_appraisal.cycles import AppraisalSheet
    with app.app_context():
        numbers = db.session.scalars(select(AppraisalSheet.number).join(User, User.id == AppraisalSheet.superior_id)
                                     .where(User.username == "mkt_mgr",
                                            AppraisalSheet.state == "manager_assessment")).all()
    assert numbers and all(n in response.get_data(as_text=True) for n in numbers)
