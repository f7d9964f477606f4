"""Core's own declarations, made through the same hooks a module uses."""
from flask_babel import lazy_gettext as _l

from .auth.permissions import Permission
from .hookspecs import hookimpl
from .dashboard import Widget
from .menu import MASTER_DATA, MenuItem
from .roles import admin_role_template

PERMISSIONS = [
    Permission("core.users.manage", _l("Manage users")),
    Permission("core.roles.manage", _l("Manage roles and permissions")),
    Permission("core.modules.manage", _l("Enable and disable modules")),
    Permission("core.audit.view", _l("View the audit log")),
    Permission("core.settings.manage", _l("Edit system parameters")),
    Permission("core.calendar.manage", _l("Maintain the working calendar")),
    Permission("core.parties.view", _l("View parties (customers, suppliers, teams...)")),
    Permission("core.parties.manage", _l("Create and edit parties and their contacts")),
    Permission("core.rules.view", _l("View the regulations and their violations")),
    Permission("core.rules.waive", _l("Waive rule violations")),
]

@hookimpl
def erp_permissions():
    return PERMISSIONS


@hookimpl
def erp_roles():
    # The company's roles get core's permissions from the company file (core/org/company.toml).
    return [admin_role_template(p.code for p in PERMISSIONS)]


@hookimpl
def erp_models():
    from .models import CORE_MODELS
    return CORE_MODELS


@hookimpl
def erp_blueprints():
    from .admin.views import bp as admin_bp
    from .auth.views import bp as auth_bp
    from .dashboard import bp as dashboard_bp
    from .calendar import bp as calendar_bp
    from .settings import bp as settings_bp
    from .parties.views import bp as parties_bp
    from .workflow.views import bp as workflow_bp
    from .api.views import api, tokens
    from .reminders.views import bp as reminders_bp
    from .rules.views import bp as rules_bp
    return [auth_bp, dashboard_bp, admin_bp, settings_bp, calendar_bp, parties_bp, workflow_bp, api, tokens,
            reminders_bp, rules_bp]


@hookimpl
def erp_menu_items():
    return [
        MenuItem(MASTER_DATA, _l("Parties"), "parties.index", "core.parties.view", 5, "building"),
        MenuItem("core", _l("Users"), "admin.users", "core.users.manage", 10, "people"),
        MenuItem("core", _l("Roles"), "admin.roles", "core.roles.manage", 20, "shield-lock"),
        MenuItem("core", _l("Modules"), "admin.modules", "core.modules.manage", 30, "puzzle"),
        MenuItem("core", _l("Audit log"), "admin.audit_log", "core.audit.view", 40, "journal-text"),
        MenuItem("core", _l("System parameters"), "admin_settings.index", "core.settings.manage", 50, "sliders"),
        MenuItem("core", _l("Regulations"), "admin_rules.index", "core.rules.view", 55, "book"),
        MenuItem("core", _l("Working calendar"), "admin_calendar.index", "core.calendar.manage", 60, "calendar3"),
    ]


@hookimpl
def erp_settings():
    from .settings import Setting
    return [
        Setting("core.company_name", "str", "天盈隆数码技术(深圳)有限公司", _l("Company name"),
                _l("Printed on forms and reports."), min=1, max=200),
        Setting("core.workday_end_time", "time", "18:00", _l("End of the working day"),
                _l("Deadlines \"before leaving work\" (下班前) fall at this time."), min="06:00", max="23:59"),
        Setting("core.immediate_deadline_hours", "int", 24, _l("Deadline for immediate submissions (hours)"),
                _l("Documents due \"immediately\" (即时) are late after this many hours."), min=1, max=720),
        Setting("core.deadline_roll", "choice", "previous_working_day",
                _l("A deadline on a non-working day moves to"),
                choices=[("previous_working_day", _l("the previous working day")),
                         ("next_working_day", _l("the next working day"))]),
        Setting("core.deputy_inherits_manager_rights", "bool", True,
                _l("Deputies approve like their manager"),
                _l("A deputy manager (副经理) may approve whatever the manager may approve.")),
        Setting("core.reminder_lead_days", "int", 1, _l("Remind of deadlines this many working days ahead"),
                _l("0: only what is due today; 1: today and the next working day."), min=0, max=30),
    ]


@hookimpl
def erp_seed_data(app):
    from .calendar import seed_official_calendar
    seed_official_calendar()


@hookimpl
def erp_reminders(now):
    """Every document type's declared deadline (core.documents.Deadline) reminds and escalates."""
    from .reminders import deadline_reminders
    return deadline_reminders(now)


@hookimpl(trylast=True)
def erp_transition_done(document, transition, user, comment):
    """The document's followers are told (core.documents.following), after the modules have
    done what follows from the transition."""
    from .documents.following import transition_done
    transition_done(document, transition, user, comment)


@hookimpl
def erp_dashboard_widgets(user):
    from flask import url_for
    from .workflow.views import open_task_count
    from .reminders import dashboard_widget
    from .reminders import team_widget
    widgets = [Widget(_l("Waiting for me"), value=open_task_count(user), url=url_for("workflow.inbox"), order=1),
               dashboard_widget(user)]
    return widgets + [w for w in [team_widget(user), _calendar_widget(user)] if w is not None]


def _calendar_widget(user):
    """From 1 December, the administrator is told when next year's holidays and make-up days (the
    State Council publishes them each November) are not in the working calendar yet."""
    from flask import url_for
    from flask_babel import gettext as _
    from . import calendar, calendar_today
    today = calendar_today.today()
    if not user.can("core.calendar.manage"):
        return None
    missing = [y for y in (today.year, today.year + 1) if (y == today.year or today.month == 12)
               and not calendar.arranged(y)]
    if not missing:
        return None
    return Widget(_l("Working calendar"), body=_(
        "The holidays and make-up working days of %(years)s are not entered: deadlines that year follow "
        "weekends only. Enter the State Council's arrangement.", years=", ".join(map(str, missing))),
        value=_("Missing"), url=url_for("admin_calendar.index"), order=0)
