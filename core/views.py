"""Small view helpers modules share."""
from flask import Blueprint, current_app, render_template
from flask_login import current_user

from .auth.decorators import permission_required
from .menu import menu_for


def module_blueprint(name: str, import_name: str, permission: str) -> Blueprint:
    """A module's blueprint with its landing page: the module's menu as cards.

    Mounted by core at ``/<name>``; the module adds its own routes to it.
    """
    bp = Blueprint(name, import_name, template_folder="templates")

    @bp.route("/")
    @permission_required(permission)
    def index():
        section = next((s for s in menu_for(current_user) if s["name"] == name), None)
        manifest = current_app.extensions["erp"].manifests[name]
        return render_template("core/module_index.html", section=section, manifest=manifest,
                               title=current_app.extensions["erp"].section_label(name))
    return bp
