"""Timed scenarios, in-process: pages through the Flask test client, writes through the service layer."""
from __future__ import annotations

import gc
import random
import re
import statistics
import time
from decimal import Decimal

from flask import g
from sqlalchemy import select

from core.audit import log as audit_log
from core.auth.models import User
from core.documents import service
from core.extensions import db
from core.workflow import engine

from .env import PASSWORD

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
USER_AGENT = "yinglong-bench"
HEADERS = {"User-Agent": USER_AGENT}
BASE = "/bench/order/"


class Result:
    """Durations in seconds of one scenario's repetitions, plus notes."""

    def __init__(self, name: str, samples: list[float], unit: str = "request", total: float | None = None,
                 note: str = "", cpu: float | None = None):
        self.name, self.samples, self.unit, self.note, self.cpu = name, samples, unit, note, cpu
        self.total = sum(samples) if total is None else total

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def sign_in(client, username: str):
    """The real sign-in form (CSRF on), then one page so the session cookie holds its CSRF token."""
    page = client.get("/login", headers=HEADERS).get_data(as_text=True)
    token = CSRF.search(page).group(1)
    response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token},
                           headers=HEADERS)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    page = client.get(BASE, headers=HEADERS)
    if page.status_code != 200:
        raise RuntimeError(f"GET {BASE} as {username}: HTTP {page.status_code}")
    return client.get_cookie("session").value


def _time_get(client, urls, check=None) -> list[float]:
    out = []
    for url in urls:
        t = time.perf_counter()
        response = client.get(url, headers=HEADERS)
        body = response.get_data()
        out.append(time.perf_counter() - t)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url}: {response.status_code} {body[:300]!r}")
        if check is not None:
            check(url, body)
    return out


def numbers_for(stats, count: int, rnd) -> list[str]:
    """Numbers of documents the list user may see (the department's), at random."""
    from .orders.hooks import Order
    ids = sorted({rnd.randint(1, stats["orders"]) for _ in range(count * 2)})
    numbers = db.session.scalars(select(Order.number).where(
        Order.id.in_(ids), Order.department_id == stats["mkt"])).all()
    rnd.shuffle(numbers)
    return (numbers * (count // max(len(numbers), 1) + 1))[:count]


NEXT = re.compile(r'href="([^"]+)" id="next-page"')


def deep_link(client, page: int) -> str:
    """The URL the list's Next button leads to on page `page - 1`: what a user who paged down
    that far requests (the page before is fetched once with ?page=, its OFFSET not timed)."""
    body = client.get(f"{BASE}?page={page - 1}", headers=HEADERS).get_data(as_text=True)
    return NEXT.search(body).group(1).replace("&amp;", "&")


def reads(app, stats, repeat: int) -> list[Result]:
    rnd = random.Random(7)
    client = app.test_client()
    sign_in(client, "bench_mgr")
    deep = stats["deep_page"]
    results = []
    _time_get(client, [BASE] * 3)  # warm-up: templates compiled, caches filled

    def has_rows(url, body):
        if b'href="/bench/order/' not in body:
            raise RuntimeError(f"GET {url}: no rows")

    results.append(Result("list page 1", _time_get(client, [BASE] * repeat, has_rows)))
    deep_url = deep_link(client, deep)
    stats["deep_url"] = deep_url
    results.append(Result(f"list page {deep:,} (Next link, keyset)", _time_get(client, [deep_url] * repeat, has_rows)))
    results.append(Result(f"list page {deep:,} (typed ?page=, OFFSET)",
                          _time_get(client, [f"{BASE}?page={deep}"] * max(repeat // 2, 5), has_rows)))
    with app.app_context():
        numbers = numbers_for(stats, repeat, rnd)
    results.append(Result("search by number", _time_get(
        client, [f"{BASE}?q={n}" for n in numbers],
        lambda url, body: None if url.rsplit("=", 1)[1].encode() in body else (_ for _ in ()).throw(
            RuntimeError(f"GET {url}: number not found")))))
    results.append(Result("search by text (customer)", _time_get(
        client, [f"{BASE}?q=招商银行"] * max(repeat // 5, 3), has_rows)))
    results.append(Result("filter state=approved", _time_get(client, [f"{BASE}?state=approved"] * repeat, has_rows)))
    results.append(Result("filter state=approved, page 100", _time_get(
        client, [f"{BASE}?state=approved&page=100"] * repeat, has_rows)))

    def has_groups(url, body):
        if b'class="group-row"' not in body:
            raise RuntimeError(f"GET {url}: no groups")
    # Groups with counts and the sum of the amounts, one GROUP BY over every row the user sees.
    results.append(Result("group by state (counts, sums)", _time_get(
        client, [f"{BASE}?group=state"] * max(repeat // 5, 3), has_groups)))
    results.append(Result("group by month created (counts, sums)", _time_get(
        client, [f"{BASE}?group=created_at:month"] * max(repeat // 5, 3), has_groups)))

    rows_exported = []

    def exported(url, body):
        from openpyxl import load_workbook
        import io
        rows_exported.append(sum(1 for _ in load_workbook(io.BytesIO(body), read_only=True).active.iter_rows()) - 1)
    samples = _time_get(client, [f"{BASE}export.xlsx?state=cancelled"] * stats["export_repeat"], exported)
    results.append(Result(f"export XLSX state=cancelled ({rows_exported[0]:,} rows)", samples))
    return results


def _user(username):
    return db.session.scalar(select(User).where(User.username == username))


def _actor(username):
    """The acting user as the service layer reads it (id, username, department), loaded once: a
    web request loads its user once too, and a commit must not make every document reload it."""
    from types import SimpleNamespace
    user = _user(username)
    return SimpleNamespace(id=user.id, username=user.username, department_id=user.department_id)


def create_documents(app, count: int, audit: bool, per_document: bool) -> Result:
    """`count` orders with 3 lines through the service layer (new_document, set_lines,
    assign_number), committed once at the end like an import, or once per document like the form."""
    doctype = app.extensions["erp"].doctypes["bench.order"]
    rnd = random.Random(11)
    app.config["ERP_AUDIT"] = audit
    samples = []
    try:
        with app.app_context():
            user = _actor("bench_c01")
            g.audit_user = user
            batch = []
            # Start every write scenario from the same garbage-collector state: a full collection
            # is triggered by the objects that survived since the last one, so without this the
            # first scenario (audit on) also paid for the read scenarios' survivors (one more
            # full collection of the whole heap, ~0.1 s here), which is not the cost of writing.
            # The scenario's own allocations still trigger the collections they cause.
            gc.collect()
            cpu = time.process_time()
            start = time.perf_counter()
            for i in range(count):
                t = time.perf_counter()
                doc = service.new_document(doctype, user)
                doc.title = f"基准订单 {i}"
                doc.customer = "深圳地铁集团"
                doc.amount = Decimal(rnd.randint(1000, 90000))
                service.set_lines(doctype, doc, [
                    {"item": "S5735 交换机", "qty": rnd.randint(1, 9), "price": Decimal("4200.00")},
                    {"item": "六类非屏蔽网线(箱)", "qty": rnd.randint(1, 9), "price": Decimal("680.00")},
                    {"item": "24 口配线架", "qty": rnd.randint(1, 9), "price": Decimal("160.00")}])
                if per_document:
                    service.assign_number(doctype, doc)
                    db.session.add(doc)
                    db.session.commit()
                else:
                    batch.append(doc)
                samples.append(time.perf_counter() - t)
            if not per_document:  # as import_rows saves a validated batch
                t = time.perf_counter()
                service.assign_numbers(doctype, batch)
                db.session.add_all(batch)
                db.session.commit()
                samples[-1] += time.perf_counter() - t
            total = time.perf_counter() - start
            cpu = time.process_time() - cpu
            db.session.remove()
    finally:
        app.config["ERP_AUDIT"] = True
    how = "a transaction each" if per_document else "one transaction"
    return Result(f"create {count:,} × 3 lines, {how}, audit {'on' if audit else 'off'}",
                  samples, "document", total, cpu=cpu)


def transitions(app, count: int) -> Result:
    """`count` transitions with core.workflow.engine.perform: half submits (a clerk, approval tasks
    planned for the department's manager), half approvals of those by the manager."""
    doctype = app.extensions["erp"].doctypes["bench.order"]
    M = doctype.model
    samples = []
    with app.app_context():
        clerk, manager = _user("bench_c01"), _user("bench_mgr")
        ids = db.session.scalars(select(M.id).where(M.state == "draft", M.owner_id == clerk.id)
                                 .order_by(M.id.desc()).limit(count // 2)).all()
        cpu = time.process_time()
        start = time.perf_counter()
        for name, user in (("submit", clerk), ("approve", manager)):
            g.audit_user = user
            g.pop("_erp_permissions", None)
            for doc_id in ids:
                t = time.perf_counter()
                doc = db.session.get(M, doc_id)
                engine.perform(doctype, doc, name, user)
                samples.append(time.perf_counter() - t)
        total = time.perf_counter() - start
        cpu = time.process_time() - cpu
        db.session.remove()
    return Result(f"transitions ({len(ids)} submit + {len(ids)} approve)", samples, "transition", total, cpu=cpu)


def verify_audit(app) -> tuple[str, float, int]:
    with app.app_context():
        t = time.perf_counter()
        result = audit_log.verify(db.session)
        took = time.perf_counter() - t
        db.session.remove()
    text = "OK" if result.ok else f"BROKEN at entry {result.broken_at}: {result.reason}"
    return text, took, result.checked
