"""Document creation through the service layer: numbering, audit chain, SQLite connection
settings; one transaction for a batch (an import) and one per document (the form), also from
several writers at once."""
import json
import threading
from datetime import date
from decimal import Decimal

import pytest
from flask import g
from sqlalchemy import select, text, update

from core.audit import log as audit
from core.audit.models import AuditEntry
from core.documents import numbering, service
from core.documents.models import NumberSequence
from core.extensions import db
from core.hookspecs import hookimpl

pytestmark = pytest.mark.workshop
# The audit's writers (core.audit.writer): the driver's own cursor, and plain SQLAlchemy.
BOTH_WRITERS = pytest.mark.parametrize("app", [{}, {"ERP_AUDIT_WRITER": "plain"}], indirect=True,
                                       ids=["driver-writer", "plain-writer"])

LINES = [{"item": "S5735 交换机", "qty": 2, "price": Decimal("4200.00")},
         {"item": "六类网线", "qty": 5, "price": Decimal("680.00")},
         {"item": "配线架", "qty": 1, "price": Decimal("160.00")}]


def doctype(app):
    return app.extensions["erp"].doctypes["workshop.request"]


def new_request(app, user, i):
    dt = doctype(app)
    doc = service.new_document(dt, user)
    doc.title, doc.supplier, doc.amount = f"采购 {i}", "华为代理", Decimal(1000 + i)
    service.set_lines(dt, doc, LINES)
    return doc


def numbered_request(app, user, i):
    """new_request, numbered and added to the session, as the form saves one."""
    doc = new_request(app, user, i)
    service.assign_number(doctype(app), doc)
    db.session.add(doc)
    return doc


@pytest.fixture
def clerk(app, make_user):
    user_id = make_user("clerk", "ROLE-MKT-AM")
    with app.app_context():
        from core.auth.models import User
        user = db.session.get(User, user_id)
        return type("Actor", (), {"id": user.id, "username": user.username,
                                  "department_id": user.department_id})()


def chain_ok(app):
    with app.app_context():
        result = audit.verify(db.session)
        db.session.remove()
    assert result.ok, result.reason
    return result.checked


@BOTH_WRITERS
def test_a_batch_in_one_transaction_is_numbered_in_order_and_audited(app, clerk):
    with app.app_context():
        g.audit_user = clerk
        before = db.session.scalar(select(db.func.max(AuditEntry.id)))
        docs = [new_request(app, clerk, i) for i in range(30)]
        service.assign_numbers(doctype(app), docs)
        db.session.add_all(docs)
        db.session.commit()
        year = date.today().year
        assert [d.number for d in docs] == [f"QR-{year}-{n:04d}" for n in range(1, 31)]
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.id > before)
                                     .order_by(AuditEntry.id)).all()
        assert {e.action for e in entries} == {"insert"}
        docs_audited = [e for e in entries if e.model == "workshop_request"]
        lines_audited = [e for e in entries if e.model == "workshop_request_line"]
        assert len(docs_audited) == 30 and len(lines_audited) == 90
        first = json.loads(docs_audited[0].changes)
        assert first["number"] == f"QR-{year}-0001" and first["amount"] == "1000"
        assert first["owner_id"] == clerk.id and "department_id" not in first  # None is left out
        assert {e.user_id for e in entries} == {clerk.id} and {e.actor for e in entries} == {"clerk"}
        assert len({e.ts for e in entries}) == 1  # one transaction, one time
        assert {e.model for e in entries} == {"number_sequence", "workshop_request", "workshop_request_line"}
    assert chain_ok(app) >= 120


@BOTH_WRITERS
def test_a_transaction_per_document_numbers_and_chains_each(app, clerk):
    with app.app_context():
        g.audit_user = clerk
        numbers = []
        for i in range(5):
            doc = numbered_request(app, clerk, i)
            db.session.commit()
            numbers.append(doc.number)
        year = date.today().year
        assert numbers == [f"QR-{year}-{n:04d}" for n in range(1, 6)]
        rows = db.session.execute(select(AuditEntry.prev_hash, AuditEntry.hash).order_by(AuditEntry.id)).all()
        assert all(rows[i].prev_hash == rows[i - 1].hash for i in range(1, len(rows)))
    chain_ok(app)


@BOTH_WRITERS
def test_stored_entries_are_what_was_hashed_and_what_the_hook_saw(app, clerk):
    seen = []

    class Listener:
        @staticmethod
        @hookimpl
        def erp_audit_recorded(entry):
            seen.append(dict(entry))
    app.extensions["erp"].pm.register(Listener, name="write-path-listener")
    with app.app_context():
        g.audit_user = clerk
        numbered_request(app, clerk, 1)
        audit.record(db.session, "exported", "workshop_request", "", {"rows": 1, "备注": "导出"})
        db.session.commit()
        stored = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(len(seen))).all()[::-1]
    assert [(e["action"], e["model"]) for e in seen] == [
        ("insert", "workshop_request"), ("insert", "workshop_request_line"), ("insert", "workshop_request_line"),
        ("insert", "workshop_request_line"), ("insert", "number_sequence"), ("exported", "workshop_request")]
    for entry, row in zip(seen, stored):
        assert (row.hash, row.prev_hash, row.action, row.model, row.record_id, row.changes, row.user_id,
                row.actor) == (entry["hash"], entry["prev_hash"], entry["action"], entry["model"],
                               entry["record_id"], entry["changes"], entry["user_id"], entry["actor"])
        assert row.ts.replace(tzinfo=None) == entry["ts"].replace(tzinfo=None)
        assert audit.entry_hash(row.prev_hash, {**entry}, app.config["ERP_AUDIT_KEY"]) == row.hash
    assert json.loads(stored[-1].changes) == {"rows": 1, "备注": "导出"}
    chain_ok(app)


def test_new_rows_audit_their_values_redacted_and_without_empty_ones(app):
    from core.auth.models import User
    with app.app_context():
        user = User(username="newbie", full_name="新人")
        user.set_password("a-secret-password")
        db.session.add(user)
        db.session.commit()
        user_id = user.id
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.model == "user", AuditEntry.action == "insert"))
        changes, text_ = json.loads(entry.changes), entry.changes
    assert changes["password_hash"] == "***" and changes["username"] == "newbie"
    assert changes["full_name"] == "新人" and changes["id"] == user_id
    assert "department_id" not in changes and "last_login_at" not in changes  # None: left out
    assert "a-secret-password" not in text_


def test_numbering_follows_sequence_settings_changed_elsewhere(app):
    """Settings are remembered between numbers; a change made by someone else still applies."""
    dt = doctype(app)
    with app.app_context():
        first = numbering.next_numbers(dt.code, 2, date(2026, 5, 1), prefix="QR")
        db.session.commit()
        # Another process edits the sequence (not through this session).
        with db.engine.begin() as conn:
            conn.execute(update(NumberSequence.__table__).where(NumberSequence.code == dt.code)
                         .values(prefix="QQ", padding=6))
        after = numbering.next_numbers(dt.code, 2, date(2026, 5, 2))
        new_year = numbering.next_number(dt.code, date(2027, 1, 3))
        db.session.commit()
    assert first == ["QR-2026-0001", "QR-2026-0002"]
    assert after == ["QQ-2026-000003", "QQ-2026-000004"]
    assert new_year == "QQ-2027-000001"


def test_numbering_recreates_a_removed_sequence_and_refuses_an_unknown_one(app):
    dt = doctype(app)
    with app.app_context():
        assert numbering.next_numbers(dt.code, 1, date(2026, 1, 5), prefix="QR") == ["QR-2026-0001"]
        db.session.commit()
        db.session.execute(text("DELETE FROM sequence_counter"))
        db.session.execute(text("DELETE FROM number_sequence"))
        db.session.commit()
        with pytest.raises(LookupError):
            numbering.next_number(dt.code, date(2026, 1, 6))
        db.session.rollback()
        assert numbering.next_numbers(dt.code, 1, date(2026, 1, 6), prefix="QR", reset="monthly") == ["QR-2026-01-0001"]
        db.session.commit()
        seq = db.session.get(NumberSequence, dt.code)
        assert (seq.prefix, seq.reset, seq.padding) == ("QR", "monthly", 4)
        created = db.session.scalar(select(AuditEntry).where(AuditEntry.model == "number_sequence"))
        assert created is not None and created.action == "insert"


def test_a_rolled_back_document_gives_its_number_back(app, clerk):
    with app.app_context():
        g.audit_user = clerk
        numbered_request(app, clerk, 1)
        db.session.flush()
        db.session.rollback()
        again = numbered_request(app, clerk, 2)
        db.session.commit()
        assert again.number.endswith("-0001")
        audited = db.session.scalars(select(AuditEntry.record_id).where(AuditEntry.model == "workshop_request")).all()
        assert audited == [str(again.id)]  # nothing of the rolled-back one
    chain_ok(app)


@BOTH_WRITERS
def test_concurrent_writers_never_share_a_number_nor_fork_the_chain(app, clerk):
    """Four threads create documents (a transaction each) and record events at once; the
    period's counter does not exist yet, so they also race to create it."""
    dt = doctype(app)
    with app.app_context():  # the sequence exists before the race (its creation is not raced)
        numbering.ensure_sequence(dt.code, "QR")
        db.session.commit()
    errors, barrier = [], threading.Barrier(4)

    def writer(n):
        try:
            with app.app_context():
                g.audit_user = clerk
                barrier.wait()
                for i in range(8):
                    numbered_request(app, clerk, n * 100 + i)
                    db.session.commit()
                    audit.record_now("exported", "workshop_request", "", {"writer": n, "i": i})
                db.session.remove()
        except Exception as exc:  # reported below: an assertion in a thread would be lost
            errors.append(repr(exc))
    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with app.app_context():
        numbers = db.session.scalars(select(dt.model.number)).all()
        year = date.today().year
        assert sorted(numbers) == [f"QR-{year}-{n:04d}" for n in range(1, 33)]
        inserts = db.session.scalar(select(db.func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "insert", AuditEntry.model == "workshop_request"))
        events = db.session.scalar(select(db.func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "exported"))
        assert (inserts, events) == (32, 32)
    chain_ok(app)


def test_sqlite_connections_use_the_write_ahead_log(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite connection settings")
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar().lower() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL


@BOTH_WRITERS
def test_an_event_only_transaction_takes_the_sqlite_write_lock_before_reading_the_chain(app):
    """Its head read and its insert cannot be split by another writer."""
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite locking")
        dbapi = db.session.connection().connection.dbapi_connection
        seen = []
        dbapi.set_trace_callback(lambda statement: seen.append(" ".join(statement.split()[:2]).upper()))
        try:
            audit.record(db.session, "login", "user", "1", {})
            db.session.commit()
        finally:
            dbapi.set_trace_callback(None)
    assert seen[0] == "BEGIN IMMEDIATE" and seen[1].startswith("SELECT") and "HASH" in seen[1]
    assert seen[2:4] == ["INSERT INTO", "COMMIT"]
    chain_ok(app)


@BOTH_WRITERS
def test_a_rolled_back_savepoint_keeps_the_audit_of_what_came_before_it(app):
    """Changes flushed before a savepoint stay audited when the savepoint is rolled back; the
    savepoint's own changes leave no entry."""
    from sqlalchemy.exc import IntegrityError
    from core.org.models import Department
    with app.app_context():
        before = db.session.scalar(select(db.func.max(AuditEntry.id)))
        kept = Department(code="KEEP", name="保留")
        db.session.add(kept)
        db.session.flush()
        audit.record(db.session, "exported", "department", "", {"before": True})
        try:
            with db.session.begin_nested():
                db.session.add(Department(code="GONE", name="回滚"))
                db.session.flush()
                db.session.add(Department(code="KEEP", name="重复"))  # unique code: refused
                db.session.flush()
        except IntegrityError:
            pass
        db.session.commit()
        rows = db.session.execute(select(AuditEntry.action, AuditEntry.changes).where(
            AuditEntry.id > before).order_by(AuditEntry.id)).all()
    assert [(a, json.loads(c).get("code", json.loads(c).get("before"))) for a, c in rows] == \
        [("insert", "KEEP"), ("exported", True)]
    chain_ok(app)


def test_when_the_audit_cannot_be_written_nothing_is_saved(app, clerk, monkeypatch):
    """The entries go to the driver directly; its errors still arrive as SQLAlchemy's, and the
    document is not saved without them."""
    from sqlalchemy.exc import DBAPIError
    from core.audit import writer
    monkeypatch.setattr(writer, "HEAD_SQL", "SELECT hash FROM no_such_table")
    monkeypatch.setattr(writer, "PG_LOCK_AND_HEAD", "SELECT 1; SELECT hash FROM no_such_table")
    dt = doctype(app)
    with app.app_context():
        g.audit_user = clerk
        numbered_request(app, clerk, 1)
        with pytest.raises(DBAPIError):
            db.session.commit()
        db.session.rollback()
        assert db.session.scalar(select(db.func.count()).select_from(dt.model)) == 0
        assert db.session.scalar(select(db.func.count()).select_from(AuditEntry).where(
            AuditEntry.model.like("workshop%"))) == 0


@BOTH_WRITERS
def test_the_setting_chooses_the_writer(app):
    """ERP_AUDIT_WRITER=plain goes through SQLAlchemy (its cursor events see the insert); the
    driver's writer goes past them."""
    from sqlalchemy import event
    seen = []
    with app.app_context():
        listener = lambda conn, cursor, statement, *args: seen.append(statement)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            audit.record(db.session, "login", "user", "1", {})
            db.session.commit()
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
    through_sqlalchemy = any(s.startswith("INSERT INTO audit_entry") for s in seen)
    assert through_sqlalchemy == (app.config.get("ERP_AUDIT_WRITER") == "plain")
    chain_ok(app)
