"""Form pieces shared by every part: filters, validators and error plumbing."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import phonenumbers
import wtforms
from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _ln
from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import StopValidation
from wtforms.widgets import CheckboxInput, ListWidget


def options(pairs) -> list[SelectChoice]:
    """Choices for a SelectField or RadioField from ``(value, label)`` pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def strip(value):
    return value.strip() if isinstance(value, str) else value


def printable(value):
    """Without control characters (a NUL, an escape): they have no place in a search or a name."""
    if not isinstance(value, str) or value.isprintable():
        return value
    return "".join(c if c.isprintable() else " " for c in value)


# Control characters (Unicode category Cc: C0, DEL and C1). PostgreSQL refuses a NUL in a text
# column, and none of them has a place in a name, an address or a comment. The ones that
# separate words (tab, line breaks) become a space; the others (NUL, escape, DEL) go.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_TAB_AND_NEWLINE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _replace(match: re.Match) -> str:
    return " " if match.group().isspace() else ""


def single_line(value):
    """Without control characters: a tab or a line break becomes a space, a NUL goes."""
    if not isinstance(value, str):
        return value
    return _CONTROL.sub(_replace, value)


def multi_line(value):
    """Line breaks (as ``\\n``) and tabs are kept; other control characters as in single_line."""
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_BUT_TAB_AND_NEWLINE.sub(_replace, value)


def text_filter_for(field):
    """The control-character filter every form puts first on a text field; None for fields
    whose text is never stored or shown (passwords are compared exactly as typed)."""
    if not isinstance(field, StringField) or isinstance(field, PasswordField):
        return None
    return multi_line if isinstance(field, TextAreaField) else single_line


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
        if not re.fullmatch(rf"[0-9]{{{self.count}}}", digits):
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
    if phonenumbers.region_code_for_number(number) != "ID" or number.extension:
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


class _Meta:
    """What every form shares: WTForms' messages in the user's language, and text fields
    cleaned of control characters before any other filter, so that no form can forget it."""

    def get_translations(self, form):
        return _CatalogueTranslations()

    def bind_field(self, form, unbound_field, options):
        field = unbound_field.bind(form=form, **options)
        clean = text_filter_for(field)
        if clean is not None:
            field.filters = (clean, *field.filters)
        return field


class Form(FlaskForm):
    """Base of every form: CSRF from Flask-WTF, messages in the user's language, text fields
    without control characters."""

    Meta = _Meta


class SubForm(wtforms.Form):
    """A repeated group of fields inside a Form (price tiers, attributes); no CSRF of its own."""

    Meta = _Meta


INTEGER_COLUMN_MAX = 2**31 - 1  # an INTEGER column in PostgreSQL


class NumberField(IntegerField):
    """An integer field that says one thing when the text is not a number ("Not a valid integer
    value."), rather than that plus every range rule the missing number then fails.

    Each form gives its own ``NumberRange`` within what its column holds; a number no INTEGER
    column can hold is refused here too, should a form forget.
    """

    def pre_validate(self, form):
        typed = bool(self.raw_data and str(self.raw_data[0]).strip())
        if self.process_errors and typed:  # empty is for Optional or InputRequired to judge
            raise StopValidation()

    def post_validate(self, form, validation_stopped):
        if self.errors or validation_stopped or self.data is None:
            return
        if not -INTEGER_COLUMN_MAX <= self.data <= INTEGER_COLUMN_MAX:
            self.errors.append(_l("This number is out of range."))


class WholeNumberField(NumberField):
    """A whole number as Indonesians type it: ``Rp150.000``, ``1.200`` or ``1 200``."""

    def process_formdata(self, valuelist):
        if valuelist:
            cleaned = re.sub(r"(?i)^\s*rp\.?|[\s.,]", "", valuelist[0] or "")
            valuelist = [cleaned]
        super().process_formdata(valuelist)


IMAGE_TYPES = "image/jpeg,image/png,image/webp"
DOCUMENT_TYPES = "application/pdf,image/jpeg,image/png"


# Photos are made smaller on the phone before they are sent, when the browser can: no photo is
# shown larger than this (app/catalog/images.py PHOTO_SIZES "large").
SHRINK_TO = 1600


def upload_field(
    label,
    accept: str,
    max_mb: int,
    multiple: bool = False,
    description=None,
    shrink: bool = False,
):
    """A file input that states its limits; the page script refuses over-size files at once
    and, with ``shrink``, turns large photos into JPEGs of at most SHRINK_TO pixels a side."""
    from flask_wtf.file import FileField

    render_kw = {
        "accept": accept,
        "data-max-bytes": max_mb * 2**20,
        "data-too-large": _l(
            "This file is larger than %(mb)d MB. Please choose a smaller one.", mb=max_mb
        ),
    }
    if multiple:
        render_kw["multiple"] = True
    if shrink:
        render_kw["data-shrink-to"] = SHRINK_TO
    hint = description or _l("At most %(mb)d MB.", mb=max_mb)
    return FileField(label, description=hint, render_kw=render_kw)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


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
    _ln(
        "'%(value)s' is not a valid choice for this field.",
        "'%(value)s' are not valid choices for this field.",
        1,
    ),
)


class ConfirmForm(Form):
    """A bare form: its CSRF token is the point (verify, revoke, remove buttons)."""
