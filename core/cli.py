"""The `erp` command: a Flask CLI group around core.create_app."""
import os
import sys

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from . import create_app


def _make_app():
    return create_app()


@click.group(cls=FlaskGroup, create_app=_make_app, add_version_option=False,
             help="Yinglong ERP: run, migrate, manage modules, users and the audit log.")
def cli():
    pass


# ---- database ---------------------------------------------------------------------------------
@cli.group()
def db():
    """Database migrations."""


def _company():
    """The company file checked before anything is written; its problem as the command's error."""
    from .org.company import CompanyFileError
    from .seed import company_data
    try:
        return company_data()
    except CompanyFileError as exc:
        raise click.ClickException(str(exc)) from None


def _seed(company) -> None:
    from .seed import seed_all
    for note in seed_all(company):
        click.echo(note, err=True)


@db.command("upgrade")
@with_appcontext
def db_upgrade():
    """Apply migrations: core, then each enabled module in dependency order; seed reference data."""
    from . import migrate
    company = _company()
    branches = migrate.upgrade()
    _seed(company)
    click.echo(f"Upgraded: {', '.join(branches)}")


@db.command("seed")
@with_appcontext
def db_seed():
    """Load the company file (ERP_COMPANY_FILE) and every module's reference data again."""
    company = _company()
    _seed(company)
    click.echo(f"Seeded {company.path}: {len(company.departments)} departments, "
               f"{len(company.positions)} positions, {len(company.roles)} roles.")


# ---- modules (lenient: works even when a dependency problem stops the app) ---------------------
@cli.group()
def modules():
    """List, enable and disable modules (takes effect at the next start)."""


def _lenient_app():
    return create_app({"ERP_MODULES_LENIENT": True})


@modules.command("list", with_appcontext=False)  # the strict app may not start
def modules_list():
    """Name, version, enabled or not and why, dependencies, providing package."""
    app = _lenient_app()
    rows = [(s.manifest.name, s.manifest.version, "yes" if s.enabled else "no",
             s.reason, ", ".join(s.manifest.depends) or "-", s.manifest.distribution or "-")
            for s in app.extensions["erp"].statuses]
    header = ("NAME", "VERSION", "ENABLED", "WHY", "DEPENDS", "PACKAGE")
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    for row in [header] + rows:
        click.echo("  ".join(str(v).ljust(w) for v, w in zip(row, widths)).rstrip())


def _switch(name: str, enable: bool):
    from . import switches
    app = _lenient_app()
    with app.app_context():
        try:
            if enable:
                turned_on = switches.enable(name)
                extra = [n for n in turned_on if n != name]
                if extra:
                    click.echo(f"Also enabled, because {name} needs them: {', '.join(extra)}")
                click.echo(f"Enabled {name}. Restart the application to apply.")
            else:
                switches.disable(name)
                click.echo(f"Disabled {name}; its data is kept. Restart the application to apply.")
        except switches.SwitchRefused as exc:
            raise click.ClickException(str(exc))
        off = app.config["ERP_MODULES"]
        if enable and off is not None and name not in off:
            click.echo(f"Note: ERP_MODULES does not list {name}, so it stays off in this deployment.")


@modules.command("enable", with_appcontext=False)
@click.argument("name")
def modules_enable(name):
    """Enable NAME and whatever it needs."""
    _switch(name, True)


@modules.command("disable", with_appcontext=False)
@click.argument("name")
def modules_disable(name):
    """Disable NAME (refused while enabled modules depend on it)."""
    _switch(name, False)


# ---- users ------------------------------------------------------------------------------------
@cli.group()
def users():
    """User accounts."""


@users.command("purge-sessions")
@click.option("--days", default=30, show_default=True, help="Keep sessions that ended or expired more recently.")
@with_appcontext
def users_purge_sessions(days):
    """Delete the records of sign-in sessions that ended or expired DAYS ago (cron-friendly)."""
    from datetime import timedelta
    from .auth import sessions
    from .extensions import db as database
    count = sessions.purge(timedelta(days=days))
    database.session.commit()
    click.echo(f"Deleted {count} ended or expired sessions older than {days} days.")


@users.command("create")
@click.option("--username", required=True)
@click.option("--role", "roles", multiple=True, required=True, help="Role code, e.g. ROLE-MKT-AM (repeatable).")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--full-name", default="")
@with_appcontext
def users_create(username, roles, password, full_name):
    """Create a user holding ROLE (prompts for the password when it is omitted)."""
    from sqlalchemy import select
    from .auth.models import Role, User
    from .extensions import db as database
    from .seed import create_user
    if database.session.scalar(select(User).where(User.username == username)):
        raise click.ClickException(f"user {username!r} already exists")
    known = set(database.session.scalars(select(Role.code)))
    unknown = [r for r in roles if r not in known]
    if unknown:
        raise click.ClickException(f"unknown role(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    from .auth.passwords import problems
    weak = problems(password, username, full_name)
    if weak:
        raise click.ClickException(str(weak[0]))
    create_user(username, password, roles, full_name)
    database.session.commit()
    click.echo(f"Created user {username} with roles {', '.join(roles)}")


# ---- audit ------------------------------------------------------------------------------------
@cli.group()
def audit():
    """The audit log."""


def _audit_broken(result):
    """Exit 1 saying where the chain breaks (a log.Verification that is not ok)."""
    entry = result.entry
    what = f" ({entry.action} {entry.model} {entry.record_id})" if entry is not None else ""
    click.echo(f"Audit log BROKEN at entry #{result.broken_at}{what}: {result.reason}. "
               f"{result.checked} entries before it are intact.", err=True)
    sys.exit(1)


@audit.command("verify")
@click.option("--since-checkpoint", "checkpoint_file", type=click.File("r"), metavar="FILE",
              help="Also check that the log still holds, unchanged, the entry this checkpoint signed "
                   "(detects entries removed from the end).")
@with_appcontext
def audit_verify(checkpoint_file):
    """Check the hash chain; exit 1 naming the first altered or removed entry."""
    from .audit.checkpoint import Checkpoint, CheckpointRefused
    from .audit.log import chain_key, verify
    from .extensions import db as database
    checkpoint = None
    if checkpoint_file is not None:
        try:
            checkpoint = Checkpoint.read(checkpoint_file.read(), chain_key())
        except CheckpointRefused as exc:
            raise click.ClickException(f"{checkpoint_file.name} is refused: {exc}.")
    result = verify(database.session, checkpoint)
    if not result.ok:
        _audit_broken(result)
    click.echo(f"Audit log intact: {result.checked} entries verified.")
    if checkpoint is not None:
        click.echo(f"It still holds entry #{checkpoint.entry_id} as signed by the checkpoint of {checkpoint.taken}.")


@audit.command("checkpoint")
@with_appcontext
def audit_checkpoint():
    """Verify the chain and print its head signed with the audit key (JSON).

    Keep the output where the database's users cannot change it (another machine, write-once
    storage), e.g. from cron: erp audit checkpoint > /backup/audit-$(date +%F).json
    """
    from .audit.checkpoint import Checkpoint
    from .audit.log import chain_key, verify
    from .extensions import db as database
    result = verify(database.session)
    if not result.ok:
        _audit_broken(result)  # signing the head of a broken chain would vouch for it
    click.echo(Checkpoint.of(result).signed(chain_key()), nl=False)


# ---- reminders --------------------------------------------------------------------------------
@cli.group()
def reminders():
    """Deadlines and reminders."""


@reminders.command("send")
@click.option("--now", "now_text", metavar="ISO", help="Run as of this time (e.g. 2026-11-27T08:00; "
              "Asia/Shanghai unless an offset is given). Default: now.")
@with_appcontext
def reminders_send(now_text):
    """Notify what is due and overdue; e-mail new notifications when SMTP is configured.

    Idempotent (each reminder is notified and e-mailed once): run it from cron, e.g. hourly.
    """
    from datetime import datetime
    from . import reminders as service
    moment = None
    if now_text:
        try:
            moment = datetime.fromisoformat(now_text.strip())
        except ValueError:
            raise click.BadParameter(f"{now_text!r} is not an ISO date-time such as 2026-11-27T08:00",
                                     param_hint="--now") from None
    result = service.send(moment)
    click.echo(f"{result.created} new notifications, {result.emails} e-mails sent")
    if not result.mail_configured:
        click.echo("E-mail is off: set ERP_SMTP_HOST to send notifications by e-mail.")
    for module, exc in result.failed_modules:
        click.echo(f"Reminders of module {module} failed: {exc.__class__.__name__}: {exc}", err=True)
    for error in result.mail_errors:
        click.echo(f"E-mail failed: {error}", err=True)
    if not result.ok:
        sys.exit(1)


# ---- what modules publish for partners ----------------------------------------------------------
@cli.command("references")
@click.argument("prefix", required=False, default="")
@with_appcontext
def references(prefix):
    """List the reference data modules publish (core.reference), e.g. `erp references sales.`."""
    for ref in current_app.extensions["erp"].references.values():
        if ref.name.startswith(prefix):
            value = ref.value
            shown = ", ".join(str(v[0]) for v in value) if isinstance(value, tuple) and all(
                isinstance(v, tuple) and v for v in value) else repr(value)
            click.echo(f"{ref.name}  v{ref.version}  {shown}")


@cli.command("new-module", with_appcontext=False)
@click.argument("name")
@click.option("--path", "folder", type=click.Path(file_okay=False), help="Folder to write (default ./erp-NAME).")
@click.option("--label", default="", help="The module's menu label (default: NAME capitalised).")
@click.option("--chinese", default="", help="The label in Chinese, e.g. 现场勘察 (else translate it in the catalog).")
def new_module(name, folder, label, chinese):
    """Write a working module package erp-NAME: entry point, manifest, hooks, a document type with
    a workflow, its first migration, its Chinese catalog and tests on core's harness."""
    from pathlib import Path
    from . import plugins, scaffold
    try:
        scaffold.check_name(name, set(plugins.discover()))
        target = Path(folder or f"erp-{name}")
        files = scaffold.write(name, target, label, chinese)
    except scaffold.ScaffoldRefused as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Wrote {len(files)} files into {target}/. Next:")
    for step in (f"pip install -e {target}", "erp db upgrade", f"pytest {target}", "erp run"):
        click.echo(f"  {step}")


@cli.command("translations", with_appcontext=False)  # works for a module that is off too
@click.argument("module")
@click.option("--check", is_flag=True, help="Only list the untranslated messages (exit 1 if any).")
def translations(module, check):
    """Extract MODULE's messages into its Chinese catalog, keep its translations, compile it.

    Fill the empty msgstr lines of <package>/translations/zh/LC_MESSAGES/messages.po, then run
    it again: the catalog is compiled (messages.mo) for the next start.
    """
    from . import plugins
    from .catalogs import build, catalog_path
    manifests = plugins.discover()
    if module not in manifests:
        raise click.ClickException(f"module {module!r} is not installed; `erp modules list` shows those that are")
    package = manifests[module].path
    missing = build(package, write=not check)
    if not check:
        click.echo(f"Wrote {catalog_path(package)} and its messages.mo.")
    if missing:
        click.echo(f"{len(missing)} messages of {module} have no Chinese yet:")
        for message in missing:
            click.echo(f"  {message}")
        if check:
            sys.exit(1)
    else:
        click.echo(f"Every message of {module} is translated.")


@cli.command("doctypes")
@click.argument("code", required=False, default="")
@with_appcontext
def doctypes(code):
    """List the document types, or show one's table, fields and workflow (for extensions)."""
    found = current_app.extensions["erp"].doctypes
    if not code:
        for doctype in found.values():
            click.echo(f"{doctype.code}  table {doctype.model.__tablename__}  {doctype.label}")
        return
    doctype = found.get(code)
    if doctype is None:
        raise click.ClickException(f"no enabled module declares document type {code!r}; "
                                   f"`erp doctypes` lists them")
    click.echo(f"{doctype.code}: {doctype.label} (table {doctype.model.__tablename__})")
    for f in doctype.fields:
        added = doctype.extension_of(f.name)
        origin = f"  [table {added.model.__tablename__}]" if added is not None else ""
        click.echo(f"  field {f.name}  {f.kind}{'  required' if f.required else ''}  {f.label}{origin}")
    if doctype.workflow is not None:
        for state, label in doctype.workflow.states.items():
            click.echo(f"  state {state}  {label}")
        for t in doctype.workflow.transitions:
            target = t.target or "(same state)"
            click.echo(f"  transition {t.name}: {', '.join(t.source)} -> {target}  {t.label}")


# ---- demo -------------------------------------------------------------------------------------
@cli.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Prepare the database and exit.")
@with_appcontext
def demo(host, port, no_serve):
    """Create (or update) the database with demo data and serve the application."""
    from . import migrate, seed
    app = current_app._get_current_object()
    company = _company()
    migrate.upgrade(app)
    _seed(company)
    accounts = seed.seed_demo_users(company)
    app.extensions["erp"].pm.hook.erp_demo_data(app=app)
    from .extensions import db as database
    database.session.commit()
    click.echo(f"Database: {app.config['SQLALCHEMY_DATABASE_URI']}")
    click.echo(f"Modules: {', '.join(app.extensions['erp'].enabled) or '(none)'}")
    click.echo("Demo users (username / role / password):")
    for username, role, password in accounts:
        click.echo(f"  {username:<10} {role:<14} {password}")
    if no_serve:
        return
    click.echo(f"Serving on http://{host}:{port}/")
    # Flask ignores app.run() inside its own CLI; serve with Werkzeug directly.
    from werkzeug.serving import run_simple
    run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)


def main():
    # demo and run serve plain HTTP on loopback: the session cookie cannot be Secure there.
    if len(sys.argv) > 1 and sys.argv[1] in ("demo", "run"):
        os.environ.setdefault("ERP_COOKIE_SECURE", "0")
    cli(prog_name="erp")
