"""Starting a cycle reads and measures its people set-based (one hook call for everybody), and
closing it freezes every sheet with bulk statements: only the rows inserted grow with the people."""
import pytest
from sqlalchemy import event, func, select, update

from core.audit.models import AuditEntry
from core.extensions import db
from tests.conftest import department_id
from tests.modules.hr_appraisal.test_cycles import act
from tests.plugins.appraisal_metrics import MANIFEST as METRICS

pytestmark = [pytest.mark.modules("hr_appraisal", "appraisal_metrics"), pytest.mark.manifests(METRICS)]


def statements_of(app, call):
    seen = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith("INSERT"):
            seen.append(statement)
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        result = call()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen), result


def run_cycle(app, staff, hapi, department):
    status, cycle = hapi(staff, "adm", "post", "cycle", {"cadence": "monthly", "period_start": "2026-11-15",
                                                         "departments": [department]})
    assert status == 201, cycle
    started, (status, body) = statements_of(app, lambda: act(hapi, staff, "adm", "cycle", cycle["id"], "start"))
    assert status == 200, body
    from modules.hr_appraisal.cycles import AppraisalSheet
    with app.app_context():
        db.session.execute(update(AppraisalSheet).where(AppraisalSheet.cycle_id == cycle["id"])
                           .values(state="acknowledged"))
        db.session.commit()
        count = db.session.query(AppraisalSheet).filter_by(cycle_id=cycle["id"]).count()
    closed, (status, body) = statements_of(app, lambda: act(hapi, staff, "adm", "cycle", cycle["id"], "close"))
    assert status == 200, body
    with app.app_context():
        states = set(db.session.scalars(select(AppraisalSheet.state).where(AppraisalSheet.cycle_id == cycle["id"])))
        frozen = set(db.session.scalars(select(AppraisalSheet.frozen).where(AppraisalSheet.cycle_id == cycle["id"])))
        audited = db.session.scalar(select(func.count(AuditEntry.id)).where(
            AuditEntry.action == "transition", AuditEntry.model == "hr_appraisal_sheet",
            AuditEntry.changes.like('%"to": "closed"%'),
            AuditEntry.record_id.in_([str(i) for i in db.session.scalars(
                select(AppraisalSheet.id).where(AppraisalSheet.cycle_id == cycle["id"]))])))
    assert (states, frozen, audited) == ({"closed"}, {True}, count)
    return count, started, closed


def test_starting_and_closing_a_cycle_are_set_based(app, staff, hapi, make_user):
    make_user("buyer0", "ROLE-PUR-BUY", department_id=department_id(app, "PUR"))
    run_cycle(app, staff, hapi, "ENG")     # the first one also writes the role templates
    run_cycle(app, staff, hapi, "PUR")     # and the first service surveys their counter
    small = run_cycle(app, staff, hapi, "PUR")
    for n in range(1, 12):
        make_user(f"buyer{n}", "ROLE-PUR-BUY", department_id=department_id(app, "PUR"))
    large = run_cycle(app, staff, hapi, "PUR")
    assert (small[0], large[0]) == (1, 12)
    assert small[1:] == large[1:], (small, large)


def test_management_capability_reads_the_reports_set_based(app, staff, hapi, make_staff):
    """The 市场总监's KPI-MGMT-CAPABILITY reads his direct reports' KPIs: as many statements with 2
    reports as with 7 (5 more 采购部经理 report to him), and still one hook call per cycle."""
    from tests.plugins.appraisal_metrics import hooks as plugin
    run_cycle(app, staff, hapi, "MKT")        # the first one also writes the role templates
    plugin.CALLS.clear()
    few = run_cycle(app, staff, hapi, "MKT")
    assert len(plugin.CALLS) == 1 and staff["ids"]["eng_mgr"] in plugin.CALLS[0]["user_ids"]
    more = make_staff({f"pur_mgr{n}": ("ROLE-PUR-MGR", "PUR", "POS-PUR-MGR") for n in range(5)})
    plugin.CALLS.clear()
    many = run_cycle(app, staff, hapi, "MKT")
    assert len(plugin.CALLS) == 1 and set(more["ids"].values()) <= plugin.CALLS[0]["user_ids"]
    assert few[0] == many[0] and few[1:] == many[1:], (few, many)
