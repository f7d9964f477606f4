"""The core hooks: the contract a module (built-in or a partner's) codes against.

A module implements hooks in its ``hooks.py`` (and in the parts its manifest lists)::

    from core.hookspecs import hookimpl

    @hookimpl
    def erp_permissions():
        return [Permission("hello.view", "View greetings")]

Declaration hooks return lists; core applies them. Event hooks return nothing. Every hook, these
and those a module declares in its own ``hookspecs.py``, is listed with its signature in
``docs/plugins.md`` and has a test named ``test_hook_<name>`` (``tests/core/test_hooks.py`` checks).
"""
import pluggy

PROJECT = "erp"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def erp_models():
    """Return the model classes the module owns.

    Core uses them to check that the module's migrations match its models and to list them in
    the audit viewer. Models are audited automatically; nothing else is needed.

    Example::

        @hookimpl
        def erp_models():
            from .models import Greeting
            return [Greeting]
    """


@hookspec
def erp_blueprints():
    """Return Flask blueprints; core mounts each at ``/<module name>``.

    Example::

        @hookimpl
        def erp_blueprints():
            from .views import bp
            return [bp]
    """


@hookspec
def erp_menu_items():
    """Return :class:`core.menu.MenuItem` declarations for the sidebar.

    Items are shown grouped by section only to users holding ``permission``.

    Example::

        @hookimpl
        def erp_menu_items():
            return [MenuItem("hello", _l("Greetings"), "hello.index", "hello.view", order=10)]
    """


@hookspec
def erp_permissions():
    """Return :class:`core.auth.permissions.Permission` declarations (code, label).

    Codes are ``<module>.<object>.<action>``; a code declared twice by two modules stops start-up
    naming both modules.

    Example::

        @hookimpl
        def erp_permissions():
            return [Permission("hello.view", _l("View greetings"))]
    """


@hookspec
def erp_roles():
    """Return :class:`core.auth.permissions.RoleTemplate` items: permissions granted by default.

    A template naming one of the company's roles (``ROLE-MKT-AM``, from the company file) adds
    permissions to it; a new code with a ``name`` creates the module's own role; a template
    naming a role that neither defines is reported by seeding and not applied. Seeding adds
    missing grants and never removes what the admin changed.

    Example::

        @hookimpl
        def erp_roles():
            return [RoleTemplate("ROLE-GM", permissions=["hello.view"])]
    """


@hookspec
def erp_cli_commands():
    """Return click commands; core mounts them under ``erp <module> ...``.

    Example::

        @hookimpl
        def erp_cli_commands():
            @click.command("greet")
            def greet():
                click.echo("hello")
            return [greet]
    """


@hookspec
def erp_seed_data(app):
    """Insert idempotent reference data (run by ``erp db upgrade`` and ``erp demo``).

    Example::

        @hookimpl
        def erp_seed_data(app):
            if not db.session.scalar(select(Greeting).limit(1)):
                db.session.add(Greeting(text="你好"))
    """


@hookspec
def erp_demo_data(app):
    """Insert realistic demo records (``erp demo``); must be safe to run twice.

    Example::

        @hookimpl
        def erp_demo_data(app):
            ensure_greeting("欢迎使用")
    """


@hookspec
def erp_dashboard_widgets(user):
    """Return :class:`core.dashboard.Widget` items for ``user``'s dashboard.

    Example::

        @hookimpl
        def erp_dashboard_widgets(user):
            if user.can("hello.view"):
                return [Widget(_l("Greetings"), body=f"{count} greetings", order=50)]
    """


@hookspec
def erp_audit_recorded(entry):
    """Called after an audit entry is written, inside the same transaction.

    ``entry`` is a plain dict (action, model, record_id, changes, user_id). Must not write to
    audited tables.

    Example::

        @hookimpl
        def erp_audit_recorded(entry):
            if entry["model"] == "user":
                notify_security_team(entry)
    """


@hookspec
def erp_document_types():
    """Return :class:`core.documents.DocType` declarations.

    Core registers each type's permissions (``<code>.read``, ``.create``, ``.edit``, ``.export``,
    ``.import``, ``.read_department``, ``.read_all`` and one per workflow transition), a menu
    entry, and its pages at ``/<module>/<slug>/`` and API at ``/api/v1/<module>/<slug>``.

    Example::

        @hookimpl
        def erp_document_types():
            from .documents import VISIT_LOG
            return [VISIT_LOG]
    """


@hookspec
def erp_document_extensions():
    """Return :class:`core.documents.extensions.Extension` declarations: fields, workflow
    conditions and actions added to another module's document type (name that module in your
    manifest's ``depends``). The fields are kept in your own table, one row per document, and
    show in that type's form, detail, print, filters, export, import and API while your module
    is on.

    Example::

        @hookimpl
        def erp_document_extensions():
            from .models import CustomerSector, SECTOR_FIELDS
            return [Extension("sales.customer", CustomerSector, SECTOR_FIELDS)]
    """


@hookspec
def erp_references():
    """Return :class:`core.reference.Reference` items: public constants other modules read by
    name (``core.reference.reference("sales.industries")``) instead of importing or copying
    them. Document types' states and choice fields are published without this hook
    (``sales.opportunity.states``, ``sales.customer.industry``).

    Example::

        @hookimpl
        def erp_references():
            return [Reference("sales.industries", tuple(INDUSTRIES), version=1,
                              description="customer industry codes and labels")]
    """


@hookspec
def erp_validate_transition(document, transition, user):
    """Return a list of :class:`core.workflow.Issue` objecting to ``transition`` (or ``[]``).

    Called before every workflow transition of every document type; any blocking issue stops
    it and is shown to the user. This is how a plugin adds a rule to another module's form.

    Example::

        @hookimpl
        def erp_validate_transition(document, transition, user):
            if transition.name == "submit" and getattr(document, "amount", 0) > 10_000_000:
                return [Issue("金额超过一千万元，须先电话告知总经理", field="amount")]
            return []
    """


@hookspec
def erp_transition_done(document, transition, user, comment):
    """Called after a transition, in the same transaction, before it commits. ``comment`` is what
    the person acting wrote (empty if nothing); an implementation may leave it out of its
    parameters. Core's own implementation tells the document's followers.

    Example::

        @hookimpl
        def erp_transition_done(document, transition, user):
            if document.__doctype__.code == "sales.contract" and transition.name == "sign":
                notify_engineering(document)
    """


@hookspec
def erp_settings():
    """Return :class:`core.settings.Setting` declarations: the module's typed parameters.

    ``Setting(key, type, default, label, help="", choices=None, min=None, max=None)`` with type
    ``int``, ``decimal``, ``bool``, ``str``, ``choice``, ``time`` (HH:MM), ``date`` or ``list``.
    The administrator edits them on the *System parameters* page (every change audited); code reads
    them with ``core.settings.get(key)``. A key declared by two modules stops start-up naming both.

    Example::

        @hookimpl
        def erp_settings():
            return [Setting("sales.min_profit_margin_pct", "decimal", "5",
                            _l("Minimum profit margin (%)"), min=0, max=100)]
    """


@hookspec
def erp_reminders(now):
    """Return the :class:`core.reminders.Reminder` items pending at ``now`` (an aware datetime).

    ``Reminder(key, user_id, title, due_at, url="", overdue_after=None, kind="deadline", body="")``:
    something ``user_id`` must do by ``due_at`` (``kind="info"``: something to know from
    ``due_at`` on). ``key`` names the obligation and its period for good
    (``"sales.visit_log:2026-11-27:user:5"``): a user is notified of a key once. Return only what
    is still to do; core shows each user's items due soon and overdue on the dashboard and the
    ``/notifications`` page, and ``erp reminders send`` (cron) puts them in the user's inbox and
    e-mails them. Compute due dates with the cadence helpers of :mod:`core.reminders`
    (``daily_before_end_of_work``, ``weekly_before_meeting``, ``month_end``, ``quarter_end``,
    ``half_year_end``), which follow the working calendar. Called for all users at once: query
    set-wise, not per user.

    Example::

        @hookimpl
        def erp_reminders(now):
            due = daily_before_end_of_work(now)
            return [Reminder(f"sales.visit_log:{due.date()}:user:{uid}", uid, _("Write today's visit log"),
                             due, url=url_for("sales.visit_log_new"))
                    for uid in account_managers_without_visit_log(due.date())]
    """


@hookspec
def erp_scheduled(now):
    """Create what your module's cadences create by themselves at ``now`` (an aware datetime):
    the day's draft, the week's pre-filled summary, the period's report. ``erp reminders send``
    (cron, e.g. hourly) calls it before it collects the reminders, so what you create is reminded
    of at once. Be idempotent (the run repeats; create only what is missing) and follow the
    working calendar. No one is signed in: write each person's part inside
    ``core.reminders.acting_for(user)``, which makes him the owner and the audit log's actor and
    commits it. Core commits the rest; a failing job is rolled back and reported by the command.

    Example::

        @hookimpl
        def erp_scheduled(now):
            day = now.astimezone(calendar.timezone()).date()
            if calendar.is_working_day(day):
                for user in people_without_a_greeting(day):
                    with acting_for(user):
                        db.session.add(Greeting(owner_id=user.id, day=day))
    """


@hookspec
def erp_party_access(user):
    """Return :class:`core.parties.ProfileAccess` items: which parties your profile covers and which
    of those ``user`` may see and edit, as SQL expressions on :class:`core.parties.Party`.

    A party's visibility follows the profiles that use it. A party no module's profile covers is
    shared master data (``core.parties.view`` sees it, ``core.parties.manage`` edits it); one that
    profiles cover is seen or edited by the users one of its profiles admits (who also hold the
    core permission). Core compiles the expressions into every party query (list, detail, edit,
    contacts): write them as correlated EXISTS on an indexed column of your profile table, so that
    lists stay fast at 100,000 parties. ``readable`` and ``editable`` must imply ``profiled``.

    Example::

        @hookimpl
        def erp_party_access(user):
            profile = select(Supplier.id).where(Supplier.party_id == Party.id)
            mine = profile.where(Supplier.buyer_id == user.id).exists()
            everyone = profile.exists() if user.can("procurement.supplier.read_all") else mine
            return [ProfileAccess(profiled=profile.exists(), readable=everyone, editable=mine)]
    """


@hookspec
def erp_rules():
    """Return :class:`core.rules.Rule` declarations: the regulations the module enforces.

    ``Rule(code, text_zh, text_en, kind, params=())``: ``kind`` is ``block``, ``warn``,
    ``approval``, ``deadline`` or ``penalty``; ``params`` are the keys of the settings that
    parametrise the rule (declared with ``erp_settings()``, by any enabled module). The
    administrator's page 规章制度 (``/admin/rules``) lists the rules of the enabled modules with
    their parameters' values and their refusals and violations per month. Name the rule on the
    objections that apply it, ``Issue(message, field=..., code="R-S-010")``: the workflow engine
    records a transition refused by coded issues, or done over coded warnings, as a violation;
    record a missed deadline with ``core.rules.record_violation(code, "deadline_missed",
    user_id=..., document=...)``. A code declared by two modules, an unknown kind or a parameter
    no enabled module declares stops start-up naming the module.

    Example::

        @hookimpl
        def erp_rules():
            return [Rule("R-S-010", "利润低于5%的工程原则上不接",
                         "As a rule, projects with a profit below 5 % are not accepted.", "approval",
                         params=("sales.min_profit_margin_pct",))]
    """


@hookspec
def erp_user_deactivation_blockers(user):
    """Return sentences (str) saying why ``user``'s account cannot be deactivated yet, or ``[]``.

    Core asks every module before it deactivates an account (the administrator's user page, the
    ``erp users deactivate`` command) and refuses while any sentence comes back, showing them all:
    the records the person is responsible for go to someone else first (R-S-035: a salesperson's
    customers and open opportunities, through the 客户交接清单). Count set-wise; do not change
    anything here.

    Example::

        @hookimpl
        def erp_user_deactivation_blockers(user):
            count = db.session.scalar(select(func.count(Greeting.id)).where(Greeting.owner_id == user.id))
            return [_("%(count)s greetings are still his: hand them over first.", count=count)] if count else []
    """
