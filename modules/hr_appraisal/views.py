"""The appraisal module's own pages: 我的考核 and 待我评分 are the sheet list, filtered."""
from flask import redirect, url_for
from flask_login import current_user

from core.views import module_blueprint

bp = module_blueprint("hr_appraisal", __name__, "hr_appraisal.access")


@bp.route("/mine")
def mine():
    """我的考核: the signed-in person's own sheets."""
    return redirect(url_for("hr_appraisal.sheet_list", owner="me"))


@bp.route("/to-score")
def to_score():
    """待我评分: the sheets waiting for the signed-in superior's scores."""
    return redirect(url_for("hr_appraisal.sheet_list", superior=current_user.id, state="manager_assessment"))
