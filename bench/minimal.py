"""The baseline: a minimal hand-written Flask view over the same rows, one SQL query and a bare
template (no layout, menu, sign-in, permissions or visibility), as a framework's best case.

    gunicorn -w 2 bench.minimal:app     (database from BENCH_DB_URL / BENCH_DB_SCHEMA)
"""
from flask import Flask, request
from sqlalchemy import create_engine, text

from bench import env
from core import freeze_startup_objects

TEMPLATE = """<!doctype html><meta charset="utf-8"><title>Orders</title>
<table>{% for r in rows %}<tr><td><a href="/orders/{{ r.id }}">{{ r.number }}</a></td><td>{{ r.title }}</td>
<td>{{ r.state }}</td><td>{{ r.customer }}</td><td>{{ r.amount }}</td><td>{{ r.created_at }}</td></tr>
{% endfor %}</table>"""


def create():
    database = env.database_from_env()
    engine = create_engine(database.url, **database.options)
    app = Flask(__name__)
    template = app.jinja_env.from_string(TEMPLATE)

    @app.get("/")
    def orders():
        page = max(request.args.get("page", 1, type=int), 1)
        q = request.args.get("q")
        where = "WHERE number = :q " if q else ""
        sql = text("SELECT id, number, title, state, customer, amount, created_at FROM bench_order "
                   f"{where}ORDER BY id DESC LIMIT 50 OFFSET :offset")
        with engine.connect() as conn:
            rows = conn.execute(sql, {"q": q, "offset": (page - 1) * 50}).all()
        return template.render(rows=rows)
    return app


app = create()
freeze_startup_objects()  # served as the ERP is (bench/wsgi.py), for a like-for-like comparison
