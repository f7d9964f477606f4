"""Job profiles (岗位说明书, X-H05; SPEC 1.4).

One profile per role of SPEC 1.4 (ROLE-GM .. ROLE-FIN): position, department, superior, purpose,
requirements of work, and as lines its duties (工作职责), authority (工作权限), measurement
criteria (衡量标准) and taboos (工作禁忌). Seeded from SPEC 1.4 (``seed_profiles``, idempotent:
a role with a profile is left alone). The 行政部 (ROLE-ADM) edits them; everyone reads them and
prints them (core's print and PDF, titled 岗位说明书). ``taboos_of(role_code)`` gives the appraisal
sheets a role's taboos (negative indicators a manager may record).
"""
from __future__ import annotations

from flask import g, has_app_context
from flask_babel import LazyString, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.auth.permissions import RoleTemplate
from core.documents import Column, DocType, Document, Lines
from core.documents.fields import Field, declared_columns
from core.documents.service import ValidationFailed
from core.extensions import db
from core.hookspecs import hookimpl
from core.workflow import lifecycles

CODE = "hr_appraisal.job_profile"
ROLES = ("ROLE-GM", "ROLE-MKT-DIR", "ROLE-MKT-MGR", "ROLE-MKT-AAM", "ROLE-MKT-AM", "ROLE-MKT-AST", "ROLE-ENG-MGR",
         "ROLE-ENG-PE", "ROLE-PS-MGR", "ROLE-MKT-PSE", "ROLE-PUR-MGR", "ROLE-PUR-BUY", "ROLE-ADM", "ROLE-FIN")


def role_name(code: str) -> str:
    """The role's name in the reader's language (core's role table, read once a request); the code
    when the role is unknown."""
    if not has_app_context():
        return code
    names = g.get("hr_role_names")
    if names is None:
        from core.auth.models import Role
        names = g.hr_role_names = {r.code: r for r in db.session.scalars(select(Role))}
    role = names.get(code)
    return role.label(str(get_locale() or "zh")) if role is not None else code


ROLE_CHOICES = [(code, LazyString(role_name, code)) for code in ROLES]
KINDS = [("duty", _l("Duty")), ("authority", _l("Authority")), ("criterion", _l("Measurement criterion")),
         ("taboo", _l("Taboo"))]
SOURCES = [("handbook", _l("Handbook")), ("company", _l("Company"))]

PROFILE_FIELDS = [
    Field("title", _l("Title"), readonly=True),
    Field("role_code", _l("Role"), "choice", choices=ROLE_CHOICES, required=True),
    Field("position", _l("Position"), required=True, max_length=60),
    Field("dept_name", _l("Department of the job"), required=True, max_length=60),
    Field("reports_to", _l("Direct superior"), required=True, max_length=60),
    Field("direct_reports", _l("Direct reports"), max_length=200),
    Field("purpose", _l("Purpose of the job"), "textarea", required=True),
    Field("requirements", _l("Requirements of the work"), "textarea"),
    Field("leadership", _l("Leadership responsibility"), "textarea"),
    Field("difficulties", _l("Difficulties"), "textarea"),
    Field("career_path", _l("Career path"), max_length=200),
    Field("qualifications", _l("Qualifications"), "textarea"),
    Field("source", _l("Source"), "choice", choices=SOURCES, default="company"),
]

ITEM_FIELDS = [
    Field("kind", _l("Kind"), "choice", choices=KINDS, required=True),
    Field("text", _l("Text"), required=True, max_length=300),
]


class JobProfile(Document, declared_columns([f for f in PROFILE_FIELDS if f.name != "title"]), db.Model):
    """岗位说明书 (X-H05)."""
    __tablename__ = "hr_job_profile"

    items = relationship(lambda: JobProfileItem, cascade="all, delete-orphan", order_by=lambda: JobProfileItem.id,
                         lazy="selectin")


class JobProfileItem(declared_columns(ITEM_FIELDS), db.Model):
    __tablename__ = "hr_job_profile_item"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("hr_job_profile.id", ondelete="CASCADE"), index=True)


def save_profile(profile):
    """One profile in force (not archived) per role; the title is the position."""
    clash = select(JobProfile.number).where(JobProfile.role_code == profile.role_code, JobProfile.state != "archived")
    if profile.id:
        clash = clash.where(JobProfile.id != profile.id)
    number = db.session.scalar(clash.limit(1))
    if number is not None:
        raise ValidationFailed({"role_code": [_("Role %(role)s already has a job profile (%(number)s): edit it or "
                                                "archive it first.", role=profile.role_code, number=number)]})
    profile.title = profile.position


PROFILE = DocType(
    code=CODE, model=JobProfile, label=_l("Job profile"), label_plural=_l("Job profiles"), fields=PROFILE_FIELDS,
    workflow=lifecycles.record(editable_states=("draft", "confirmed")), number_prefix="GW", number_reset="never",
    print_title="岗位说明书", menu_order=20, before_save=save_profile,
    lines=Lines("items", JobProfileItem, fields=ITEM_FIELDS, blank_rows=4, label=_l("Duties, authority, criteria and taboos")),
    columns=[Column("role_code", _l("Role"), kind="choice", choices=dict(ROLE_CHOICES)), Column("position", _l("Position")),
             Column("dept_name", _l("Department")), Column("reports_to", _l("Direct superior"))],
    search=("position", "dept_name", "role_code"),
)


def taboos_of(role_code: str) -> list[str]:
    """The taboos (工作禁忌) of the job profile in force for ``role_code``, in their order; [] when
    the role has none (for the appraisal sheets' negative indicators)."""
    profile = select(JobProfile.id).where(JobProfile.role_code == role_code, JobProfile.state != "archived") \
        .order_by(JobProfile.id.desc()).limit(1).scalar_subquery()
    return list(db.session.scalars(select(JobProfileItem.text).where(
        JobProfileItem.profile_id == profile, JobProfileItem.kind == "taboo").order_by(JobProfileItem.id)))


def seed_profiles() -> list[JobProfile]:
    """SPEC 1.4's profiles for the roles that have none yet, confirmed, owned by the first 行政部
    user (else the first user; nothing while there is no user). Idempotent; not committed."""
    from core.auth.models import User, users_with_roles
    from core.documents import service

    from .profiles_data import PROFILES
    owner = next(iter(users_with_roles("ROLE-ADM")), None) or db.session.scalar(select(User).order_by(User.id).limit(1))
    if owner is None:
        return []
    have = set(db.session.scalars(select(JobProfile.role_code)))
    made = []
    for code in ROLES:
        if code in have:
            continue
        data = PROFILES[code]
        profile = service.new_document(PROFILE, owner)
        profile.department_id = None
        profile.role_code, profile.position, profile.dept_name = code, data["position"], data["department"]
        profile.reports_to, profile.purpose = data["reports_to"], data["purpose"]
        profile.requirements, profile.career_path = data["requirements"], data["career_path"]
        profile.qualifications, profile.source = data["qualifications"], "handbook"
        for kind in ("duty", "authority", "criterion", "taboo"):
            profile.items.extend(JobProfileItem(kind=kind, text=text) for text in data[kind])
        profile.title = profile.position
        profile.state = "confirmed"
        service.assign_number(PROFILE, profile)
        db.session.add(profile)
        made.append(profile)
    db.session.flush()
    return made


# ---- declarations -------------------------------------------------------------------------------
@hookimpl
def erp_seed_data(app):
    seed_profiles()


@hookimpl
def erp_demo_data(app):
    seed_profiles()


@hookimpl
def erp_models():
    return [JobProfile, JobProfileItem]


@hookimpl
def erp_document_types():
    return [PROFILE]


@hookimpl
def erp_roles():
    """Everyone opens the module and reads the job profiles; the 行政部 maintains them."""
    read = ("hr_appraisal.access", f"{CODE}.read", f"{CODE}.read_all", f"{CODE}.export")
    grants = [RoleTemplate(role, permissions=read) for role in ROLES]
    grants.append(RoleTemplate("ROLE-ADM", permissions=[f"{CODE}.{a}" for a in ("create", "edit", "confirm",
                                                                                 "archive", "import")]))
    return grants
