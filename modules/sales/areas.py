"""片区 (SPEC 1.6): the sales areas every customer belongs to, kept by the 市场部经理 and the
市场总监 on a page of their own (master data, not a document: no number, no workflow; every
change audited). Without one no customer can be registered, so a fresh installation starts here.
"""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.auth.decorators import permission_required
from core.auth.permissions import RoleTemplate
from core.documents.derived import declared_form
from core.documents.fields import Field
from core.documents.service import ValidationFailed
from core.extensions import db
from core.hookspecs import hookimpl
from core.menu import MenuItem

from .models import Area
from .views import bp

KINDS = (("geographic", _l("Geographic area")), ("industry", _l("Industry area")))
AREA_FIELDS = [
    Field("code", _l("Code"), required=True, max_length=20, help=_l("Short and unique, e.g. SZ.")),
    Field("name", _l("Area name"), required=True, max_length=80),
    Field("kind", _l("Kind"), "choice", choices=KINDS, required=True, default="geographic"),
    Field("manager", _l("Area account manager"), "user", roles=("ROLE-MKT-AAM",)),
    Field("active", _l("In use"), "bool", default=True,
          help=_l("An area no longer in use is not offered for new customers; its customers keep it.")),
]
AreaForm = declared_form(None, "AreaForm", AREA_FIELDS)


def _save(area: Area, form) -> None:
    taken = db.session.scalar(select(Area.id).where(Area.code == form.code.data.strip(), Area.id != area.id))
    if taken is not None:
        raise ValidationFailed({"code": [_("Another area already has this code.")]})
    area.code, area.name, area.kind = form.code.data.strip(), form.name.data.strip(), form.kind.data
    area.manager_id, area.active = form.manager_id.data, form.active.data
    db.session.add(area)
    db.session.commit()


@bp.route("/areas/", methods=["GET", "POST"])
@bp.route("/areas/<int:area_id>", methods=["GET", "POST"])
@permission_required("sales.area.manage")
def areas(area_id=None):
    area = db.session.get(Area, area_id) if area_id is not None else Area()
    if area is None:
        abort(404)
    form = AreaForm(obj=area if area_id is not None else None)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                _save(area, form)
            except ValidationFailed as exc:
                db.session.rollback()
                for name, messages in exc.fields.items():
                    form[name].errors = [*form[name].errors, *messages]
                status = 400
            else:
                flash(_("Area %(name)s saved.", name=area.name), "success")
                return redirect(url_for("sales.areas"))
        else:
            status = 400
    listed = db.session.scalars(select(Area).order_by(Area.active.desc(), Area.code)).all()
    return render_template("sales/areas.html", form=form, area=area if area_id is not None else None,
                           areas=listed, kinds=dict(KINDS)), status


@hookimpl
def erp_roles():  # sales.area.manage is declared with the customers (the 市场部经理 holds it there)
    return [RoleTemplate("ROLE-MKT-DIR", permissions=["sales.area.manage"])]


@hookimpl
def erp_menu_items():
    return [MenuItem("sales", _l("Sales areas"), "sales.areas", "sales.area.manage", order=90)]
