"""The OpenAPI 3 description of /api/v1, generated from the declared document types."""
import copy

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin


def _camel(code: str) -> str:
    return "".join(part.capitalize() for part in code.replace(".", "_").split("_"))


ERROR = {"type": "object", "required": ["error", "status"],
         "properties": {"error": {"type": "string"}, "status": {"type": "integer"},
                        "fields": {"type": "object", "additionalProperties": True}}}


def _responses(*codes, ok=None):
    out = {}
    for code in codes:
        if code in (200, 201):
            out[str(code)] = {"description": "OK", "content": {"application/json": {"schema": ok}}}
        else:
            out[str(code)] = {"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    return out


def build(app) -> dict:
    spec = APISpec(title="Yinglong ERP API", version="1.0.0", openapi_version="3.0.3",
                   plugins=[MarshmallowPlugin()],
                   info={"description": "Documents of every enabled module. Authenticate with "
                                        "'Authorization: Bearer <token>' (created on your profile page)."})
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.components.schema("Error", ERROR)
    security = [{"bearer": []}]
    updates = []
    id_param = {"name": "doc_id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}}
    for code, doctype in sorted(app.extensions["erp"].doctypes.items()):
        name = _camel(code)
        base = f"/api/v1/{doctype.module}/{doctype.slug}"
        document = {"type": "object", "properties": {
            "id": {"type": "integer"}, "number": {"type": "string"}, "title": {"type": "string"},
            "state": {"type": "string", "enum": list(doctype.workflow.states) if doctype.workflow else []},
            "version": {"type": "integer"}}, "additionalProperties": True}
        spec.components.schema(f"{name}Document", document)
        doc_ref = {"$ref": f"#/components/schemas/{name}Document"}
        if doctype.schema is not None:
            spec.components.schema(f"{name}Input", schema=doctype.schema)
            input_ref = {"$ref": f"#/components/schemas/{name}Input"}
        else:
            input_ref = {"type": "object"}
        page = {"type": "object", "properties": {"items": {"type": "array", "items": doc_ref},
                                                  "page": {"type": "integer"}, "size": {"type": "integer"},
                                                  "has_next": {"type": "boolean"}}}
        tag = str(doctype.label_plural)
        spec.path(path=base, operations={
            "get": {"tags": [tag], "summary": f"List {code}", "security": security,
                    "parameters": [
                        {"name": "q", "in": "query", "schema": {"type": "string"}},
                        {"name": "state", "in": "query", "schema": {"type": "string"}},
                        {"name": "owner", "in": "query", "schema": {"type": "string"}},
                        {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}},
                        {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}},
                        {"name": "sort", "in": "query", "schema": {"type": "string"}},
                        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}},
                        {"name": "size", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200}}],
                    "responses": _responses(200, 400, 401, 403, ok=page)},  # 400: sorted by a hidden field
            "post": {"tags": [tag], "summary": f"Create {code}", "security": security,
                     "requestBody": {"required": True, "content": {"application/json": {"schema": input_ref}}},
                     "responses": _responses(201, 400, 401, 403, 422, ok=doc_ref)},
        })
        update_body = {"$ref": f"#/components/schemas/{name}Update"}
        updates.append(name)
        spec.path(path=base + "/{doc_id}", operations={
            "get": {"tags": [tag], "summary": f"Read {code}", "security": security, "parameters": [id_param],
                    "responses": _responses(200, 401, 404, ok=doc_ref)},
            "put": {"tags": [tag], "summary": f"Replace {code}", "security": security, "parameters": [id_param],
                    "requestBody": {"required": True, "content": {"application/json": {"schema": update_body}}},
                    "responses": _responses(200, 400, 401, 403, 404, 409, 422, ok=doc_ref)},
            "patch": {"tags": [tag], "summary": f"Update {code}", "security": security, "parameters": [id_param],
                      "requestBody": {"required": True, "content": {"application/json": {"schema": update_body}}},
                      "responses": _responses(200, 400, 401, 403, 404, 409, 422, ok=doc_ref)},
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
                         "responses": _responses(200, 400, 401, 404, 409, 422, ok=doc_ref)}})
        spec.path(path=base + "/{doc_id}/history", operations={
            "get": {"tags": [tag], "summary": f"Audit history of {code}", "security": security,
                    "parameters": [id_param],
                    "responses": _responses(200, 401, 404, ok={"type": "object", "properties": {
                        "items": {"type": "array", "items": {"type": "object"}}}})}})
    out = spec.to_dict()
    schemas = out["components"]["schemas"]
    for name in updates:  # the input fields plus the version the client read (lost-update check)
        body = copy.deepcopy(schemas.get(f"{name}Input", {"type": "object", "properties": {}}))
        body.setdefault("properties", {})["version"] = {"type": "integer", "minimum": 1}
        body["required"] = sorted(set(body.get("required", [])) | {"version"})
        schemas[f"{name}Update"] = body
    return _numeric_bounds(out)


def _numeric_bounds(node):
    """apispec writes Decimal fields' bounds as strings ("0.00"); OpenAPI wants numbers."""
    if isinstance(node, dict):
        for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            if isinstance(node.get(key), str):
                node[key] = float(node[key])
        for value in node.values():
            _numeric_bounds(value)
    elif isinstance(node, list):
        for value in node:
            _numeric_bounds(value)
    return node
