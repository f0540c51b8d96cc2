"""The catalogue's query parameters, checked once for the pages and the API alike."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional, Regexp, ValidationError

from app.catalog.forms import MAX_RUPIAH
from app.catalog.models import CERTIFICATE_LABELS
from app.core.forms import NumberField, SubForm, options, printable
from app.search import MAX_QUERY_CHARS, MIN_ORDER_BUCKETS, SORTS, SearchParams

SORT_LABELS = {
    "relevance": _l("Most relevant"),
    "newest": _l("Newest"),
    "price_asc": _l("Price: low to high"),
    "price_desc": _l("Price: high to low"),
}
MAX_PRICE = MAX_RUPIAH  # no product costs more; a larger bound is a mistake, said so
MAX_ID = 10**9
MAX_PAGE = 1000
# As JSON Schema reads a pattern (the API's document states it): ASCII digits, and `$` the end
# of the text; the form checks it with \Z, since Python's `$` also allows a final newline.
REGION_PATTERN = r"^[0-9]{2}[.][0-9]{2}$"


class SearchForm(SubForm):
    """GET parameters: no CSRF; every field optional; unknown parameters ignored."""

    q = StringField(
        _l("Search"),
        validators=[
            Optional(),
            Length(max=MAX_QUERY_CHARS, message=_l("Use at most 200 characters.")),
        ],
        filters=[printable],
    )
    category = NumberField(_l("Category"), validators=[Optional(), NumberRange(min=1, max=MAX_ID)])
    certification = SelectField(
        _l("Certification"),
        validators=[Optional()],
        choices=options([("", "–")] + [(k.value, v) for k, v in CERTIFICATE_LABELS.items()]),
    )
    region = StringField(
        _l("Region"),
        validators=[
            Optional(),
            Regexp(
                REGION_PATTERN.removesuffix("$") + r"\Z", message=_l("Use a code such as 35.16.")
            ),
        ],
    )
    partner = NumberField(_l("Curated by"), validators=[Optional(), NumberRange(min=1, max=MAX_ID)])
    min_price = NumberField(
        _l("Lowest price"), validators=[Optional(), NumberRange(min=0, max=MAX_PRICE)]
    )
    max_price = NumberField(
        _l("Highest price"), validators=[Optional(), NumberRange(min=0, max=MAX_PRICE)]
    )
    min_order = SelectField(
        _l("Minimum order"),
        validators=[Optional()],
        choices=options([("", "–")] + [(key, key) for key, _, _ in MIN_ORDER_BUCKETS]),
    )
    sort = SelectField(
        _l("Sort by"),
        validators=[Optional()],
        default="relevance",
        choices=options((key, SORT_LABELS[key]) for key in SORTS),
    )
    page = NumberField(_l("Page"), validators=[Optional(), NumberRange(min=1, max=MAX_PAGE)])

    def validate_max_price(self, field):
        low = self.min_price.data if not self.min_price.errors else None
        if low is not None and field.data is not None and field.data < low:
            raise ValidationError(_l("The highest price is below the lowest price."))

    def params(self) -> SearchParams:
        """Parameters from the valid fields; an invalid field counts as not given."""

        def good(name):
            field = self[name]
            return None if field.errors or field.data in ("", None) else field.data

        return SearchParams(
            q=(good("q") or "").strip(),
            category=good("category"),
            certification=good("certification"),
            region=good("region"),
            partner=good("partner"),
            min_price=good("min_price"),
            max_price=good("max_price"),
            min_order=good("min_order"),
            sort=good("sort") or "relevance",
            page=good("page") or 1,
        )


class PageForm(SubForm):
    """GET ?page= alone (an IKM's products in the API): checked like the search's page."""

    page = NumberField(_l("Page"), validators=[Optional(), NumberRange(min=1, max=MAX_PAGE)])
