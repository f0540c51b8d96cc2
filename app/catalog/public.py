"""The public catalogue: home, search with facets, product, IKM and partner pages. No login."""

from __future__ import annotations

from functools import wraps
from urllib.parse import quote

from flask import abort, make_response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.catalog import bp
from app.catalog.models import CERTIFICATE_LABELS, Category, CertificateType, Product
from app.catalog.search_forms import SORT_LABELS, SearchForm
from app.core import clock
from app.core.i18n import rupiah
from app.core.urls import absolute
from app.curation.models import Round
from app.curation.services import (
    PHASE_LABELS,
    curation_badges,
    listed_products_query,
    phase,
)
from app.extensions import db
from app.orgs import regions
from app.orgs.models import IKM, Partner
from app.search import SearchItem, SearchParams, search
from app.search.query import MIN_ORDER_BUCKETS, PRICE_BUCKETS

PUBLIC_MAX_AGE = 60


def public_page(view):
    """Anonymous visitors get a short public cache and an ETag; logged-in people get none."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        response = make_response(view(*args, **kwargs))
        if current_user.is_authenticated:
            response.headers["Cache-Control"] = "private, no-store"
        elif response.status_code == 200:
            response.headers["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
            response.vary.add("Cookie")  # the language cookie, and a session turns caching off
            response.vary.add("Accept-Language")  # the language when no cookie chose one
            response.add_etag()
            response.make_conditional(request)
        return response

    return wrapper


def names() -> dict[str, dict[str, str]]:
    """Labels for facet values: categories, regions, partners, certificates, buckets."""
    categories = {str(c.id): c.name for c in db.session.scalars(db.select(Category))}
    partners = {str(p.id): p.name for p in db.session.scalars(db.select(Partner))}
    return {
        "category": categories,
        "sector": categories,
        "partner": partners,
        "certification": {k.value: str(v) for k, v in CERTIFICATE_LABELS.items()},
        "price": {key: _price_label(low, high) for key, low, high in PRICE_BUCKETS},
        "min_order": {key: _order_label(low, high) for key, low, high in MIN_ORDER_BUCKETS},
    }


def _price_label(low, high) -> str:
    if low is None:
        return _("up to %(price)s", price=rupiah(high))
    if high is None:
        return _("from %(price)s", price=rupiah(low))
    return f"{rupiah(low)}–{rupiah(high)}"


def _order_label(low, high) -> str:
    if high is None:
        return _("%(n)d or more", n=low)
    return str(low) if low == high else f"{low}–{high}"


def region_label(code: str) -> str:
    return regions.name(code) or code


@bp.route("/katalog")
@public_page
def search_page():
    form = SearchForm(request.args)
    form.validate()
    params = form.params()
    result = search(params)
    problems = [
        f"{form[name].label.text}: {message}"
        for name, errors in form.errors.items()
        for message in errors
    ]
    return render_template(
        "catalog/search.html",
        form=form,
        params=params,
        result=result,
        labels=names(),
        region_label=region_label,
        price_label=_price_label,
        problems=problems,
        sort_labels=SORT_LABELS,
        url_with=_url_with(params),
    )


def _url_with(params: SearchParams):
    """A link to the catalogue with some parameters changed (None removes one)."""
    base = {
        k: v for k, v in vars(params).items() if v not in (None, "", "relevance") and k != "page"
    }

    def build(**changes):
        values = {**base, **changes}
        if "page" not in changes:
            values.pop("page", None)
        values = {k: v for k, v in values.items() if v not in (None, "")}
        if values.get("page") == 1:
            values.pop("page")
        return url_for("catalog.search_page", **values)

    return build


def listed_product_or_404(product_id: int) -> tuple[Product, list]:
    """A listed product and its curation badges (the pages and the API); 404 otherwise."""
    product = db.session.get(Product, product_id)
    badges = curation_badges(product) if product is not None else []
    if not badges:
        abort(404)
    return product, badges


def verified_ikm_or_404(ikm_id: int) -> IKM:
    ikm = db.session.get(IKM, ikm_id)
    if ikm is None or not ikm.is_verified:
        abort(404)
    return ikm


@bp.route("/produk/<int:product_id>")
@public_page
def product_page(product_id: int):
    product, badges = listed_product_or_404(product_id)
    url = absolute(url_for("catalog.product_page", product_id=product.id))
    return render_template(
        "catalog/product_public.html",
        product=product,
        badges=badges,
        today=clock.today(),
        contact=contact_links(product.ikm, url, product),
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


@bp.route("/ikm/<int:ikm_id>")
@public_page
def ikm_page(ikm_id: int):
    ikm = verified_ikm_or_404(ikm_id)
    listed = db.session.scalars(listed_products_query(ikm_id=ikm.id)).all()
    url = absolute(url_for("catalog.ikm_page", ikm_id=ikm.id))
    return render_template(
        "catalog/ikm_public.html", ikm=ikm, products=listed, contact=contact_links(ikm, url)
    )


@bp.route("/mitra/<int:partner_id>")
@public_page
def partner_page(partner_id: int):
    partner = db.session.get(Partner, partner_id)
    if partner is None or not partner.is_active:
        abort(404)
    rounds = db.session.scalars(
        db.select(Round).filter_by(partner_id=partner.id).order_by(Round.opens_on.desc())
    ).all()
    accepted = db.session.scalars(listed_products_query(partner_id=partner.id)).all()
    today = clock.today()
    return render_template(
        "catalog/partner_public.html",
        partner=partner,
        rounds=[(r, phase(r, today)) for r in rounds],
        phase_labels=PHASE_LABELS,
        products=accepted,
        today=clock.today(),
    )


def featured(limit: int = 8) -> list[SearchItem]:
    return search(SearchParams(sort="newest")).items[:limit]


def sectors_with_counts() -> list[tuple[Category, int]]:
    counts = dict(search(SearchParams()).facets.get("sector", []))
    sectors = db.session.scalars(
        db.select(Category).where(Category.parent_id.is_(None)).order_by(Category.position)
    )
    return [(c, counts.get(str(c.id), 0)) for c in sectors]


def certificate_type_label(kind: str) -> str:
    return str(CERTIFICATE_LABELS[CertificateType(kind)])
