"""Form pieces shared by every part: filters, validators and error plumbing."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import phonenumbers
from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _ln
from flask_wtf import FlaskForm
from wtforms import SelectChoice, ValidationError


def options(pairs) -> list[SelectChoice]:
    """Choices for a SelectField or RadioField from ``(value, label)`` pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def strip(value):
    return value.strip() if isinstance(value, str) else value


def none_if_empty(value):
    value = strip(value)
    return value or None


class HttpUrl:
    """Only http(s) links with a host: ``javascript:``, ``data:`` and friends are refused."""

    def __call__(self, form, field):
        if not field.data:
            return
        parts = urlsplit(field.data)
        if (
            parts.scheme not in ("http", "https")
            or not parts.netloc
            or any(c.isspace() for c in field.data)
        ):
            raise ValidationError(_l("Enter a web address starting with http:// or https://."))


class Digits:
    """Exactly ``count`` digits, spaces and dots ignored (NIB, KBLI)."""

    def __init__(self, count: int, message):
        self.count = count
        self.message = message

    def __call__(self, form, field):
        if not field.data:
            return
        digits = re.sub(r"[\s.]", "", field.data)
        if not re.fullmatch(rf"\d{{{self.count}}}", digits):
            raise ValidationError(self.message)
        field.data = digits


def normalise_whatsapp(value: str) -> str | None:
    """An Indonesian mobile number as +62…, or None when it is not one."""
    try:
        number = phonenumbers.parse(value, "ID")
    except phonenumbers.NumberParseException:
        return None
    mobile = (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )
    if not phonenumbers.is_valid_number(number) or phonenumbers.number_type(number) not in mobile:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class WhatsAppNumber:
    def __call__(self, form, field):
        if not field.data:
            return
        normalised = normalise_whatsapp(field.data)
        if normalised is None:
            raise ValidationError(
                _l("Enter a mobile number such as 0812 3456 7890 or +62 812 3456 7890.")
            )
        field.data = normalised


def apply_domain_error(form, error) -> None:
    """Show a service's validation error on the form field it concerns, or on the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


class _CatalogueTranslations:
    """WTForms' built-in messages through Etalase's own catalogue (WTForms has no Indonesian)."""

    def gettext(self, string):
        return get_translations().gettext(string)

    def ngettext(self, singular, plural, n):
        return get_translations().ngettext(singular, plural, n)


class Form(FlaskForm):
    """Base of every form: CSRF from Flask-WTF, messages in the user's language."""

    class Meta:
        def get_translations(self, form):
            return _CatalogueTranslations()


# WTForms' own messages, marked here so that extraction puts them in our catalogue.
WTFORMS_MESSAGES = (
    _l("This field is required."),
    _l("Not a valid choice."),
    _l("Not a valid integer value."),
    _l("Not a valid decimal value."),
    _l("Not a valid float value."),
    _l("Not a valid date value."),
    _l("Not a valid datetime value."),
    _l("Invalid input."),
    _l("Invalid email address."),
    _l("Invalid URL."),
    _l("Field must be equal to %(other_name)s."),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Date must be at least %(min)s."),
    _l("Date must be at most %(max)s."),
    _l("Date must be between %(min)s and %(max)s."),
    _ln(
        "Field must be at least %(min)d character long.",
        "Field must be at least %(min)d characters long.",
        1,
    ),
    _ln(
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
        1,
    ),
    _ln(
        "Field must be exactly %(max)d character long.",
        "Field must be exactly %(max)d characters long.",
        1,
    ),
)
