"""Yinglong ERP's pytest plugin (entry point ``pytest11: erp``): the fixtures core's tests use,
for any module's tests.

    @pytest.mark.modules("sales", "hello")      # only these modules (and what they need) run
    def test_page(client, login_as): ...

The database is migrated per run (real Alembic migrations, only the modules the run's apps use)
into a fresh SQLite file, or a fresh PostgreSQL schema when ERP_TEST_DATABASE_URL is set; every
test then starts from empty tables with the reference data seeded. The app of each configuration
(modules, test manifests, overridden settings) is built once per run and seeded once; see
core.testing.database.SeededApps.
"""
import functools
import os
import tempfile

import pytest

from core import create_app
from core.extensions import db
from core.testing.database import (
    SeededApps,
    TestDatabase,
    base_config,
    installed_manifests,
    manifests_of,
    with_requirements,
)
from core.testing.helpers import (
    PASSWORD,
    ApiClient,
    ErpCliRunner,
    create_document,
    issue_token,
)

MARKERS = (
    "modules(*names): build the app with only these modules (and the modules they need) enabled",
    ("manifests(*manifests): add these core.manifest.Manifest objects (modules not installed, e.g. a "
     "test plugin) to the installed ones"),
    "own_app: the test changes its app (adds a route...): build one for it alone instead of sharing the run's",
)


def pytest_configure(config):
    for line in MARKERS:
        config.addinivalue_line("markers", line)
    # Keys, demo passwords and SQLite files that apps (and the servers tests start) write go to a
    # folder of this run, never into the checkout's instance/ folder.
    os.environ.setdefault("ERP_INSTANCE_PATH", tempfile.mkdtemp(prefix="erp-instance-"))


def app_config(request) -> dict:
    """The configuration overrides a test asks for: indirect parameters and markers."""
    extra = dict(getattr(request, "param", {}) or {})
    added = [m for marker in request.node.iter_markers("manifests") for m in marker.args]
    if added:
        extra["ERP_MANIFESTS"] = {**installed_manifests(), **{m.name: m for m in added}}
    marker = request.node.get_closest_marker("modules")
    if marker is not None:
        extra["ERP_MODULES"] = with_requirements(list(marker.args), manifests_of(extra))
    return extra


@pytest.fixture(scope="session")
def database():
    """The run's database: (url, engine options), core migrated, modules as apps need them."""
    database = TestDatabase.create()
    yield database
    database.drop()


@pytest.fixture(scope="session")
def seeded_apps(database):
    apps = SeededApps(database)
    yield apps
    apps.close()


@pytest.fixture
def seeded_app(seeded_apps):
    """The app built for the given configuration overrides in this run, its database back to the
    reference data freshly seeded; what the test changes in the app is undone after it."""
    used = []

    def factory(**extra):
        app = seeded_apps.app(**extra)
        used.append(app)
        return app
    yield factory
    for app in used:
        seeded_apps.tidy(app)


@pytest.fixture
def make_app(database):
    """Build a new app against the test database; keyword arguments override the configuration."""
    apps = []

    def factory(**extra):
        database.prepare(extra)
        app = create_app(base_config(database, **extra))
        apps.append(app)
        return app
    yield factory
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(request, seeded_app, make_app):
    """The app of the test's configuration (markers `modules`, `manifests`, `own_app`), its
    database holding the reference data only."""
    extra = app_config(request)
    app = seeded_app(**extra)
    if request.node.get_closest_marker("own_app") is not None:
        app = make_app(**extra)  # built on the seeded state restored just above
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    """Runs `erp` commands on the test app: ``runner.invoke(["hello", "count"])``."""
    return ErpCliRunner(app)


@pytest.fixture
def make_user(app):
    """Create an active user holding the given role codes; returns the user id. Its password is
    core.testing.PASSWORD; other keyword arguments set the user's attributes (department_id...)."""
    def factory(username, *roles, password=PASSWORD, **fields):
        from core.seed import create_user
        with app.app_context():
            user = create_user(username, password, roles, fields.pop("full_name", username))
            for k, v in fields.items():
                setattr(user, k, v)
            db.session.commit()
            return user.id
    return factory


@pytest.fixture
def login_as(client, make_user):
    """Sign in through the real login form as a new user holding `roles`; returns the user id."""
    def login(*roles, username=None):
        username = username or ("u_" + "_".join(r.lower().replace("-", "_") for r in roles) or "u_none")
        user_id = make_user(username, *roles)
        response = client.post("/login", data={"username": username, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return user_id
    return login


@pytest.fixture
def api_client(app, make_user):
    """An API client for a new user holding `roles`, sending his token with every request:
    ``api = api_client("ROLE-GM"); api.post("sales/customer", json={...})``."""
    def factory(*roles, username=None):
        username = username or ("api_" + "_".join(r.lower().replace("-", "_") for r in roles) or "api_none")
        user_id = make_user(username, *roles)
        return ApiClient(app.test_client(), issue_token(app, user_id), user_id)
    return factory


@pytest.fixture
def make_document(app, make_user):
    """Create a document of a type (its code, e.g. "sales.customer") the way a save does: declared
    defaults, a valid value for each required field not given, guards, number, audit. Returns its id.

        make_document("workshop.specimen", site="A 楼", lines=[{"item": "网线", "qty": 2}])

    `owner` is the user id it belongs to (default: user "doc_author", holding every role)."""
    author, made = [], []

    def factory(code, *, owner=None, lines=None, **values):
        if owner is None:
            if not author:
                from core.auth.models import Role
                with app.app_context():
                    roles = db.session.scalars(db.select(Role.code)).all()
                author.append(make_user("doc_author", *roles))
            owner = author[0]
        made.append(code)
        return create_document(app, code, owner, lines=lines, serial=len(made),
                               make_document=functools.partial(factory, owner=owner), **values)
    return factory


@pytest.fixture
def make_staff(app, make_user):
    """A department's people, each with an API token; returns {"ids": name -> user id, "headers":
    name -> the bearer header}. Each person is (role, department code or None, position code or
    None): core's Superior and DepartmentManager approvers read the positions.

        people = make_staff({"eng_mgr": ("ROLE-ENG-MGR", "ENG", "POS-ENG-MGR"), "gm": ("ROLE-GM", None, "POS-GM")})
    """
    def factory(people: dict) -> dict:
        from sqlalchemy import select

        from core.org.models import Position, UserPosition
        from core.testing.helpers import department_id
        ids = {name: make_user(name, role, department_id=department_id(app, dept) if dept else None)
               for name, (role, dept, _position) in people.items()}
        headers = {name: {"Authorization": f"Bearer {issue_token(app, ids[name])}"} for name in people}
        with app.app_context():
            for name, (_role, _dept, code) in people.items():
                position = db.session.scalar(select(Position.id).where(Position.code == code)) if code else None
                if position is not None:
                    db.session.add(UserPosition(user_id=ids[name], position_id=position))
            db.session.commit()
        return {"ids": ids, "headers": headers}
    return factory


@pytest.fixture
def module_api(app):
    """module_api("engineering") -> call(people, name, method, path, json=None) -> (status, body):
    /api/v1/<module>/<path> with the bearer token of `name` among `people` (make_staff's)."""
    def for_module(module: str):
        client = app.test_client()

        def call(people, name, method, path, json=None):
            response = getattr(client, method)(f"/api/v1/{module}/{path}", json=json, headers=people["headers"][name])
            return response.status_code, response.get_json()
        return call
    return for_module


@pytest.fixture
def browser_as(app):
    """browser_as(name): a test client of its own, signed in as the person through the login form
    (signing out whoever was signed in on it)."""
    browser = app.test_client()

    def sign_in(name):
        browser.post("/logout")
        response = browser.post("/login", data={"username": name, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return browser
    return sign_in
