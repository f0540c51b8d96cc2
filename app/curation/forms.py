from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    HiddenField,
    RadioField,
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

from app.catalog.models import CERTIFICATE_LABELS
from app.core.forms import Form, MultiCheckboxField, NumberField, SubForm, options, strip
from app.core.units import unit_choices
from app.curation.models import DECISION_LABELS, FEEDBACK_LABELS

# What a round may require of a sector's products, as groups of alternatives.
REQUIREMENT_PRESETS = {
    "halal": [["halal"]],
    "pirt|bpom": [["pirt", "bpom"]],
    "bpom": [["bpom"]],
    "sni": [["sni"]],
    "hki": [["hki"]],
}


def requirement_label(key: str) -> str:
    return " / ".join(str(CERTIFICATE_LABELS[kind]) for kind in key.split("|"))


class RoundForm(Form):
    title = StringField(_l("Title"), filters=[strip], validators=[DataRequired(), Length(max=150)])
    description = TextAreaField(
        _l("Description"),
        filters=[strip],
        validators=[Length(max=5000)],
        description=_l("What you are looking for, for which shops or markets."),
    )
    opens_on = DateField(_l("Submissions open on"), validators=[InputRequired(_l("Enter a date."))])
    closes_on = DateField(_l("Last day to submit"), validators=[InputRequired(_l("Enter a date."))])
    review_due_on = DateField(_l("Reviews due by"), validators=[InputRequired(_l("Enter a date."))])
    category_ids = MultiCheckboxField(_l("Categories accepted"), coerce=int)
    requirements = MultiCheckboxField(_l("Required verified certificates"))
    curators_per_submission = NumberField(
        _l("Curators per submission"),
        default=2,
        validators=[InputRequired(), NumberRange(min=1, max=5)],
    )
    max_per_curator = NumberField(
        _l("At most this many submissions per curator (optional)"),
        validators=[Optional(), NumberRange(min=1, max=10000)],
    )
    min_capacity = NumberField(
        _l("Minimum monthly capacity (optional)"),
        validators=[Optional(), NumberRange(min=1, max=100_000_000)],
    )
    min_capacity_unit = SelectField(
        _l("Unit of the capacity"), choices=options(unit_choices()), default="pcs"
    )
    is_blind = BooleanField(_l("Blind review: curators do not see who the IKM is"))
    feedback_visibility = RadioField(
        _l("What IKMs see of the scores"),
        default="averages",
        choices=options((k.value, v) for k, v in FEEDBACK_LABELS.items()),
    )
    pass_threshold = NumberField(
        _l("Pass mark (score out of 100)"),
        default=70,
        validators=[InputRequired(), NumberRange(min=0, max=100)],
    )
    quota = NumberField(
        _l("Quota: how many products you plan to accept (optional)"),
        validators=[Optional(), NumberRange(min=1, max=100_000)],
    )
    rubric_source = SelectField(_l("Start the rubric from"), coerce=int)

    def validate_category_ids(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one category."))

    def required_certificates(self) -> dict:
        chosen: dict[str, list[list[str]]] = {}
        for value in self.requirements.data or []:
            sector, _, key = value.partition(":")
            chosen.setdefault(sector, []).extend(REQUIREMENT_PRESETS[key])
        return chosen


class CriterionForm(SubForm):
    name = StringField(_l("Criterion"), filters=[strip], validators=[Length(max=120)])
    guidance = TextAreaField(
        _l("Guidance for curators"), filters=[strip], validators=[Length(max=1000)]
    )
    weight = NumberField(
        _l("Weight"), default=1, validators=[Optional(), NumberRange(min=0, max=100)]
    )
    scale_max = SelectField(
        _l("Scale"), coerce=int, default=5, choices=options((n, f"1–{n}") for n in (3, 4, 5, 7, 10))
    )
    counts = BooleanField(_l("Counts towards the score"), default=True)


class RubricForm(Form):
    criteria = FieldList(FormField(CriterionForm), min_entries=1, max_entries=20)


class AutoAssignForm(Form):
    max_per_curator = NumberField(
        _l("At most this many per curator (optional)"),
        validators=[Optional(), NumberRange(min=1, max=10000)],
    )


class AssignForm(Form):
    curator_id = SelectField(_l("Curator"), coerce=int, validators=[InputRequired()])


class DecisionForm(Form):
    decision = RadioField(
        _l("Decision"),
        choices=options((k.value, v) for k, v in DECISION_LABELS.items()),
        validators=[InputRequired(_l("Choose a decision."))],
    )
    reason = TextAreaField(
        _l("Feedback for the IKM"),
        filters=[strip],
        validators=[Length(max=3000)],
        description=_l("Required when not accepting: what should the IKM improve?"),
    )
    conditions = TextAreaField(
        _l("Conditions of acceptance (optional, one per line)"),
        filters=[strip],
        validators=[Length(max=3000)],
        description=_l("Fixes the IKM ticks off, for example: add the net weight to the label."),
    )

    def condition_list(self) -> list[str]:
        return [
            line.strip()[:300] for line in (self.conditions.data or "").splitlines() if line.strip()
        ][:20]


class ReviewForm(Form):
    comment = TextAreaField(
        _l("Comment for the IKM"),
        filters=[strip],
        validators=[Length(max=5000)],
        description=_l("What is good, and what would make the product ready for us."),
    )
    private_note = TextAreaField(
        _l("Private note for the partner"),
        filters=[strip],
        validators=[Length(max=5000)],
        description=_l("Never shown to the IKM."),
    )
    action = HiddenField()


def review_form_class(criteria):
    """A ReviewForm with one score field per criterion of the round's rubric."""
    fields = {
        f"score_{c.id}": RadioField(
            c.name,
            description=c.guidance,
            validators=[Optional()],
            coerce=int,
            choices=options((n, str(n)) for n in range(1, c.scale_max + 1)),
        )
        for c in criteria
    }
    return type("RoundReviewForm", (ReviewForm,), fields)


class ConflictForm(Form):
    reason = TextAreaField(
        _l("Why you cannot review this IKM fairly"),
        filters=[strip],
        validators=[DataRequired(_l("Say briefly why.")), Length(max=1000)],
    )


class SubmitProductForm(Form):
    product_id = HiddenField(validators=[DataRequired()])
