"""Appraisal module: declarations registered with the plugin manager."""
from flask_babel import lazy_gettext as _l

from core.auth.permissions import Permission, RoleTemplate
from core.hookspecs import hookimpl
from core.menu import MenuItem

PERMISSIONS = [
    Permission("hr_appraisal.access", _l("Open the appraisal module")),
    Permission("hr_appraisal.cycle.manage", _l("Run appraisal cycles")),
    Permission("hr_appraisal.sheet.score", _l("Score team members")),
]


@hookimpl
def erp_permissions():
    return PERMISSIONS


@hookimpl
def erp_roles():
    return [
        RoleTemplate("ROLE-GM", permissions=('hr_appraisal.access', 'hr_appraisal.sheet.score')),
        RoleTemplate("ROLE-ADM", permissions=('hr_appraisal.access', 'hr_appraisal.cycle.manage')),
        RoleTemplate("ROLE-MKT-DIR", permissions=('hr_appraisal.access', 'hr_appraisal.sheet.score')),
        RoleTemplate("ROLE-MKT-MGR", permissions=('hr_appraisal.access', 'hr_appraisal.sheet.score')),
        RoleTemplate("ROLE-ENG-MGR", permissions=('hr_appraisal.access', 'hr_appraisal.sheet.score')),
        RoleTemplate("ROLE-PS-MGR", permissions=('hr_appraisal.access', 'hr_appraisal.sheet.score')),
        RoleTemplate("ROLE-PUR-MGR", permissions=('hr_appraisal.access', 'hr_appraisal.sheet.score')),
    ]


@hookimpl
def erp_blueprints():
    from .views import bp
    return [bp]


@hookimpl
def erp_menu_items():
    return [
        MenuItem("hr_appraisal", _l("Overview"), "hr_appraisal.index", "hr_appraisal.access", order=10),
        MenuItem("hr_appraisal", _l("My appraisals"), "hr_appraisal.mine", "hr_appraisal.access", order=12),
        MenuItem("hr_appraisal", _l("Waiting for my scores"), "hr_appraisal.to_score", "hr_appraisal.sheet.score",
                 order=14),
    ]
