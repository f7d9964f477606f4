"""Realistic demo records for `erp demo`; runs once (skipped when suppliers exist).

Each part adds its own demo records through ``DEMO_STEPS`` (called in order with the demo users
and the suppliers made here), so the parts stay independent.
"""
from datetime import timedelta
from decimal import Decimal

from flask import g
from sqlalchemy import func, select

from core import calendar_today
from core.auth.models import User
from core.documents import service
from core.extensions import db
from core.workflow import engine

from .evaluations import EVALUATION, new_evaluation
from .inquiries import demo_inquiries
from .orders import demo as order_demo
from .payments import demo as payables_demo
from .requests import demo_requests
from .suppliers import SUPPLIER, Supplier, SupplierQualification

# name, credit code, categories, brands authorised, scores (qualification suggested), end state
SUPPLIERS = [
    ("深圳市华讯网络设备有限公司", "91440300MA5F00001A", ["network", "server"], ["华为", "H3C"], (92, 88, 90, 85), "qualified"),
    ("广州市金缆通信器材有限公司", "91440101MA5C00002R", ["cabling"], ["康普", "罗森伯格"], (85, 80, 75, 80), "qualified"),
    ("深圳市安视达安防科技有限公司", "91440300MA5G000033", ["security"], ["海康威视", "大华"], (62, 60, 55, 65), "qualified"),
    ("东莞市恒温机房设备有限公司", "91441900MA4W00004A", ["room"], [], None, "candidate"),
    ("深圳市低价杂货贸易有限公司", "91440300MA5H00005U", ["other"], [], (40, 70, 30, 40), "blacklisted"),
]


def _user(username):
    return db.session.scalar(select(User).where(User.username == username))


def supplier(buyer, name, code, categories, brands):
    g.audit_user = buyer
    doc = service.new_document(SUPPLIER, buyer)
    doc.title, doc.credit_code, doc.categories = name, code, categories
    doc.contact_name, doc.contact_phone = "销售经理", "0755-8888" + code[-4:]
    doc.bank_name, doc.bank_account = "招商银行深圳分行", "7559" + code[-8:] + "0001"
    doc.payment_terms, doc.payment_days, doc.buyer_id = "月结 30 天", 30, buyer.id
    today = calendar_today.today()
    doc.qualifications.append(SupplierQualification(kind="licence", name="营业执照", certificate_no=code,
                                                    valid_until=None))
    for brand in brands:
        doc.qualifications.append(SupplierQualification(kind="authorisation", name=brand, level="first",
                                                        valid_until=today + timedelta(days=200)))
    service.before_save(SUPPLIER, doc)
    service.assign_number(SUPPLIER, doc)
    db.session.add(doc)
    db.session.commit()
    return doc


def evaluate(doc, buyer, manager, scores, comment="同意"):
    g.audit_user = buyer
    evaluation = new_evaluation(doc, buyer)
    quality, price, delivery, service_score = scores
    for line in evaluation.lines:
        line.score = {"quality": quality, "price": price, "delivery": delivery, "service": service_score}.get(
            line.code, line.score)
        line.score = Decimal(line.score)
    from .evaluations import save_evaluation
    save_evaluation(evaluation)
    service.assign_number(EVALUATION, evaluation)
    db.session.add(evaluation)
    db.session.commit()
    engine.perform(EVALUATION, evaluation, "submit", buyer)
    g.audit_user = manager
    engine.perform(EVALUATION, evaluation, "approve", manager, comment)
    return evaluation


# Parts append ``step(users: dict, suppliers: list[Supplier])`` here to add their demo records.
DEMO_STEPS: list = [demo_inquiries, demo_requests, order_demo, payables_demo]


def load():
    if db.session.scalar(select(func.count()).select_from(Supplier)):
        return
    users = {name: _user(name) for name in ("buyer", "pur_mgr", "mkt_dir", "gm", "eng_mgr", "pe", "fin")}
    if users["buyer"] is None or users["pur_mgr"] is None:
        return  # demo users are created by `erp demo` first
    buyer, manager = users["buyer"], users["pur_mgr"]
    suppliers = []
    for name, code, categories, brands, scores, end in SUPPLIERS:
        doc = supplier(buyer, name, code, categories, brands)
        if scores is not None:
            evaluate(doc, buyer, manager, scores, "同意列入合格供方" if end != "blacklisted" else "评分不合格")
        if end == "blacklisted":
            g.audit_user = manager
            engine.perform(SUPPLIER, doc, "blacklist", manager, "以次充好，多次到货不合格")
        suppliers.append(doc)
    for step in DEMO_STEPS:
        step(users, suppliers)
    g.audit_user = None
