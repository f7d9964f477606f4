"""Procurement's own pages besides the declared documents' (core renders those)."""
from flask import abort, current_app, flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from core.auth.decorators import permission_required
from core.documents import service
from core.extensions import db
from core.views import module_blueprint

bp = module_blueprint("procurement", __name__, "procurement.access")


@bp.route("/suppliers/lookup")
@permission_required("procurement.supplier.create")
def supplier_lookup():
    """What an external registry knows of a supplier about to be entered (procurement_lookup_supplier):
    ``{"found": false}`` or ``{"found": true, "supplier": {...}}``."""
    from .suppliers import lookup
    known = lookup(request.args.get("name", "").strip(), request.args.get("credit_code", "").strip() or None)
    if not known:
        return jsonify(found=False)
    return jsonify(found=True, supplier={k: (list(v) if isinstance(v, (list, tuple)) else str(v)) for k, v in known.items()})


@bp.post("/order/<id:doc_id>/receive")
@permission_required("procurement.receipt.create")
def order_receive(doc_id):
    """到货登记: a receipt of the order's open lines, opened for the receiver to complete."""
    from .orders import ORDER, RECEIVING_STATES
    from .receipts import RECEIPT, receipt_for
    order = service.get_visible(ORDER, current_user, doc_id)
    if not FlaskForm().validate_on_submit() and current_app.config.get("WTF_CSRF_ENABLED", True):
        abort(400)
    if order.state not in RECEIVING_STATES:
        flash(_("Goods are received on a contracted order not yet received in full."), "warning")
        return redirect(url_for(f"{ORDER.endpoint_prefix}_detail", doc_id=order.id))
    receipt = receipt_for(order, current_user)
    if not receipt.lines:
        flash(_("Everything ordered on %(number)s has been received.", number=order.number), "warning")
        return redirect(url_for(f"{ORDER.endpoint_prefix}_detail", doc_id=order.id))
    service.assign_number(RECEIPT, receipt)
    db.session.add(receipt)
    db.session.commit()
    flash(_("Receipt %(number)s opened: give the quantities received and the serial numbers.",
            number=receipt.number), "success")
    return redirect(url_for(f"{RECEIPT.endpoint_prefix}_edit", doc_id=receipt.id))
