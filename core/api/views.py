"""The JSON API: /api/v1/<module>/<slug> for every document type, with bearer tokens.

Same permissions and visibility rules as the web pages; errors are JSON
{"error": sentence, "fields": {field: [reasons]}} with proper status codes, never HTML.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from flask import Blueprint, abort, current_app, g, jsonify, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from marshmallow import ValidationError
from sqlalchemy import select, update
from sqlalchemy.exc import DataError
from sqlalchemy.orm.exc import StaleDataError
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..audit.models import AuditEntry
from ..documents import service
from ..documents.derived import as_utc
from ..documents.extensions import preload
from ..extensions import csrf, db
from ..workflow import engine
from .models import ApiToken, hash_token

MAX_SIZE = 200  # rows per page of a list
api = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(api)
tokens = Blueprint("tokens", __name__)


def authenticate_bearer():
    """A request to the API that carries "Authorization: Bearer <token>" is the token's user's,
    whatever cookie it also carries; a token that is unknown, revoked, expired or whose user is
    deactivated gets 401."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        abort(error(401, _("Please sign in."), www_authenticate=True))
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(header[7:].strip())))
    now = datetime.now(timezone.utc)
    if token is None or token.revoked_at is not None or not token.user.active or not token.alive(now):
        abort(error(401, _("The API token is not valid: it is unknown, revoked or expired."), www_authenticate=True))
    # Recorded on its own connection: using a token is not a change to audit in the request's
    # transaction (and this may run while that transaction is being committed).
    with db.engine.begin() as conn:
        conn.execute(update(ApiToken.__table__).where(ApiToken.__table__.c.id == token.id)
                     .values(last_used_at=now))
    g.api_token = token
    g._login_user = token.user  # Flask-Login's current_user for this request; no session is read


@api.before_request
def _writes_need_a_token_and_json():
    """A browser sends its cookies to any site's forms and fetches, so a cookie alone never
    changes anything through the API (the pages do not call it): writes need the bearer token.
    Bodies are JSON only, which a cross-site form cannot send."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    if current_user.is_authenticated and g.get("api_token") is None:
        return error(401, _("Changes through the API need an API token (header “Authorization: Bearer …”)."),
                     www_authenticate=True)
    if (request.mimetype or request.content_length) and not request.is_json:
        return error(415, _("The request body must be JSON (Content-Type: application/json)."))
    return None


def error(status: int, message: str, fields: dict | None = None, www_authenticate: bool = False,
          rules: list | None = None):
    body = {"error": message, "status": status}
    if fields:
        body["fields"] = fields
    if rules:  # the codes of the rules that refused (Issue.code): what callers act on, not the text
        body["rules"] = rules
    response = jsonify(body)
    response.status_code = status
    if www_authenticate:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def _json_body():
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(error(400, _("The request body must be a JSON object.")))
    bad = sorted(_fields_with_nul(data))
    if bad:  # PostgreSQL cannot store NUL characters in text
        abort(error(422, _("Some fields are not valid."), {f: [_("Text cannot contain NUL characters.")] for f in bad}))
    return data


def _fields_with_nul(value, path=""):
    if isinstance(value, str):
        return {path or "_"} if "\x00" in value else set()
    if isinstance(value, dict):
        return set().union(*(_fields_with_nul(v, f"{path}.{k}" if path else str(k)) for k, v in value.items()))
    if isinstance(value, list):
        return set().union(*(_fields_with_nul(v, f"{path}.{i}") for i, v in enumerate(value)))
    return set()


def _authorised(check: bool):
    if not current_user.is_authenticated:
        abort(error(401, _("Please sign in.")))
    if not check:
        abort(error(403, _("You do not have permission to open this page.")))


def _doctype(module, slug):
    doctype = current_app.extensions["erp"].doctypes.get(f"{module}.{slug}")
    if doctype is None:
        abort(error(404, _("This page does not exist.")))
    return doctype


def iso(moment) -> str | None:
    """A timestamp with its offset (UTC), on every database (SQLite gives them back naive)."""
    return as_utc(moment).isoformat() if moment is not None else None


def serialize(doctype, doc, user) -> dict:
    data = doctype.schema().dump(doc) if doctype.schema else {}
    data.update({
        "id": doc.id, "number": doc.number, "title": doc.title, "state": doc.state, "version": doc.version,
        "owner": doc.owner.username if doc.owner else None, "department_id": doc.department_id,
        "created_at": iso(doc.created_at), "updated_at": iso(doc.updated_at),
    })
    if doctype.deadline is not None:
        data["overdue"] = doc.overdue
    hidden = doctype.hidden_fields(user)
    for name in hidden:
        data.pop(name, None)
    if doctype.lines and isinstance(data.get(doctype.lines.attribute), list):
        data[doctype.lines.attribute] = [{k: v for k, v in line.items() if k not in hidden}
                                         for line in data[doctype.lines.attribute]]
    return data


def _load(doctype, payload: dict, partial: bool):
    try:
        values = doctype.schema().load({k: v for k, v in payload.items() if k != "version"}, partial=partial)
    except ValidationError as exc:
        abort(error(422, _("Some fields are not valid."), exc.messages))
    too_large = _too_large(values, doctype.model)
    if doctype.lines:
        for i, line in enumerate(values.get(doctype.lines.attribute) or []):
            if bad := _too_large(line, doctype.lines.model):
                too_large.setdefault(doctype.lines.attribute, {})[str(i)] = bad
    if too_large:  # refused the same way on every database (SQLite would store them)
        abort(error(422, _("Some fields are not valid."), too_large))
    return values


def _too_large(values: dict, model) -> dict:
    from .openapi import numeric_limits
    return {name: [_("Give a value smaller than %(limit)s.", limit=limit)]
            for name, limit in numeric_limits(model).items()
            if isinstance(values.get(name), (int, Decimal)) and abs(values[name]) >= limit}


def _apply(doctype, doc, values: dict):
    lines = values.pop(doctype.lines.attribute, None) if doctype.lines else None
    try:
        service.apply_values(doctype, doc, values, lines)
    except service.ValidationFailed as exc:
        fields = dict(exc.fields)
        if exc.errors:
            fields["_"] = list(exc.errors)
        abort(error(422, _("Some fields are not valid."), fields))


@api.get("/<module>/<slug>")
def list_documents(module, slug):
    doctype = _doctype(module, slug)
    _authorised(service.can_open_list(doctype, current_user))
    errors = service.invalid_list_arguments(doctype, request.args)
    size = request.args.get("size", "50")
    if not 1 <= (service.record_id(size) or 0) <= MAX_SIZE:
        errors["size"] = [_("Give a whole number from %(low)d to %(high)d.", low=1, high=MAX_SIZE)]
    if errors:
        return error(400, _("Some filters are not valid."), errors)
    size = int(size)
    rows, number, has_next, _sort = service.page(doctype, current_user, request.args, size)
    rows = preload(doctype, rows)  # other modules' fields: one query per extension, not per row
    return jsonify(items=[serialize(doctype, d, current_user) for d in rows], page=number, size=size,
                   has_next=has_next)


@api.post("/<module>/<slug>")
def create_document(module, slug):
    doctype = _doctype(module, slug)
    _authorised(current_user.can(doctype.permission("create")))
    values = _load(doctype, _json_body(), partial=False)
    doc = service.new_document(doctype, current_user)
    _apply(doctype, doc, values)
    service.assign_number(doctype, doc)
    db.session.add(doc)
    _commit(doctype)
    response = jsonify(serialize(doctype, doc, current_user))
    response.status_code = 201
    response.headers["Location"] = url_for("api.read_document", module=module, slug=slug, doc_id=doc.id)
    return response


@api.get("/<module>/<slug>/<id:doc_id>")
def read_document(module, slug, doc_id):
    doctype = _doctype(module, slug)
    _authorised(True)
    return jsonify(serialize(doctype, _visible(doctype, doc_id), current_user))


def _visible(doctype, doc_id):
    doc = db.session.scalar(service.visible(doctype, current_user).where(doctype.model.id == doc_id))
    if doc is None:
        abort(error(404, _("This page does not exist.")))
    return doc


@api.route("/<module>/<slug>/<id:doc_id>", methods=["PUT", "PATCH"])
def update_document(module, slug, doc_id):
    doctype = _doctype(module, slug)
    _authorised(True)
    doc = _visible(doctype, doc_id)
    _authorised(service.can_edit(doctype, current_user, doc))
    payload = _json_body()
    version = payload.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        return error(422, _("Some fields are not valid."), {"version": [_("The version you read is required.")]})
    if version != doc.version:
        return error(409, str(engine.Conflict()))
    values = _load(doctype, payload, partial=request.method == "PATCH")
    _apply(doctype, doc, values)
    _commit(doctype)
    return jsonify(serialize(doctype, doc, current_user))


def _commit(doctype=None):
    """Commit, turning what the database refuses into a JSON error instead of a 500."""
    try:
        service.commit(doctype) if doctype is not None else db.session.commit()
    except service.ValidationFailed as exc:  # a unique value another record has
        fields = dict(exc.fields)
        if exc.errors:
            fields["_"] = list(exc.errors)
        abort(error(422, _("Some fields are not valid."), fields))
    except StaleDataError:
        db.session.rollback()
        abort(error(409, str(engine.Conflict())))
    except (DataError, OverflowError):  # e.g. a number beyond the column's range
        db.session.rollback()
        abort(error(422, _("A value is too large or not valid for its field.")))


@api.post("/<module>/<slug>/<id:doc_id>/transitions/<name>")
def transition_document(module, slug, doc_id, name):
    doctype = _doctype(module, slug)
    _authorised(True)
    doc = _visible(doctype, doc_id)
    payload = request.get_json(silent=True) or {}
    if not isinstance(payload, dict):
        return error(400, _("The request body must be a JSON object."))
    version = payload.get("version")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        return error(422, _("Some fields are not valid."), {"version": [_("Not a valid integer.")]})
    comment = payload.get("comment") or ""
    if not isinstance(comment, str):
        return error(422, _("Some fields are not valid."), {"comment": [_("Not a valid string.")]})
    transition = doctype.workflow.transition(name) if doctype.workflow else None
    # Not his to take (his role, not his step, his own document): 403 with the reason, before any
    # input is read, as on its page. A document in another state, an action that does not apply
    # to it or a withdrawal no longer possible is 422 (the request, not the person, is wrong).
    if transition is not None and transition.kind != "recall" and doc.state in transition.source \
            and (transition.when is None or transition.when(doc)) \
            and transition not in engine.available(doctype, doc, current_user):
        why = engine.check(doctype, doc, transition, current_user)
        return error(403, why[0].message if why else _("You do not have permission to %(action)s this document.",
                                                       action=transition.label))
    if transition is not None and transition.fields:  # an action asking for input takes it here
        from ..documents import actions
        try:
            values = actions.input_schema(transition)().load(payload)
        except ValidationError as exc:
            return error(422, _("Some fields are not valid."), exc.messages)
        if version is not None and version != doc.version:
            return error(409, str(engine.Conflict()))
        with db.session.no_autoflush:
            problems = actions.apply(doctype, transition, doc, values, current_user)
        if problems:
            db.session.rollback()
            return error(422, _("Some fields are not valid."), {k: [str(r) for r in v] for k, v in problems.items()})
    try:
        engine.perform(doctype, doc, name, current_user, comment, expected_version=version)
    except engine.TransitionRefused as exc:
        db.session.rollback()
        fields = {}
        for issue in exc.issues:
            fields.setdefault(issue.field or "_", []).append(issue.message)
        return error(422, str(exc), fields, rules=list(dict.fromkeys(i.code for i in exc.issues if i.code)))
    except engine.Conflict as exc:
        return error(409, str(exc))
    return jsonify(serialize(doctype, doc, current_user))


@api.post("/<module>/<slug>/<id:doc_id>/comments")
def comment_document(module, slug, doc_id):
    """A comment; ``@name`` mentions (or ids in ``mentions``, for namesakes) notify colleagues
    who may see the document. Answers who was told and who was not (may not see it)."""
    from ..documents import following
    doctype = _doctype(module, slug)
    _authorised(True)
    doc = _visible(doctype, doc_id)
    payload = _json_body()
    body, ids = payload.get("body"), payload.get("mentions") or []
    if not isinstance(body, str) or not body.strip():
        return error(422, _("Some fields are not valid."), {"body": [_("The comment is empty.")]})
    if not isinstance(ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        return error(422, _("Some fields are not valid."), {"mentions": [_("Give a list of user ids.")]})
    posted = following.add_comment(doctype, doc, current_user, body, ids)
    _commit()
    response = jsonify(id=posted.comment.id, body=posted.comment.body, mentions=posted.comment.mentions or [],
                       told=[p.username for p in posted.told], not_told=[p.username for p in posted.not_told])
    response.status_code = 201
    return response


@api.post("/<module>/<slug>/<id:doc_id>/follow")
def follow_document(module, slug, doc_id):
    """Follow the document (``{"following": false}``: stop): be told of each of its transitions."""
    from ..documents import following
    doctype = _doctype(module, slug)
    _authorised(True)
    doc = _visible(doctype, doc_id)
    payload = request.get_json(silent=True) or {}
    on = payload.get("following", True) if isinstance(payload, dict) else None
    if not isinstance(on, bool):
        return error(422, _("Some fields are not valid."), {"following": [_("Give true or false.")]})
    following.set_following(doctype, doc, current_user, on)
    _commit()
    return jsonify(following=following.is_following(doctype, doc, current_user),
                   followers=[p.username for p in following.followers(doctype, doc)])


@api.get("/<module>/<slug>/<id:doc_id>/history")
def document_history(module, slug, doc_id):
    doctype = _doctype(module, slug)
    _authorised(True)
    doc = _visible(doctype, doc_id)
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.model == doc.__tablename__, AuditEntry.record_id == str(doc.id)).order_by(AuditEntry.id)).all()
    hidden = doctype.hidden_fields(current_user)
    return jsonify(items=[{
        "id": e.id, "ts": iso(e.ts), "actor": e.actor, "action": e.action,
        "changes": {k: v for k, v in json.loads(e.changes or "{}").items() if k not in hidden}}
        for e in entries])


@api.get("/inbox")
def inbox():
    """What waits for the caller: his open approvals and the documents waiting for his step."""
    _authorised(True)
    from ..workflow.engine import waiting_for
    from ..workflow.inbox import waiting_documents
    from ..workflow.models import ApprovalTask
    tasks = db.session.scalars(waiting_for(current_user).order_by(ApprovalTask.id.desc()).limit(200))
    approvals = [{"doctype": t.doctype, "id": t.doc_id, "number": t.doc_number, "title": t.doc_title,
                  "step": t.label, "on_behalf_of": t.user_id if t.user_id != current_user.id else None,
                  "since": iso(t.created_at)} for t in tasks]
    steps = [{"doctype": w.doctype.code, "id": w.doc_id, "number": w.number, "title": w.title, "state": w.state,
              "steps": [str(label) for label in w.steps], "owner": w.owner_name,
              "since": iso(w.since)} for w in waiting_documents(current_user)]
    return jsonify(approvals=approvals, steps=steps)


@api.get("/openapi.json")
def openapi():
    """The API's description: for signed-in users, or anyone when ERP_OPENAPI_PUBLIC is set."""
    if not current_app.config["ERP_OPENAPI_PUBLIC"]:
        _authorised(True)
    from .openapi import build
    return jsonify(build(current_app))


# ---- personal tokens (profile page) -----------------------------------------------------------
class TokenForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=80)])
    days = IntegerField(_l("Valid for (days, empty: until revoked)"), validators=[Optional(), NumberRange(min=1, max=3650)])


@tokens.route("/profile/tokens", methods=["GET", "POST"])
@login_required
def manage():
    from flask import render_template
    form = TokenForm()
    new_token = None
    if form.validate_on_submit():
        expires_at = datetime.now(timezone.utc) + timedelta(days=form.days.data) if form.days.data else None
        token, new_token = ApiToken.issue(current_user, form.name.data, expires_at)
        db.session.add(token)
        db.session.commit()
    mine = db.session.scalars(select(ApiToken).where(ApiToken.user_id == current_user.id)
                              .order_by(ApiToken.id.desc())).all()
    return render_template("auth/tokens.html", form=form, tokens=mine, new_token=new_token,
                           revoke_form=FlaskForm(), now=datetime.now(timezone.utc))


@tokens.post("/profile/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id):
    from flask import redirect
    token = db.session.get(ApiToken, token_id)
    if token is not None and token.user_id == current_user.id and FlaskForm().validate_on_submit():
        token.revoked_at = datetime.now(timezone.utc)
        db.session.commit()
    return redirect(url_for("tokens.manage"))
