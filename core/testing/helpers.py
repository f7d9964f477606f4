"""What the fixtures hand to tests: signing in, an API client with a token, the `erp` command,
and a document factory."""
from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from flask.testing import FlaskCliRunner
from flask_login import login_user
from sqlalchemy import select

from core.extensions import db

PASSWORD = "correct-horse-battery"  # every test user's password


def sign_in_as(client, username: str, password: str = PASSWORD):
    """Sign out, then in through the login form as an existing user."""
    client.post("/logout")
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)


def department_id(app, code: str) -> int:
    """The id of a seeded department (MKT, ENG...)."""
    from core.org.models import Department
    with app.app_context():
        return db.session.scalar(select(Department.id).where(Department.code == code))


class ErpCliRunner(FlaskCliRunner):
    """Flask's CLI runner on the test app; ``invoke(["hello", "count"])`` runs ``erp hello count``."""

    def invoke(self, cli=None, args=None, **kwargs):
        if isinstance(cli, (list, tuple, str)):
            from core.cli import cli as erp
            cli, args = erp, cli
        return super().invoke(cli, args, **kwargs)


class ApiClient:
    """The test client, sending a user's API token (``Authorization: Bearer``) with every request.

    Paths are the API's (``/api/v1/...``); one without a leading slash is relative to /api/v1/.
    ``json=`` sends a JSON body. Each method returns Flask's test response (``status_code``,
    ``get_json()``, ``headers``).
    """
    PREFIX = "/api/v1/"

    def __init__(self, client, token: str, user_id: int):
        self.client, self.token, self.user_id = client, token, user_id

    @property
    def headers(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"}

    def request(self, method: str, path: str, json=None, **kwargs):
        if not path.startswith("/"):
            path = self.PREFIX + path
        headers = {**self.headers, **kwargs.pop("headers", {})}
        if json is not None:
            kwargs["json"] = json
        return self.client.open(path, method=method, headers=headers, **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, json=None, **kwargs):
        return self.request("POST", path, json=json, **kwargs)

    def put(self, path, json=None, **kwargs):
        return self.request("PUT", path, json=json, **kwargs)

    def patch(self, path, json=None, **kwargs):
        return self.request("PATCH", path, json=json, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)


def issue_token(app, user_id: int, name: str = "test") -> str:
    """A new API token of the user (only its hash is stored); returns the token."""
    from core.api.models import ApiToken
    from core.auth.models import User
    with app.app_context():
        token, secret = ApiToken.issue(db.session.get(User, user_id), name)
        db.session.add(token)
        db.session.commit()
    return secret


# ---- documents ----------------------------------------------------------------------------------
def _placeholder(f, owner, make_document, serial: int):
    """A value a required declared field accepts, for a document made only to exist (texts carry
    the document's serial: a name may have to be unique)."""
    kind = f.kind
    if kind in ("text", "textarea"):
        return f"Test {f.name}{f' {serial}' if serial > 1 else ''}"[: f.max_length]
    if kind in ("integer", "decimal", "money", "percent"):
        low = f.minimum if f.minimum is not None else 1
        value = min(max(low, 1), f.maximum) if f.maximum is not None else max(low, 1)
        return int(value) if kind == "integer" else Decimal(value)
    if kind == "date":
        return date.today()
    if kind == "datetime":
        return datetime.now(UTC)
    if kind == "bool":
        return True
    if kind == "choice":
        return f.choices[0][0]
    if kind == "multichoice":
        return [f.choices[0][0]]
    if kind == "user":
        return owner.id
    if kind == "reference" and f.options is not None:
        options = f.options()
        if not options:
            raise LookupError(f"{f.name!r} is required and offers no record to choose yet: "
                              f"create one and pass {f.attributes[0]}=its id")
        return options[0][0]
    if kind == "reference":
        return make_document(f.target)
    return None  # signatures are given by people, not by default


def create_document(app, code: str, owner_id: int, *, lines=None, make_document=None, serial: int = 1,
                    **values) -> int:
    """Create a document of type `code` through core's document service, as `owner_id`: the
    values given, declared defaults, a valid value for each required field not given, `lines` (a
    list of dicts), the type's save guards and before_save, a number, the audit log. Returns its id;
    raises core.documents.service.ValidationFailed when the guards refuse it, LookupError when a
    required value cannot be made up."""
    from core.auth.models import User
    from core.documents import service
    from core.documents.derived import TITLE
    erp = app.extensions["erp"]
    if code not in erp.doctypes:
        raise LookupError(f"no document type {code!r} in this app (enabled modules: {', '.join(erp.enabled)})")
    doctype = erp.doctypes[code]
    # In a request signed in as the owner, as a save is: modules' before_save read current_user.
    with app.test_request_context("/"):
        owner = db.session.get(User, owner_id)
        login_user(owner)
        doc = service.new_document(doctype, owner)
        declared = list(doctype.fields)
        if declared and not any(f.name == "title" for f in declared):
            declared.insert(0, TITLE)
        for f in declared:
            if f.name in values or f.attributes[0] in values or f.readonly:
                continue
            if f.default is not None:  # a callable one is called as the form calls it: without arguments
                value = f.default() if callable(f.default) else f.default
            elif f.required or doc.state in f.required_in:
                try:
                    value = _placeholder(f, owner, make_document, serial)
                except LookupError as exc:
                    raise LookupError(f"{code}: {exc}") from None
            else:
                continue
            if value is not None:
                setattr(doc, f.attributes[0], value)
        service.apply_values(doctype, doc, values, lines)
        service.assign_number(doctype, doc)
        db.session.add(doc)
        service.commit(doctype)
        return doc.id
