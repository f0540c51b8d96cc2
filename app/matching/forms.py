"""Forms of the buyer's requests; their data becomes a ``RequestData`` for the services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.catalog.models import CERTIFICATE_LABELS
from app.core.forms import Form, MultiCheckboxField, WholeNumberField, options, strip
from app.core.units import unit_choices
from app.matching.models import VISIBILITY_LABELS
from app.matching.services import MAX_QUANTITY, RequestData
from app.orgs.forms import region_fields


def certificate_options():
    return options((kind.value, label) for kind, label in CERTIFICATE_LABELS.items())


class RequestForm(Form):
    organisation_id = SelectField(_l("On behalf of"), coerce=int)
    title = StringField(
        _l("What do you need?"),
        filters=[strip],
        validators=[DataRequired(), Length(max=150)],
        render_kw={"placeholder": _l("e.g. women's leather pumps")},
    )
    category_id = SelectField(_l("Category"), coerce=int)
    specification = TextAreaField(
        _l("Specification"),
        filters=[strip],
        validators=[Length(max=5000)],
        description=_l("Material, sizes, colours, packaging: what the makers need to know."),
    )
    quantity = WholeNumberField(
        _l("Quantity"),
        validators=[
            InputRequired(_l("Enter the quantity.")),
            NumberRange(min=1, max=MAX_QUANTITY, message=_l("Between 1 and 10,000,000.")),
        ],
    )
    unit = SelectField(_l("Unit"), choices=options(unit_choices()), default="pasang")
    target_unit_price = WholeNumberField(
        _l("Target price per unit (optional)"),
        validators=[Optional()],
        description=_l("Only you and the trade office see it."),
    )
    required_certificates = MultiCheckboxField(
        _l("Required certificates"), choices=certificate_options()
    )
    preferred_certificates = MultiCheckboxField(
        _l("Preferred certificates"), choices=certificate_options()
    )
    delivery_on = DateField(_l("Delivery date"), validators=[InputRequired(_l("Enter a date."))])
    province_code, regency_code = region_fields(required=False)
    allow_consortium = BooleanField(_l("Several IKMs may share the order"))
    max_group_size = WholeNumberField(
        _l("Largest group of IKMs"), validators=[Optional()], default=4
    )
    visibility = RadioField(
        _l("Who may see the request"),
        default="invited",
        choices=options((k.value, v) for k, v in VISIBILITY_LABELS.items()),
    )

    def data_for_service(self) -> RequestData:
        return RequestData(
            title=self.title.data,
            quantity=self.quantity.data,
            unit=self.unit.data,
            delivery_on=self.delivery_on.data,
            category_id=self.category_id.data or None,
            specification=self.specification.data or "",
            target_unit_price=self.target_unit_price.data,
            required_certificates=list(self.required_certificates.data or []),
            preferred_certificates=list(self.preferred_certificates.data or []),
            regency_code=self.regency_code.data or None,
            allow_consortium=bool(self.allow_consortium.data),
            max_group_size=self.max_group_size.data if self.allow_consortium.data else None,
            visibility=self.visibility.data,
        )


class QuoteForm(Form):
    unit_price = WholeNumberField(
        _l("Price per unit (Rupiah)"),
        validators=[InputRequired(_l("Enter the price.")), NumberRange(min=1, max=1_000_000_000)],
    )
    quantity = WholeNumberField(
        _l("Quantity you can supply"),
        validators=[InputRequired(_l("Enter the quantity.")), NumberRange(min=1, max=MAX_QUANTITY)],
    )
    delivery_on = DateField(_l("Delivery date"), validators=[InputRequired(_l("Enter a date."))])
    valid_until = DateField(_l("Quote valid until (optional)"), validators=[Optional()])
    note = TextAreaField(_l("Note"), filters=[strip], validators=[Length(max=2000)])


class DeclineForm(Form):
    reason = TextAreaField(
        _l("Why you decline"),
        filters=[strip],
        validators=[DataRequired(_l("Say why you decline.")), Length(max=1000)],
        render_kw={"placeholder": _l("e.g. our capacity is booked until March")},
    )


class AcceptForm(Form):
    quantity = WholeNumberField(
        _l("Quantity to accept"),
        validators=[Optional(), NumberRange(min=1, max=MAX_QUANTITY)],
        description=_l("Leave empty to accept the whole quote."),
    )


class MessageForm(Form):
    """A plain-text message in an enquiry thread; ``organisation_id`` only when the person
    asks for one of several buyer organisations."""

    organisation_id = SelectField(_l("On behalf of"), coerce=int, validate_choice=True)
    body = TextAreaField(
        _l("Message"),
        filters=[strip],
        validators=[DataRequired(_l("Write a message first."))],
        render_kw={"rows": 4},
    )
