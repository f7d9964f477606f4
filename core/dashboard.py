"""Dashboard widgets declared by modules through erp_dashboard_widgets(user)."""
from dataclasses import dataclass

from flask import Blueprint, current_app, render_template
from flask_login import current_user, login_required


@dataclass(frozen=True)
class Widget:
    title: object
    body: str = ""          # plain text, escaped when rendered
    value: object = None    # a headline figure, e.g. a count
    url: str = ""
    order: int = 100


bp = Blueprint("dashboard", __name__)


@bp.route("/")
@login_required
def index():
    pm = current_app.extensions["erp"].pm
    widgets = [w for result in pm.hook.erp_dashboard_widgets(user=current_user) for w in (result or [])]
    widgets.sort(key=lambda w: w.order)
    return render_template("core/dashboard.html", widgets=widgets)
