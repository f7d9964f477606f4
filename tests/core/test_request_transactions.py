"""How a request's transaction ends (core.extensions.commit_reads): one that only read is
committed, which keeps PostgreSQL's prepared statements; one that wrote without committing is
rolled back, whatever the way it wrote."""
import pytest
from sqlalchemy import select, text, update

from core.extensions import db
from core.org.models import Department
from tests.conftest import reset_database


@pytest.fixture
def app_with_views(make_app, database):
    reset_database(*database)
    app = make_app()
    with app.app_context():
        db.session.add(Department(code="T1", name="测试部"))
        db.session.commit()

    @app.get("/t/read")
    def read():
        return db.session.scalar(select(Department.name).where(Department.code == "T1"))

    @app.get("/t/orm")
    def orm_write():
        db.session.scalar(select(Department).where(Department.code == "T1")).name = "改名 ORM"
        db.session.flush()
        return "not committed"

    @app.get("/t/core")
    def core_write():
        db.session.execute(update(Department).where(Department.code == "T1").values(name="改名 Core"))
        return "not committed"

    @app.get("/t/text")
    def text_write():
        db.session.execute(text("UPDATE department SET name = '改名 SQL' WHERE code = 'T1'"))
        return "not committed"

    @app.get("/t/read-after-write")
    def read_after_write():
        db.session.execute(text("UPDATE department SET name = '改名 先写后读' WHERE code = 'T1'"))
        return db.session.scalar(select(Department.name).where(Department.code == "T1"))
    return app


def name_of_t1(app):
    with app.app_context():
        name = db.session.scalar(select(Department.name).where(Department.code == "T1"))
        db.session.remove()
        return name


def test_a_request_that_wrote_without_committing_is_rolled_back(app_with_views):
    client = app_with_views.test_client()
    for path in ("/t/orm", "/t/core", "/t/text", "/t/read-after-write", "/t/read"):
        assert client.get(path).status_code == 200
        assert name_of_t1(app_with_views) == "测试部", path


def test_reading_requests_keep_postgresql_prepared_statements(app_with_views):
    """psycopg prepares a statement run 5 times on a connection, and forgets all on a ROLLBACK."""
    with app_with_views.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("prepared statements are PostgreSQL's")
    client = app_with_views.test_client()
    for _ in range(8):
        assert client.get("/t/read").get_data(as_text=True) == "测试部"
    with app_with_views.app_context():
        prepared = db.session.connection().exec_driver_sql(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%%FROM department%%'").scalar()
        db.session.remove()
    assert prepared >= 1
