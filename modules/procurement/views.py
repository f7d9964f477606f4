"""Procurement's own pages besides the declared documents' (core renders those)."""
from flask import jsonify, request

from core.auth.decorators import permission_required
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
