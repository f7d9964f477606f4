"""The supervision forms along the works: the schedule signed off (F-T02), the commencement order
starting the works (F-T04), materials and equipment inspected line by line before use (F-T13,
F-T15, R-E-032), quality incidents and notices with their rectification deadline and the
system-test gate (F-T14, F-T16, R-E-042), reports read and rated (F-T17, F-T18), meeting
resolutions followed up (F-T19), sub-items accepted after a passed self-check (F-T20, F-T21,
R-E-041) and the whole works pre-accepted (F-T22). Each printed as its paper form."""
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from core.extensions import db

from .conftest import make_project
from .test_forms import SUPERVISOR_PAPER, TEAM_PAPER, pdf_text, project, ready_project
from .test_schedule import TASKS, approve, create

pytestmark = pytest.mark.modules("engineering")

TEAM = {"relation": "inward", "team_name": "宏达布线施工队"}


def new(team, eapi, code, values, who="pe"):
    status, doc = eapi(team, who, "post", code, values)
    assert status == 201, doc
    return doc


def step(team, eapi, code, doc, name, body=None, who="pe", expect=200):
    status, out = eapi(team, who, "post", f"{code}/{doc['id']}/transitions/{name}", body or {})
    assert status == expect, out
    return out


class Listener:
    """Hears the project's milestones (I-07)."""
    def __init__(self):
        self.heard = []

    from core.hookspecs import hookimpl

    @hookimpl
    def engineering_project_milestone(self, project, milestone, day, user, amount, reference):
        self.heard.append((milestone, day, reference))


@pytest.fixture
def milestones(app):
    listener = Listener()
    app.extensions["erp"].pm.register(listener, name="milestones")
    yield listener.heard
    app.extensions["erp"].pm.unregister(name="milestones")


def test_schedule_review_copies_the_milestones(app, team, eapi, eweb):
    pid = make_project(app, team, state="planning")
    schedule = approve(team, eapi, create(team, eapi, pid))
    doc = new(team, eapi, "ft02", {"project_id": pid, "relation": "outward", "schedule_id": schedule["id"],
                                   "plan_type": "overall", "period_from": "2026-12-10", "period_to": "2027-01-20"})
    assert [line["milestone"] for line in doc["lines"]] == [t["name"] for t in TASKS if t.get("milestone")]
    # Another project's schedule is refused.
    other = make_project(app, team, state="planning")
    status, body = eapi(team, "pe", "post", "ft02", {"project_id": other, "relation": "outward",
                                                     "schedule_id": schedule["id"], "plan_type": "overall",
                                                     "period_from": "2026-12-10", "period_to": "2027-01-20"})
    assert status == 422 and "schedule_id" in body["fields"]
    doc = step(team, eapi, "ft02", doc, "submit")
    doc = step(team, eapi, "ft02", doc, "review", SUPERVISOR_PAPER)
    assert doc["state"] == "reviewed"
    assert "工程施工进度计划审核签证" in pdf_text(app, eweb, "pe", f"/engineering/ft02/{doc['id']}/pdf")


def test_commencement_order_starts_the_works(app, team, eapi, eweb):
    from .test_forms import all_ready, ft01
    pid = ready_project(app, team, eapi)
    application = step(team, eapi, "ft01", all_ready(team, eapi, ft01(team, eapi, pid)), "submit")
    # The order follows a reviewed application.
    values = {"project_id": pid, "relation": "outward", "application_id": application["id"], "start_date": "2026-12-12",
              "contract_days": 100, "requirements": "按批准的施工组织设计组织施工"}
    status, body = eapi(team, "pe", "post", "ft04", values)
    assert status == 422 and "application_id" in body["fields"]
    application = step(team, eapi, "ft01", application, "review", SUPERVISOR_PAPER)
    order = new(team, eapi, "ft04", values)
    assert order["completion_date"] == "2027-03-21" and order["addressee"] == order["contractor_name"]
    order = step(team, eapi, "ft04", order, "issue", {**SUPERVISOR_PAPER, "supervisor_xsig_opinion": "准予开工"})
    assert project(app, pid).state == "start_applied"
    order = step(team, eapi, "ft04", order, "acknowledge")
    assert order["state"] == "closed" and order["contractor_sig_by_id"] == team["ids"]["pe"]
    started = project(app, pid)
    assert started.state == "in_construction" and started.actual_start == date(2026, 12, 12)
    assert eapi(team, "pe", "get", f"ft01/{application['id']}")[1]["state"] == "closed"
    text = pdf_text(app, eweb, "pe", f"/engineering/ft04/{order['id']}/pdf")
    assert "工程开工令" in text and "准予开工" in text


def test_equipment_inspected_line_by_line_before_installation(app, team, eapi, eweb, milestones):
    pid = make_project(app, team, state="in_construction")
    lines = [{"name": "核心交换机", "brand": "华为", "model": "S12700E-8", "serials": "2102351\n2102352", "qty": 2,
              "unit": "台", "unpacking_check": "intact", "accessories_docs": "complete", "power_on_test": "normal",
              "receipt_ref": "DH-2026-0031"},
             {"name": "机柜", "brand": "图腾", "model": "G26042", "qty": 4, "unit": "台", "unpacking_check": "damaged",
              "accessories_docs": "complete", "power_on_test": "not_tested"}]
    doc = new(team, eapi, "ft15", {"project_id": pid, "relation": "outward", "arrival_date": "2026-12-18",
                                   "documents": ["packing_list", "certificate"], "self_check": "qualified",
                                   "lines": lines})
    doc = step(team, eapi, "ft15", doc, "submit")
    # R-E-032: nothing is installed before each line is inspected.
    status, body = eapi(team, "pe", "post", f"ft15/{doc['id']}/transitions/review", SUPERVISOR_PAPER)
    assert status == 422 and "R-E-032" in body["rules"] and "核心交换机" in str(body)
    results = [{**lines[0], "result": "accepted"}, {**lines[1], "result": "rejected"}]
    status, doc = eapi(team, "pe", "patch", f"ft15/{doc['id']}", {"lines": results, "version": doc["version"]})
    assert status == 200, doc
    doc = step(team, eapi, "ft15", doc, "review", SUPERVISOR_PAPER)
    assert ("arrival_accepted", date(2026, 12, 18), doc["number"]) in milestones
    assert "进场设备数量及质量报验单" in pdf_text(app, eweb, "pe", f"/engineering/ft15/{doc['id']}/pdf")
    # Materials the contractor's own check found not qualified are not submitted.
    material = new(team, eapi, "ft13", {"project_id": pid, **TEAM, "arrival_date": "2026-12-19",
                                        "documents": ["certificate"], "self_check": "unqualified",
                                        "lines": [{"name": "六类双绞线", "spec_model": "CAT6 UTP", "unit": "箱", "qty": "40",
                                                   "supply_by": "team"}]})
    status, body = eapi(team, "pe", "post", f"ft13/{material['id']}/transitions/submit", TEAM_PAPER)
    assert status == 422 and "self_check" in body["fields"]
    status, material = eapi(team, "pe", "patch", f"ft13/{material['id']}",
                            {"self_check": "qualified", "version": material["version"]})
    material = step(team, eapi, "ft13", material, "submit", TEAM_PAPER)
    assert material["contractor_xsig_name"] == "赵队长"
    assert "材料数量及质量报验单" in pdf_text(app, eweb, "pe", f"/engineering/ft13/{material['id']}/pdf")


def test_quality_notice_overdue_blocks_system_test_until_closed(app, team, eapi, eweb):
    pid = make_project(app, team, state="in_construction")
    notice = new(team, eapi, "ft16", {"project_id": pid, **TEAM, "found_at": "2026-12-01T10:00", "location": "三层弱电间",
                                      "description": "线缆未绑扎、无标签", "severity": "ordinary",
                                      "rectify_requirement": "按规范绑扎并贴标签", "rectify_due": "2026-12-03"})
    # INWARD the project engineer issues it as supervising engineer; the team signs the receipt on paper.
    notice = step(team, eapi, "ft16", notice, "issue")
    assert notice["supervisor_sig_by_id"] == team["ids"]["pe"] and notice["overdue"] is True
    status, body = eapi(team, "pe", "post", f"project/{pid}/transitions/to_system_test", {})
    assert status == 422 and "R-E-042" in body["rules"] and notice["number"] in str(body)
    notice = step(team, eapi, "ft16", notice, "acknowledge", TEAM_PAPER)
    status, body = eapi(team, "pe", "post", f"ft16/{notice['id']}/transitions/reply", {})
    assert status == 422 and "reply" in body["fields"]
    notice = step(team, eapi, "ft16", notice, "reply", {"reply": "已绑扎，标签补贴完毕"})
    notice = step(team, eapi, "ft16", notice, "not_rectified", {"comment": "仍有两处无标签"})
    assert notice["state"] == "acknowledged" and notice["recheck"] == "failed"
    notice = step(team, eapi, "ft16", notice, "reply", {"reply": "全部补贴"})
    notice = step(team, eapi, "ft16", notice, "close", {"recheck": "passed"})
    assert notice["state"] == "closed" and notice["overdue"] is False
    assert "施工监理质量问题通知书" in pdf_text(app, eweb, "pe", f"/engineering/ft16/{notice['id']}/pdf")
    status, body = eapi(team, "pe", "post", f"project/{pid}/transitions/to_system_test", {})
    assert status == 200, body


def test_quality_incident_closes_after_verification(app, team, eapi, eweb):
    pid = make_project(app, team, state="in_construction")
    doc = new(team, eapi, "ft14", {
        "project_id": pid, "relation": "outward", "occurred_at": "2026-12-20T15:00", "location": "二层机房",
        "description": "机柜安装时砸坏防静电地板", "severity": "ordinary", "cause": "搬运未铺保护板",
        "responsible": "contractor", "responsible_name": "项目部", "loss": "3200", "handling_plan": "更换地板 6 块",
        "preventive": "搬运前铺设保护板", "rectify_due": "2026-12-25"})
    doc = step(team, eapi, "ft14", doc, "submit")
    doc = step(team, eapi, "ft14", doc, "review", SUPERVISOR_PAPER)
    status, body = eapi(team, "pe", "post", f"ft14/{doc['id']}/transitions/close", {})
    assert status == 422 and "result_verification" in body["fields"]
    doc = step(team, eapi, "ft14", doc, "close", {"result_verification": "地板已更换，验收合格"})
    assert doc["state"] == "closed"
    assert "工程质量事故处理审核意见" in pdf_text(app, eweb, "pe", f"/engineering/ft14/{doc['id']}/pdf")


def test_reports_are_read_and_rated_by_the_manager(app, team, eapi, eweb):
    pid = make_project(app, team, state="in_construction")
    monthly = new(team, eapi, "ft17", {"project_id": pid, **TEAM, "month": "2026-12", "progress": "完成布线 60%",
                                       "quality": "一次验收合格率 95%", "safety": "无事故", "problems": "材料到货偏晚",
                                       "next_month": "完成机房安装"})
    status, body = eapi(team, "pe", "post", "ft17", {"project_id": pid, **TEAM, "month": "12/2026", "progress": "x",
                                                     "quality": "x", "safety": "x", "problems": "x", "next_month": "x"})
    assert status == 422 and "month" in body["fields"]
    monthly = step(team, eapi, "ft17", monthly, "submit")
    assert monthly["supervisor_sig_by_id"] == team["ids"]["pe"]
    assert eapi(team, "pe", "post", f"ft17/{monthly['id']}/transitions/read", {"rating": 4})[0] == 403
    status, body = eapi(team, "eng_mgr", "post", f"ft17/{monthly['id']}/transitions/read", {})
    assert status == 422 and "rating" in body["fields"]
    monthly = step(team, eapi, "ft17", monthly, "read", {"rating": 4, "comment": "内容完整"}, who="eng_mgr")
    assert monthly["state"] == "read" and monthly["rating"] == 4
    assert "监理工作月报" in pdf_text(app, eweb, "pe", f"/engineering/ft17/{monthly['id']}/pdf")
    # OUTWARD the external supervisor's report is recorded from its signed paper.
    weekly = new(team, eapi, "ft18", {"project_id": pid, "relation": "outward", "week_from": "2026-12-14",
                                      "week_to": "2026-12-20", "work_done": "三层水平布线", "progress": "正常",
                                      "quality_safety": "抽检合格", "issues": "无", "next_week": "四层布线"})
    assert "工程暂停工通知" not in weekly["figures"]
    status, body = eapi(team, "pe", "post", f"ft18/{weekly['id']}/transitions/submit", {})
    assert status == 422 and "supervisor_xsig_name" in body["fields"]
    weekly = step(team, eapi, "ft18", weekly, "submit", SUPERVISOR_PAPER)
    assert "监理工作周报" in pdf_text(app, eweb, "pe", f"/engineering/ft18/{weekly['id']}/pdf")


def test_meeting_resolutions_follow_their_owners(app, team, eapi, eweb):
    from core.reminders import Notification
    pid = make_project(app, team, state="in_construction")
    minutes = new(team, eapi, "ft19", {
        "project_id": pid, "relation": "outward", "meeting_type": "site", "title": "第3次工地例会",
        "held_at": "2026-12-08T14:00", "place": "项目部会议室", "chair": "李监理", "recorder_id": team["ids"]["pe"],
        "participants": "建设单位 王主任；监理单位 李监理；承包单位 张工", "agenda": "进度与质量", "discussion": "布线进度滞后 3 天",
        "lines": [{"item": "增加施工人员 4 名", "owner_id": team["ids"]["pe2"], "due": "2026-12-01", "status": "open"},
                  {"item": "提交机房深化图", "owner_id": team["ids"]["pe"], "due": "2027-01-31", "status": "open"}]})
    assert minutes["next_due"] == "2026-12-01"
    minutes = step(team, eapi, "ft19", minutes, "confirm")
    assert minutes["overdue"] is True
    with app.app_context():
        note = db.session.scalar(select(Notification).where(Notification.user_id == team["ids"]["pe2"]))
        assert note is not None and "增加施工人员" in note.title and note.due_at is not None
    # The late resolution done, the minutes wait for the next one.
    lines = [{"item": "增加施工人员 4 名", "owner_id": team["ids"]["pe2"], "due": "2026-12-01", "status": "done"},
             {"item": "提交机房深化图", "owner_id": team["ids"]["pe"], "due": "2027-01-31", "status": "open"}]
    status, minutes = eapi(team, "pe", "patch", f"ft19/{minutes['id']}", {"lines": lines, "version": minutes["version"]})
    assert status == 200 and minutes["next_due"] == "2027-01-31" and minutes["overdue"] is False, minutes
    status, body = eapi(team, "pe", "patch", f"ft19/{minutes['id']}", {"place": "工地", "version": minutes["version"]})
    assert status == 422 and "place" in str(body)
    assert "工作会议纪要" in pdf_text(app, eweb, "pe", f"/engineering/ft19/{minutes['id']}/pdf")


def passed_selfcheck(app, team, pid, conclusion="passed", state="confirmed", days_ago=1) -> int:
    from datetime import timedelta

    from core import calendar_today
    from modules.engineering.selfchecks import SelfCheck
    with app.app_context():
        sheet = SelfCheck(number=f"ZC-T{pid}{conclusion[:2]}{days_ago}", title="三层水平布线自检", state=state,
                          project_id=pid, stage="cabling", conclusion=conclusion,
                          check_date=calendar_today.today() - timedelta(days=days_ago),
                          owner_id=team["ids"]["pe"], created_by_id=team["ids"]["pe"], updated_by_id=team["ids"]["pe"])
        db.session.add(sheet)
        db.session.commit()
        return sheet.id


def test_subitem_accepted_after_a_passed_self_check(app, team, eapi, eweb, milestones):
    from modules.engineering.schedule import ScheduleTask
    pid = make_project(app, team, state="in_construction")
    approve(team, eapi, create(team, eapi, pid))
    with app.app_context():
        from modules.engineering.schedule import subitems
        first = subitems(pid)[0]
        task = {"id": first.id, "name": first.name}
    failed = passed_selfcheck(app, team, pid, conclusion="failed")
    values = {"project_id": pid, "relation": "outward", "task_id": task["id"], "location": "三层",
              "completed_on": "2027-01-12", "is_hidden_work": True, "selfcheck_id": failed,
              "requested_date": "2027-01-14", "lines": [{"item": "六类水平链路", "unit": "条", "qty": "96"}]}
    status, body = eapi(team, "pe", "post", "ft20", {**values, "task_id": 999999})
    assert status == 422 and "task_id" in body["fields"]
    application = new(team, eapi, "ft20", values)
    assert application["subitem_name"] == task["name"]
    status, body = eapi(team, "pe", "post", f"ft20/{application['id']}/transitions/submit", {})
    assert status == 422 and "R-E-041" in body["rules"]
    # A passed self-check too old (eng.selfcheck_validity_days, 7) does not do either.
    status, application = eapi(team, "pe", "patch", f"ft20/{application['id']}",
                               {"selfcheck_id": passed_selfcheck(app, team, pid, days_ago=30),
                                "version": application["version"]})
    status, body = eapi(team, "pe", "post", f"ft20/{application['id']}/transitions/submit", {})
    assert status == 422 and "R-E-041" in body["rules"] and "7 days" in body["error"]
    status, application = eapi(team, "pe", "patch", f"ft20/{application['id']}",
                               {"selfcheck_id": passed_selfcheck(app, team, pid), "version": application["version"]})
    assert status == 200, application
    application = step(team, eapi, "ft20", application, "submit")
    application = step(team, eapi, "ft20", application, "review", SUPERVISOR_PAPER)
    opinion = new(team, eapi, "ft21", {
        "project_id": pid, "relation": "outward", "application_id": application["id"], "inspected_on": "2027-01-14",
        "inspectors": "市建设监理公司 李监理", "conclusion": "qualified",
        "lines": [{"item": "链路测试", "standard": "GB 50312", "result": "conform"}]})
    assert opinion["first_pass"] is True
    opinion = step(team, eapi, "ft21", opinion, "issue", SUPERVISOR_PAPER)
    opinion = step(team, eapi, "ft21", opinion, "acknowledge")
    assert opinion["state"] == "closed"
    assert eapi(team, "pe", "get", f"ft20/{application['id']}")[1]["state"] == "closed"
    with app.app_context():
        accepted = db.session.get(ScheduleTask, task["id"])
        assert accepted.accepted_on == date(2027, 1, 14) and accepted.accepted_ref == opinion["number"]
    assert ("subitem_accepted", date(2027, 1, 14), opinion["number"]) in milestones
    text = pdf_text(app, eweb, "pe", f"/engineering/ft21/{opinion['id']}/pdf")
    assert "分项工程完工预验收监理意见" in text
    assert "分项工程验收申请单" in pdf_text(app, eweb, "pe", f"/engineering/ft20/{application['id']}/pdf")


def test_pre_acceptance_sends_to_rectification_or_final_acceptance(app, team, eapi, eweb):
    pid = make_project(app, team, state="pre_acceptance")
    record = {"project_id": pid, **TEAM, "pre_acceptance_date": "2027-03-10", "participants": "市一中 王主任；宏达施工队 赵队长",
              "test_summary": "链路全部测试合格", "trial_run": "试运行 7 天正常", "documents_check": "竣工图、测试报告齐全"}
    first = new(team, eapi, "ft22", {**record, "conclusion": "qualified",
                                     "lines": [{"item": "弱电间门禁未调试", "responsible": "赵队长", "due": "2027-03-15"}]})
    status, body = eapi(team, "eng_mgr", "post", f"ft22/{first['id']}/transitions/confirm", TEAM_PAPER)
    assert status == 422 and "conclusion" in body["fields"]
    status, first = eapi(team, "pe", "patch", f"ft22/{first['id']}", {"conclusion": "rectify", "version": first["version"]})
    # INWARD the company signs as supervisor and as employer: the engineering manager confirms.
    status, body = eapi(team, "pe", "post", f"ft22/{first['id']}/transitions/confirm", TEAM_PAPER)
    assert status == 422 and "engineering manager" in str(body)
    first = step(team, eapi, "ft22", first, "confirm", TEAM_PAPER, who="eng_mgr")
    assert first["owner_sig_by_id"] == team["ids"]["eng_mgr"] and project(app, pid).state == "rectification"
    with app.app_context():
        from modules.engineering.projects import EngProject
        db.session.get(EngProject, pid).state = "pre_acceptance"
        db.session.commit()
    second = new(team, eapi, "ft22", {**record, "conclusion": "qualified", "proposed_final_date": "2027-03-20",
                                      "lines": [{"item": "弱电间门禁未调试", "responsible": "赵队长", "due": "2027-03-15",
                                                 "closed": True}]})
    step(team, eapi, "ft22", second, "confirm", TEAM_PAPER, who="eng_mgr")
    assert project(app, pid).state == "final_acceptance"
    assert "全部工程完工预验收记录" in pdf_text(app, eweb, "pe", f"/engineering/ft22/{second['id']}/pdf")
