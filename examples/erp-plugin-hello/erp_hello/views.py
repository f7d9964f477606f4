from flask import Blueprint, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from core.auth.decorators import permission_required
from core.extensions import db

from .models import Greeting

bp = Blueprint("hello", __name__, template_folder="templates")


class GreetingForm(FlaskForm):
    text = StringField(_l("Greeting"), validators=[DataRequired(), Length(max=200)])


@bp.route("/", methods=["GET", "POST"])
@permission_required("hello.view")
def index():
    form = GreetingForm()
    if current_user.can("hello.create") and form.validate_on_submit():
        db.session.add(Greeting(text=form.text.data))
        db.session.commit()
        return redirect(url_for("hello.index"))
    greetings = db.session.scalars(select(Greeting).order_by(Greeting.id.desc()).limit(50)).all()
    return render_template("erp_hello/index.html", form=form, greetings=greetings)
