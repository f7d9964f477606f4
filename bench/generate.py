"""Fills the benchmark database: N orders with 3 lines each, approval tasks, and their audit.

Fast path: rows are bulk-inserted (SQLAlchemy Core executemany, explicit ids) instead of going
through the ORM, and so are their audit entries — the same entries the audit listeners would
write for an insert (all non-null columns, JSON with sorted keys), hash-chained with
core.audit.log.entry_hash after the last existing entry, so core.audit.log.verify passes.
"""
from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import func, insert, select, text

from core.audit import log as audit_log
from core.audit.models import AuditEntry
from core.documents.models import NumberSequence, SequenceCounter
from core.extensions import db
from core.org.models import Department
from core.seed import create_user, seed_all
from core.workflow.models import ApprovalTask

from .env import PASSWORD
from .orders.hooks import Order, OrderLine

CUSTOMERS = ["深圳市南山区人民医院", "华侨城集团", "招商银行深圳分行", "腾讯科技(深圳)有限公司", "深圳地铁集团",
             "南方科技大学", "比亚迪股份有限公司", "平安保险", "深圳机场", "万科物业"]
ITEMS = [("S5735 交换机", Decimal("4200.00")), ("六类非屏蔽网线(箱)", Decimal("680.00")),
         ("海康 4MP 半球摄像机", Decimal("520.00")), ("24 口配线架", Decimal("160.00")),
         ("UPS 3kVA", Decimal("5800.00")), ("机柜 42U", Decimal("2300.00"))]
STATES = ["draft"] * 45 + ["submitted"] * 20 + ["approved"] * 25 + ["cancelled"] * 10
CHUNK = 2000
CLERKS = 10


def _iso(value):
    return value.isoformat()


def _dump(changes: dict) -> str:
    return json.dumps(changes, ensure_ascii=False, sort_keys=True, default=str)


def setup_people(app) -> dict:
    """Reference data, the department's manager (who lists), clerks, and one outsider."""
    seed_all()
    mkt = db.session.scalar(select(Department.id).where(Department.code == "MKT"))
    eng = db.session.scalar(select(Department.id).where(Department.code == "ENG"))
    manager = create_user("bench_mgr", PASSWORD, ["BENCH-MGR", "ROLE-MKT-MGR"], "订单经理",
                          position="POS-MKT-MGR")
    clerks = []
    for i in range(1, CLERKS + 1):
        clerk = create_user(f"bench_c{i:02d}", PASSWORD, ["BENCH-CLERK"], f"录入员{i:02d}")
        clerk.department_id = mkt
        clerks.append(clerk)
    outsider = create_user("bench_eng", PASSWORD, ["BENCH-CLERK"], "工程部录入员")
    outsider.department_id = eng
    db.session.commit()
    return {"manager": manager.id, "clerks": [c.id for c in clerks], "outsider": outsider.id,
            "mkt": mkt, "eng": eng,
            "names": {u.id: u.username for u in [manager, outsider, *clerks]}}


def fill(app, rows: int, outsiders: int, seed: int = 3) -> dict:
    """`rows` orders in the manager's department plus `outsiders` in another one (never listed)."""
    rnd = random.Random(seed)
    people = setup_people(app)
    session = db.session
    conn = session.connection()
    year = datetime.now(timezone.utc).year
    total = rows + outsiders
    ns = NumberSequence(code="bench.order", prefix="BO", reset="yearly", padding=6)
    session.add(ns)
    session.add(SequenceCounter(code="bench.order", period=str(year), value=total))
    session.commit()
    conn = session.connection()

    now = datetime.now(timezone.utc).replace(microsecond=0)
    start = max(datetime(year, 1, 1, tzinfo=timezone.utc), now - timedelta(days=90))
    step = (now - start) / (total + 1)
    prev = conn.execute(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).scalar() or audit_log.GENESIS
    audit_id = conn.execute(select(func.max(AuditEntry.id))).scalar() or 0
    line_id = task_id = 0
    outsider_every = max(total // outsiders, 2) if outsiders else 0
    names = people["names"]
    stats = {"orders": 0, "lines": 0, "tasks": 0, "audit": 0}
    t_orders, t_lines, t_tasks, t_audit = Order.__table__, OrderLine.__table__, ApprovalTask.__table__, AuditEntry.__table__

    def entry(ts, user, action, model, record_id, changes):
        nonlocal prev, audit_id
        audit_id += 1
        row = {"id": audit_id, "ts": ts, "user_id": user, "actor": names[user], "ip": "127.0.0.1",
               "request_id": "", "action": action, "model": model, "record_id": str(record_id),
               "changes": _dump(changes)}
        row["prev_hash"] = prev
        row["hash"] = prev = audit_log.entry_hash(prev, row)
        return row

    outsiders_left = outsiders
    for first in range(1, total + 1, CHUNK):
        orders, lines, tasks, entries = [], [], [], []
        for doc_id in range(first, min(first + CHUNK, total + 1)):
            outsider = bool(outsiders_left) and doc_id % outsider_every == 0
            if outsider:
                outsiders_left -= 1
                owner, dept = people["outsider"], people["eng"]
            else:
                owner, dept = people["clerks"][doc_id % CLERKS], people["mkt"]
            created = start + step * doc_id
            picked = [ITEMS[rnd.randrange(len(ITEMS))] for _ in range(3)]
            qtys = [rnd.randint(1, 20) for _ in range(3)]
            amount = sum((p * q for (_i, p), q in zip(picked, qtys)), Decimal("0.00"))
            state = STATES[rnd.randrange(len(STATES))]
            customer = CUSTOMERS[rnd.randrange(len(CUSTOMERS))]
            order = {"id": doc_id, "number": f"BO-{year}-{doc_id:06d}", "title": f"{customer} 弱电改造 {doc_id}",
                     "state": state, "version": 1, "created_at": created, "updated_at": created,
                     "owner_id": owner, "department_id": dept, "created_by_id": owner,
                     "updated_by_id": owner, "customer": customer, "amount": amount}
            orders.append(order)
            entries.append(entry(created, owner, "insert", "bench_order", doc_id,
                                 {k: (_iso(v) if isinstance(v, datetime) else v) for k, v in order.items()}))
            for (item, price), qty in zip(picked, qtys):
                line_id += 1
                line = {"id": line_id, "order_id": doc_id, "item": item, "qty": qty, "price": price}
                lines.append(line)
                entries.append(entry(created, owner, "insert", "bench_order_line", line_id, line))
            if state in ("submitted", "approved") and not outsider:
                task_id += 1
                task = {"id": task_id, "doctype": "bench.order", "doc_id": doc_id, "doc_number": order["number"],
                        "doc_title": order["title"], "round": 1, "step_index": 0, "step_name": "manager",
                        "step_label": "Department manager", "required": 1, "user_id": people["manager"],
                        "status": "open" if state == "submitted" else "approved",
                        "decided_by_id": people["manager"] if state == "approved" else None,
                        "decided_at": created if state == "approved" else None, "comment": "",
                        "created_at": created}
                tasks.append(task)
                entries.append(entry(created, owner, "insert", "approval_task", task_id,
                                     {k: (_iso(v) if isinstance(v, datetime) else v)
                                      for k, v in task.items() if v is not None}))
        conn.execute(insert(t_orders), orders)
        conn.execute(insert(t_lines), lines)
        if tasks:
            conn.execute(insert(t_tasks), tasks)
        conn.execute(insert(t_audit), entries)
        stats["orders"] += len(orders)
        stats["lines"] += len(lines)
        stats["tasks"] += len(tasks)
        stats["audit"] += len(entries)
    if conn.dialect.name == "postgresql":
        for table in ("bench_order", "bench_order_line", "approval_task", "audit_entry"):
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                              f"(SELECT max(id) FROM {table}))"))
    # Bypass the audit listeners' own batch: this transaction's entries were written above.
    session.info.pop("audit_changes", None)
    session.commit()
    if conn.dialect.name == "postgresql":  # what autovacuum would do shortly after such a load
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    stats.update(people)
    stats["year"] = year
    return stats
