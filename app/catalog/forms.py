from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    FieldList,
    FormField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import NumberInput

from app.catalog.models import CERTIFICATE_LABELS
from app.core import clock
from app.core.forms import (
    DOCUMENT_TYPES,
    IMAGE_TYPES,
    Form,
    MultiCheckboxField,
    NumberField,
    SubForm,
    WholeNumberField,
    none_if_empty,
    options,
    strip,
    upload_field,
)
from app.core.units import unit_choices
from app.orgs.forms import region_fields

# Within an INTEGER column (2,147,483,647) and within reason: Rp1 billion per unit, 100 million
# units (a year of a large shoe factory is a few million pairs).
MAX_RUPIAH = 1_000_000_000
MAX_QUANTITY = 100_000_000


def rupiah_field(label, required=False):
    validators = [InputRequired(_l("Enter a price in Rupiah."))] if required else [Optional()]
    return WholeNumberField(
        label,
        validators=[*validators, NumberRange(min=1, max=MAX_RUPIAH)],
        render_kw={"inputmode": "numeric"},
    )


def quantity_field(label, required=False, minimum=1, maximum=MAX_QUANTITY):
    validators = [InputRequired(_l("Enter a whole number."))] if required else [Optional()]
    return WholeNumberField(
        label,
        validators=[*validators, NumberRange(min=minimum, max=maximum)],
        render_kw={"inputmode": "numeric"},
    )


class AttributeForm(SubForm):
    label = StringField(
        _l("Attribute"),
        filters=[strip],
        validators=[Length(max=40)],
        render_kw={"placeholder": _l("e.g. Sizes")},
    )
    value = StringField(
        _l("Value"),
        filters=[strip],
        validators=[Length(max=120)],
        render_kw={"placeholder": _l("e.g. 36–41")},
    )

    def validate_value(self, field):
        if bool(self.label.data) != bool(field.data):
            raise ValidationError(_l("Fill in both the attribute and its value, or neither."))


class TierForm(SubForm):
    min_qty = quantity_field(_l("From quantity"))
    unit_price = rupiah_field(_l("Price per unit (Rp)"))

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if valid and (self.min_qty.data is None) != (self.unit_price.data is None):
            self.unit_price.errors = [_l("Fill in both the quantity and the price, or neither.")]
            return False
        return valid


class ProductForm(Form):
    name = StringField(
        _l("Product name"), filters=[strip], validators=[DataRequired(), Length(max=150)]
    )
    category_id = SelectField(
        _l("Category"), coerce=int, validators=[InputRequired(_l("Choose a category."))]
    )
    description = TextAreaField(
        _l("Description"),
        filters=[strip],
        validators=[Length(max=5000)],
        description=_l("Material, sizes, how it is made, what makes it special."),
    )
    materials = StringField(
        _l("Materials"),
        filters=[none_if_empty],
        validators=[Length(max=300)],
        render_kw={"placeholder": _l("e.g. cow leather, rubber sole")},
    )
    attributes = FieldList(FormField(AttributeForm), min_entries=4, max_entries=12)
    origin_province, origin_regency_code = region_fields("origin_regency_code", required=False)
    retail_price = rupiah_field(_l("Retail price (Rp per unit)"))
    price_tiers = FieldList(FormField(TierForm), min_entries=3, max_entries=6)
    unit = SelectField(_l("Unit"), choices=options(unit_choices()), validators=[InputRequired()])
    min_order_qty = quantity_field(_l("Minimum order"), required=True)
    capacity_monthly = quantity_field(_l("Capacity per month"))
    lead_time_days = quantity_field(_l("Lead time (days)"), minimum=0, maximum=365)
    weight_grams = quantity_field(_l("Weight per unit (grams)"), maximum=1_000_000)
    length_cm = quantity_field(_l("Length (cm)"), maximum=1000)
    width_cm = quantity_field(_l("Width (cm)"), maximum=1000)
    height_cm = quantity_field(_l("Height (cm)"), maximum=1000)
    shelf_life_days = quantity_field(_l("Shelf life (days, food and drink)"), maximum=3650)
    hs_code = StringField(
        _l("HS code (optional, for export)"),
        filters=[none_if_empty],
        description=_l("4 to 10 digits, for example 6403.99."),
    )
    certificate_ids = MultiCheckboxField(_l("Certificates that cover this product"), coerce=int)

    def validate_hs_code(self, field):
        if field.data:
            digits = field.data.replace(".", "").replace(" ", "")
            if not digits.isdigit() or len(digits) not in (4, 6, 8, 10):
                raise ValidationError(
                    _l("An HS code has 4, 6, 8 or 10 digits, for example 6403.99.")
                )
            field.data = digits

    def validate_origin_regency_code(self, field):
        if field.data and not field.data.startswith(f"{self.origin_province.data}."):
            raise ValidationError(_l("Choose a kabupaten/kota in the selected province."))

    def tiers(self) -> list[tuple[int, int]]:
        rows = [row.form for row in self.price_tiers]
        return [
            (r.min_qty.data, r.unit_price.data)
            for r in rows
            if r.min_qty.data is not None and r.unit_price.data is not None
        ]

    def attribute_pairs(self) -> list[dict]:
        rows = [row.form for row in self.attributes]
        return [{"label": r.label.data, "value": r.value.data} for r in rows if r.label.data]


class PhotoForm(Form):
    photos = upload_field(
        _l("Add photos (JPEG, PNG or WebP)"),
        IMAGE_TYPES,
        12,
        multiple=True,
        description=_l("You can choose several at once. At most 12 MB each."),
        shrink=True,
    )


class CertificateForm(Form):
    type = SelectField(
        _l("Kind of certificate"),
        choices=options((t.value, label) for t, label in CERTIFICATE_LABELS.items()),
        validators=[InputRequired()],
    )
    title = StringField(
        _l("Name of the certificate"),
        filters=[none_if_empty],
        validators=[Length(max=120)],
        description=_l("Only for other kinds, for example ISO 9001 or Organic."),
    )
    number = StringField(
        _l("Certificate number"), filters=[strip], validators=[DataRequired(), Length(max=80)]
    )
    issuer = StringField(
        _l("Issued by"),
        filters=[none_if_empty],
        validators=[Length(max=150)],
        render_kw={"placeholder": _l("e.g. BPJPH, DJKI, LSPro, Dinas Kesehatan")},
    )
    issued_on = DateField(_l("Issued on"), validators=[Optional()])
    valid_until = DateField(
        _l("Valid until"),
        validators=[Optional()],
        description=_l("Leave empty for a halal certificate without an end date."),
    )
    nice_class = NumberField(
        _l("Nice class (trademarks)"),
        widget=NumberInput(),
        validators=[Optional(), NumberRange(min=1, max=45)],
        description=_l("25 is footwear and clothing."),
    )
    standard = StringField(
        _l("Standard (SNI)"),
        filters=[none_if_empty],
        validators=[Length(max=40)],
        render_kw={"placeholder": "SNI 887:2023"},
    )
    document = upload_field(
        _l("Document (PDF, JPEG or PNG)"),
        DOCUMENT_TYPES,
        8,
        description=_l(
            "A scan or photo of the certificate, at most 8 MB. Only you, the trade office and "
            "assigned curators can open it."
        ),
    )
    product_ids = MultiCheckboxField(_l("Products it covers"), coerce=int)

    def validate_issued_on(self, field):
        if field.data and field.data > clock.today():
            raise ValidationError(_l("The issue date cannot be in the future."))


class ReasonForm(Form):
    reason = TextAreaField(
        _l("Reason, shown to the IKM"),
        filters=[strip],
        validators=[DataRequired(_l("Give the IKM a reason it can act on.")), Length(max=2000)],
    )
