"""The appraisal scenario (issue 19): closing a monthly appraisal cycle for 300 staff over a year
of generated module data computes every sheet in under 10 s, with the number of SQL statements
independent of the number of people (set-based queries per KPI, not a query per person per KPI).

Generator (bulk-inserted with SQLAlchemy Core ``insert()``): staff spread over 工程部 (项目工程师),
市场部 (客户经理) and 采购部 (采购员), each with his role and position; for the year ending with the
last measured month: a 项目工程师's weekly reports (rated), staff penalties (confirmed, with
points) and self-checks of his project; a 客户经理's daily visit logs (F-S01, a tenth late), weekly
summaries (rated), personal targets in the approved sales plans (X-S02), contracts and their
collections; a 采购员's purchase orders and receipts (when procurement is enabled). ``fill`` adds
to what a previous call wrote, so the run measures a cycle of the first 100 people, then fills up
to 300 and measures a cycle of the next month with all of them.

Figures (through the workflow as the 行政部 user ``bench_h_adm``, audited and committed): "start
the cycle" (a sheet per person, every quantitative KPI measured by one ``hr_appraisal_metrics``
call) and "close the cycle" (its sheets frozen with bulk statements), after the sheets were taken
to 已确认 in bulk (one UPDATE: the scoring steps are each person's own and not what is measured);
and the KPI coverage of each cycle (sheets with a value vs 无数据, per quantitative KPI).
"""
from __future__ import annotations

import random
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal

from sqlalchemy import case, func, select, text, update

from core.extensions import db

from .env import PASSWORD
from .procurement import _filled, _insert
from .sales import Counter, _next_id


class Statements(Counter):
    """Statements sent, and those among them that are not an INSERT of the rows written (a sheet
    and its lines are inserted a row at a time on SQLite, which has no ordered multi-row RETURNING:
    those grow with the people by nature; everything read and computed must not)."""

    def __init__(self, engine):
        super().__init__(engine)
        self.reads = 0

    def _on(self, conn, cursor, statement, *args, **kwargs):
        self.count += 1
        if not statement.lstrip().upper().startswith("INSERT"):
            self.reads += 1

TARGET_S = 10.0
GROUPS = [("ENG", "ROLE-ENG-PE", "POS-ENG-PE", "项目工程师"), ("MKT", "ROLE-MKT-AM", "POS-MKT-AM", "客户经理"),
          ("PUR", "ROLE-PUR-BUY", "POS-PUR-BUY", "采购员")]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "建华", "志强", "海燕"]


def enabled(app) -> bool:
    """Whether the run's app has the appraisal cycles and the modules whose data they measure."""
    codes = app.extensions["erp"].doctypes
    return "hr_appraisal.cycle" in codes and "engineering.project" in codes and "sales.contract" in codes


def setup_admin():
    """The 行政部 user running the cycles; created once, found on later calls."""
    from core.auth.models import Role, User
    from core.seed import create_user, seed_all
    if db.session.scalar(select(Role.id).where(Role.code == "ROLE-ADM")) is None:
        seed_all()
    admin = db.session.scalar(select(User).where(User.username == "bench_h_adm"))
    if admin is None:
        admin = create_user("bench_h_adm", PASSWORD, ["ROLE-ADM"], "行政专员(基准)", position="POS-ADM")
    db.session.commit()
    return admin


def fill(app, count: int, month: date, seed: int = 19) -> dict:
    """Add `count` staff and their year of data ending with `month`; returns the row counts."""
    from core.auth.models import Role, User, user_roles
    from core.org.models import Position, UserPosition
    from modules.engineering.penalties import Penalty, PenaltyItem
    from modules.engineering.site_reports import WeeklyReport
    from modules.sales.summaries import WeeklySummary
    from modules.sales.visits import VisitLog

    admin = setup_admin()
    rnd = random.Random(seed + count)
    conn = db.session.connection()
    now = datetime.now(UTC).replace(microsecond=0)
    t_user, t_up = User.__table__, UserPosition.__table__
    roles = dict(db.session.execute(select(Role.code, Role.id)).all())
    positions = {code: (pid, dept) for code, pid, dept in db.session.execute(
        select(Position.code, Position.id, Position.department_id))}
    first_user = _next_id(conn, t_user)
    users, links, holds, people = [], [], [], []
    for i in range(count):
        uid = first_user + i
        dept, role, position, _label = GROUPS[i % len(GROUPS)]
        pos_id, dept_id = positions[position]
        name = SURNAMES[rnd.randrange(len(SURNAMES))] + rnd.choice(GIVEN)
        users.append(_filled(t_user, {"id": uid, "username": f"bench_h_{uid}", "full_name": f"{name}{uid}",
                                      "password_hash": admin.password_hash, "active": True, "created_at": now,
                                      "department_id": dept_id}))
        links.append({"user_id": uid, "role_id": roles[role]})
        holds.append(_filled(t_up, {"user_id": uid, "position_id": pos_id, "is_deputy": False}))
        people.append((uid, dept, dept_id))
    _insert(conn, t_user, users)
    _insert(conn, user_roles, links)
    _insert(conn, t_up, holds)

    first_day = (month.replace(day=1) - timedelta(days=365))
    last_day = month.replace(day=28) + timedelta(days=10)
    last_day = last_day.replace(day=1) - timedelta(days=1)          # the measured month's last day
    mondays = [first_day + timedelta(days=(7 - first_day.weekday()) % 7 + 7 * k) for k in range(60)]
    mondays = [m for m in mondays if m + timedelta(days=6) <= last_day]
    workdays = [first_day + timedelta(days=k) for k in range((last_day - first_day).days + 1)]
    workdays = [d for d in workdays if d.weekday() < 5]

    def at(day: date, hour: int) -> datetime:
        return datetime.combine(day, dtime(hour), UTC)

    def document(table, doc_id, prefix, title, state, owner, dept_id, **values):
        return _filled(table, {"id": doc_id, "number": f"{prefix}-H{doc_id:07d}", "title": title, "state": state,
                               "version": 1, "created_at": now, "updated_at": now, "owner_id": owner,
                               "department_id": dept_id, "created_by_id": owner, "updated_by_id": owner,
                               **values})

    tables = {"weekly_reports": WeeklyReport.__table__, "penalties": Penalty.__table__,
              "visit_logs": VisitLog.__table__, "weekly_summaries": WeeklySummary.__table__}
    next_ids = {key: _next_id(conn, t) for key, t in tables.items()}
    # Penalties cite a catalogue item: the seeded P-09 (none seeded: no penalties generated).
    item_id = conn.execute(select(PenaltyItem.id).where(PenaltyItem.code == "P-09")
                           .limit(1)).scalar()
    rows: dict[str, list] = {key: [] for key in tables}

    def new(key):
        next_ids[key] += 1
        return next_ids[key] - 1
    for uid, dept, dept_id in people:
        if dept == "ENG":
            for monday in mondays:
                due = at(monday + timedelta(days=4), 10)
                late = rnd.random() < 0.1
                rows["weekly_reports"].append(document(
                    tables["weekly_reports"], new("weekly_reports"), "ZB", f"{monday} 周报", "reviewed", uid, dept_id,
                    week_start=monday, week_end=monday + timedelta(days=6), due_at=due,
                    submitted_at=due + timedelta(hours=30 if late else -2), submitted_late=late,
                    rating=rnd.randint(3, 5), next_week="继续推进现场施工。"))
            for _n in range(rnd.randint(0, 4) if item_id else 0):
                day = rnd.choice(workdays)
                points = rnd.choice((1, 2, 3, 5))
                rows["penalties"].append(document(
                    tables["penalties"], new("penalties"), "CF", "现场文明施工不到位", "confirmed", uid, dept_id,
                    target_type="staff", person_id=uid, decided_on=day, points=points, fine=points * 50,
                    item_id=item_id))
        elif dept == "MKT":
            for day in workdays:
                due = at(day + timedelta(days=1), 10)
                late = rnd.random() < 0.1
                rows["visit_logs"].append(document(
                    tables["visit_logs"], new("visit_logs"), "XF", f"{day} 巡访登记", "bundled", uid, dept_id,
                    visit_date=day, due_at=due, submitted_at=due + timedelta(hours=5 if late else -3), late=late))
            for monday in mondays:
                due = at(monday + timedelta(days=7), 12)
                rows["weekly_summaries"].append(document(
                    tables["weekly_summaries"], new("weekly_summaries"), "ZJ", f"{monday} 周总结", "read", uid,
                    dept_id, week_start=monday, week_end=monday + timedelta(days=6), due_at=due,
                    submitted_at=due - timedelta(hours=3), mgr_rating=rnd.randint(2, 5)))
    for key, table in tables.items():
        _insert(conn, table, rows[key])
    market = [(uid, dept_id) for uid, dept, dept_id in people if dept == "MKT"]
    engineers = [(uid, dept_id) for uid, dept, dept_id in people if dept == "ENG"]
    _sales_year(conn, rnd, market, admin.id, first_day, last_day, now)
    _selfchecks(conn, rnd, engineers, first_day, last_day, now)
    buyers = [(uid, dept_id) for uid, dept, dept_id in people if dept == "PUR"]
    if _purchase_tables():
        _purchases(conn, rnd, buyers, first_day, last_day, now)
    if conn.dialect.name == "postgresql":      # later ORM inserts take their ids from the sequences
        for table in (t_user, *tables.values(), *_sales_tables(), *_selfcheck_tables(), *_purchase_tables()):
            if "id" in table.c:
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                                  f"(SELECT coalesce(max(id), 1) FROM \"{table.name}\"))"))
    db.session.info.pop("audit_changes", None)  # bulk rows, not audited
    db.session.commit()
    counts = {"staff": db.session.scalar(select(func.count()).select_from(t_user).where(
        t_user.c.username.like("bench\\_h\\_%", escape="\\"), t_user.c.username != "bench_h_adm"))}
    counts.update({key: db.session.scalar(select(func.count()).select_from(t)) for key, t in tables.items()})
    for key, table in (("sales_plan_lines", _sales_tables()[5]), ("contracts", _sales_tables()[3]),
                       ("collections", _sales_tables()[4]), ("selfchecks", _selfcheck_tables()[1]),
                       *((("purchase_order_lines", _purchase_tables()[3]),) if _purchase_tables() else ())):
        counts[key] = db.session.scalar(select(func.count()).select_from(table))
    return counts


def _purchase_tables():
    """Procurement's tables the buyers' year fills; none when procurement is not enabled."""
    from flask import current_app
    if "procurement.order" not in current_app.extensions["erp"].doctypes:
        return ()
    from modules.procurement.orders import Order, OrderLine
    from modules.procurement.receipts import Receipt, ReceiptLine
    from modules.procurement.suppliers import Supplier
    return (Supplier.__table__, Order.__table__, Receipt.__table__, OrderLine.__table__, ReceiptLine.__table__)


PURCHASES = [("华为 S5735 交换机", 5200), ("六类非屏蔽网线", 620), ("海康威视 4MP 摄像机", 480), ("42U 网络机柜", 3800)]


def _purchases(conn, rnd, buyers, first_day, last_day, now):
    """A 采购员's year of purchases from this call's supplier: an order a week of 3 lines
    with their budget cost (the price paid 90–108% of it), promised 7–30 days after the order;
    one accepted receipt per order whose promised date has come, some days early or late."""
    if not buyers:
        return
    from core.parties.models import Party, PartyRole
    t_supplier, t_order, t_receipt, t_line, t_rline = _purchase_tables()
    t_party = Party.__table__
    ids = {t.name: _next_id(conn, t) for t in (t_party, t_supplier, t_order, t_receipt, t_line, t_rline)}
    rows = {name: [] for name in ids}

    def new(table):
        ids[table.name] += 1
        return ids[table.name] - 1

    def document(table, prefix, title, state, owner, dept_id, created, **values):
        doc_id = new(table)
        return _filled(table, {"id": doc_id, "number": f"{prefix}-H{doc_id:07d}", "title": title, "state": state,
                               "version": 1, "created_at": created, "updated_at": created, "owner_id": owner,
                               "department_id": dept_id, "created_by_id": owner, "updated_by_id": owner,
                               **values})
    buyer, pur = buyers[0]
    party_id = new(t_party)
    name = f"深圳考核基准网络设备有限公司{party_id:05d}"
    rows[t_party.name].append(_filled(t_party, {"id": party_id, "code": f"BH{party_id:07d}", "name": name,
                                                "match_key": name, "created_at": now, "version": 1}))
    supplier = document(t_supplier, "GYS", name, "qualified", buyer, pur, now, party_id=party_id,
                        categories=["network"], payment_days=30, buyer_id=buyer, grade="B")
    rows[t_supplier.name].append(supplier)
    days = [first_day + timedelta(days=k) for k in range((last_day - first_day).days + 1)]
    for uid, dept_id in buyers:
        for week in range(0, len(days) - 6, 7):     # an order a week: every month has some
            created = datetime.combine(days[week + rnd.randrange(7)], dtime(10), UTC)
            promised = created.date() + timedelta(days=rnd.randint(7, 30))
            arrived = promised + timedelta(days=rnd.choice([-3, -1, 0, 0, 0, 1, 4]))
            received = arrived <= last_day
            lines, total = [], Decimal(0)
            for item, budget in rnd.sample(PURCHASES, 3):
                qty = Decimal(rnd.randint(1, 20))
                price = (Decimal(budget) * Decimal(rnd.randint(90, 108)) / 100).quantize(Decimal("0.01"))
                total += qty * price
                lines.append(_filled(t_line, {
                    "id": new(t_line), "item": item, "qty": qty, "unit": "台", "unit_price": price,
                    "vat_rate": Decimal(13), "amount": qty * price, "promised_date": promised,
                    "budget_unit_cost": Decimal(budget), "received_qty": qty if received else Decimal(0),
                    "accepted_qty": qty if received else Decimal(0)}))
            order = document(t_order, "PO", f"订单 {name}", "received" if received else "contracted", uid, dept_id,
                             created, supplier_id=supplier["id"], total=total, promised_date=promised,
                             payment_terms="货到 30 天", delivery_terms="送货上门")
            rows[t_order.name].append(order)
            for line in lines:
                line["order_id"] = order["id"]
            rows[t_line.name] += lines
            if not received:
                continue
            at = datetime.combine(arrived, dtime(14), UTC)
            receipt = document(t_receipt, "DH", f"到货 {order['number']}", "accepted", uid, dept_id, at,
                               order_id=order["id"], received_at=at, received_by_id=uid, location="warehouse",
                               inspected_by_id=uid, inspected_on=arrived)
            rows[t_receipt.name].append(receipt)
            for line in lines:
                rows[t_rline.name].append(_filled(t_rline, {
                    "id": new(t_rline), "receipt_id": receipt["id"], "order_line_id": line["id"], "item": line["item"],
                    "qty_received": line["qty"], "inspection": "passed", "qty_accepted": line["qty"],
                    "qty_rejected": Decimal(0), "promised_date": promised, "late": arrived > promised}))
    _insert(conn, t_party, rows[t_party.name])
    _insert(conn, PartyRole.__table__, [{"party_id": party_id, "role": "supplier"}])
    for table in (t_supplier, t_order, t_line, t_receipt, t_rline):
        _insert(conn, table, rows[table.name])


def _sales_tables():
    from core.parties.models import Party, PartyRole
    from modules.sales.collections import Collection
    from modules.sales.contracts import Contract
    from modules.sales.models import Customer, Opportunity
    from modules.sales.reports import SalesPlan, SalesPlanLine
    return (Party.__table__, Customer.__table__, Opportunity.__table__, Contract.__table__, Collection.__table__,
            SalesPlanLine.__table__, SalesPlan.__table__, PartyRole.__table__)


def _halves(first_day: date, last_day: date) -> list[tuple[int, int, date, date]]:
    """(year, half, first day, last day) of the half-years overlapping first_day..last_day."""
    out = []
    for year in range(first_day.year, last_day.year + 1):
        for half, start, end in ((1, date(year, 1, 1), date(year, 6, 30)), (2, date(year, 7, 1), date(year, 12, 31))):
            if start <= last_day and end >= first_day:
                out.append((year, half, start, end))
    return out


def _sales_year(conn, rnd, market, admin_id, first_day, last_day, now):
    """The 客户经理's year of sales: a personal target in each approved half-year plan (X-S02, under
    an area of this call's people whose area target is their sum), a customer and a won
    opportunity each, about a contract a month (a 客户经理 achieves 40–130% of his target) and
    its three collection lines (advance and delivery received when their day has come)."""
    if not market:
        return
    from modules.sales.models import Area
    t_party, t_customer, t_opp, t_contract, t_line, t_plan_line, t_plan, t_role = _sales_tables()
    mkt = market[0][1]
    code = f"BHR{_next_id(conn, Area.__table__)}"
    area_id = _next_id(conn, Area.__table__)
    _insert(conn, Area.__table__, [_filled(Area.__table__, {"id": area_id, "code": code, "name": f"考核基准片区{code}",
                                                            "kind": "geographic", "active": True})])
    monthly = Decimal(200_000)
    plans = {}
    next_plan = _next_id(conn, t_plan)
    for year, half, start, end in _halves(first_day, last_day):
        plan_id = conn.execute(select(t_plan.c.id).where(t_plan.c.year == year, t_plan.c.half == half)).scalar()
        if plan_id is None:
            plan_id, next_plan = next_plan, next_plan + 1
            _insert(conn, t_plan, [_filled(t_plan, {
                "id": plan_id, "number": f"CH-H{plan_id:07d}", "title": f"{year}年{'上' if half == 1 else '下'}半年全国区域销售策划",
                "state": "approved", "version": 1, "created_at": now, "updated_at": now, "owner_id": admin_id,
                "department_id": mkt, "created_by_id": admin_id, "updated_by_id": admin_id, "year": year,
                "half": half, "period_start": start, "period_end": end, "market_review": "上半年市场回顾。",
                "strategy": "以政府、教育、医疗行业为主。"})])
        plans[plan_id] = (start, end)
    ids = {t.name: _next_id(conn, t) for t in (t_party, t_customer, t_opp, t_contract, t_line, t_plan_line)}

    def new(table):
        ids[table.name] += 1
        return ids[table.name] - 1

    def document(table, prefix, title, state, owner, dept_id, created, **values):
        doc_id = new(table)
        return _filled(table, {"id": doc_id, "number": f"{prefix}-H{doc_id:07d}", "title": title, "state": state,
                               "version": 1, "created_at": created, "updated_at": created, "owner_id": owner,
                               "department_id": dept_id, "created_by_id": owner, "updated_by_id": owner,
                               **values})
    rows = {t.name: [] for t in (t_party, t_role, t_customer, t_opp, t_contract, t_line, t_plan_line)}
    months = []
    day = first_day.replace(day=1)
    while day <= last_day:
        months.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    totals = {plan_id: [Decimal(0), Decimal(0)] for plan_id in plans}
    for uid, dept_id in market:
        for plan_id, (start, end) in plans.items():
            signed, collected = monthly * 6, monthly * 5
            rows[t_plan_line.name].append(_filled(t_plan_line, {
                "id": new(t_plan_line), "plan_id": plan_id, "area_id": area_id, "owner_id": uid, "person_id": uid,
                "signed_target": signed, "collection_target": collected}))
            totals[plan_id][0] += signed
            totals[plan_id][1] += collected
        party_id = new(t_party)
        name = f"深圳{rnd.choice(('人民医院', '实验学校', '供电局', '地铁集团'))}{party_id:05d}"
        rows[t_party.name].append(_filled(t_party, {"id": party_id, "code": f"BH{party_id:07d}", "name": name,
                                                    "match_key": name, "created_at": now, "version": 1}))
        rows[t_role.name].append({"party_id": party_id, "role": "customer"})
        customer = document(t_customer, "KH", name, "active", uid, dept_id, now, party_id=party_id, area_id=area_id,
                            credit="good")
        opportunity = document(t_opp, "SJ", f"{name} 弱电工程", "won", uid, dept_id, now,
                               customer_id=customer["id"], area_id=area_id, info_type="engineering",
                               source="visit", est_amount=monthly * 12)
        rows[t_customer.name].append(customer)
        rows[t_opp.name].append(opportunity)
        achieves = rnd.uniform(0.4, 1.3)
        for month in months:
            if rnd.random() > 0.85:
                continue
            signed_on = month + timedelta(days=rnd.randrange(28))
            if signed_on > last_day:
                continue
            amount = (monthly * Decimal(achieves / 0.85 * rnd.uniform(0.6, 1.4))).quantize(Decimal(1000))
            created = datetime.combine(signed_on, dtime(9), UTC)
            contract = document(t_contract, "HT", f"{name} 合同", "in_execution", uid, dept_id, created,
                                kind="contract", opportunity_id=opportunity["id"], customer_id=customer["id"],
                                area_id=area_id, amount=amount, vat_rate=Decimal(13),
                                amount_excl_tax=(amount / Decimal("1.13")).quantize(Decimal("0.01")),
                                signed_on=signed_on)
            rows[t_contract.name].append(contract)
            for milestone, share, after in (("advance", "0.3", 15), ("delivery", "0.6", 75), ("retention", "0.1", 365)):
                due = signed_on + timedelta(days=after)
                received = due <= last_day and milestone != "retention"
                line_amount = (amount * Decimal(share)).quantize(Decimal("0.01"))
                rows[t_line.name].append(document(
                    t_line, "SK", f"{contract['number']} {milestone}", "received" if received else "planned", uid,
                    dept_id, created, contract_id=contract["id"], customer_id=customer["id"], area_id=area_id,
                    milestone=milestone, amount=line_amount, trigger="date", planned_date=due, due_date=due,
                    received_on=due if received else None, received_amount=line_amount if received else None,
                    invoice_no=f"FP{contract['id']:07d}{milestone[0]}" if received else ""))
    for plan_id, (signed, collected) in totals.items():
        rows[t_plan_line.name].append(_filled(t_plan_line, {
            "id": new(t_plan_line), "plan_id": plan_id, "area_id": area_id, "owner_id": None, "person_id": None,
            "signed_target": signed, "collection_target": collected}))
    for table in (t_party, t_role, t_customer, t_opp, t_contract, t_line, t_plan_line):
        _insert(conn, table, rows[table.name])
    for plan_id in plans:                    # the plans' totals: the sum of their area lines
        lines = select(func.coalesce(func.sum(t_plan_line.c.signed_target), 0)).where(
            t_plan_line.c.plan_id == plan_id, t_plan_line.c.person_id.is_(None)).scalar_subquery()
        collections = select(func.coalesce(func.sum(t_plan_line.c.collection_target), 0)).where(
            t_plan_line.c.plan_id == plan_id, t_plan_line.c.person_id.is_(None)).scalar_subquery()
        conn.execute(update(t_plan).where(t_plan.c.id == plan_id).values(
            signed_target_total=lines, collection_target_total=collections))


def _selfcheck_tables():
    from modules.engineering.projects import EngProject
    from modules.engineering.selfchecks import SelfCheck, SelfCheckItem
    return EngProject.__table__, SelfCheck.__table__, SelfCheckItem.__table__


CHECK_ITEMS = ["线槽安装牢固、平直", "线缆标识清晰", "桥架接地可靠", "跳线整齐", "机柜安装垂直"]


def _selfchecks(conn, rnd, engineers, first_day, last_day, now):
    """A 项目工程师's project under construction and its confirmed self-checks (F-E06), two a
    month with five items, a few failed at the first check: KPI-PROJECT-EVAL's first-pass rate
    (he has no evaluated project)."""
    if not engineers:
        return
    t_project, t_check, t_item = _selfcheck_tables()
    ids = {t.name: _next_id(conn, t) for t in (t_project, t_check, t_item)}
    rows = {name: [] for name in ids}

    def new(table):
        ids[table.name] += 1
        return ids[table.name] - 1

    def document(table, prefix, title, state, owner, dept_id, **values):
        doc_id = new(table)
        return _filled(table, {"id": doc_id, "number": f"{prefix}-H{doc_id:07d}", "title": title, "state": state,
                               "version": 1, "created_at": now, "updated_at": now, "owner_id": owner,
                               "department_id": dept_id, "created_by_id": owner, "updated_by_id": owner,
                               **values})
    days = (last_day - first_day).days
    for uid, dept_id in engineers:
        project = document(t_project, "GC", "考核基准大楼弱电工程", "in_construction", uid, dept_id, engineer_id=uid,
                           customer_name="考核基准客户", planned_start=first_day, actual_start=first_day,
                           planned_completion=last_day + timedelta(days=90))
        rows[t_project.name].append(project)
        failing = rnd.uniform(0.0, 0.3)
        for n in range(days // 15):
            check = document(t_check, "ZJ", "自检", "confirmed", uid, dept_id, project_id=project["id"],
                             scope="3F 弱电井", stage="cabling", check_date=first_day + timedelta(days=15 * n + 7),
                             conclusion="passed")
            rows[t_check.name].append(check)
            for item in CHECK_ITEMS:
                rows[t_item.name].append(_filled(t_item, {
                    "id": new(t_item), "selfcheck_id": check["id"], "item": item,
                    "result": "failed" if rnd.random() < failing else "passed"}))
    for table in (t_project, t_check, t_item):
        _insert(conn, table, rows[table.name])


def run_cycle(app, month: date) -> dict:
    """Open a monthly cycle of ENG, MKT and PUR for `month`, start it (timed), take its sheets to
    已确认 in bulk, close it (timed); statements counted on the engine."""
    from flask import g
    from flask_login import login_user

    from core.documents import service
    from core.workflow import engine
    from modules.hr_appraisal.cycles import CYCLE, AppraisalCycle, AppraisalSheet
    out = {}
    with app.test_request_context("/"):
        from modules.hr_appraisal.kpis import seed_templates
        admin = setup_admin()
        seed_templates(admin)       # once per database: not part of a cycle's start
        db.session.commit()
        login_user(admin)
        g.audit_user = admin
        cycle = service.new_document(CYCLE, admin)
        cycle.cadence, cycle.period_start, cycle.departments = "monthly", month, [d for d, *_r in GROUPS]
        service.before_save(CYCLE, cycle)
        service.assign_number(CYCLE, cycle)
        db.session.add(cycle)
        db.session.commit()
        cycle_id = cycle.id
        for name in ("start", "close"):
            if name == "close":
                db.session.execute(update(AppraisalSheet).where(AppraisalSheet.cycle_id == cycle_id)
                                   .values(state="acknowledged"))
                db.session.commit()
            cycle = db.session.get(AppraisalCycle, cycle_id)
            with Statements(db.engine) as counter:
                t = time.perf_counter()
                engine.perform(CYCLE, cycle, name, admin)
                took = time.perf_counter() - t
            out[name] = {"ms": took * 1000, "statements": counter.reads, "all_statements": counter.count}
        states = dict(db.session.execute(select(AppraisalSheet.state, func.count()).where(
            AppraisalSheet.cycle_id == cycle_id).group_by(AppraisalSheet.state)).all())
        frozen = db.session.scalar(select(func.count()).where(AppraisalSheet.cycle_id == cycle_id,
                                                              AppraisalSheet.frozen.is_(True)))
        measured = db.session.scalar(select(func.count()).where(AppraisalSheet.cycle_id == cycle_id,
                                                                AppraisalSheet.total.is_not(None)))
        coverage = kpi_coverage(cycle_id)
        db.session.remove()
    assert set(states) == {"closed"} and frozen == sum(states.values()), (states, frozen)
    out.update(sheets=sum(states.values()), measured=measured, coverage=coverage)
    return out


def kpi_coverage(cycle_id: int) -> dict[str, tuple[int, int]]:
    """KPI code -> (sheets with a value, sheets with 无数据) of the cycle's quantitative KPIs."""
    from modules.hr_appraisal import kpis
    from modules.hr_appraisal.cycles import AppraisalSheet
    from modules.hr_appraisal.cycles import AppraisalSheetLine as Line
    quantitative = [code for code, kpi in kpis.catalogue().items() if kpi.quantitative]
    rows = db.session.execute(
        select(Line.code, func.count(), func.sum(case((Line.no_data.is_(True), 1), else_=0)))
        .join(AppraisalSheet, AppraisalSheet.id == Line.sheet_id)
        .where(AppraisalSheet.cycle_id == cycle_id, Line.kind == "kpi", Line.code.in_(quantitative))
        .group_by(Line.code).order_by(Line.code))
    return {code: (n - int(missing or 0), int(missing or 0)) for code, n, missing in rows}


def measure(app, sizes=(100, 300), month: date | None = None) -> list[dict]:
    """A cycle of the first sizes[0] people, then (filled up) one of sizes[1] people, a month later.
    A warm-up cycle a month before the first, not reported, takes the once-per-process and
    once-per-database work (number sequences read and cached) out of the figures."""
    from core import calendar_today
    today = calendar_today.today()
    month = month or (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    months = [(month.replace(day=1) - timedelta(days=31 * (len(sizes) - k))).replace(day=1)
              for k in range(len(sizes) + 1)]
    out, have = [], 0
    for k, when in enumerate(months):
        size = sizes[max(k - 1, 0)]
        t = time.perf_counter()
        # Everybody's year ends with the last measured month, so every cycle's month has data.
        with app.app_context():
            counts = fill(app, size - have, months[-1]) if size > have else None
        have = size
        figures = run_cycle(app, when)
        if k == 0:
            continue
        if counts is None:
            with app.app_context():
                counts = fill(app, 0, months[-1])
        out.append({"people": size, "fill_s": time.perf_counter() - t, "counts": counts, "month": when.isoformat(),
                    **figures})
    return out
