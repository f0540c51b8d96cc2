"""The trade office's forms: the audit trail's filters and user administration."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.admin.trail import KINDS, Filters
from app.core.forms import Form, SubForm, options, printable, strip
from app.orgs.models import ROLE_LABELS, MemberRole

KIND_LABELS = {
    "ikm": _l("IKM verification and profile"),
    "certificate": _l("Certificates"),
    "product": _l("Products"),
    "submission": _l("Curation submissions and decisions"),
    "assignment": _l("Curator assignments"),
    "review": _l("Reviews"),
    "round": _l("Curation rounds"),
    "event": _l("Business-matching events"),
    "participant": _l("Event registrations"),
    "meeting": _l("Event meetings"),
    "meeting_request": _l("Meeting requests"),
    "request": _l("Buyer requests"),
    "quote": _l("Quotes"),
    "thread": _l("Conversations"),
    "shortlist": _l("Shortlists"),
    "member": _l("Memberships and roles"),
    "invitation": _l("Invitations"),
    "partner": _l("Partners"),
    "organisation": _l("Organisations"),
    "user": _l("Accounts"),
}
assert set(KIND_LABELS) == set(KINDS)

SEARCH_MAX = 100


class TrailFilterForm(SubForm):
    """The audit trail's filters: GET parameters, no CSRF, every one optional."""

    orang = StringField(
        _l("Person (name or email)"),
        filters=[strip, printable],
        validators=[Optional(), Length(max=SEARCH_MAX, message=_l("Use at most 100 characters."))],
    )
    organisasi = StringField(
        _l("Organisation (name or number)"),
        filters=[strip, printable],
        validators=[Optional(), Length(max=SEARCH_MAX, message=_l("Use at most 100 characters."))],
    )
    jenis = SelectField(
        _l("Kind"),
        validators=[Optional()],
        choices=options([("", _l("Every kind"))] + [(k, KIND_LABELS[k]) for k in KINDS]),
    )
    dari = DateField(_l("From"), validators=[Optional()])
    sampai = DateField(_l("Until"), validators=[Optional()])

    def validate_sampai(self, field):
        if field.data and self.dari.data and field.data < self.dari.data:
            raise ValidationError(_l("The end of the period is before its start."))

    def filters(self) -> Filters:
        return Filters(
            person=self.orang.data or "",
            org=self.organisasi.data or "",
            kind=self.jenis.data or "",
            since=self.dari.data,
            until=self.sampai.data,
        )

    def params(self) -> dict:
        """The filters as query parameters, for the pager's links."""
        values = {
            "orang": self.orang.data,
            "organisasi": self.organisasi.data,
            "jenis": self.jenis.data,
            "dari": self.dari.data.isoformat() if self.dari.data else None,
            "sampai": self.sampai.data.isoformat() if self.sampai.data else None,
        }
        return {k: v for k, v in values.items() if v}


class UserSearchForm(SubForm):
    q = StringField(
        _l("Name or email"),
        filters=[strip, printable],
        validators=[Optional(), Length(max=SEARCH_MAX, message=_l("Use at most 100 characters."))],
    )


ROLE_CHOICES = [(r.value, ROLE_LABELS[r]) for r in MemberRole]


class DeactivateForm(Form):
    reason = TextAreaField(
        _l("Reason, told to the person"),
        filters=[strip],
        validators=[
            DataRequired(_l("Say why the account is deactivated.")),
            Length(max=1000, message=_l("Use at most 1000 characters.")),
        ],
    )


class RoleForm(Form):
    role = SelectField(
        _l("Role"),
        choices=options(ROLE_CHOICES),
        validate_choice=False,
        validators=[DataRequired()],
    )


class AddMembershipForm(Form):
    organisation = StringField(
        _l("Organisation (exact name or number)"),
        filters=[strip],
        validators=[
            DataRequired(_l("Name the organisation.")),
            Length(max=150, message=_l("Use at most 150 characters.")),
        ],
    )
    role = SelectField(
        _l("Role"),
        choices=options(ROLE_CHOICES),
        validate_choice=False,
        validators=[DataRequired()],
    )
