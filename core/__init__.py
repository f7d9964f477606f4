"""Yinglong ERP core: the app factory.

create_app(config) -> configuration -> extensions -> modules (discovered, resolved, their hooks
registered) -> declarations applied (blueprints, permissions, menus, CLI commands).
"""
from __future__ import annotations

import functools
import logging
import os
from dataclasses import dataclass, field

from flask import Flask, g, jsonify, request
from sqlalchemy import create_engine, inspect as sa_inspect, text

from . import config as config_loader
from .app import Caches, ErpApp
from . import plugins
from .extensions import babel, commit_reads, csrf, db, login_manager

log = logging.getLogger(__name__)
CORE = "core"


@dataclass
class Erp:
    """Everything create_app resolved about modules; stored as app.extensions['erp']."""
    pm: object
    statuses: list
    manifests: dict
    permissions: dict = field(default_factory=dict)   # code -> (module, label)
    roles: list = field(default_factory=list)         # (module, RoleTemplate)
    menu_items: list = field(default_factory=list)
    models: dict = field(default_factory=dict)        # module -> [model classes]
    settings: dict = field(default_factory=dict)      # key -> (module, core.settings.Setting)
    rules: dict = field(default_factory=dict)         # code -> (module, core.rules.Rule)
    doctypes: dict = field(default_factory=dict)      # code -> DocType
    doctype_by_model: dict = field(default_factory=dict)  # model class -> DocType
    extension_models: set = field(default_factory=set)    # tables of other modules' extension fields
    references: dict = field(default_factory=dict)        # name -> core.reference.Reference
    broken: dict = field(default_factory=dict)        # name -> ModuleError: installed, its manifest fails to load
    pending: list | None = None                       # branches not applied (core.maintenance); None: not read yet
    caches: Caches = field(default_factory=Caches)  # what requests reuse; see core.app

    @property
    def enabled(self) -> list[str]:
        return [s.manifest.name for s in self.statuses if s.enabled]

    @property
    def section_order(self) -> list[str]:
        enabled = self.enabled
        modules = sorted(enabled, key=lambda n: (self.manifests[n].sequence, enabled.index(n)))
        return modules + ["masterdata", CORE]

    def section_label(self, name: str):
        from flask_babel import gettext
        if name == CORE:
            return gettext("System")
        if name == "masterdata":
            return gettext("Master data")
        label = self.manifests[name].label
        return self.manifest_text(name, label) if label else name

    def manifest_text(self, name: str, message: str) -> str:
        """A string of module `name`'s manifest (N_-marked) in the user's language: from the
        module's own catalog (another module may translate the same words otherwise), else the
        loaded ones."""
        from flask_babel import get_locale, gettext
        if not message:
            return ""
        if name in self.manifests:
            own = _module_catalog(self.manifests[name], str(get_locale() or "zh_CN")).gettext(message)
            if own != message:
                return own
        return gettext(message)

    def module_description(self, name: str) -> str:
        return self.manifest_text(name, self.manifests[name].description) if name in self.manifests else ""


@functools.cache
def _module_catalog(manifest, locale: str):
    from babel.support import NullTranslations, Translations
    try:
        path = manifest.path / "translations"
    except (AttributeError, ModuleNotFoundError):
        return NullTranslations()
    return Translations.load(str(path), [locale]) if path.is_dir() else NullTranslations()


def freeze_startup_objects() -> None:
    """Call once per server process, after create_app (core.wsgi does): moves everything built at
    start-up (mappers, routes, compiled templates, catalogs, module declarations) out of the
    garbage collector's reach. A worker otherwise re-scans that whole heap in every full
    collection, which requests trigger every few dozen pages (measured: +30% requests per second
    on the list page, p99 74 -> 15 ms). With gunicorn --preload it also keeps those pages shared
    between workers instead of copied when the collector touches them."""
    import gc
    gc.collect()
    gc.freeze()


def _module_switches(uri: str, options: dict | None = None) -> dict[str, bool]:
    """The admin's switches from the module_state table; none yet on a fresh database.

    Connects with the app's engine options (e.g. a PostgreSQL search_path) so the switches are
    read from the same schema the app writes them to.
    """
    engine = create_engine(uri, **(options or {}))
    try:
        with engine.connect() as conn:
            if not sa_inspect(conn).has_table("module_state"):
                return {}
            rows = conn.execute(text("SELECT name, enabled FROM module_state")).all()
            return {name: bool(enabled) for name, enabled in rows}
    except Exception as exc:  # database not reachable yet: every module wanted
        log.warning("cannot read module switches: %s", exc)
        return {}
    finally:
        engine.dispose()


def create_app(config: dict | None = None) -> Flask:
    # The instance folder holds the SQLite database, the generated keys and the demo passwords.
    app = ErpApp(__name__, instance_relative_config=True, instance_path=os.environ.get("ERP_INSTANCE_PATH") or None)
    app.config.update(config_loader.load(app.instance_path, config))
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        os.makedirs(app.instance_path, exist_ok=True)

    from . import models  # noqa: F401  core's tables first: module models refer to users and departments
    broken: dict = {}
    manifests = app.config.get("ERP_MANIFESTS") or plugins.discover(broken)
    switches = _module_switches(app.config["SQLALCHEMY_DATABASE_URI"],
                                app.config.get("SQLALCHEMY_ENGINE_OPTIONS"))
    strict = not app.config.get("ERP_MODULES_LENIENT", False)
    allowed = app.config["ERP_MODULES"]
    for name, error in broken.items():
        # A broken plugin stops the app unless it is left out or switched off (which works on it).
        if strict and (allowed is None or name in allowed) and switches.get(name, True):
            raise error
    if allowed is not None:
        allowed = [name for name in allowed if name not in broken]
    statuses = plugins.resolve(manifests, allowed, switches, strict=strict)
    pm = plugins.make_plugin_manager(statuses, strict=strict)
    if app.config["ERP_TRACE_HOOKS"]:
        if not app.logger.level:  # the app logger shows warnings only unless told otherwise
            app.logger.setLevel(logging.INFO)
        plugins.trace_hooks(pm, app.logger)
    from . import hooks as core_hooks
    pm.register(core_hooks, name=CORE)
    erp = Erp(pm=pm, statuses=statuses, manifests=manifests, broken=broken)
    app.extensions["erp"] = erp

    _init_extensions(app)
    _apply_declarations(app, erp)
    _register_core_views(app)
    return app


class RecordId(__import__("werkzeug.routing", fromlist=["IntegerConverter"]).IntegerConverter):
    """<id:doc_id>: a positive integer that fits a database integer column (else 404, not 500)."""
    def __init__(self, map, **kwargs):
        super().__init__(map, min=1, max=2**31 - 1)


# Pages load scripts, styles and images from this site only (assets are served locally, never
# from a CDN); inline styles stay allowed for print layouts and widths, inline scripts do not.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' data:; font-src 'self' data:; object-src 'none'; base-uri 'self'; "
                           "form-action 'self'; frame-ancestors 'self'")


def _init_extensions(app: Flask) -> None:
    from .audit import log as audit_log
    app.url_map.converters["id"] = RecordId
    from .i18n import select_locale, select_timezone, translation_directories
    db.init_app(app)
    commit_reads(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    from .auth.models import AnonymousUser
    login_manager.anonymous_user = AnonymousUser
    login_manager.login_message = None
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(translation_directories(app))
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", app.config["ERP_TIMEZONE"])
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    audit_log.install()
    from .auth import access, sessions
    access.install()
    sessions.install()
    from . import maintenance
    maintenance.install(app)  # before anything a request does with the database

    @app.before_request
    def _request_id():
        g.request_id = audit_log.new_request_id()
        from flask_login import current_user
        if request.blueprint == "api" and "Authorization" in request.headers:
            from .api.views import authenticate_bearer
            authenticate_bearer()
        current_user._get_current_object()  # resolve the user (session or token) before any write
        # PostgreSQL cannot store or compare text with NUL characters: refuse them at the door.
        if any("\x00" in v for v in request.args.values()) or (
                request.method == "POST" and request.form and any("\x00" in v for v in request.form.values())):
            from werkzeug.exceptions import BadRequest
            raise BadRequest("NUL characters are not accepted")

    hsts = app.config["SESSION_COOKIE_SECURE"]

    @app.after_request
    def _headers(response):
        headers = response.headers
        headers.setdefault("X-Request-ID", g.get("request_id", ""))
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("Referrer-Policy", "same-origin")
        if hsts:  # cookies only over HTTPS: the site is served over HTTPS, say so to browsers
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response


def _apply_declarations(app: Flask, erp: Erp) -> None:
    import click
    pm = erp.pm
    for module, doctype in plugins.collect(pm, "erp_document_types", lambda d: d.code, "document type"):
        if doctype.module != module:
            raise plugins.ModuleError(
                f"module {module!r} declares document type {doctype.code!r} outside its own name")
        doctype.model._declared_doctype = doctype
        erp.doctypes[doctype.code] = doctype
    from .documents import extensions
    extensions.apply(erp, plugins.collect(pm, "erp_document_extensions", lambda e: object(), "extension"))
    erp.doctype_by_model = {d.model: d for d in erp.doctypes.values()}
    from . import reference
    reference.register_declarations(erp)
    for module, perm in plugins.collect(pm, "erp_permissions", lambda p: p.code, "permission"):
        erp.permissions[perm.code] = (module, perm.label)
    for doctype in erp.doctypes.values():
        for perm in doctype.permissions():
            if perm.code in erp.permissions:
                raise plugins.ModuleError(f"permission {perm.code!r} is declared twice by module {doctype.module!r}")
            erp.permissions[perm.code] = (doctype.module, perm.label)
    erp.roles = list(plugins.collect(pm, "erp_roles", lambda r: object(), "role"))
    erp.menu_items = [item for _, item in plugins.collect(
        pm, "erp_menu_items", lambda i: i.endpoint, "menu endpoint")]
    for module, model in plugins.collect(pm, "erp_models", lambda m: m.__tablename__, "table"):
        erp.models.setdefault(module, []).append(model)
    from . import settings as erp_settings
    erp_settings.register_declarations(erp)
    from . import rules
    rules.register_declarations(erp)
    for module, bp in plugins.collect(pm, "erp_blueprints", lambda b: b.name, "blueprint"):
        prefix = None if module == CORE else f"/{module}"
        app.register_blueprint(bp, url_prefix=bp.url_prefix or prefix)
    groups: dict[str, click.Group] = {}
    for module, command in plugins.collect(
            pm, "erp_cli_commands", lambda c: object(), "command"):
        if module not in groups:
            groups[module] = click.Group(module, help=f"Commands of module {module}.")
            app.cli.add_command(groups[module])
        groups[module].add_command(command)
    from .documents.views import register_doctype
    from .menu import MenuItem
    for doctype in erp.doctypes.values():
        register_doctype(app, doctype)
        if doctype.menu:
            readers = tuple(doctype.permission(a) for a in ("read", "read_department", "read_all"))
            erp.menu_items.append(MenuItem(doctype.module, doctype.label_plural,
                                           f"{doctype.endpoint_prefix}_list", readers, doctype.menu_order))
    for item in erp.menu_items:
        codes = (item.permission,) if isinstance(item.permission, str) else (item.permission or ())
        if any(code not in erp.permissions for code in codes):
            raise plugins.ModuleError(
                f"menu item {item.endpoint!r} needs permission {item.permission!r}, which no module declares")


def _register_core_views(app: Flask) -> None:
    from . import errors
    from .i18n import inject_i18n, template_gettext
    from .auth.csrf import csrf_token
    from .menu import sidebar
    errors.register(app)

    @app.context_processor
    def _layout():
        from flask_login import current_user
        return {"sidebar": lambda here: sidebar(current_user, here), "csrf_token": csrf_token,
                "erp": app.extensions["erp"], **inject_i18n(), **template_gettext()}

    from .documents.formatting import file_size
    app.add_template_filter(file_size, "filesize")

    @app.get("/favicon.ico")
    def favicon():  # browsers ask for it before reading the page's <link rel="icon">
        return app.send_static_file("favicon.svg")

    @app.get("/healthz")
    def healthz():
        try:
            db.session.execute(text("SELECT 1"))
            database = "ok"
        except Exception as exc:  # report, don't crash: load balancers read this
            database = f"error: {exc.__class__.__name__}"
        status = 200 if database == "ok" else 503
        return jsonify(status="ok" if status == 200 else "degraded", database=database,
                       modules=app.extensions["erp"].enabled), status
