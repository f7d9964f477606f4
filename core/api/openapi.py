"""The OpenAPI 3 description of /api/v1, generated from the declared document types."""
import copy
from decimal import Decimal

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from sqlalchemy import Numeric

from ..documents import service
from .views import MAX_SIZE


def _camel(code: str) -> str:
    return "".join(part.capitalize() for part in code.replace(".", "_").split("_"))


ERROR = {"type": "object", "required": ["error", "status"],
         "properties": {"error": {"type": "string"}, "status": {"type": "integer"},
                        "fields": {"type": "object", "additionalProperties": True}}}

# Why each error status is returned; every operation documents those it can return.
REASONS = {
    400: "The request or its filters are not valid (see fields)",
    401: "No valid bearer token (or signed-in session)",
    403: "The user may not do this, or a signed-in session's write lacks the CSRF token",
    404: "No such document, or not one the user may see",
    405: "The path does not take this method; Allow lists those it takes",
    409: "Someone else changed the document since the version given",
    413: "The body is larger than the server accepts",
    415: "The body must be JSON",
    422: "Some fields are not valid, or a business rule refuses the change (see fields)",
}
ALWAYS = (401, 405)  # any request: no credentials; the router's answer to another method
WRITE = (400, 403, 413, 415, 422)  # a request with a JSON body


def _responses(*codes, ok=None, ok_headers=None):
    out = {}
    for code in sorted(set(codes) | set(ALWAYS)):
        if code in (200, 201):
            out[str(code)] = {"description": "OK", "content": {"application/json": {"schema": ok}}}
            if ok_headers:
                out[str(code)]["headers"] = ok_headers
            continue
        out[str(code)] = {"description": REASONS[code],
                          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        if code == 405:
            out[str(code)]["headers"] = {"Allow": {"required": True, "schema": {"type": "string"}}}
    return out


def _read_only(schema: dict) -> dict:
    return {**schema, "readOnly": True}


def _document(doctype) -> dict:
    """A document as the API returns it: the fields the server sets (read-only) and the type's
    own fields (those hidden from the reader left out, so none of them is required)."""
    server = {
        "id": {"type": "integer"}, "number": {"type": "string"}, "title": {"type": "string"},
        "state": {"type": "string", "enum": service.states(doctype)},
        "version": {"type": "integer", "description": "Give it back when updating (lost-update check)"},
        "owner": {"type": "string", "nullable": True}, "department_id": {"type": "integer", "nullable": True},
        "created_at": {"type": "string", "nullable": True}, "updated_at": {"type": "string", "nullable": True}}
    return {"type": "object", "required": sorted(server),
            "properties": {name: _read_only(schema) for name, schema in server.items()},
            "additionalProperties": True}


def _list_parameters(doctype) -> list:
    return [
        {"name": "q", "in": "query", "schema": {"type": "string"},
         "description": "Words searched in the number, title and the type's search fields"},
        {"name": "state", "in": "query", "style": "form", "explode": True,
         "schema": {"type": "array", "items": {"type": "string", "enum": service.states(doctype)}}},
        {"name": "owner", "in": "query", "description": "me, or a user's id",
         "schema": {"anyOf": [{"type": "string", "enum": ["me"]},
                              {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}]}},
        {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}},
        {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}},
        {"name": "sort", "in": "query", "schema": {"type": "string", "enum": service.sort_keys(doctype)}},
        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": service.MAX_PAGE}},
        {"name": "size", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_SIZE}}]


def numeric_limits(model) -> dict:
    """{column name: the smallest value too large for it} of the model's fixed-point columns."""
    return {c.name: Decimal(10) ** (c.type.precision - (c.type.scale or 0))
            for c in model.__table__.columns if isinstance(c.type, Numeric) and c.type.precision}


def _bound(schema: dict, model):
    """Numbers of a request schema bounded by their columns (the API refuses larger ones)."""
    for name, limit in numeric_limits(model).items():
        limit = float(limit)
        prop = schema.get("properties", {}).get(name)
        if prop is not None and prop.get("type") == "number":
            prop["maximum"] = min(prop.get("maximum", limit), limit)
            prop["minimum"] = max(prop.get("minimum", -limit), -limit)
            prop["exclusiveMaximum"] = prop["maximum"] == limit
            prop["exclusiveMinimum"] = prop["minimum"] == -limit


def build(app) -> dict:
    spec = APISpec(title="Yinglong ERP API", version="1.0.0", openapi_version="3.0.3",
                   plugins=[MarshmallowPlugin()],
                   info={"description": "Documents of every enabled module. Authenticate with "
                                        "'Authorization: Bearer <token>' (created on your profile page)."})
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.components.schema("Error", ERROR)
    security = [{"bearer": []}]
    inputs = {}
    id_param = {"name": "doc_id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}}
    for code, doctype in sorted(app.extensions["erp"].doctypes.items()):
        name = _camel(code)
        base = f"/api/v1/{doctype.module}/{doctype.slug}"
        spec.components.schema(f"{name}Document", _document(doctype))
        doc_ref = {"$ref": f"#/components/schemas/{name}Document"}
        if doctype.schema is not None:
            spec.components.schema(f"{name}Input", schema=doctype.schema)
            input_ref = {"$ref": f"#/components/schemas/{name}Input"}
            inputs[name] = doctype
        else:
            input_ref = {"type": "object"}
        page = {"type": "object", "required": ["items", "page", "size", "has_next"],
                "properties": {"items": {"type": "array", "items": doc_ref},
                               "page": {"type": "integer"}, "size": {"type": "integer"},
                               "has_next": {"type": "boolean"}}}
        tag = str(doctype.label_plural)
        created = {"Location": {"required": True, "schema": {"type": "string"},
                                "description": "The URL of the new document"}}
        spec.path(path=base, operations={
            "get": {"tags": [tag], "summary": f"List {code}", "security": security,
                    "parameters": _list_parameters(doctype),
                    "responses": _responses(200, 400, 403, ok=page)},
            "post": {"tags": [tag], "summary": f"Create {code}", "security": security,
                     "requestBody": {"required": True, "content": {"application/json": {"schema": input_ref}}},
                     "responses": _responses(201, *WRITE, ok=doc_ref, ok_headers=created)},
        })
        update_body = {"$ref": f"#/components/schemas/{name}Update"}
        spec.path(path=base + "/{doc_id}", operations={
            "get": {"tags": [tag], "summary": f"Read {code}", "security": security, "parameters": [id_param],
                    "responses": _responses(200, 404, ok=doc_ref)},
            "put": {"tags": [tag], "summary": f"Replace {code}", "security": security, "parameters": [id_param],
                    "requestBody": {"required": True, "content": {"application/json": {"schema": update_body}}},
                    "responses": _responses(200, *WRITE, 404, 409, ok=doc_ref)},
            "patch": {"tags": [tag], "summary": f"Update {code}", "security": security, "parameters": [id_param],
                      "requestBody": {"required": True, "content": {"application/json": {"schema": update_body}}},
                      "responses": _responses(200, *WRITE, 404, 409, ok=doc_ref)},
        })
        if doctype.workflow is not None:
            spec.path(path=base + "/{doc_id}/transitions/{name}", operations={
                "post": {"tags": [tag], "summary": f"Perform a transition of {code}", "security": security,
                         "parameters": [id_param, {"name": "name", "in": "path", "required": True,
                                                   "schema": {"type": "string",
                                                              "enum": [t.name for t in doctype.workflow.transitions]}}],
                         "requestBody": {"required": False, "content": {"application/json": {"schema": {
                             "type": "object", "properties": {"comment": {"type": "string"},
                                                              "version": {"type": "integer"}}}}}},
                         "responses": _responses(200, *WRITE, 404, 409, ok=doc_ref)}})
        spec.path(path=base + "/{doc_id}/comments", operations={
            "post": {"tags": [tag], "summary": f"Comment on {code}, @mentioning colleagues", "security": security,
                     "parameters": [id_param],
                     "requestBody": {"required": True, "content": {"application/json": {"schema": {
                         "type": "object", "required": ["body"], "properties": {
                             "body": {"type": "string", "minLength": 1},
                             "mentions": {"type": "array", "items": {"type": "integer"}}}}}}},
                     "responses": _responses(201, *WRITE, 404, ok={"type": "object", "properties": {
                         "id": {"type": "integer"}, "body": {"type": "string"},
                         "mentions": {"type": "array", "items": {"type": "integer"}},
                         "told": {"type": "array", "items": {"type": "string"}},
                         "not_told": {"type": "array", "items": {"type": "string"}}}})}})
        spec.path(path=base + "/{doc_id}/follow", operations={
            "post": {"tags": [tag], "summary": f"Follow {code} (told of its transitions) or stop", "security": security,
                     "parameters": [id_param],
                     "requestBody": {"required": False, "content": {"application/json": {"schema": {
                         "type": "object", "properties": {"following": {"type": "boolean"}}}}}},
                     "responses": _responses(200, *WRITE, 404, ok={"type": "object", "properties": {
                         "following": {"type": "boolean"},
                         "followers": {"type": "array", "items": {"type": "string"}}}})}})
        spec.path(path=base + "/{doc_id}/history", operations={
            "get": {"tags": [tag], "summary": f"Audit history of {code}", "security": security,
                    "parameters": [id_param],
                    "responses": _responses(200, 404, ok={"type": "object", "required": ["items"], "properties": {
                        "items": {"type": "array", "items": {"type": "object"}}}})}})
    out = _numeric_bounds(spec.to_dict())
    schemas = out["components"]["schemas"]
    for name, doctype in inputs.items():
        body = schemas[f"{name}Input"]
        _bound(body, doctype.model)
        if doctype.lines and "$ref" in body.get("properties", {}).get(doctype.lines.attribute, {}).get("items", {}):
            _bound(schemas[body["properties"][doctype.lines.attribute]["items"]["$ref"].split("/")[-1]],
                   doctype.lines.model)
    for name in sorted(set(inputs) | {_camel(c) for c in app.extensions["erp"].doctypes}):
        # The input fields plus the version the client read (lost-update check).
        body = copy.deepcopy(schemas.get(f"{name}Input", {"type": "object", "properties": {}}))
        body.setdefault("properties", {})["version"] = {"type": "integer", "minimum": 1}
        body["required"] = sorted(set(body.get("required", [])) | {"version"})
        schemas[f"{name}Update"] = body
    return out


def _numeric_bounds(node):
    """apispec writes Decimal fields' bounds as strings ("0.00"); OpenAPI wants numbers."""
    if isinstance(node, dict):
        for key in ("minimum", "maximum"):
            if isinstance(node.get(key), str):
                node[key] = float(node[key])
        for value in node.values():
            _numeric_bounds(value)
    elif isinstance(node, list):
        for value in node:
            _numeric_bounds(value)
    return node
