"""Web forms of the party pages; business rules live in services.py."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from .models import PARTY_ROLES


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PartyForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(message=_l("Enter the party's name.")),
                                                Length(max=200)])
    short_name = StringField(_l("Short name"), validators=[Optional(), Length(max=80)])
    code = StringField(_l("Code"), validators=[Optional(), Length(max=20)],
                       render_kw={"placeholder": _l("Leave empty to number it automatically (P000123).")})
    credit_code = StringField(_l("Unified social credit code"), validators=[Optional()],
                              render_kw={"placeholder": _l("18 characters, as on the business licence.")})
    roles = CheckboxesField(_l("Party roles"), validators=[DataRequired(message=_l("Choose at least one role."))])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    website = StringField(_l("Website"), validators=[Optional(), Length(max=200)])
    notes = TextAreaField(_l("Notes"), validators=[Optional()])
    active = BooleanField(_l("Active"), default=True)
    confirm_similar = BooleanField(_l("This is a different organisation: save anyway"))
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles.choices = [(code, str(label)) for code, label in PARTY_ROLES.items()]

    def values(self) -> dict:
        return {"name": self.name.data, "short_name": self.short_name.data, "code": self.code.data,
                "credit_code": self.credit_code.data, "address": self.address.data,
                "phone": self.phone.data, "website": self.website.data, "notes": self.notes.data,
                "active": bool(self.active.data)}


class ContactForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(message=_l("Enter the contact's name.")),
                                                Length(max=80)])
    title = StringField(_l("Job title"), validators=[Optional(), Length(max=80)])
    department = StringField(_l("Department"), validators=[Optional(), Length(max=80)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    mobile = StringField(_l("Mobile"), validators=[Optional(), Length(max=40)])
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=200)])
    is_primary = BooleanField(_l("Primary contact"))
    notes = TextAreaField(_l("Notes"), validators=[Optional()])

    def values(self) -> dict:
        return {k: getattr(self, k).data for k in
                ("title", "department", "phone", "mobile", "email", "is_primary", "notes")}
