"""Form pieces shared by every part: filters, validators and error plumbing."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import phonenumbers
from flask_babel import lazy_gettext as _l
from wtforms import ValidationError


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
        if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in field.data):
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
    mobile = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    if not phonenumbers.is_valid_number(number) or phonenumbers.number_type(number) not in mobile:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class WhatsAppNumber:
    def __call__(self, form, field):
        if not field.data:
            return
        normalised = normalise_whatsapp(field.data)
        if normalised is None:
            raise ValidationError(_l("Enter a mobile number such as 0812 3456 7890 or +62 812 3456 7890."))
        field.data = normalised


def apply_domain_error(form, error) -> None:
    """Show a service's validation error on the form field it concerns, or on the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)
