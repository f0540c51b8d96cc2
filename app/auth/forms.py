from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, RadioField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, ValidationError

from app.auth.passwords import MAX_LENGTH
from app.core.forms import Form, options, strip

ACCOUNT_TYPES = [
    ("ikm", _l("I make products (IKM owner)")),
    ("buyer_company", _l("I buy for a company")),
    ("buyer_individual", _l("I buy as an individual")),
]


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


class RegisterForm(Form):
    account_type = RadioField(
        _l("I am registering as"),
        choices=options(ACCOUNT_TYPES),
        default="ikm",
        validators=[InputRequired()],
    )
    full_name = StringField(
        _l("Your full name"), filters=[strip], validators=[DataRequired(), Length(max=120)]
    )
    organisation_name = StringField(
        _l("Business or company name"),
        filters=[strip],
        validators=[Length(max=150)],
        description=_l("The name of your IKM or company. Not needed when buying as an individual."),
    )
    email = email_field()
    password, confirm = new_password_fields()

    def validate_organisation_name(self, field):
        if self.account_type.data != "buyer_individual" and not field.data:
            raise ValidationError(_l("Enter the name of your business or company."))


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
