"""Run every benchmark and print one table: ``python -m bench`` (or ``python bench/run.py``).

    python -m bench                          # 100,000 rows, SQLite and PostgreSQL (~10 min)
    python -m bench --quick                  # 10,000 rows, fewer repetitions (smoke run)
    python -m bench --rows 100000 --db sqlite|postgresql|both [--modules all|bench] [--json out.json]
    python -m bench --only sales             # the sales scenario alone (issue 15), both databases
    python -m bench --only procurement       # the procurement scenario alone (issue 16)
    python -m bench --only engineering       # the engineering scenario alone (issue 17)
    python -m bench --only appraisal         # closing an appraisal cycle for 300 staff (issue 19)

Each run uses a fresh database (a temp SQLite file; a new PostgreSQL schema at BENCH_PG_URL,
default postgresql+psycopg://postgres@127.0.0.1:5432/test) that is dropped afterwards.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import sys
import time

if __package__ in (None, ""):  # python bench/run.py
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    __package__ = "bench"

from bench import (  # noqa: E402
    appraisal,
    engineering,
    env,
    generate,
    load,
    procurement,
    sales,
    scenarios,
)

KINDS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def log(message: str):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def parse_args(argv=None):
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    p.add_argument("--rows", type=int, default=None, help="documents in the list user's department (default 100000)")
    p.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    p.add_argument("--quick", action="store_true", help="smoke run: 10,000 rows, fewer repetitions")
    p.add_argument("--modules", default="all", help="'all' installed modules (full menu) or a comma list, e.g. 'bench'")
    p.add_argument("--repeat", type=int, default=None, help="requests per page scenario (default 50, quick 15)")
    p.add_argument("--creates", type=int, default=None,
                   help="documents created in one transaction per write scenario (default 5000)")
    p.add_argument("--form-creates", type=int, default=None,
                   help="documents created with a transaction each per write scenario (default 1000)")
    p.add_argument("--transitions", type=int, default=None, help="transitions performed (default 1000)")
    p.add_argument("--load-seconds", type=float, default=None, help="duration of each load run (default 6, quick 3)")
    p.add_argument("--connections", type=int, default=4, help="concurrent connections of the load client")
    p.add_argument("--page1-rounds", type=int, default=None,
                   help="alternate load runs of page 1, ERP and minimal view, medians kept (default 3, quick 1)")
    p.add_argument("--no-load", action="store_true", help="skip the gunicorn throughput runs")
    p.add_argument("--only", choices=["orders", "sales", "procurement", "engineering", "appraisal"],
                   default=None, help="only the benchmark orders' scenarios, the sales, the procurement, the "
                                      "engineering or the appraisal scenario (default: all)")
    p.add_argument("--sales-contracts", type=int, default=10_000,
                   help="sales contracts of the sales scenario, 10 collection lines each (default 10000; "
                        "its statement counts are also taken at a tenth of them)")
    p.add_argument("--sales-repeat", type=int, default=None, help="calls per sales scenario (default 30, quick 15)")
    p.add_argument("--procurement-orders", type=int, default=50_000,
                   help="purchase orders of the procurement scenario, 3 lines each (default 50000; quick 10000)")
    p.add_argument("--procurement-suppliers", type=int, default=2_000, help="suppliers (default 2000)")
    p.add_argument("--eng-projects", type=int, default=2_000,
                   help="projects of the engineering scenario (default 2000)")
    p.add_argument("--eng-forms", type=int, default=40_000,
                   help="F-T forms of the engineering scenario (default 40000)")
    p.add_argument("--eng-postings", type=int, default=500,
                   help="cost postings on the engineering scenario's busy project (default 500)")
    p.add_argument("--hr-staff", type=int, default=300,
                   help="staff of the appraisal scenario's second cycle (default 300; the first has a third)")
    p.add_argument("--json", help="also write the figures to this file")
    a = p.parse_args(argv)
    a.rows = a.rows or (10_000 if a.quick else 100_000)
    a.repeat = a.repeat or (15 if a.quick else 50)
    a.creates = a.creates or (1_000 if a.quick else 5_000)
    a.form_creates = a.form_creates or (300 if a.quick else 1_000)
    a.transitions = a.transitions or (200 if a.quick else 1_000)
    a.load_seconds = a.load_seconds or (3 if a.quick else 6)
    a.page1_rounds = a.page1_rounds or (1 if a.quick else 3)
    a.sales_repeat = a.sales_repeat or (15 if a.quick else 30)
    if a.quick and a.procurement_orders == 50_000:
        a.procurement_orders = 10_000
    return a


def check_modules(args):
    """Use the requested modules; if they cannot serve the list page (a module being worked on
    may be broken), fall back to core + bench and say so in the report."""
    env.MODULES["names"] = None if args.modules == "all" else [m for m in args.modules.split(",") if m]
    if env.MODULES["names"] is not None and "bench" not in env.MODULES["names"]:
        env.MODULES["names"].append("bench")
    os.environ["BENCH_MODULES"] = "all" if env.MODULES["names"] is None else ",".join(env.MODULES["names"])
    try:
        _smoke()
        return ""
    except Exception as exc:
        env.MODULES["names"] = ["bench"]
        os.environ["BENCH_MODULES"] = "bench"
        return f"the installed modules failed ({exc.__class__.__name__}: {str(exc)[:200]}); ran with core + bench only"


def _smoke():
    """A tiny database, the list page once: fails fast before minutes of generating."""
    import logging
    logging.disable(logging.CRITICAL)
    database = env.create_database("sqlite")
    try:
        env.migrate(database)
        app = env.make_app(database)
        with app.app_context():
            generate.fill(app, 20, 1)
        scenarios.sign_in(app.test_client(), "bench_mgr")
        with app.app_context():
            from core.extensions import db
            db.session.remove()
            db.engine.dispose()
    finally:
        logging.disable(logging.NOTSET)
        database.drop()


FLASK_ADMIN_MISSING = "Flask-Admin: not installed (pip install -e '.[bench]')"


def flask_admin_installed() -> bool:
    """Flask-Admin comes with the optional `bench` extra; without it its rows are skipped."""
    try:
        import flask_admin  # noqa: F401
    except ImportError:
        return False
    return True


def throughput(app, database, stats, args) -> dict:
    client = app.test_client()
    cookie = scenarios.sign_in(client, "bench_mgr")
    signed_in = {"Cookie": f"session={cookie}", "User-Agent": scenarios.USER_AGENT}
    anonymous = {"User-Agent": scenarios.USER_AGENT}  # the references have no sign-in
    with app.app_context():
        import random
        numbers = scenarios.numbers_for(stats, 200, random.Random(5))
    deep = stats["deep_page"]
    admin = "/admin/order/"
    # Per app: label, gunicorn module, readiness path, headers, and the URLs of each run. The
    # same page and numbers everywhere; Flask-Admin counts its pages from 0.
    apps = [("erp", "bench.wsgi", "/healthz", signed_in,
             {"page1": ["/bench/order/"], "deep": [stats["deep_url"]], "deep_offset": [f"/bench/order/?page={deep}"],
              "search": [f"/bench/order/?q={n}" for n in numbers]}),
            ("minimal", "bench.minimal", "/", anonymous,
             {"page1": ["/"], "deep": [f"/?page={deep}"], "search": [f"/?q={n}" for n in numbers]})]
    if flask_admin_installed():
        apps.append(("flask_admin", "bench.flask_admin_app", admin, anonymous,
                     {"page1": [admin], "deep": [f"{admin}?page={deep - 1}"],
                      "search": [f"{admin}?search={n}" for n in numbers]}))
    else:
        log(f"  {FLASK_ADMIN_MISSING}")
    out, servers = {}, {}
    try:
        for label, module, ready, headers, runs in apps:
            server = servers[label] = load.Server(module, database.env(), ready)
            for paths in runs.values():
                check_rows(server, label, paths[0], headers)
                for _ in range(5):  # warm both workers
                    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
                    conn.request("GET", paths[0], headers=headers)
                    conn.getresponse().read()
        # Page 1 of the ERP and of the minimal view in alternate runs, keeping each one's median:
        # their ratio is a target, and one run of either moves by several per cent with the machine.
        page1 = {label: [] for label in ("erp", "minimal")}
        for _ in range(args.page1_rounds):
            for label, _module, _ready, headers, runs in apps[:2]:
                page1[label].append(load.run(servers[label], runs["page1"], headers, args.load_seconds, args.connections))
                log(f"  load {label} page1: {page1[label][-1]['rps']:.0f} req/s")
        for label, measured in page1.items():
            median = sorted(measured, key=lambda m: m["rps"])[len(measured) // 2]
            out[f"{label}_page1"] = {**median, "runs": [m["rps"] for m in measured]}
        for label, _module, _ready, headers, runs in apps:
            for name, paths in runs.items():
                if f"{label}_{name}" not in out:
                    out[f"{label}_{name}"] = load.run(servers[label], paths, headers, args.load_seconds, args.connections)
                    log(f"  load {label} {name}: {out[f'{label}_{name}']['rps']:.0f} req/s")
    finally:
        for server in servers.values():
            server.stop()
    return out


# What a page must contain to count as rows: an error page or an empty search would give fake-high
# req/s. Flask-Admin echoes the searched number in its search box, so it is checked on its cells.
ROW_MARKS = {"flask_admin": re.compile(rb'<td class="col-number">\s*BO-')}


def check_rows(server, label, path, headers):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    if response.status != 200 or not ROW_MARKS.get(label, re.compile(rb"BO-")).search(body):
        raise RuntimeError(f"{label} {path}: HTTP {response.status}, not the rows")


def bench_sales(app, args, kind: str) -> dict:
    """The sales scenario (issue 15): filled to a tenth of its rows and measured (the statement
    counts must not change with the rows), then filled to the whole and measured again."""
    if not sales.enabled(app):
        note = ("the sales module is not enabled in this run (--modules all enables it): "
                "no sales rows, no sales figures")
        log(f"{KINDS[kind]}: sales scenario skipped: {note}")
        return {"skipped": note}
    out = {}
    tenth = max(args.sales_contracts // 10, 1)
    for label, contracts, repeat in (("tenth", tenth, max(args.sales_repeat // 3, 5)),
                                     ("full", args.sales_contracts - tenth, args.sales_repeat)):
        t = time.perf_counter()
        with app.app_context():
            filled = sales.fill(app, contracts)
        took = time.perf_counter() - t
        counts = filled["counts"]
        log(f"{KINDS[kind]}: sales rows ({label}) in {took:.1f} s: {counts['customers']:,} customers, "
            f"{counts['opportunities']:,} opportunities, {counts['contracts']:,} contracts, "
            f"{counts['collections']:,} collection lines")
        out[label] = {"fill_s": took, "counts": counts, "figures": sales.measure(app, repeat, filled["today"])}
        for f in out[label]["figures"]:
            log(f"  {f['name']}: {f['median'] * 1000:.1f} ms (p95 {f['p95'] * 1000:.1f}), "
                f"{f['statements']} statements, {f['rows']} rows")
    return out


def bench_procurement(app, args, kind: str) -> dict:
    """The procurement scenario (issue 16): filled to a tenth of its rows and measured (the
    statement counts must not change with the rows), then to the whole and measured again."""
    if not procurement.enabled(app):
        note = "the procurement module is not enabled in this run (--modules all enables it)"
        log(f"{KINDS[kind]}: procurement scenario skipped: {note}")
        return {"skipped": note}
    out = {}
    orders, suppliers = args.procurement_orders, args.procurement_suppliers
    tenth_orders, tenth_suppliers = max(orders // 10, 1), max(suppliers // 10, 1)
    for label, n, s, repeat in (("tenth", tenth_orders, tenth_suppliers, max(args.sales_repeat // 3, 5)),
                                ("full", orders - tenth_orders, suppliers - tenth_suppliers, args.sales_repeat)):
        t = time.perf_counter()
        with app.app_context():
            filled = procurement.fill(app, n, s)
        took = time.perf_counter() - t
        counts = filled["counts"]
        log(f"{KINDS[kind]}: procurement rows ({label}) in {took:.1f} s: {counts['suppliers']:,} suppliers, "
            f"{counts['orders']:,} orders, {counts['receipt_lines']:,} receipt lines, {counts['payables']:,} payables")
        out[label] = {"fill_s": took, "counts": counts, "figures": procurement.measure(app, repeat, filled)}
        for f in out[label]["figures"]:
            log(f"  {f['name']}: {f['median'] * 1000:.1f} ms (p95 {f['p95'] * 1000:.1f}), {f['statements']} statements")
    return out


def bench_engineering(app, args, kind: str) -> dict:
    """The engineering scenario (issue 17): filled to a tenth of its rows and measured (the
    statement counts must not change with the rows), then to the whole and measured again. Its
    reference, the orders' list page, needs the orders: generated here when their scenario did not run."""
    if not engineering.enabled(app):
        note = "the engineering module is not enabled in this run (--modules all enables it)"
        log(f"{KINDS[kind]}: engineering scenario skipped: {note}")
        return {"skipped": note}
    with app.app_context():
        from sqlalchemy import func, select

        from bench.orders.hooks import Order
        from core.extensions import db
        if not db.session.scalar(select(func.count()).select_from(Order)):
            log(f"{KINDS[kind]}: generating {args.rows:,} orders for the reference list page")
            generate.fill(app, args.rows, args.rows // 50)
    out = {}
    sizes = (args.eng_projects, args.eng_forms, args.eng_postings)
    tenth = [max(n // 10, 1) for n in sizes]
    for label, (projects, forms, postings), repeat in (
            ("tenth", tenth, max(args.sales_repeat // 3, 5)),
            ("full", [n - t for n, t in zip(sizes, tenth)], args.sales_repeat)):
        t = time.perf_counter()
        with app.app_context():
            filled = engineering.fill(app, projects, forms, postings)
        took = time.perf_counter() - t
        counts = filled["counts"]
        log(f"{KINDS[kind]}: engineering rows ({label}) in {took:.1f} s: {counts['projects']:,} projects, "
            f"{counts['forms']:,} F-T forms, {counts['postings']:,} cost postings")
        out[label] = {"fill_s": took, "counts": counts, "figures": engineering.measure(app, repeat, filled)}
        for f in out[label]["figures"]:
            log(f"  {f['name']}: {f['median'] * 1000:.1f} ms (p95 {f['p95'] * 1000:.1f}), {f['statements']} statements")
    return out


def bench_appraisal(app, args, kind: str) -> dict:
    """The appraisal scenario (issue 19): a monthly cycle of a third of the staff, then (filled up)
    one of all of them, each started and closed through the workflow; the statements must be equal."""
    if not appraisal.enabled(app):
        note = "the hr_appraisal, engineering or sales module is not enabled in this run (--modules all enables them)"
        log(f"{KINDS[kind]}: appraisal scenario skipped: {note}")
        return {"skipped": note}
    sizes = (max(args.hr_staff // 3, 1), args.hr_staff)
    figures = appraisal.measure(app, sizes)
    for f in figures:
        log(f"{KINDS[kind]}: appraisal, {f['people']} staff ({f['sheets']} sheets, filled in {f['fill_s']:.1f} s): "
            f"start {f['start']['ms']:.0f} ms / {f['start']['statements']} statements besides the rows' INSERTs "
            f"({f['start']['all_statements']} in all), close {f['close']['ms']:.0f} ms / {f['close']['statements']} "
            f"({f['close']['all_statements']} in all); KPI coverage "
            + ", ".join(f"{code} {v}/{v + m}" for code, (v, m) in f["coverage"].items()))
    return {"figures": figures}


def appraisal_report(results: list[dict]) -> list[str]:
    """The "Appraisal" section: start and close of a cycle, ms and statements, per staff size."""
    done = [r for r in results if "skipped" not in r["appraisal"]]
    if not done:
        return ["", f"Appraisal (issue 19): skipped — {results[0]['appraisal']['skipped']}"]
    last = done[0]["appraisal"]["figures"][-1]["counts"]
    title = (f"Appraisal (issue 19) — {last['staff']:,} staff; a year of {last['weekly_reports']:,} weekly "
             f"reports, {last['selfchecks']:,} self-checks, {last['penalties']:,} penalties, "
             f"{last['visit_logs']:,} visit logs, {last['weekly_summaries']:,} weekly summaries, "
             f"{last['sales_plan_lines']:,} sales plan lines, {last['contracts']:,} contracts, "
             f"{last['collections']:,} collection lines"
             + (f", {last['purchase_order_lines']:,} purchase order lines" if "purchase_order_lines" in last else ""))
    lines = ["", title]
    for r in done:
        for f in r["appraisal"]["figures"]:
            lines.append(f"  {KINDS[r['kind']]:<11} {f['people']:>4} staff, {f['sheets']:>4} sheets: "
                         f"start {fmt_ms(f['start']['ms'] / 1000)} ({f['start']['statements']} statements + "
                         f"{f['start']['all_statements'] - f['start']['statements']} row INSERTs), "
                         f"close {fmt_ms(f['close']['ms'] / 1000)} ({f['close']['statements']} statements + "
                         f"{f['close']['all_statements'] - f['close']['statements']} INSERTs)")
    lines += ["", "KPI coverage: sheets with a value / sheets with the KPI (the rest 无数据), the last cycle"]
    for r in done:
        f = r["appraisal"]["figures"][-1]
        lines.append(f"  {KINDS[r['kind']]:<11} " + ", ".join(
            f"{code} {valued}/{valued + missing}" for code, (valued, missing) in f["coverage"].items()))
    lines += ["", "Targets (issue 19)"]
    for r in done:
        figures = r["appraisal"]["figures"]
        for name in ("start", "close"):
            same = len({f[name]["statements"] for f in figures}) == 1
            worst = max(f[name]["ms"] for f in figures) / 1000
            verdict = "MET    " if same and worst < appraisal.TARGET_S else "MISSED "
            lines.append(f"  {KINDS[r['kind']]:<11} {verdict} {name} the cycle: {fmt_ms(worst)} < "
                         f"{appraisal.TARGET_S:.0f} s; statements besides the rows' INSERTs "
                         + " = ".join(str(f[name]["statements"]) for f in figures)
                         + ("" if same else " — CHANGES WITH THE PEOPLE"))
    return lines


def bench_database(kind: str, args) -> dict:
    log(f"{KINDS[kind]}: creating the database")
    database = env.create_database(kind)
    result = {"kind": kind, "load_before": os.getloadavg()}
    try:
        t = time.perf_counter()
        env.migrate(database)
        app = env.make_app(database)
        result["migrate_s"] = time.perf_counter() - t
        if args.only in (None, "orders"):
            outsiders = args.rows // 50
            log(f"{KINDS[kind]}: generating {args.rows:,} orders (+{outsiders:,} of another department)")
            t = time.perf_counter()
            with app.app_context():
                stats = generate.fill(app, args.rows, outsiders)
            result["generate_s"] = time.perf_counter() - t
            stats.pop("names", None)
            stats["deep_page"] = max(args.rows // 50, 2)
            stats["export_repeat"] = 3 if args.quick else 5
            result["stats"] = stats
            log(f"{KINDS[kind]}: generated in {result['generate_s']:.1f} s: {stats['orders']:,} orders, "
                f"{stats['lines']:,} lines, {stats['tasks']:,} approval tasks, {stats['audit']:,} audit entries")
            text, took, checked = scenarios.verify_audit(app)
            result["verify_generated"] = {"result": text, "seconds": took, "entries": checked}
            log(f"{KINDS[kind]}: audit chain after the bulk fill: {text} ({checked:,} entries, {took:.1f} s)")

            log(f"{KINDS[kind]}: read scenarios")
            results = scenarios.reads(app, stats, args.repeat)
            log(f"{KINDS[kind]}: write scenarios")
            scenarios.create_documents(app, 50, audit=True, per_document=True)  # warm-up, not counted
            for per_document in (False, True):
                for audit in (True, False):
                    count = args.form_creates if per_document else args.creates
                    results.append(scenarios.create_documents(app, count, audit, per_document))
            results.append(scenarios.transitions(app, args.transitions))
            result["scenarios"] = [{"name": r.name, "median": r.median, "p95": r.p95, "total": r.total,
                                    "unit": r.unit, "n": len(r.samples), "cpu": r.cpu} for r in results]
            text, took, checked = scenarios.verify_audit(app)
            result["verify"] = {"result": text, "seconds": took, "entries": checked}
            log(f"{KINDS[kind]}: audit chain at the end: {text} ({checked:,} entries, {took:.1f} s)")
            if not args.no_load:
                log(f"{KINDS[kind]}: throughput under load")
                result["load"] = throughput(app, database, stats, args)
        if args.only in (None, "sales"):
            result["sales"] = bench_sales(app, args, kind)
        if args.only in (None, "procurement"):
            result["procurement"] = bench_procurement(app, args, kind)
        if args.only in (None, "engineering"):
            result["engineering"] = bench_engineering(app, args, kind)
        if args.only in (None, "appraisal"):
            result["appraisal"] = bench_appraisal(app, args, kind)
        with app.app_context():
            from core.extensions import db
            db.session.remove()
            db.engine.dispose()
    finally:
        database.drop()
    result["load_after"] = os.getloadavg()
    return result


# Flask-Admin's rows in the throughput table, and what they measure.
FLASK_ADMIN_ROWS = {"page1": "Flask-Admin", "deep": "Flask-Admin (?page={page})", "search": "Flask-Admin (?search=)"}
FLASK_ADMIN_NOTE = ("Flask-Admin {version}: its standard ModelView (bench/flask_admin_app.py), no sign-in; each "
                    "page also runs its COUNT(*) and the search is its substring ILIKE, as it does by default.")


def pad(text: str, width: int) -> str:
    """`text` left-aligned in `width` terminal columns (a Chinese character takes two)."""
    import unicodedata
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - used, 0)


def fmt_ms(seconds: float) -> str:
    ms = seconds * 1000
    return f"{ms:.1f} ms" if ms < 100 else f"{ms:.0f} ms"


def report(results: list[dict], args, note: str) -> str:
    first = results[0]
    lines = []
    modules = "all installed" if env.MODULES["names"] is None else "core + " + ", ".join(env.MODULES["names"])
    if "stats" in first:
        stats = first["stats"]
        lines.append(f"Yinglong ERP benchmarks — {stats['orders'] - (args.rows // 50):,} orders in the list user's department "
                     f"(+{args.rows // 50:,} in another), 3 lines each; Python {platform.python_version()}, "
                     f"{os.cpu_count()} CPUs; modules: {modules}")
    else:
        lines.append(f"Yinglong ERP benchmarks — the {args.only or 'sales'} scenario only; Python {platform.python_version()}, "
                     f"{os.cpu_count()} CPUs; modules: {modules}")
    if note:
        lines.append(f"NOTE: {note}")
    lines.append("")
    if "scenarios" in first:
        lines += orders_report(results, args)
    if all("sales" in r for r in results):
        lines += sales_report(results, args)
    if all("procurement" in r for r in results):
        lines += procurement_report(results)
    if all("engineering" in r for r in results):
        lines += engineering_report(results)
    if all("appraisal" in r for r in results):
        lines += appraisal_report(results)
    return "\n".join(lines)


def orders_report(results: list[dict], args) -> list[str]:
    kinds = [r["kind"] for r in results]
    first = results[0]
    stats = first["stats"]
    lines = []
    w = 52
    head = f"{'scenario':<{w}}" + "".join(f"| {KINDS[k]:^30} " for k in kinds)
    sub = f"{'':<{w}}" + "".join(f"| {'median':>9} {'p95':>9} {'total':>9} " for _ in kinds)
    lines += [head, sub, "-" * len(sub)]
    for i, s in enumerate(first["scenarios"]):
        row = f"{s['name']:<{w}}"
        for r in results:
            x = r["scenarios"][i]
            total = f"{x['total']:.2f} s" if x["unit"] != "request" else ""
            row += f"| {fmt_ms(x['median']):>9} {fmt_ms(x['p95']):>9} {total:>9} "
        lines.append(row)
    by = {r["kind"]: {s["name"]: s for s in r["scenarios"]} for r in results}
    lines.append("")
    for r in results:
        cpu = "; ".join(f"{x['name'].split(',')[0] if x['name'].startswith('trans') else x['name']}: {x['cpu']:.2f} s"
                        for x in r["scenarios"] if x.get("cpu") is not None)
        lines.append(f"{KINDS[r['kind']]}: CPU seconds of the benchmark process (no disk waits, no other processes) — {cpu}")
        lines.append(f"{KINDS[r['kind']]}: load average before/after: "
                     f"{' '.join(f'{v:.1f}' for v in r['load_before'])} / {' '.join(f'{v:.1f}' for v in r['load_after'])} "
                     f"on {os.cpu_count()} CPUs")
    for r in results:
        lines.append(f"{KINDS[r['kind']]}: bulk fill {r['generate_s']:.1f} s ({r['stats']['audit']:,} audit entries); "
                     f"audit verify after the fill: {r['verify_generated']['result']}; at the end: {r['verify']['result']} "
                     f"({r['verify']['entries']:,} entries in {r['verify']['seconds']:.1f} s)")
    if all("load" in r for r in results):
        tool = results[0]["load"]["erp_page1"]["tool"]
        lines.append("")
        lines.append(f"Throughput, gunicorn {load.WORKERS} sync workers, {tool} (req/s; latency p50/p99 in ms); "
                     f"page 1 of the ERP and the minimal view: the median of {args.page1_rounds} alternate runs each")
        head = f"{'':<{w}}" + "".join(f"| {KINDS[k]:^30} " for k in kinds)
        lines.append(head)
        lines.append("-" * len(head))
        deep = stats["deep_page"]
        admin = all("flask_admin_page1" in r["load"] for r in results)
        for key, label in (("page1", "list page 1"), ("deep", f"list page {deep:,}"), ("search", "search by number")):
            variants = [("ERP (full layout, visibility)", "erp"), ("minimal view", "minimal")]
            if key == "deep":
                variants = [("ERP, Next link (keyset)", "erp"), ("ERP, typed ?page= (OFFSET)", "erp_offset"),
                            ("minimal view (OFFSET)", "minimal")]
            if admin:
                variants.append((FLASK_ADMIN_ROWS[key].format(page=deep - 1), "flask_admin"))
            for app_label, prefix in variants:
                row = f"{label + ' — ' + app_label:<{w}}"
                for r in results:
                    name = f"erp_{key}_offset" if prefix == "erp_offset" else f"{prefix}_{key}"
                    x = r["load"][name]
                    extra = f" !{x['non2xx']} errors" if x["non2xx"] else ""
                    row += f"| {x['rps']:>7.0f} req/s {x['p50']:>5.1f}/{x['p99']:<6.1f}{extra} "
                lines.append(row)
        if admin:
            from importlib.metadata import version
            lines.append(FLASK_ADMIN_NOTE.format(version=version("flask-admin")))
        else:
            lines.append(FLASK_ADMIN_MISSING)
    lines.append("")
    lines.append("Targets (issue 3)")
    for r in results:
        k, s = KINDS[r["kind"]], by[r["kind"]]
        creates = {(("one transaction" in n), ("audit on" in n)): v for n, v in s.items() if n.startswith("create")}
        page1 = s["list page 1"]
        deepname = f"list page {stats['deep_page']:,} (Next link, keyset)"
        checks = []
        for batch, how in ((True, "one transaction, as an import"), (False, "a transaction each, as the form")):
            on, off = creates[(batch, True)], creates[(batch, False)]
            per5000 = on["total"] * 5000 / on["n"]
            scaled = "" if on["n"] == 5000 else f" (×{5000 / on['n']:g} of {on['n']:,})"
            if r["kind"] == "sqlite":
                checks.append((f"5,000 documents × 3 lines, audited, < 3 s ({how}): {per5000:.2f} s{scaled}",
                               per5000 < 3))
            ratio = on["total"] / off["total"]
            checks.append((f"audit adds < 30% to write time ({how}): {(ratio - 1) * 100:+.0f}% (×{ratio:.2f})",
                           ratio < 1.3))
        d = s[deepname]["median"] / page1["median"]
        q = s["search by number"]["median"] / page1["median"]
        checks.append((f"page {stats['deep_page']:,} (Next link) ≤ 2× page 1: ×{d:.2f}", d <= 2))
        checks.append((f"search by number ≤ 2× page 1: ×{q:.2f}", q <= 2))
        typed = s[f"list page {stats['deep_page']:,} (typed ?page=, OFFSET)"]["median"] / page1["median"]
        checks.append((f"(not a target) typed ?page={stats['deep_page']} with OFFSET vs page 1: ×{typed:.2f}", None))
        if "load" in r:
            L = r["load"]
            x = L["erp_page1"]["rps"] / L["minimal_page1"]["rps"]
            runs = "; ".join(f"{e:.0f}/{m:.0f}" for e, m in zip(L["erp_page1"].get("runs", []), L["minimal_page1"].get("runs", [])))
            checks.append((f"page 1 ≥ ½ minimal view req/s: {L['erp_page1']['rps']:.0f} / "
                           f"{L['minimal_page1']['rps']:.0f} = {x:.2f} (medians of the alternate runs {runs})", x >= 0.5))
            for key, label in (("deep", f"list page {stats['deep_page']:,} (Next link)"), ("search", "search by number")):
                y = L["erp_page1"]["rps"] / L[f"erp_{key}"]["rps"]
                checks.append((f"{label} under load ≤ 2× slower than page 1: ×{y:.2f}", y <= 2))
            if "flask_admin_page1" in L:
                z = L["erp_page1"]["rps"] / L["flask_admin_page1"]["rps"]
                checks.append((f"ERP page 1 vs Flask-Admin page 1: ×{z:.2f} ({L['erp_page1']['rps']:.0f} / "
                               f"{L['flask_admin_page1']['rps']:.0f} req/s)", None))
        for text, ok in checks:
            verdict = "info   " if ok is None else ("MET    " if ok else "MISSED ")
            lines.append(f"  {k:<11} {verdict} {text}")
    lines.append("")
    lines.append("Reference (issue 3): Tryton 8.2 ~16 s for 5,000 sales × 3 lines on SQLite, 54 ms for the latest 50; "
                 "Flask-Admin page 1 of 100,000 rows ~250 req/s, page 2,000 ~55 req/s, search ~20 req/s; "
                 "minimal view ~4,000 req/s.")
    return lines


SALES_TARGET_S = 0.100  # issue 15: each call under 100 ms on both databases


def sales_report(results: list[dict], args) -> list[str]:
    """The "Sales" section: each call's median, p95 and SQL statements (at a tenth of the rows and
    at all of them), then the targets of issue 15."""
    lines, w = [], 52
    done = [r for r in results if "skipped" not in r["sales"]]
    if not done:
        return ["", f"Sales (issue 15): skipped — {results[0]['sales']['skipped']}"]
    counts, tenth = done[0]["sales"]["full"]["counts"], done[0]["sales"]["tenth"]["counts"]
    n = done[0]["sales"]["full"]["figures"][0]["n"]
    lines.append("")
    lines.append(f"Sales (issue 15) — {counts['contracts']:,} contracts, {counts['collections']:,} collection lines "
                 f"(60% open), {counts['customers']:,} customers, {counts['opportunities']:,} opportunities; median "
                 f"and p95 of {n} calls; SQL statements per call at a tenth of the rows "
                 f"({tenth['collections']:,} lines) → at all of them")
    head = f"{'scenario':<{w}}" + "".join(f"| {KINDS[r['kind']]:^34} " for r in done)
    sub = f"{'':<{w}}" + "".join(f"| {'median':>9} {'p95':>9} {'statements':>14} " for _ in done)
    lines += [head, sub, "-" * len(sub)]
    for i, f in enumerate(done[0]["sales"]["full"]["figures"]):
        row = pad(f["name"], w)
        for r in done:
            x, y = r["sales"]["full"]["figures"][i], r["sales"]["tenth"]["figures"][i]
            row += f"| {fmt_ms(x['median']):>9} {fmt_ms(x['p95']):>9} {y['statements']:>6} → {x['statements']:<5} "
        lines.append(row)
    for r in done:
        t = r["sales"]["tenth"]
        lines.append(f"{KINDS[r['kind']]}: sales rows filled in {t['fill_s'] + r['sales']['full']['fill_s']:.1f} s "
                     "(bulk inserts); at a tenth of the rows the medians were "
                     + ", ".join(f"{fmt_ms(x['median'])}" for x in t["figures"]))
        if "scenarios" not in results[0]:
            lines.append(f"{KINDS[r['kind']]}: load average before/after: "
                         f"{' '.join(f'{v:.1f}' for v in r['load_before'])} / "
                         f"{' '.join(f'{v:.1f}' for v in r['load_after'])} on {os.cpu_count()} CPUs")
    lines.append("")
    lines.append("Targets (issue 15)")
    for r in done:
        k = KINDS[r["kind"]]
        for x, y in zip(r["sales"]["full"]["figures"], r["sales"]["tenth"]["figures"]):
            fast = x["median"] < SALES_TARGET_S
            same = x["statements"] == y["statements"] == x["statements_min"] == y["statements_min"]
            verdict = "MET    " if fast and same else "MISSED "
            lines.append(f"  {k:<11} {verdict} {x['name']}: {fmt_ms(x['median'])} (p95 {fmt_ms(x['p95'])}) < 100 ms; "
                         f"{x['statements']} statement{'s' if x['statements'] != 1 else ''} whatever the rows "
                         f"({y['statements']} at a tenth){'' if same else ' — CHANGES WITH THE ROWS'}")
    return lines


PROCUREMENT_TARGETS = {"scorecard": 0.100, "ageing": 0.100, "receiving": 1.0}   # issue 16


def procurement_report(results: list[dict]) -> list[str]:
    """The "Procurement" section: each call's median, p95 and statements at a tenth of the rows
    and at all of them, then the targets of issue 16."""
    lines, w = [], 64
    done = [r for r in results if "skipped" not in r["procurement"]]
    if not done:
        return ["", f"Procurement (issue 16): skipped — {results[0]['procurement']['skipped']}"]
    counts = done[0]["procurement"]["full"]["counts"]
    lines.append("")
    lines.append(f"Procurement (issue 16) — {counts['suppliers']:,} suppliers, {counts['orders']:,} orders "
                 f"({counts['order_lines']:,} lines), {counts['receipt_lines']:,} receipt lines, "
                 f"{counts['payables']:,} payables; statements per call at a tenth of the rows → at all of them")
    head = f"{'scenario':<{w}}" + "".join(f"| {KINDS[r['kind']]:^34} " for r in done)
    sub = f"{'':<{w}}" + "".join(f"| {'median':>9} {'p95':>9} {'statements':>14} " for _ in done)
    lines += [head, sub, "-" * len(sub)]
    for i, f in enumerate(done[0]["procurement"]["full"]["figures"]):
        row = pad(f["name"], w)
        for r in done:
            x, y = r["procurement"]["full"]["figures"][i], r["procurement"]["tenth"]["figures"][i]
            row += f"| {fmt_ms(x['median']):>9} {fmt_ms(x['p95']):>9} {y['statements']:>6} → {x['statements']:<5} "
        lines.append(row)
    lines.append("")
    lines.append("Targets (issue 16)")
    for r in done:
        k = KINDS[r["kind"]]
        for x, y, (key, limit) in zip(r["procurement"]["full"]["figures"], r["procurement"]["tenth"]["figures"],
                                      PROCUREMENT_TARGETS.items()):
            fast = x["median"] < limit
            same = key == "receiving" or x["statements"] == y["statements"]
            verdict = "MET    " if fast and same else "MISSED "
            lines.append(f"  {k:<11} {verdict} {x['name']}: {fmt_ms(x['median'])} (p95 {fmt_ms(x['p95'])}) "
                         f"< {fmt_ms(limit)}; {x['statements']} statements ({y['statements']} at a tenth)"
                         f"{'' if same else ' — CHANGES WITH THE ROWS'}")
    return lines


# Issue 17: the project list and page within 2× of the existing list page (the reference); the
# cost table < 50 ms; one F-T form's PDF < 1.5 s.
ENGINEERING_LIMITS = {"cost_page": 0.050, "cost_table": 0.050, "pdf": 1.5}
ENGINEERING_RATIO = 2.0


def engineering_report(results: list[dict]) -> list[str]:
    """The "Engineering" section: each figure's median, p95 and statements at a tenth of the rows
    and at all of them, then the targets of issue 17."""
    lines, w = [], 64
    done = [r for r in results if "skipped" not in r["engineering"]]
    if not done:
        return ["", f"Engineering (issue 17): skipped — {results[0]['engineering']['skipped']}"]
    counts, tenth = done[0]["engineering"]["full"]["counts"], done[0]["engineering"]["tenth"]["counts"]
    lines.append("")
    lines.append(f"Engineering (issue 17) — {counts['projects']:,} projects, {counts['forms']:,} F-T forms, "
                 f"{counts['postings']:,} cost postings on the busy project, {counts.get('penalty', 0):,} penalties, "
                 f"{counts.get('service_ticket', 0):,} after-sales tickets, {counts.get('team', 0):,} construction "
                 "teams; statements per request at a tenth of "
                 f"the rows ({tenth['projects']:,} projects, {tenth['forms']:,} forms, {tenth['postings']:,} "
                 "postings) → at all of them")
    head = f"{'scenario':<{w}}" + "".join(f"| {KINDS[r['kind']]:^34} " for r in done)
    sub = f"{'':<{w}}" + "".join(f"| {'median':>9} {'p95':>9} {'statements':>14} " for _ in done)
    lines += [head, sub, "-" * len(sub)]
    for i, f in enumerate(done[0]["engineering"]["full"]["figures"]):
        row = pad(f["name"], w)
        for r in done:
            x, y = r["engineering"]["full"]["figures"][i], r["engineering"]["tenth"]["figures"][i]
            row += f"| {fmt_ms(x['median']):>9} {fmt_ms(x['p95']):>9} {y['statements']:>6} → {x['statements']:<5} "
        lines.append(row)
    for r in done:
        e = r["engineering"]
        took = e["tenth"]["fill_s"] + e["full"]["fill_s"]
        lines.append(f"{KINDS[r['kind']]}: engineering rows filled in {took:.1f} s (bulk inserts)")
        if "scenarios" not in results[0] and "load_after" in r:
            lines.append(f"{KINDS[r['kind']]}: load average before/after: "
                         f"{' '.join(f'{v:.1f}' for v in r['load_before'])} / "
                         f"{' '.join(f'{v:.1f}' for v in r['load_after'])} on {os.cpu_count()} CPUs")
    lines.append("")
    lines.append("Targets (issue 17)")
    for r in done:
        k = KINDS[r["kind"]]
        figures = r["engineering"]["full"]["figures"]
        reference = next(x for x in figures if x["key"] == "reference")
        for x, y in zip(figures, r["engineering"]["tenth"]["figures"]):
            if x["key"].startswith("reference"):
                continue
            same = x["statements"] == y["statements"] == x["statements_min"] == y["statements_min"]
            grows = "" if same else " — CHANGES WITH THE ROWS"
            if x["key"] in ENGINEERING_LIMITS:
                limit = ENGINEERING_LIMITS[x["key"]]
                ok, goal = x["median"] < limit, f"< {fmt_ms(limit)}"
            else:
                ratio = x["median"] / reference["median"]
                ok = ratio <= ENGINEERING_RATIO
                goal = f"= ×{ratio:.2f} of the reference ({fmt_ms(reference['median'])}), ≤ ×2"
            verdict = "MET    " if ok and same else "MISSED "
            lines.append(f"  {k:<11} {verdict} {x['name']}: {fmt_ms(x['median'])} (p95 {fmt_ms(x['p95'])}) {goal}; "
                         f"{x['statements']} statements ({y['statements']} at a tenth){grows}")
    return lines


def main(argv=None) -> int:
    args = parse_args(argv)
    note = check_modules(args)
    if note:
        log("NOTE: " + note)
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    started = time.perf_counter()
    results = [bench_database(k, args) for k in kinds]
    text = report(results, args, note)
    print(text)
    print(f"\n(full run: {time.perf_counter() - started:.0f} s)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"args": vars(args), "note": note, "results": results}, f, indent=1, default=str)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
