"""Password rules: a minimum length (ERP_PASSWORD_MIN_LENGTH, 12 as OWASP ASVS asks) and a
guessability check with zxcvbn, which knows common passwords, keyboard patterns, dates and
the user's own name."""
from flask import current_app
from flask_babel import gettext as _
from wtforms.validators import ValidationError
from zxcvbn import zxcvbn

MIN_SCORE = 3  # zxcvbn's "safely unguessable": about 10^8 guesses or more


def problems(password: str, *user_inputs: str) -> list[str]:
    """What is wrong with `password` for a user known by `user_inputs` (username, full name), as
    sentences in the user's language; empty when it is acceptable."""
    minimum = current_app.config["ERP_PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return [_("The password needs at least %(count)s characters.", count=minimum)]
    inputs = [value for value in user_inputs if value]
    if any(len(value) >= 3 and value.lower() in password.lower() for value in inputs):
        return [_("The password must not contain the username or the person's name.")]
    if zxcvbn(password[:100], user_inputs=inputs)["score"] < MIN_SCORE:
        return [_("This password is too easy to guess (a common password or a simple pattern). "
                  "Use a longer phrase of unrelated words.")]
    return []


class StrongPassword:
    """WTForms validator; `inputs(form)` gives the names the password must not be built from."""

    def __init__(self, inputs=lambda form: ()):
        self.inputs = inputs

    def __call__(self, form, field):
        if field.data:
            found = problems(field.data, *self.inputs(form))
            if found:
                raise ValidationError(found[0])
