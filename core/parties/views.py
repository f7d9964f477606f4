"""Party pages: list (search, role filter, keyset pages), detail, create/edit, contacts."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..auth.decorators import permission_required
from ..extensions import db
from . import access, services
from .forms import ContactForm, PartyForm
from .models import PARTY_ROLES, Party, PartyContact, party_role_label
from .refs import resolve

bp = Blueprint("parties", __name__, url_prefix="/parties")
bp.add_app_template_global(resolve, "business_ref_url")
bp.add_app_template_global(party_role_label, "party_role_label")

STATUSES = ("active", "inactive", "all")


def _get(party_id: int) -> Party:
    """The party if the user may see it; 404 otherwise, as for documents: the existence of a party
    the user may not see is not revealed."""
    party = db.session.scalar(select(Party).where(Party.id == party_id, access.readable(current_user)))
    if party is None:
        abort(404)
    return party


def _may_edit(party: Party) -> bool:
    return db.session.scalar(select(Party.id).where(Party.id == party.id, access.editable(current_user))) is not None


def _get_editable(party_id: int) -> Party:
    party = _get(party_id)
    if not _may_edit(party):
        abort(403)
    return party


@bp.route("/")
@permission_required("core.parties.view")
def index():
    args = request.args
    q = args.get("q", "").strip()
    role = args.get("role", "")
    status = args.get("status", "active")
    status = status if status in STATUSES else "active"
    stmt = services.search(select(Party).where(access.readable(current_user)), q)
    if role:
        stmt = services.with_role(stmt, role)
    if status != "all":
        stmt = stmt.where(Party.active.is_(status == "active"))
    # Keyset pages over (name, id): no count(*), as fast on page 1000 as on page 1.
    size = current_app.config["ERP_PAGE_SIZE"]
    after, before = args.get("after", type=int), args.get("before", type=int)
    # The anchor is a visible party too: another's name must not be probed by paging after it.
    anchor = db.session.scalar(select(Party).where(Party.id == (after or before), access.readable(current_user))) \
        if (after or before) else None
    if anchor is not None and after:
        stmt = stmt.where(or_(Party.name > anchor.name, and_(Party.name == anchor.name, Party.id > anchor.id)))
    elif anchor is not None:
        stmt = stmt.where(or_(Party.name < anchor.name, and_(Party.name == anchor.name, Party.id < anchor.id)))
    backwards = anchor is not None and not after
    order = (Party.name.desc(), Party.id.desc()) if backwards else (Party.name, Party.id)
    rows = db.session.scalars(stmt.order_by(*order).limit(size + 1)).all()
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    base = {k: v for k, v in {"q": q, "role": role, "status": status}.items() if v}
    has_next = more if not backwards else True
    has_prev = anchor is not None and (more if backwards else True)
    next_url = url_for("parties.index", **base, after=rows[-1].id) if rows and has_next else None
    prev_url = url_for("parties.index", **base, before=rows[0].id) if rows and has_prev else None
    return render_template("parties/list.html", parties=rows, q=q, role=role, status=status,
                           roles=PARTY_ROLES, next_url=next_url, prev_url=prev_url,
                           first_url=url_for("parties.index", **base) if anchor is not None else None)


@bp.route("/<int:party_id>")
@permission_required("core.parties.view")
def detail(party_id):
    party = _get(party_id)
    return render_template("parties/detail.html", party=party, may_edit=_may_edit(party),
                           contact_form=ContactForm(), form=FlaskForm())


def _apply_errors(form, errors: dict) -> None:
    for field, messages in errors.items():
        target = getattr(form, field, None) if field else None
        if target is not None and hasattr(target, "errors"):
            target.errors = [*target.errors, *messages]
        else:
            form.form_errors.extend(messages)


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/<int:party_id>/edit", methods=["GET", "POST"])
@permission_required("core.parties.manage")
def edit(party_id=None):
    party = _get_editable(party_id) if party_id else None
    form = PartyForm(obj=party)
    if request.method == "GET":
        if party is not None:
            form.roles.data = party.role_codes
            form.version.data = party.version
    similar = []
    if form.validate_on_submit():
        try:
            if party is not None and str(party.version) != (form.version.data or ""):
                raise services.ValidationError({"": [_(
                    "Someone else changed this party while you were editing it. "
                    "Open it again to see their changes, then make yours.")]})
            values = form.values()
            allow_similar = bool(form.confirm_similar.data)
            if party is None:
                party = services.create_party(values.pop("name"), form.roles.data,
                                              allow_similar=allow_similar, **values)
                message = _("Party %(name)s created.", name=party.name)
            else:
                services.update_party(party, form.roles.data, allow_similar=allow_similar, **values)
                message = _("Party %(name)s saved.", name=party.name)
            db.session.commit()
        except services.SimilarPartiesWarning as warning:
            db.session.rollback()
            similar = warning.similar
        except services.ValidationError as exc:
            db.session.rollback()
            _apply_errors(form, exc.errors)
        except (StaleDataError, IntegrityError):
            # a concurrent save won the race (same version, code or credit code at once)
            db.session.rollback()
            form.form_errors.append(_(
                "Someone else changed this party while you were editing it. "
                "Open it again to see their changes, then make yours."))
        else:
            flash(message, "success")
            return redirect(url_for("parties.detail", party_id=party.id))
        if party_id is None:
            party = None   # the rolled-back new party is not shown as saved
        else:
            party = _get(party_id)
    status = 400 if request.method == "POST" else 200
    return render_template("parties/form.html", form=form, party=party, similar=similar), status


@bp.post("/<int:party_id>/contacts")
@permission_required("core.parties.manage")
def add_contact(party_id):
    party = _get_editable(party_id)
    form = ContactForm()
    if form.validate_on_submit():
        try:
            contact = services.add_contact(party, form.name.data, **form.values())
            db.session.commit()
        except services.ValidationError as exc:
            db.session.rollback()
            _apply_errors(form, exc.errors)
        else:
            flash(_("Contact %(name)s added.", name=contact.name), "success")
            return redirect(url_for("parties.detail", party_id=party.id) + "#contacts")
    party = _get(party_id)
    return render_template("parties/detail.html", party=party, may_edit=True, contact_form=form,
                           form=FlaskForm()), 400


def _contact(party_id: int, contact_id: int) -> PartyContact:
    _get_editable(party_id)
    contact = db.session.get(PartyContact, contact_id)
    if contact is None or contact.party_id != party_id:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    return contact


@bp.post("/<int:party_id>/contacts/<int:contact_id>/primary")
@permission_required("core.parties.manage")
def primary_contact(party_id, contact_id):
    contact = _contact(party_id, contact_id)
    services.set_primary_contact(contact.party, contact)
    db.session.commit()
    flash(_("%(name)s is now the primary contact.", name=contact.name), "success")
    return redirect(url_for("parties.detail", party_id=party_id) + "#contacts")


@bp.post("/<int:party_id>/contacts/<int:contact_id>/delete")
@permission_required("core.parties.manage")
def delete_contact(party_id, contact_id):
    contact = _contact(party_id, contact_id)
    services.remove_contact(contact.party, contact)
    db.session.commit()
    flash(_("Contact %(name)s removed.", name=contact.name), "success")
    return redirect(url_for("parties.detail", party_id=party_id) + "#contacts")
