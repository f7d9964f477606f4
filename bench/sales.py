"""The sales scenario (issue 15): collection ageing, collections due this month and the sales
dashboard's pipeline chart over 10,000 contracts and 100,000 collection lines.

Generator: the market department's reference rows (8 areas, 1,000 customers with their parties,
10,000 opportunities across every state of the opportunity workflow), 10,000 contracts in various
states and amounts, and 10 collection lines each (milestones, due dates over the past 400 days
and the next 200, 60% open), bulk-inserted with SQLAlchemy Core ``insert()`` and lists of dicts
(explicit ids after the existing ones). ``fill`` adds to what a previous call wrote, so a run
measures at a tenth of the rows, then fills up to the whole and measures again.

Users: ``bench_s_mgr`` (市场部经理, reads every collection), ``bench_s_dir`` (市场总监, the sales
overview), ``bench_s_aam`` (片区客户经理 of the first area: sees his areas' lines and his own) and
20 客户经理 ``bench_s_am01``… who own the customers, opportunities, contracts and lines.

Scenarios: ``ageing(user, "owner" | "area", today)`` for the manager and the area manager, the
overview widget's pipeline chart for the director (``pipeline_by_state`` + ``pipeline_by_area``, the
"by state" and "by area" bars; also the whole overview, its 4 cards), ``due_this_month`` for the
manager and the dashboard's collections cards (due this month, overdue). Each call's SQL
statements are counted with a ``before_cursor_execute`` listener on the engine.
"""
from __future__ import annotations

import random
import statistics
import time
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import event, func, insert, select, text

from core.extensions import db

from .env import PASSWORD

AREAS = [("SZ", "深圳片区"), ("GZ", "广州片区"), ("DG", "东莞片区"), ("FS", "佛山片区"), ("HZ", "惠州片区"),
         ("ZH", "珠海片区"), ("GOV", "政府行业"), ("EDU", "教育行业")]
OWNERS = 20
LINES_PER_CONTRACT = 10
NAMES = ["人民医院", "地铁集团", "科技有限公司", "实验学校", "物业管理有限公司", "城投集团", "供电局", "制造有限公司",
         "银行分行", "产业园"]
CITIES = ["深圳", "广州", "东莞", "佛山", "惠州", "珠海", "中山", "江门"]
CHUNK = 5000


def enabled(app) -> bool:
    """Whether the run's app has the sales module with its collections (``--modules all``)."""
    return "sales.collection" in app.extensions["erp"].doctypes


def _next_id(conn, table) -> int:
    return (conn.execute(select(func.max(table.c.id))).scalar() or 0) + 1


def _insert(conn, table, rows):
    for i in range(0, len(rows), CHUNK):
        conn.execute(insert(table), rows[i:i + CHUNK])


def setup_people() -> dict:
    """The market department's people and the 8 areas; created once, found on later calls."""
    from core.auth.models import User
    from core.org.models import Department
    from core.seed import create_user, seed_all
    from modules.sales.models import Area

    def user(username, roles, full_name, position=None):
        found = db.session.scalar(select(User).where(User.username == username))
        return found or create_user(username, PASSWORD, roles, full_name, position=position)
    from core.auth.models import Role
    if db.session.scalar(select(Role.id).where(Role.code == "ROLE-MKT-MGR")) is None:  # --only sales
        seed_all()
    mkt = db.session.scalar(select(Department.id).where(Department.code == "MKT"))
    people = {"mgr": user("bench_s_mgr", ["ROLE-MKT-MGR"], "市场部经理(基准)"),
              "dir": user("bench_s_dir", ["ROLE-MKT-DIR"], "市场总监(基准)"),
              "aam": user("bench_s_aam", ["ROLE-MKT-AAM"], "片区客户经理(基准)")}
    owners = [user(f"bench_s_am{i:02d}", ["ROLE-MKT-AM"], f"客户经理{i:02d}") for i in range(1, OWNERS + 1)]
    for person in [*people.values(), *owners]:
        person.department_id = person.department_id or mkt
    db.session.flush()
    areas = []
    for code, name in AREAS:
        area = db.session.scalar(select(Area).where(Area.code == f"B{code}"))
        if area is None:
            area = Area(code=f"B{code}", name=f"{name}(基准)", kind="industry" if code in ("GOV", "EDU") else "geographic")
            db.session.add(area)
        areas.append(area)
    areas[0].manager_id = people["aam"].id
    db.session.commit()
    return {"mkt": mkt, **{k: v.id for k, v in people.items()},
            "owners": [people["aam"].id] + [o.id for o in owners], "areas": [a.id for a in areas]}


def _counts(conn) -> dict:
    from modules.sales.collections import Collection
    from modules.sales.contracts import Contract
    from modules.sales.models import Customer, Opportunity
    return {name: conn.execute(select(func.count()).select_from(model)).scalar()
            for name, model in (("customers", Customer), ("opportunities", Opportunity), ("contracts", Contract),
                                ("collections", Collection))}


def fill(app, contracts: int, seed: int = 15, today: date | None = None) -> dict:
    """Add `contracts` contracts (10 collection lines each), `contracts` opportunities and
    `contracts / 10` customers to the database; returns the people's ids and the row counts."""
    from core import calendar_today
    from core.parties.models import Party, PartyRole
    from modules.sales.collections import OPEN, Collection
    from modules.sales.contracts import CONTRACT_WORKFLOW, Contract
    from modules.sales.customers import OPPORTUNITY_WORKFLOW
    from modules.sales.models import Customer, Opportunity

    rnd = random.Random(seed + contracts)
    people = setup_people()
    today = today or calendar_today.today()
    conn = db.session.connection()
    now = datetime.now(timezone.utc).replace(microsecond=0)
    t_party, t_role, t_customer = Party.__table__, PartyRole.__table__, Customer.__table__
    t_opp, t_contract, t_line = Opportunity.__table__, Contract.__table__, Collection.__table__
    customers = max(contracts // 10, 1)
    owners, areas, mkt = people["owners"], people["areas"], people["mkt"]

    def document(doc_id, prefix, title, state, owner, created):
        return {"id": doc_id, "number": f"{prefix}-B{doc_id:07d}", "title": title, "state": state, "version": 1,
                "created_at": created, "updated_at": created, "owner_id": owner, "department_id": mkt,
                "created_by_id": owner, "updated_by_id": owner}

    # Customers (with their core party) spread over the areas and the owners.
    first_party, first_customer = _next_id(conn, t_party), _next_id(conn, t_customer)
    parties, roles, rows, of_customer = [], [], [], {}
    for i in range(customers):
        party_id, customer_id = first_party + i, first_customer + i
        name = f"{CITIES[i % len(CITIES)]}{NAMES[(i // len(CITIES)) % len(NAMES)]}{customer_id:05d}"
        parties.append({"id": party_id, "code": f"BP{party_id:07d}", "name": name, "match_key": name,
                        "created_at": now, "version": 1})
        roles.append({"party_id": party_id, "role": "customer"})
        area = areas[i % len(areas)]  # every area has customers, even in a tiny run
        owner = owners[rnd.randrange(len(owners))]
        row = document(customer_id, "KH", name, rnd.choice(["active"] * 6 + ["potential"] * 2 + ["dormant"]),
                       owner, now - timedelta(days=rnd.randint(400, 900)))
        row.update(party_id=party_id, area_id=area, industry="", credit="good")
        rows.append(row)
        of_customer[customer_id] = (area, owner, name)
    _insert(conn, t_party, parties)
    _insert(conn, t_role, roles)
    _insert(conn, t_customer, rows)

    # Opportunities across every state of the workflow; amounts 50k to 5M.
    states = list(OPPORTUNITY_WORKFLOW.states)
    contract_ready = ("won", "contracting", "contract_review", "approved_to_sign", "signed", "handover_pending",
                      "handed_over")
    first_opp = _next_id(conn, t_opp)
    rows, signed_opps = [], []
    for i in range(contracts):
        opp_id = first_opp + i
        customer_id = first_customer + rnd.randrange(customers)
        area, owner, name = of_customer[customer_id]
        state = states[i % len(states)] if i % 3 else rnd.choice(contract_ready)
        row = document(opp_id, "SJ", f"{name} 弱电工程 {opp_id}", state, owner,
                       now - timedelta(days=rnd.randint(0, 600)))
        row.update(customer_id=customer_id, area_id=area, info_type=rnd.choice(["engineering", "tender", "equipment"]),
                   source="visit", est_amount=Decimal(rnd.randint(50, 5000) * 1000))
        rows.append(row)
        if state in contract_ready:
            signed_opps.append((opp_id, customer_id))
    _insert(conn, t_opp, rows)

    # Contracts of those won opportunities, mostly signed and later, and their collection plans.
    contract_states = (["draft"] * 3 + ["in_review"] * 3 + ["approved_to_sign"] * 2 + ["signed"] * 4
                       + ["registered"] * 8 + ["in_execution"] * 30 + ["delivered"] * 15 + ["collecting"] * 20
                       + ["closed"] * 12 + ["terminated"] * 3)
    assert set(contract_states) <= set(CONTRACT_WORKFLOW.states)
    milestones = [("advance", "date", 0.3), ("delivery", "arrival", 0.3), ("progress", "subitem", 0.2),
                  ("acceptance", "acceptance", 0.15), ("retention", "warranty_end", 0.05)]
    closed_states = ["received"] * 9 + ["written_off"]
    first_contract, first_line = _next_id(conn, t_contract), _next_id(conn, t_line)
    contract_rows, line_rows = [], []
    line_id = first_line
    open_lines = 0
    for i in range(contracts):
        contract_id = first_contract + i
        opp_id, customer_id = signed_opps[rnd.randrange(len(signed_opps))]
        area, owner, name = of_customer[customer_id]
        amount = Decimal(rnd.randint(50, 5000) * 1000)
        signed = today - timedelta(days=rnd.randint(200, 600))
        state = contract_states[rnd.randrange(len(contract_states))]
        row = document(contract_id, "HT", f"{name} 合同 {contract_id}", state, owner,
                       datetime.combine(signed, datetime.min.time(), tzinfo=timezone.utc))
        row.update(kind="contract", opportunity_id=opp_id, customer_id=customer_id, area_id=area, amount=amount,
                   vat_rate=Decimal("13"), amount_excl_tax=(amount / Decimal("1.13")).quantize(Decimal("0.01")),
                   signed_on=signed if state not in ("draft", "in_review", "approved_to_sign") else None)
        contract_rows.append(row)
        # 10 lines: the milestones twice over (two phases), each half of the milestone's share.
        for n in range(LINES_PER_CONTRACT):
            milestone, trigger, share = milestones[n % len(milestones)]
            line_amount = (amount * Decimal(str(share)) / 2).quantize(Decimal("0.01"))
            due = today + timedelta(days=rnd.randint(-400, 200))
            opened = rnd.random() < 0.6
            if opened:
                state_line = OPEN[rnd.randrange(len(OPEN))]
                open_lines += 1
            else:
                state_line = closed_states[rnd.randrange(len(closed_states))]
            term = rnd.choice([0, 15, 30, 60, 90])
            start = due - timedelta(days=term)
            # An event not yet reached has no due date (ageing counts it as not due).
            pending_event = trigger != "date" and state_line == "planned" and rnd.random() < 0.5
            line = document(line_id, "SK", f"{row['number']} {milestone}", state_line, owner, row["created_at"])
            line.update(contract_id=contract_id, customer_id=customer_id, area_id=area, milestone=milestone,
                        amount=line_amount, trigger=trigger, term_days=term,
                        planned_date=start if trigger == "date" else None,
                        triggered_on=None if trigger == "date" or pending_event else start,
                        due_date=None if pending_event else due,
                        invoice_no=f"FP{line_id:08d}" if state_line in ("invoiced", "received") else "",
                        invoiced_on=start if state_line in ("invoiced", "received") else None,
                        received_on=min(due, today) if state_line == "received" else None,
                        received_amount=line_amount if state_line == "received" else None,
                        bank_ref=f"BR{line_id:08d}" if state_line == "received" else "")
            line_rows.append(line)
            line_id += 1
    _insert(conn, t_contract, contract_rows)
    _insert(conn, t_line, line_rows)
    if conn.dialect.name == "postgresql":
        for table in ("party", "sales_customer", "sales_opportunity", "sales_contract", "sales_collection"):
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
    db.session.info.pop("audit_changes", None)  # bulk rows, not audited (the audit chain is left as it is)
    db.session.commit()
    # What autovacuum does shortly after such a load (PostgreSQL 13+ vacuums after inserts too):
    # statistics, and the visibility map that lets a covering index answer without the table.
    # SQLite's planner statistics are only made by ANALYZE, which a deployment may never run: not
    # run here either.
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as auto:
            for table in ("party", "party_role", "sales_customer", "sales_opportunity", "sales_contract",
                          "sales_collection"):
                auto.execute(text(f"VACUUM ANALYZE {table}"))
    return {**people, "counts": _counts(db.session.connection()), "open_added": open_lines, "today": today}


# ---- measuring ---------------------------------------------------------------------------------
class Counter:
    """SQL statements sent on the engine (a before_cursor_execute listener)."""

    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def _on(self, *args, **kwargs):
        self.count += 1

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._on)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._on)


class Figure:
    """One call's durations (seconds) over the repetitions and its statements per call."""

    def __init__(self, name: str, samples: list[float], statements: list[int], rows: int):
        self.name, self.samples, self.statements, self.rows = name, samples, statements, rows

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]

    def as_dict(self) -> dict:
        return {"name": self.name, "median": self.median, "p95": self.p95, "statements": max(self.statements),
                "statements_min": min(self.statements), "rows": self.rows, "n": len(self.samples)}


def calls(today: date) -> list[tuple[str, str, object]]:
    """(scenario name, username, function of the user) of each measured call."""
    from modules.sales.collections import ageing, due_this_month
    from modules.sales.dashboard import overview_widgets, pipeline_by_area, pipeline_by_state

    def pipeline(user):  # the overview's "by state" and "by area" bars: what its chart computes
        return pipeline_by_state(user) + pipeline_by_area(user)

    def collection_widgets(user):  # due this month and overdue (the dashboard's collections section)
        from modules.sales import collections
        return collections.erp_dashboard_widgets(user)
    return [
        ("ageing by owner — 市场部经理 (all lines)", "bench_s_mgr", lambda u: ageing(u, "owner", today)),
        ("ageing by area — 市场部经理 (all lines)", "bench_s_mgr", lambda u: ageing(u, "area", today)),
        ("ageing by owner — 片区客户经理 (his area)", "bench_s_aam", lambda u: ageing(u, "owner", today)),
        ("ageing by area — 片区客户经理 (his area)", "bench_s_aam", lambda u: ageing(u, "area", today)),
        ("dashboard pipeline by state + area — 市场总监", "bench_s_dir", pipeline),
        ("dashboard sales overview, all 4 cards — 市场总监", "bench_s_dir", overview_widgets),
        ("due this month — 市场部经理", "bench_s_mgr", lambda u: due_this_month(u, today)),
        ("dashboard collections cards — 市场部经理", "bench_s_mgr", collection_widgets),
    ]


def measure(app, repeat: int, today: date) -> list[dict]:
    """Each call `repeat` times after one warm-up call, as the signed-in user of a request (the
    user and his permissions loaded once, as a request does before its view)."""
    from core.auth.models import User
    out = []
    with app.test_request_context("/"):
        engine = db.engine
        for name, username, call in calls(today):
            user = db.session.scalar(select(User).where(User.username == username))
            user.permissions  # noqa: B018 — loaded with the user in a request
            result = call(user)  # warm-up: statements compiled, pages cached
            samples, statements = [], []
            for _ in range(repeat):
                with Counter(engine) as counter:
                    t = time.perf_counter()
                    result = call(user)
                    samples.append(time.perf_counter() - t)
                statements.append(counter.count)
            rows = len(result) if isinstance(result, list) else int(result[0])
            out.append(Figure(name, samples, statements, rows).as_dict())
            db.session.rollback()
        db.session.remove()
    return out


def explain(app, today: date) -> dict:
    """The database's plan of each grouped statement (for the README; not printed in the table)."""
    from core.auth.models import User
    plans = {}
    with app.test_request_context("/"):
        dialect = db.engine.dialect.name
        for name, username, call in calls(today):
            user = db.session.scalar(select(User).where(User.username == username))
            captured = []

            def grab(conn, cursor, statement, parameters, context, executemany):
                captured.append((statement, parameters))
            event.listen(db.engine, "before_cursor_execute", grab)
            try:
                call(user)
            finally:
                event.remove(db.engine, "before_cursor_execute", grab)
            lines = []
            for statement, parameters in captured:
                prefix = "EXPLAIN QUERY PLAN " if dialect == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS OFF) "
                cursor = db.session.connection().connection.cursor()
                cursor.execute(prefix + statement, parameters)
                lines.append([" | ".join(str(c) for c in row) for row in cursor.fetchall()])
                cursor.close()
            plans[name] = lines
        db.session.remove()
    return plans
