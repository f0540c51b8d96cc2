from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length

from app.auth.passwords import MAX_LENGTH
from app.core.forms import Form, strip


def email_field(label=None):
    return EmailField(
        label or _l("Email"),
        filters=[strip],
        validators=[
            DataRequired(),
            Length(max=254),
            Email(message=_l("Enter a valid email address.")),
        ],
    )


def new_password_fields():
    password = PasswordField(
        _l("Password"),
        description=_l("At least 12 characters. A few words together make a good password."),
        validators=[InputRequired(), Length(max=MAX_LENGTH)],
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[InputRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )
    return password, confirm


class LoginForm(Form):
    email = email_field()
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=MAX_LENGTH)])
    remember = BooleanField(_l("Keep me logged in on this device"))


class ForgotPasswordForm(Form):
    email = email_field()


class ResetPasswordForm(Form):
    password, confirm = new_password_fields()


class ChangePasswordForm(Form):
    current = PasswordField(
        _l("Current password"), validators=[InputRequired(), Length(max=MAX_LENGTH)]
    )
    password, confirm = new_password_fields()


class ResendConfirmationForm(Form):
    email = email_field()
