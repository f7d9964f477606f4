"""Realistic demo records for `erp demo`; runs once (skipped when projects exist).

Projects are made in every phase of WF-E01 (written in their state: the gates' documents come
from the parts' own demo steps). Each part adds its records through ``DEMO_STEPS``, called in
order with the demo users and the projects by key, so the parts stay independent.
"""
import zlib
from datetime import timedelta
from decimal import Decimal

from flask import g
from sqlalchemy import func, select

from core import calendar_today
from core.auth.models import User
from core.documents import service
from core.extensions import db

from .projects import PROJECT, EngProject, ProjectScopeLine, add_months, save_project

# key, name, customer, site, type, amount, supervision, state, started (days ago), engineer?
PROJECTS = [
    ("school", "市一中校园网综合布线工程", "市第一中学", "市一中新校区教学楼", "cabling", "86000", "none", "received", None, False),
    ("library", "市图书馆网络改造工程", "市图书馆", "市图书馆主楼", "network", "158000", "owner_rep", "survey", None, True),
    ("hospital", "市人民医院安防监控工程", "市人民医院", "市人民医院门诊楼及住院楼", "security", "380000", "firm", "planning",
     None, True),
    ("garden", "滨江花园小区智能化工程", "滨江置业有限公司", "滨江花园二期", "building", "265000", "firm", "start_applied",
     None, True),
    ("govcenter", "市政务服务中心机房工程", "市政务服务管理局", "市政务服务中心三楼机房", "machine_room", "420000", "firm",
     "in_construction", 40, True),
    ("zone", "开发区管委会视频会议系统", "开发区管委会", "管委会办公楼", "integration", "96000", "owner_rep", "suspended", 30,
     True),
    ("tax", "市税务局综合布线工程", "市税务局", "市税务局办公大楼", "cabling", "188000", "firm", "system_test", 75, True),
    ("park", "科技园区园区网工程", "科技园区发展公司", "科技园 A、B 栋", "network", "236000", "firm", "rectification", 95,
     True),
    ("third", "第三中学监控工程", "市第三中学", "第三中学校园", "security", "128000", "none", "closing", 140, True),
    ("archive", "市档案馆机房工程", "市档案馆", "市档案馆地下一层", "machine_room", "310000", "owner_rep", "warranty", 300,
     True),
    ("old", "市交警支队指挥中心网络工程", "市交警支队", "交警支队指挥中心", "network", "175000", "firm", "closed", 900, True),
]
SCOPE = {
    "cabling": [("六类非屏蔽双绞线", "康普 CS34P", "32", "箱"), ("24口六类配线架", "康普", "20", "个"),
                ("信息插座模块", "康普 六类", "600", "个")],
    "network": [("核心交换机", "华为 S7706", "2", "台"), ("接入交换机", "华为 S5735-L48T4X", "24", "台")],
    "security": [("网络摄像机", "海康威视 DS-2CD3T47", "160", "台"), ("网络硬盘录像机", "海康威视 DS-9632N", "4", "台")],
    "machine_room": [("精密空调", "艾默生 25kW", "2", "台"), ("UPS 主机", "山特 60kVA", "2", "台"),
                     ("服务器机柜", "图腾 42U", "12", "台")],
    "building": [("楼宇对讲主机", "狄耐克", "12", "台"), ("门禁控制器", "海康威视", "30", "台")],
    "integration": [("视频会议终端", "华为 Box 600", "6", "台"), ("MCU", "华为", "1", "台")],
}


def _user(username):
    return db.session.scalar(select(User).where(User.username == username))


def project(manager, engineer, key, name, customer, site, kind, amount, supervision, state, started_days_ago):
    g.audit_user = manager
    today = calendar_today.today()
    doc = service.new_document(PROJECT, manager)
    doc.title, doc.customer_name, doc.site_address, doc.project_type = name, customer, site, kind
    doc.contract_amount, doc.supervision_mode = Decimal(amount), supervision
    doc.supervisor_firm = "市建设工程监理有限公司" if supervision == "firm" else ""
    doc.customer_contacts = f"{customer} 信息科 王科长 138{zlib.crc32(key.encode()) % 10**8:08d}"
    doc.engineer_id = engineer.id if engineer else None
    doc.warranty_months = 24 if kind == "machine_room" else 12
    start = today - timedelta(days=started_days_ago) if started_days_ago is not None else today + timedelta(days=14)
    doc.planned_start, doc.planned_completion = start, start + timedelta(days=120)
    doc.contract_ref = f"HT-{today.year}-D{len(key):02d}{key[:3].upper()}"
    doc.solution = f"{name}技术方案 V1.2"
    doc.commitments = "施工期间不得影响用户正常办公；夜间施工须提前报备。"
    for item, model, qty, unit in SCOPE.get(kind, SCOPE["network"]):
        doc.scope.append(ProjectScopeLine(item=item, brand_model=model, qty=Decimal(qty), unit=unit, supply_by="ours"))
    save_project(doc)
    if key == "school":      # handed over two working days ago and still without an engineer: overdue
        doc.assign_due_at = doc.assign_due_at - timedelta(days=3)
    if started_days_ago is not None:
        doc.actual_start, doc.safety_briefed_on = start, start - timedelta(days=2)
    elif state in ("planning", "start_applied"):
        doc.safety_briefed_on = today - timedelta(days=1)
    if state in ("closing", "warranty", "closed"):
        doc.actual_completion = start + timedelta(days=110)
        doc.warranty_end = add_months(doc.actual_completion, doc.warranty_months)
    if state != "received":
        doc.assign_due_at = None
    doc.state = state
    service.assign_number(PROJECT, doc)
    db.session.add(doc)
    db.session.commit()
    return doc


def _schedules(users, projects):
    from .schedule import demo as schedules
    schedules(users)


def _costs(users, projects):
    from .costs import demo as costs
    costs(users)
    db.session.commit()


def _site(users, projects):
    from .site import demo as surveys_and_logs
    from .site_reports import demo as weekly_and_monthly_reports
    surveys_and_logs(users)
    weekly_and_monthly_reports(users)
    db.session.commit()


def _checks(users, projects):
    from .cabling import demo as cabling_tests
    from .selfchecks import demo as selfchecks
    selfchecks(users)
    cabling_tests(users)
    db.session.commit()


def _forms(users, projects):
    from .form_money import demo as change_and_payment_forms
    from .supervision import demo as supervision_forms
    supervision_forms(users)
    change_and_payment_forms(users)
    db.session.commit()


def _teams(users, projects):
    from .teams import demo as construction_teams
    construction_teams(users)
    db.session.commit()


def _service(users, projects):
    from .service import demo as after_sales_service
    after_sales_service(users)
    db.session.commit()


def _quality(users, projects):
    from .evaluation import demo as evaluations
    from .nonconforming import demo as nonconformances
    nonconformances(users)
    evaluations(users)
    db.session.commit()


def _subcontracts(users, projects):
    from .subcontracts import demo as packages_and_subcontracts
    packages_and_subcontracts(users)
    db.session.commit()


def _penalties(users, projects):
    from .penalties import demo as penalties
    penalties(users)
    db.session.commit()


# Parts add ``step(users: dict, projects: dict[str, EngProject])`` here to add their records.
DEMO_STEPS: list = [_schedules, _costs, _site, _checks, _teams, _forms, _subcontracts, _service, _quality, _penalties]


def load():
    if db.session.scalar(select(func.count()).select_from(EngProject)):
        return
    users = {name: _user(name) for name in ("eng_mgr", "pe", "gm", "mkt_dir", "buyer", "fin")}
    if users["eng_mgr"] is None or users["pe"] is None:
        return  # demo users are created by `erp demo` first
    projects = {}
    for key, name, customer, site, kind, amount, supervision, state, started, assigned in PROJECTS:
        projects[key] = project(users["eng_mgr"], users["pe"] if assigned else None, key, name, customer, site, kind,
                                amount, supervision, state, started)
    for step in DEMO_STEPS:
        step(users, projects)
    g.audit_user = None
