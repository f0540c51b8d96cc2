"""Forms of events, registrations and meeting requests; their data becomes the services'
dataclasses."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.core.forms import Form, MultiCheckboxField, WholeNumberField, options, strip
from app.core.units import unit_choices
from app.events.models import PARTICIPANT_KIND_LABELS
from app.events.services import EventData, RegistrationData
from app.events.slots import parse_time
from app.orgs.models import SECTOR_LABELS

BREAK = re.compile(r"^\s*(\d{1,2}[:.]\d{2})\s*[-–]\s*(\d{1,2}[:.]\d{2})\s*$")


def parse_breaks(text: str):
    """ "12:00-13:00, 15.00-15.15" as pairs of times; ValueError when it is not that."""
    pairs = []
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        match = BREAK.match(part)
        if match is None:
            raise ValueError(part)
        start, end = (parse_time(m.replace(".", ":")) for m in match.groups())
        pairs.append((start, end))
    return pairs


def kind_options():
    return options((k.value, label) for k, label in PARTICIPANT_KIND_LABELS.items())


def sector_options():
    return options((k.value, label) for k, label in SECTOR_LABELS.items())


class EventForm(Form):
    name = StringField(
        _l("Name of the event"), filters=[strip], validators=[DataRequired(), Length(max=150)]
    )
    venue = StringField(_l("Venue"), filters=[strip], validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), filters=[strip], validators=[Length(max=5000)])
    starts_on = DateField(_l("First day"), validators=[InputRequired(_l("Enter a date."))])
    ends_on = DateField(_l("Last day"), validators=[InputRequired(_l("Enter a date."))])
    day_starts_at = TimeField(
        _l("Meetings start at"), validators=[InputRequired(_l("Enter a time."))]
    )
    day_ends_at = TimeField(_l("Meetings end at"), validators=[InputRequired(_l("Enter a time."))])
    meeting_minutes = WholeNumberField(
        _l("Length of a meeting (minutes)"),
        default=20,
        validators=[
            InputRequired(_l("Enter the length of a meeting.")),
            NumberRange(min=5, max=240, message=_l("Between 5 and 240 minutes.")),
        ],
    )
    breaks = StringField(
        _l("Breaks"),
        filters=[strip],
        validators=[Length(max=300)],
        description=_l("For example 12:00-13:00, 15:00-15:15"),
    )
    tables = WholeNumberField(
        _l("Number of tables"),
        validators=[
            InputRequired(_l("Enter the number of tables.")),
            NumberRange(min=1, max=500, message=_l("Between 1 and 500 tables.")),
        ],
    )
    registration_opens_on = DateField(
        _l("Registration opens"), validators=[InputRequired(_l("Enter a date."))]
    )
    registration_closes_on = DateField(
        _l("Registration closes"), validators=[InputRequired(_l("Enter a date."))]
    )
    invited_kinds = MultiCheckboxField(_l("Who may register"), choices=kind_options())
    invited_sectors = MultiCheckboxField(
        _l("IKM sectors invited"),
        choices=sector_options(),
        description=_l("None ticked: every sector."),
    )

    def validate_breaks(self, field):
        try:
            parse_breaks(field.data)
        except ValueError:
            field.errors.append(_l("Write breaks as 12:00-13:00, separated by commas."))

    def validate_invited_kinds(self, field):
        if not field.data:
            field.errors.append(_l("Choose who may register."))

    def data_for_service(self) -> EventData:
        return EventData(
            name=self.name.data,
            venue=self.venue.data,
            description=self.description.data or "",
            starts_on=self.starts_on.data,
            ends_on=self.ends_on.data,
            day_starts_at=self.day_starts_at.data,
            day_ends_at=self.day_ends_at.data,
            meeting_minutes=self.meeting_minutes.data,
            breaks=parse_breaks(self.breaks.data),
            tables=self.tables.data,
            registration_opens_on=self.registration_opens_on.data,
            registration_closes_on=self.registration_closes_on.data,
            invited_kinds=list(self.invited_kinds.data or []),
            invited_sectors=list(self.invited_sectors.data or []),
        )


class RegistrationForm(Form):
    kind = SelectField(_l("Taking part as"))
    offers = TextAreaField(_l("What you offer"), filters=[strip], validators=[Length(max=2000)])
    seeks = TextAreaField(_l("What you seek"), filters=[strip], validators=[Length(max=2000)])
    product_ids = MultiCheckboxField(_l("Products you show"), coerce=int, validate_choice=False)
    request_ids = MultiCheckboxField(_l("Your open requests"), coerce=int, validate_choice=False)
    available_slots = MultiCheckboxField(_l("When you can meet"), coerce=int, validate_choice=False)
    max_meetings = WholeNumberField(
        _l("Most meetings you want"),
        default=6,
        validators=[
            InputRequired(_l("Enter how many meetings you want at most.")),
            NumberRange(min=1, max=500, message=_l("At least 1 meeting.")),
        ],
    )

    def validate_available_slots(self, field):
        if not field.data:
            field.errors.append(_l("Choose at least one slot when you can meet."))

    def data_for_service(self) -> RegistrationData:
        return RegistrationData(
            kind=self.kind.data,
            offers=self.offers.data or "",
            seeks=self.seeks.data or "",
            product_ids=list(self.product_ids.data or []),
            request_ids=list(self.request_ids.data or []),
            available_slots=list(self.available_slots.data or []),
            max_meetings=self.max_meetings.data,
        )


# 3 counts most when the schedule is made.
PRIORITY_LABELS = {3: _l("High"), 2: _l("Normal"), 1: _l("Low")}


class MeetingRequestForm(Form):
    invitees = MultiCheckboxField(_l("Whom you want to meet"), coerce=int, validate_choice=False)
    priority = SelectField(
        _l("Priority"),
        coerce=int,
        default=2,
        choices=options(PRIORITY_LABELS.items()),
    )
    message = TextAreaField(
        _l("Message"),
        filters=[strip],
        validators=[Optional(), Length(max=1000)],
        render_kw={"placeholder": _l("e.g. we look for makers of women's pumps")},
    )

    def validate_invitees(self, field):
        if not field.data:
            field.errors.append(_l("Choose whom you want to meet."))


class MoveMeetingForm(Form):
    """Where the office puts a meeting: a slot of the event and a table (numbered from 1).
    Whether it is free is the schedule's to say (``changes.move``, ``changes.place``)."""

    slot = SelectField(_l("Slot"), coerce=int, validate_choice=False)
    table = WholeNumberField(_l("Table"), validators=[InputRequired()])

    def __init__(self, slots=(), *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.slot.choices = [
            (n, f"{start:%d/%m %H:%M}–{end:%H:%M}") for n, (start, end) in enumerate(slots)
        ]


class OutcomeForm(Form):
    """What came of a meeting: a kind, and for a deal its quantity and value. The figures'
    rules are the service's (``outcomes.validate``)."""

    kind = RadioField(_l("What came of the meeting"), validate_choice=False)
    quantity = WholeNumberField(_l("Quantity"), validators=[Optional()])
    unit = SelectField(
        _l("Unit"), choices=options(unit_choices()), default="pasang", validate_choice=False
    )
    value = WholeNumberField(_l("Value (Rupiah)"), validators=[Optional()])
    note = TextAreaField(_l("Note"), filters=[strip], validators=[Optional(), Length(max=1000)])

    def __init__(self, *args, **kwargs):
        from app.events.models import OUTCOME_KIND_LABELS

        super().__init__(*args, **kwargs)
        self.kind.choices = options((k.value, label) for k, label in OUTCOME_KIND_LABELS.items())

    def validate_kind(self, field):
        if not field.data:
            raise ValidationError(_l("Choose what came of the meeting."))

    def data_for_service(self):
        from app.events.outcomes import OutcomeData

        return OutcomeData(
            kind=self.kind.data,
            quantity=self.quantity.data,
            unit=self.unit.data if self.quantity.data is not None else None,
            value=self.value.data,
            note=self.note.data or "",
        )


ADDRESS_SEPARATORS = re.compile(r"[\s,;]+")


class InvitationForm(Form):
    """Addresses to invite, one per line or separated by commas, and a word from the office."""

    emails = TextAreaField(
        _l("Email addresses"),
        description=_l("One per line, or separated by commas. At most 200 at a time."),
        validators=[Optional(), Length(max=20_000)],
    )
    message = TextAreaField(
        _l("A word from the office (optional)"),
        filters=[strip],
        validators=[Optional(), Length(max=1000)],
    )

    def addresses(self) -> list[str]:
        return [a for a in ADDRESS_SEPARATORS.split(self.emails.data or "") if a]

    def validate_emails(self, field) -> None:
        from email_validator import EmailNotValidError, validate_email

        if field.errors:  # too long to look at
            return
        bad = []
        for address in self.addresses():
            try:
                validate_email(address, check_deliverability=False)
            except EmailNotValidError:
                bad.append(address)
        if bad:
            shown = ", ".join(a[:60] for a in bad[:3])
            raise ValidationError(_l("Not an email address: %(addresses)s", addresses=shown))
