"""The other reference: Flask-Admin's standard SQLAlchemy ModelView over the same rows, as a
generic admin serves them out of the box (pip install -e '.[bench]').

    gunicorn -w 2 bench.flask_admin_app:app     (database from BENCH_DB_URL / BENCH_DB_SCHEMA)

List at /admin/order/: page size 50, newest first, search on the number (?search=), pages
numbered from 0 (?page=1999 is the 2,000th). Left as Flask-Admin does it by default, since that
is what the comparison is about: every list request also runs a COUNT(*) over the matching rows
(the pager shows the page count), and the search is a case-insensitive substring match
(CAST(number) ILIKE '%term%', a scan). No sign-in, like bench/minimal.py (Flask-Admin has none
of its own); its layout and menu are there, but no permissions or visibility.
"""
from datetime import datetime
from decimal import Decimal

from flask import Flask, redirect
from flask_admin import Admin
from flask_admin.contrib.sqla import ModelView
from flask_babel import Babel
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from bench import env
from core import freeze_startup_objects

db = SQLAlchemy()


class Order(db.Model):
    """The columns of `bench_order` the list shows; declared here, not imported from the ERP,
    so that this app loads none of core."""
    __tablename__ = "bench_order"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(40))
    customer: Mapped[str] = mapped_column(String(100))
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OrderView(ModelView):
    column_list = ["number", "title", "state", "customer", "amount", "created_at"]
    column_default_sort = ("id", True)
    column_searchable_list = ["number"]
    page_size = 50


def create():
    database = env.database_from_env()
    app = Flask(__name__)
    app.config.update(SQLALCHEMY_DATABASE_URI=database.url, SQLALCHEMY_ENGINE_OPTIONS=database.options,
                      SECRET_KEY=env.SECRET)  # flash messages of the edit views; the list needs none
    db.init_app(app)
    Babel(app)  # Flask-Admin translates through Flask-Babel whenever it is installed (the ERP needs it)
    admin = Admin(app, name="Orders")
    admin.add_view(OrderView(Order, db, endpoint="order"))

    @app.get("/")
    def index():
        return redirect("/admin/order/")
    return app


app = create()
freeze_startup_objects()  # served as the ERP is (bench/wsgi.py), for a like-for-like comparison
