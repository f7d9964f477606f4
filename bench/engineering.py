"""The engineering scenario (issue 17): the project list and a busy project's page with 2,000
projects and 40,000 supervision forms, within 2× of the existing list page; a project's cost table
with 500 cost postings under 50 ms; one F-T form's PDF under 1.5 s.

Generator (bulk-inserted with SQLAlchemy Core ``insert()``): 2,000 projects (``eng_project``, 3
scope lines each) spread over the fourteen states of WF-E01, their engineers among 8 bench
project engineers (a fifth with a second engineer); 40,000 F-T forms spread evenly over the form
types of the family (``modules.engineering.forms.REGISTRY``: every registered form, whatever
helper declared it) and the projects, each in a state of its lifecycle, its fields filled from
their declaration (``sample``), the company's signature blocks signed and the other party's
recorded from paper once the form left its draft, 3 lines for a form with a table. One busy
project (under construction, engineer ``bench_e_pe1``) gets a hundredth of the forms, an approved
overall schedule of 24 tasks, an approved cost baseline of 12 categories and 500 cost postings.
``fill`` adds to what a previous call wrote, so a run measures at a tenth of the rows (200
projects, 4,000 forms, 50 postings), then fills up to the whole and measures again.

Users: ``bench_e_mgr`` (工程部经理: sees every project) and ``bench_e_pe1``..``bench_e_pe8`` (项目工程师:
their own projects). The reference is the existing list page: the benchmark orders' page 1 as
``bench_mgr`` (the orders are generated first when the orders scenario did not run); an order's
detail page is shown beside it, since a project's page is a detail page.

Figures, through the real views with the Flask test client, signed in through the login form:
the reference, the project list as the 工程部经理 and as a project engineer, the busy project's
page (its schedule panel, its related forms, cost sheets...), the list of the busiest form type,
the cost table (``costs.cost_table``, what the sheet's figures come from, and its page) and the
PDF of one of the busy project's F-T forms (signed, with lines when a form has them).
"""
from __future__ import annotations

import random
import re
import time
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import func, select, text

from core.extensions import db

from .env import PASSWORD
from .procurement import _filled, _insert
from .sales import Counter, Figure, _next_id
from .scenarios import CSRF, HEADERS

ENGINEERS = 8
BUSY_SHARE = 100            # the busy project gets 1 form in 100
SCOPE_LINES = 3
FORM_LINES = 3
PROJECT_STATES = {          # weights: most projects are running
    "received": 3, "survey": 4, "planning": 6, "start_applied": 3, "in_construction": 20, "suspended": 2,
    "system_test": 6, "pre_acceptance": 4, "rectification": 2, "final_acceptance": 3, "closing": 4,
    "warranty": 20, "closed": 20, "cancelled": 3}
CUSTOMERS = ["深圳市南山区人民医院", "南方科技大学", "招商银行深圳分行", "深圳地铁集团", "华侨城集团", "比亚迪股份有限公司",
             "深圳机场", "万科物业", "平安金融中心", "深圳市第一中学"]
WORKS = ["综合布线工程", "校园网改造工程", "数据中心机房工程", "安防监控系统工程", "智能化弱电工程", "网络设备供货安装"]
TEXTS = ["按图纸及规范施工，线缆敷设整齐，标识清楚。", "现场已具备施工条件，材料已进场并经验收合格。",
         "请监理单位于三日内组织检查验收。", "桥架安装完毕，接地测试合格，具备下道工序施工条件。"]
TASKS = ["施工准备", "桥架安装", "线管预埋", "水平线缆敷设", "主干光缆敷设", "配线架端接", "信息点安装", "机柜安装",
         "设备上架", "系统调试", "链路测试", "竣工资料整理"]


def enabled(app) -> bool:
    """Whether the run's app has the engineering projects (``--modules all``)."""
    return "engineering.project" in app.extensions["erp"].doctypes


def setup_people() -> dict:
    """The 工程部经理 and 8 project engineers of the engineering department; found on later calls."""
    from core.auth.models import Role, User
    from core.org.models import Department
    from core.seed import create_user, seed_all
    if db.session.scalar(select(Role.id).where(Role.code == "ROLE-ENG-MGR")) is None:
        seed_all()

    def user(username, role, full_name, position):
        found = db.session.scalar(select(User).where(User.username == username))
        return found or create_user(username, PASSWORD, [role], full_name, position=position)
    eng = db.session.scalar(select(Department.id).where(Department.code == "ENG"))
    manager = user("bench_e_mgr", "ROLE-ENG-MGR", "工程部经理(基准)", "POS-ENG-MGR")
    engineers = [user(f"bench_e_pe{i}", "ROLE-ENG-PE", f"项目工程师{i}(基准)", "POS-ENG-PE")
                 for i in range(1, ENGINEERS + 1)]
    for person in (manager, *engineers):
        person.department_id = person.department_id or eng
    db.session.commit()
    return {"eng": eng, "mgr": manager.id, "engineers": [e.id for e in engineers]}


def sample(field, rnd, day: date, people: dict) -> dict:
    """attribute -> a plausible value of a declared field (by its kind and bounds); references,
    signatures and read-only values are left to the caller (or empty)."""
    kind, name = field.kind, field.name
    if field.readonly or kind in ("reference", "sig", "xsig"):
        return {}
    if kind == "text":
        return {name: rnd.choice(TEXTS)[: field.max_length]}
    if kind == "textarea":
        return {name: "".join(rnd.sample(TEXTS, 2))}
    if kind in ("integer", "decimal", "money", "percent"):
        low = int(field.minimum) if field.minimum is not None and field.minimum >= 0 else 1
        high = min(int(field.maximum) if field.maximum is not None else 100_000, {"integer": 30, "percent": 100}.get(
            kind, 100_000))
        value = rnd.randint(low, max(low, high))
        return {name: value if kind == "integer" else Decimal(value)}
    if kind == "date":
        return {name: day + timedelta(days=rnd.randint(-10, 20))}
    if kind == "datetime":
        return {name: datetime.combine(day, datetime.min.time(), tzinfo=timezone.utc) + timedelta(hours=9)}
    if kind == "bool":
        return {name: False}
    if kind == "choice":
        return {name: rnd.choice(field.choices)[0]}
    if kind == "multichoice":
        return {name: [field.choices[0][0]]}
    if kind == "user":
        return {f"{name}_id": rnd.choice(people["engineers"])}
    return {}


def _counts(conn) -> dict:
    from modules.engineering.projects import EngProject
    out = {"projects": conn.execute(select(func.count()).select_from(EngProject)).scalar(), "forms": 0}
    for built in _forms():
        out["forms"] += conn.execute(select(func.count()).select_from(built.model)).scalar()
    for name in ("eng_penalty", "eng_service_ticket", "eng_team"):
        table = db.metadata.tables.get(name)
        out[name[4:]] = conn.execute(select(func.count()).select_from(table)).scalar() if table is not None else 0
    posting = db.metadata.tables.get("eng_cost_posting")
    out["postings"] = conn.execute(select(func.count()).select_from(posting)).scalar() if posting is not None else 0
    return out


def _forms() -> list:
    """The F-T forms of the family (every form registered), or none before the family exists."""
    try:
        from modules.engineering.forms import REGISTRY
    except ImportError:
        return []
    return [REGISTRY[code] for code in sorted(REGISTRY)]


class Writer:
    """Rows for one table each, with the ids they will have; written with bulk inserts."""

    def __init__(self, conn):
        self.conn, self.rows, self.next = conn, {}, {}

    def add(self, table, values: dict) -> int:
        if table.name not in self.next:
            self.next[table.name] = _next_id(self.conn, table)
            self.rows[table.name] = (table, [])
        row_id = self.next[table.name]
        self.next[table.name] += 1
        self.rows[table.name][1].append(_filled(table, {"id": row_id, **values}))
        return row_id

    def write(self):
        for table, rows in self.rows.values():
            # One executemany needs the same keys in every row: a column a row leaves out gets its default.
            keys = {key for row in rows for key in row}
            for row in rows:
                for key in keys - row.keys():
                    default = table.c[key].default
                    row[key] = default.arg if default is not None and not callable(default.arg) else None
            _insert(self.conn, table, rows)
        if self.conn.dialect.name == "postgresql":
            for table, _rows in self.rows.values():
                self.conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                       f"(SELECT max(id) FROM {table.name}))"))
        return [table.name for table, _rows in self.rows.values()]


def fill(app, projects: int, forms: int, postings: int, seed: int = 17, today: date | None = None) -> dict:
    """Add `projects` projects, `forms` F-T forms over the projects and the form types, and
    `postings` cost postings on the busy project (made with its schedule and cost baseline on the
    first call). Returns the people, the row counts, the busy project and the form to print."""
    from core import calendar_today
    from modules.engineering.forms import OUTWARD, PARTY_NAME, company_name, company_signs
    from modules.engineering.projects import PROJECT_FIELDS, EngProject, ProjectScopeLine

    rnd = random.Random(seed + projects)
    people = setup_people()
    today = today or calendar_today.today()
    conn = db.session.connection()
    now = datetime.now(timezone.utc).replace(microsecond=0)
    out = Writer(conn)
    mgr, eng = people["mgr"], people["eng"]
    company = company_name() or "深圳市英龙信息技术有限公司"

    def document(table, prefix, title, state, created, owner=mgr, **values):
        doc_id = out.next.get(table.name) or _next_id(conn, table)
        return out.add(table, {"number": f"{prefix}-B{doc_id:07d}", "title": title, "state": state, "version": 1,
                               "created_at": created, "updated_at": created, "owner_id": owner,
                               "department_id": eng, "created_by_id": owner, "updated_by_id": owner, **values})

    # Projects: the busy one first (on the first call), then the others over the states.
    P, S = EngProject.__table__, ProjectScopeLine.__table__
    busy = db.session.scalar(select(EngProject.id).where(EngProject.number == "GC-BUSY"))
    states = [s for s, w in PROJECT_STATES.items() for _ in range(w)]
    for i in range(projects):
        first = busy is None and i == 0
        state = "in_construction" if first else rnd.choice(states)
        created = now - timedelta(days=rnd.randint(30, 900))
        start = created.date() + timedelta(days=rnd.randint(10, 40))
        engineer = people["engineers"][0] if first else rnd.choice(people["engineers"])
        values = {k: v for f in PROJECT_FIELDS if f.kind not in ("user", "date") and f.name != "title"
                  for k, v in sample(f, rnd, start, people).items()}
        customer = rnd.choice(CUSTOMERS)
        values.update(customer_name=customer, site_address=f"{customer}新建大楼", supervision_mode="none",
                      supervisor_firm="", contract_ref=f"HT-{created.year}-{rnd.randint(1, 9999):04d}",
                      contract_amount=Decimal(rnd.randint(50, 3000) * 1000), change_amount=Decimal(0),
                      engineer_id=None if state == "received" else engineer,
                      deputy_engineer_id=rnd.choice(people["engineers"]) if rnd.random() < 0.2 else None,
                      planned_start=start, planned_completion=start + timedelta(days=rnd.randint(60, 240)),
                      actual_start=start if state not in ("received", "survey", "planning", "start_applied") else None,
                      warranty_months=12, org_design_waived=False, suspended_days=0, extension_days=0)
        if first:
            values["number"] = "GC-BUSY"
        project_id = document(P, "GC", f"{customer}{rnd.choice(WORKS)}", state, created, **values)
        if first:
            busy = project_id
        for n in range(SCOPE_LINES):
            out.add(S, {"project_id": project_id, "item": TASKS[(i + n) % len(TASKS)], "brand_model": "康普 六类",
                        "qty": Decimal(rnd.randint(1, 500)), "unit": "米", "supply_by": "ours", "note": ""})
    out.write()
    out = Writer(conn)
    header = select(P.c.id, P.c.title, P.c.contract_ref, P.c.customer_name, P.c.engineer_id)
    busy_row = conn.execute(header.where(P.c.id == busy)).one()
    project_rows = conn.execute(header.where(P.c.id != busy)).all() or [busy_row]

    # F-T forms: evenly over the types, one in BUSY_SHARE on the busy project.
    family = _forms()
    for i in range(forms if family else 0):
        built = family[i % len(family)]
        form, table = built.form, built.model.__table__
        project = busy_row if i % BUSY_SHARE == 0 else rnd.choice(project_rows)
        lifecycle = list(built.doctype.workflow.states)
        state = rnd.choice(lifecycle)
        created = now - timedelta(days=rnd.randint(0, 600))
        day = created.date()
        values = {}
        for f in built.doctype.fields:
            if f.name not in ("title", "project", "relation", "team_name") and f.attributes[0] in table.c:
                values.update(sample(f, rnd, day, people))
        names = {"contractor": company, "supervisor": project.customer_name, "owner": project.customer_name}
        values.update({PARTY_NAME[b]: n[:120] for b, n in names.items()})
        values.update(project_id=project.id, project_name=project.title, contract_no=project.contract_ref or "",
                      relation=OUTWARD, team_name="", addressee=names[form.receiver][:120])
        owner = project.engineer_id or people["engineers"][0]
        if state != built.doctype.workflow.initial:
            for block in form.blocks:
                if company_signs(block, OUTWARD) and f"{block}_sig_at" in table.c:
                    values.update({f"{block}_sig_by_id": owner, f"{block}_sig_at": created + timedelta(hours=2),
                                   f"{block}_sig_decision": "agree", f"{block}_sig_opinion": "同意。"})
                elif f"{block}_xsig_name" in table.c:
                    values.update({f"{block}_xsig_name": "王建国", f"{block}_xsig_org": names[block][:200],
                                   f"{block}_xsig_title": "总监理工程师", f"{block}_xsig_date": day + timedelta(days=1),
                                   f"{block}_xsig_opinion": "情况属实，同意。"})
        doc_id = document(table, form.number, project.title, state, created, owner=owner, **values)
        if built.line_model is not None:
            lines = built.line_model.__table__
            for n in range(FORM_LINES):
                row = {"doc_id": doc_id}
                for f in built.doctype.lines.fields:
                    row.update(sample(f, rnd, day, people))
                out.add(lines, row)
    written = out.write()
    written += _registers(conn, app, projects, people, project_rows, today, rnd, now)

    if "engineering.cost_posting" in app.extensions["erp"].doctypes:
        _costs(conn, busy, postings, people, today, rnd, now)
        written += ["eng_cost_sheet", "eng_cost_sheet_line", "eng_cost_posting"]
    if "engineering.schedule" in app.extensions["erp"].doctypes:
        _schedule(conn, busy, people, today, now)
        written += ["eng_schedule", "eng_schedule_task"]
    db.session.info.pop("audit_changes", None)  # bulk rows, not audited
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as auto:
            for name in {P.name, S.name, *written}:
                auto.execute(text(f"VACUUM ANALYZE {name}"))
    return {**people, "counts": _counts(db.session.connection()), "busy": busy, "today": today,
            "printed": _form_to_print(busy)}


REGISTERS = (("engineering.penalty", "CF"), ("engineering.service_ticket", "WX"), ("engineering.team", "SGD"))
REGISTER_NAMES = {"penalty": "penalty list", "service_ticket": "after-sales ticket list", "team": "construction team list"}


def _registers(conn, app, count: int, people: dict, project_rows, today: date, rnd, now) -> list[str]:
    """`count` rows in each of engineering's registers with a list page: penalties (citing the
    catalogue's P-09), after-sales tickets (of one customer) and construction teams (each with its
    core party), over their workflow's states, declared fields filled by kind."""
    from core.parties.models import Party, PartyRole
    from modules.engineering.penalties import PenaltyItem
    doctypes = app.extensions["erp"].doctypes
    item = conn.execute(select(PenaltyItem.id).where(PenaltyItem.code == "P-09").limit(1)).scalar() \
        if "engineering.penalty" in doctypes else None
    out = Writer(conn)
    parties, roles = Party.__table__, []

    def party(name, role):
        party_id = out.next.get(parties.name) or _next_id(conn, parties)
        out.add(parties, {"code": f"BE{party_id:07d}", "name": name, "match_key": name, "created_at": now,
                          "version": 1})
        roles.append({"party_id": party_id, "role": role})
        return party_id
    customer = None
    for code, prefix in REGISTERS:
        if code not in doctypes or (code == "engineering.penalty" and item is None):
            continue
        doctype = doctypes[code]
        table = doctype.model.__table__
        states = list(doctype.workflow.states)
        for i in range(count):
            project = rnd.choice(project_rows)
            day = today - timedelta(days=rnd.randint(0, 600))
            values = {k: v for f in doctype.fields if f.name != "title" for k, v in sample(f, rnd, day, people).items()
                      if k in table.c}
            title = f"{project.customer_name}{rnd.choice(WORKS)}"
            if code == "engineering.penalty":
                values.update(item_id=item, target_type="staff", person_id=project.engineer_id or people["engineers"][0],
                              project_id=project.id, team_party_id=None)
            elif code == "engineering.service_ticket":
                customer = customer or party("考核基准客户(售后)", "customer")
                values.update(customer_id=customer, customer_name="考核基准客户(售后)", project_id=project.id,
                              device_id=None)
            else:
                title = f"{CUSTOMERS[i % len(CUSTOMERS)][:2]}施工队{i:05d}"
                values.update(party_id=party(title, "construction_team"), title=title)
            doc_id = out.next.get(table.name) or _next_id(conn, table)
            created = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
            out.add(table, {"number": f"{prefix}-B{doc_id:07d}", "title": title[:200], "state": rnd.choice(states),
                            "version": 1, "created_at": created, "updated_at": created, "owner_id": people["mgr"],
                            "department_id": people["eng"], "created_by_id": people["mgr"],
                            "updated_by_id": people["mgr"], **values})
    written = out.write()
    _insert(conn, PartyRole.__table__, roles)
    return written


def _costs(conn, busy: int, postings: int, people: dict, today: date, rnd, now) -> None:
    """The busy project's approved cost baseline (once) and `postings` more postings."""
    from modules.engineering.costs import CATEGORY_KEYS, CostBudgetLine, CostPosting, CostSheet
    out = Writer(conn)
    pe = people["engineers"][0]
    sheet = CostSheet.__table__
    if conn.execute(select(sheet.c.id).where(sheet.c.project_id == busy)).first() is None:
        doc_id = _next_id(conn, sheet)
        budgets = {key: Decimal(rnd.randint(20, 300) * 1000) for key in CATEGORY_KEYS}
        out.add(sheet, {"number": f"FY-B{doc_id:07d}", "title": "成本基线", "state": "approved", "version": 1,
                        "created_at": now, "updated_at": now, "owner_id": pe, "department_id": people["eng"],
                        "created_by_id": pe, "updated_by_id": pe, "project_id": busy,
                        "contract_amount_excl_tax": sum(budgets.values()) * Decimal("1.25"),
                        "change_amount": Decimal(0), "target_margin_pct": Decimal(20),
                        "budget_total": sum(budgets.values()), "budget_source": "manual", "note": ""})
        for key, budget in budgets.items():
            out.add(CostBudgetLine.__table__, {"sheet_id": doc_id, "category": key, "budget": budget, "note": ""})
    posting = CostPosting.__table__
    for n in range(postings):
        doc_id = out.next.get(posting.name) or _next_id(conn, posting)
        kind = "actual" if n % 3 else "committed"
        out.add(posting, {"number": f"CB-B{doc_id:07d}", "title": "", "state": "draft", "version": 1,
                          "created_at": now, "updated_at": now, "owner_id": pe, "department_id": people["eng"],
                          "created_by_id": pe, "updated_by_id": pe, "project_id": busy,
                          "category": CATEGORY_KEYS[n % len(CATEGORY_KEYS)], "kind": kind,
                          "amount": Decimal(rnd.randint(100, 20_000)), "posted_on": today - timedelta(days=n % 200),
                          "reference": f"PO-B{n:06d}", "source": rnd.choice(["manual", "procurement"]), "note": ""})
    out.write()


def _schedule(conn, busy: int, people: dict, today: date, now) -> None:
    """The busy project's approved overall schedule: 24 tasks in sequence, half of them done (once)."""
    from modules.engineering.schedule import Schedule, ScheduleTask
    table = Schedule.__table__
    if conn.execute(select(table.c.id).where(table.c.project_id == busy)).first() is not None:
        return
    out = Writer(conn)
    pe = people["engineers"][0]
    start = today - timedelta(days=60)
    doc_id = _next_id(conn, table)
    out.add(table, {"number": f"JD-B{doc_id:07d}", "title": "总进度计划", "state": "approved", "version": 1,
                    "created_at": now, "updated_at": now, "owner_id": pe, "department_id": people["eng"],
                    "created_by_id": pe, "updated_by_id": pe, "project_id": busy, "plan_type": "overall",
                    "period_start": start, "period_end": start + timedelta(days=24 * 7), "baseline_version": 1,
                    "shifted_days": 0})
    for n in range(24):
        begin = start + timedelta(days=7 * n)
        done = n < 12
        out.add(ScheduleTask.__table__, {
            "schedule_id": doc_id, "wbs": f"{n // 6 + 1}.{n % 6 + 1}",
            "name": f"{TASKS[n % len(TASKS)]} {n // 12 + 1}区",
            "quantity": Decimal(100), "unit": "项", "responsible": "施工一队", "plan_start": begin,
            "plan_end": begin + timedelta(days=6), "duration_days": 7, "predecessors": "", "milestone": False,
            "is_subitem": n % 6 == 5, "actual_start": begin if done else None,
            "actual_end": begin + timedelta(days=6) if done else None, "pct_done": Decimal(100 if done else 0),
            "waived": False})
    out.write()


def _form_to_print(busy: int):
    """(document type code, id) of the busy project's form to print: one with lines, signed."""
    family = _forms()
    if not family:
        return None
    for built in sorted(family, key=lambda b: b.line_model is None):
        model = built.model
        found = db.session.scalar(select(model.id).where(model.project_id == busy,
                                                         model.state != built.doctype.workflow.initial)
                                  .order_by(model.id).limit(1))
        if found is not None:
            return built.form.doctype_code, found
    return None


# ---- measuring ---------------------------------------------------------------------------------
def sign_in(client, username: str, page: str) -> None:
    """The real sign-in form (with its CSRF token, when the app checks them), then `page` once
    (must answer 200)."""
    token = CSRF.search(client.get("/login", headers=HEADERS).get_data(as_text=True))
    response = client.post("/login", data={"username": username, "password": PASSWORD,
                                           "csrf_token": token.group(1) if token else ""}, headers=HEADERS)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    status = client.get(page, headers=HEADERS).status_code
    if status != 200:
        raise RuntimeError(f"GET {page} as {username}: HTTP {status}")


def pages(app, filled: dict) -> list[tuple]:
    """(key, name, username, url, what the answer must contain) of each page measured."""
    from core.org.models import Department

    from .orders.hooks import Order
    doctypes = app.extensions["erp"].doctypes
    busy = filled["busy"]
    with app.app_context():
        market = select(Department.id).where(Department.code == "MKT").scalar_subquery()
        order = db.session.scalar(select(func.max(Order.id)).where(Order.department_id == market))
    out = [("reference", "existing list page 1 (bench orders) — reference", "bench_mgr", "/bench/order/", b"BO-"),
           ("reference_detail", "existing detail page (a bench order) — reference", "bench_mgr",
            f"/bench/order/{order}", b"BO-"),
           ("list_mgr", f"project list page 1 — 工程部经理 (all {filled['counts']['projects']:,})", "bench_e_mgr",
            "/engineering/project/", b"GC-"),
           ("list_pe", "project list page 1 — 项目工程师 (his own)", "bench_e_pe1", "/engineering/project/", b"GC-"),
           ("project", "a busy project's page (schedule, forms, costs) — 工程部经理", "bench_e_mgr",
            f"/engineering/project/{busy}", b"GC-BUSY")]
    family = _forms()
    if family:
        slug = doctypes[family[0].form.doctype_code].slug
        out.append(("form_list", f"F-T list page 1 ({family[0].form.title}) — 工程部经理", "bench_e_mgr",
                    f"/engineering/{slug}/", family[0].form.number.encode()))
    for code, prefix in REGISTERS:
        if filled["counts"].get(code.split(".")[1], 0):
            key = code.split(".")[1]
            out.append((f"{key}_list", f"{REGISTER_NAMES[key]} page 1 — 工程部经理 (all {filled['counts'][key]:,})",
                        "bench_e_mgr", f"/engineering/{doctypes[code].slug}/", f"{prefix}-B".encode()))
    if "engineering.cost_posting" in doctypes:
        out.append(("cost_page", "the busy project's cost table page — 工程部经理", "bench_e_mgr",
                    f"/engineering/project/{busy}/costs", b"GC-BUSY"))
    if filled["printed"] is not None:
        code, doc_id = filled["printed"]
        out.append(("pdf", f"one F-T form's PDF ({code.split('.')[1].upper()}, signed)", "bench_e_mgr",
                    f"/engineering/{doctypes[code].slug}/{doc_id}/pdf", b"%PDF"))
    return out


def measure(app, repeat: int, filled: dict) -> list[dict]:
    """Each page `repeat` times (the PDF a third as often) after one warm-up request, as its user
    signed in; then the cost table's computation. The SQL statements of each request are counted."""
    with app.app_context():
        engine = db.engine
    clients, out = {}, []
    for key, name, username, url, mark in pages(app, filled):
        if username not in clients:
            clients[username] = app.test_client()
            sign_in(clients[username], username, url)
        client = clients[username]
        client.get(url, headers=HEADERS)  # warm-up: templates compiled, caches filled
        samples, statements = [], []
        for _ in range(max(repeat // 3, 3) if key == "pdf" else repeat):
            with Counter(engine) as counter:
                t = time.perf_counter()
                response = client.get(url, headers=HEADERS)
                body = response.get_data()
                samples.append(time.perf_counter() - t)
            statements.append(counter.count)
            if response.status_code != 200 or mark not in body:
                raise RuntimeError(f"GET {url}: HTTP {response.status_code}, not the page ({body[:300]!r})")
        rows = len(re.findall(rb"<tr", body)) if key != "pdf" else len(body)
        out.append({**Figure(name, samples, statements, rows).as_dict(), "key": key})
    if "engineering.cost_posting" in app.extensions["erp"].doctypes:
        out.append(cost_table_figure(app, repeat, filled))
    return out


def cost_table_figure(app, repeat: int, filled: dict) -> dict:
    """``costs.cost_table(project)`` of the busy project, as the signed-in 工程部经理 of a request."""
    from flask_login import login_user

    from core.auth.models import User
    from modules.engineering.costs import cost_table
    from modules.engineering.projects import EngProject
    with app.test_request_context("/"):
        user = db.session.scalar(select(User).where(User.username == "bench_e_mgr"))
        login_user(user)
        project = db.session.get(EngProject, filled["busy"])
        table = cost_table(project)
        samples, statements = [], []
        for _ in range(repeat):
            db.session.expire_all()  # each call reads the baseline and the sums afresh, as a request does
            project = db.session.get(EngProject, filled["busy"])
            with Counter(db.engine) as counter:
                t = time.perf_counter()
                table = cost_table(project)
                samples.append(time.perf_counter() - t)
            statements.append(counter.count)
        db.session.remove()
    postings = filled["counts"]["postings"]
    return {**Figure(f"cost table, {postings:,} postings (costs.cost_table)", samples, statements,
                     len(table.rows)).as_dict(), "key": "cost_table"}
