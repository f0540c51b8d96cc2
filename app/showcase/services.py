"""What the shop window shows: listed products, their cards and labels, contact links."""

from __future__ import annotations

from urllib.parse import quote

from flask import abort
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import literal, union_all
from sqlalchemy.orm import joinedload, selectinload

from app.catalog.models import CERTIFICATE_LABELS, Category, Product
from app.core import clock
from app.core.i18n import rupiah
from app.core.paging import Page, paginate, paginate_counted
from app.curation import listing
from app.curation.models import Round
from app.extensions import db
from app.orgs.models import IKM, Partner
from app.search import MIN_ORDER_BUCKETS, PRICE_BUCKETS, SearchItem, SearchParams, search

PER_PAGE = 24


def names(
    found: dict[str, list[tuple[str, int]]], params: SearchParams | None = None
) -> dict[str, dict[str, str]]:
    """Labels for facet values: categories, regions, partners, certificates, buckets.

    Only the categories and partners that ``found`` (a search's facet counts) shows, or that
    ``params`` filters by, are read, as bare columns: a page reads one small lookup whatever
    the size of the catalogue or the number of partners (one statement).
    """
    category_ids = _ids(found, ("category", "sector"), params and params.category)
    partner_ids = _ids(found, ("partner",), params and params.partner)
    english = str(get_locale()) == "en"
    name = Category.name_en if english else Category.name_id
    both = union_all(  # one round trip for both
        db.select(literal("category"), Category.id, name).where(Category.id.in_(category_ids)),
        db.select(literal("partner"), Partner.id, Partner.name).where(Partner.id.in_(partner_ids)),
    )
    labels: dict[str, dict[str, str]] = {"category": {}, "partner": {}}
    for kind, key, label in db.session.execute(both):
        labels[kind][str(key)] = label
    categories, partners = labels["category"], labels["partner"]
    return {
        "category": categories,
        "sector": categories,
        "partner": partners,
        "certification": {k.value: str(v) for k, v in CERTIFICATE_LABELS.items()},
        "price": {key: price_label(low, high) for key, low, high in PRICE_BUCKETS},
        "min_order": {key: _order_label(low, high) for key, low, high in MIN_ORDER_BUCKETS},
    }


def _ids(found: dict, facets: tuple[str, ...], chosen) -> set[int]:
    ids = {value for name in facets for value, _ in found.get(name, ())}
    if chosen is not None:
        ids.add(str(chosen))
    return {int(value) for value in ids if str(value).isdigit()}


def price_label(low, high) -> str:
    if low is None:
        return _("up to %(price)s", price=rupiah(high))
    if high is None:
        return _("from %(price)s", price=rupiah(low))
    return f"{rupiah(low)}–{rupiah(high)}"


def _order_label(low, high) -> str:
    if high is None:
        return _("%(n)d or more", n=low)
    return str(low) if low == high else f"{low}–{high}"


def listed_product_or_404(product_id: int) -> tuple[Product, list[listing.CurationBadge]]:
    """A listed product and its curation badges (the pages and the API); 404 otherwise."""
    badges = listing.badges_for([product_id])[product_id]
    if not badges:
        abort(404)
    return db.session.get(Product, product_id, options=_PRODUCT_PAGE), badges


# What the product page shows, loaded with the product: the category's parent in the same
# statement, the photos, price tiers and certificates each in one more (not four lazy loads).
_PRODUCT_PAGE = (
    joinedload(Product.category).joinedload(Category.parent),
    selectinload(Product.photos),
    selectinload(Product.price_tiers),
    selectinload(Product.certificates),
)


def verified_ikm_or_404(ikm_id: int) -> IKM:
    ikm = db.session.get(IKM, ikm_id)
    if ikm is None or not ikm.is_verified:
        abort(404)
    return ikm


def active_partner_or_404(partner_id: int) -> Partner:
    partner = db.session.get(Partner, partner_id)
    if partner is None or not partner.is_active:
        abort(404)
    return partner


def listed_cards(number: int, ikm_id: int | None = None, partner_id: int | None = None) -> Page:
    """A page of listed products as cards (by name): one IKM's, or one partner's."""
    ids = listing.listed_products_query(ikm_id=ikm_id, partner_id=partner_id).with_only_columns(
        Product.id
    )
    return paginate_counted(ids, number, PER_PAGE).map(
        lambda page: [SearchItem(**card) for card in listing.cards(page, clock.today())]
    )


def partner_rounds(partner: Partner, number: int) -> Page:
    return paginate(
        db.select(Round)
        .filter_by(partner_id=partner.id)
        .options(selectinload(Round.categories))
        .order_by(Round.opens_on.desc(), Round.id.desc()),
        number,
        PER_PAGE,
    )


def contact_links(ikm: IKM, url: str, product: Product | None = None) -> dict[str, str | None]:
    """WhatsApp and email links that open with a message already written, about a product or
    about the IKM; None where the IKM gave no number or address."""
    if product is not None:
        text = _(
            "Hello %(ikm)s, I am interested in %(product)s on Etalase: %(url)s",
            ikm=ikm.name,
            product=product.name,
            url=url,
        )
        subject = _("Enquiry about %(product)s (Etalase)", product=product.name)
    else:
        text = _(
            "Hello %(ikm)s, I found you on Etalase (%(url)s) and would like to know more "
            "about your products.",
            ikm=ikm.name,
            url=url,
        )
        subject = _("Enquiry from Etalase")
    body = "\n\n".join([text, _("Quantity:"), _("Deliver to:"), _("Needed by:")])
    number = (ikm.whatsapp or "").lstrip("+")
    return {
        "whatsapp": f"https://wa.me/{number}?text={quote(text)}" if number.isdigit() else None,
        "email": f"mailto:{ikm.email}?subject={quote(subject)}&body={quote(body)}"
        if ikm.email
        else None,
    }


def featured(limit: int = 8) -> list[SearchItem]:
    return search(SearchParams(sort="newest")).items[:limit]


def sectors_with_counts() -> list[tuple[Category, int]]:
    counts = dict(search(SearchParams()).facets.get("sector", []))
    sectors = db.session.scalars(
        db.select(Category).where(Category.parent_id.is_(None)).order_by(Category.position)
    )
    return [(c, counts.get(str(c.id), 0)) for c in sectors]
