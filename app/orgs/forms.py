from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.auth.forms import email_field, new_password_fields
from app.core import clock
from app.core.forms import (
    IMAGE_TYPES,
    Digits,
    Form,
    HttpUrl,
    NumberField,
    WhatsAppNumber,
    none_if_empty,
    options,
    strip,
    upload_field,
)
from app.core.units import unit_choices
from app.orgs import regions
from app.orgs.models import PARTNER_TYPE_LABELS, ROLE_LABELS, SECTOR_LABELS

KBLI_EDITIONS = [("2020", "KBLI 2020"), ("2025", "KBLI 2025")]


def region_fields(regency_name: str = "regency_code", required: bool = True):
    """A province select and a kabupaten/kota select; the page script narrows the second."""
    needed = [InputRequired()] if required else [Optional()]
    province = SelectField(
        _l("Province"), validators=needed, render_kw={"data-regency-select": regency_name}
    )
    regency = SelectField(_l("Kabupaten/kota"), validators=needed)
    return province, regency


def fill_region_choices(province, regency, blank_label=None) -> None:
    blank = [("", blank_label or _l("Choose…"))]
    province.choices = options(blank + [(p.code, p.name) for p in regions.provinces()])
    regency.choices = options(blank + [(r.code, r.name) for r in regions.regencies()])


class IKMProfileForm(Form):
    name = StringField(
        _l("IKM name"), filters=[strip], validators=[DataRequired(), Length(max=150)]
    )
    nib = StringField(
        _l("NIB (business identification number)"),
        filters=[strip],
        description=_l("13 digits, from OSS."),
        validators=[DataRequired(), Digits(13, _l("The NIB has exactly 13 digits."))],
    )
    sector = SelectField(
        _l("Sector"),
        choices=options(
            [("", _l("Choose…"))] + [(s.value, label) for s, label in SECTOR_LABELS.items()]
        ),
        validators=[InputRequired()],
    )
    kbli_code = StringField(
        _l("KBLI code (optional)"),
        filters=[none_if_empty],
        description=_l("5 digits, for example 13134 for the batik industry."),
        validators=[Optional(), Digits(5, _l("A KBLI code has exactly 5 digits."))],
    )
    kbli_edition = SelectField(_l("KBLI edition"), choices=options(KBLI_EDITIONS), default="2020")
    province_code, regency_code = region_fields()
    address = StringField(
        _l("Address"), filters=[strip], validators=[DataRequired(), Length(max=300)]
    )
    whatsapp = StringField(
        _l("WhatsApp number"),
        filters=[strip],
        validators=[DataRequired(), Length(max=30), WhatsAppNumber()],
    )
    email = EmailField(
        _l("Business email"),
        filters=[strip],
        validators=[
            DataRequired(),
            Length(max=254),
            Email(message=_l("Enter a valid email address.")),
        ],
    )
    website = StringField(
        _l("Website (optional)"),
        filters=[none_if_empty],
        validators=[Optional(), Length(max=200), HttpUrl()],
    )
    workers = NumberField(
        _l("Number of workers"),
        validators=[InputRequired(_l("Enter a whole number.")), NumberRange(min=1, max=100_000)],
    )
    capacity_monthly = NumberField(
        _l("Monthly production capacity"),
        validators=[
            InputRequired(_l("Enter a whole number.")),
            NumberRange(min=1, max=100_000_000),
        ],
    )
    capacity_unit = SelectField(
        _l("Unit"), choices=options(unit_choices()), validators=[InputRequired()]
    )
    year_founded = NumberField(
        _l("Year founded"), validators=[InputRequired(_l("Enter a year such as 2015."))]
    )
    has_export_experience = BooleanField(_l("We have exported before"))
    export_markets = StringField(
        _l("Export markets (optional)"),
        filters=[none_if_empty],
        validators=[Optional(), Length(max=200)],
    )
    story = TextAreaField(
        _l("Your story"),
        filters=[none_if_empty],
        description=_l("A few sentences about your craft, your town and your people."),
        validators=[Optional(), Length(max=3000)],
    )
    logo = upload_field(_l("Logo (JPEG, PNG or WebP)"), IMAGE_TYPES, 12, shrink=True)

    def validate_regency_code(self, field):
        regency = regions.get(field.data)
        if regency is not None and regency.province_code != self.province_code.data:
            raise ValidationError(_l("Choose a kabupaten/kota in the selected province."))

    def validate_logo(self, field):
        """Check the image now, so its problem shows with the others (the service stores it)."""
        from app.catalog.images import LOGO_SIZES, ImageRejected, process

        upload = field.data
        if not upload or not getattr(upload, "filename", ""):
            return
        data = upload.read()
        upload.seek(0)
        try:
            process(data, LOGO_SIZES)
        except ImageRejected as error:
            raise ValidationError(error.message) from error

    def validate_year_founded(self, field):
        if field.data is not None and not 1900 <= field.data <= clock.today().year:
            raise ValidationError(_l("Enter a year between 1900 and this year."))

    def validate_kbli_edition(self, field):
        if self.kbli_code.data and not field.data:
            raise ValidationError(_l("Choose the KBLI edition of the code."))


class InviteForm(Form):
    email = EmailField(
        _l("Email"),
        filters=[strip],
        validators=[
            DataRequired(),
            Length(max=254),
            Email(message=_l("Enter a valid email address.")),
        ],
    )
    role = SelectField(_l("Role"), validators=[InputRequired()])
    next = HiddenField()

    def set_roles(self, roles) -> None:
        self.role.choices = options((r.value, ROLE_LABELS[r]) for r in roles)


class AcceptInvitationForm(Form):
    """New people joining through an invitation choose a name and a password."""

    full_name = StringField(
        _l("Your full name"), filters=[strip], validators=[DataRequired(), Length(max=120)]
    )
    password, confirm = new_password_fields()


class PartnerForm(Form):
    name = StringField(
        _l("Partner name"), filters=[strip], validators=[DataRequired(), Length(max=150)]
    )
    partner_type = SelectField(
        _l("Kind of partner"),
        choices=options((t.value, label) for t, label in PARTNER_TYPE_LABELS.items()),
    )
    email = EmailField(
        _l("Email (optional)"),
        filters=[none_if_empty],
        validators=[Optional(), Length(max=254), Email(message=_l("Enter a valid email address."))],
    )
    website = StringField(
        _l("Website (optional)"),
        filters=[none_if_empty],
        validators=[Optional(), Length(max=200), HttpUrl()],
    )
    description = TextAreaField(
        _l("Description (optional)"),
        filters=[none_if_empty],
        validators=[Optional(), Length(max=2000)],
    )
    province_code, regency_code = region_fields(required=False)

    def validate_regency_code(self, field):
        if field.data:
            regency = regions.get(field.data)
            if regency is None or regency.province_code != self.province_code.data:
                raise ValidationError(_l("Choose a kabupaten/kota in the selected province."))


class RejectForm(Form):
    reason = TextAreaField(
        _l("Reason, shown to the IKM"),
        filters=[strip],
        validators=[DataRequired(_l("Give the IKM a reason it can act on.")), Length(max=2000)],
    )


ACCOUNT_TYPES = [
    ("ikm", _l("I make products (IKM owner)")),
    ("buyer_company", _l("I buy for a company")),
    ("buyer_individual", _l("I buy as an individual")),
]


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
