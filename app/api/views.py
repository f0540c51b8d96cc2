from flask import abort, jsonify, request, url_for

from app.api import bp
from app.api.openapi import document
from app.catalog.models import Product
from app.catalog.public import names, public_page, verified_ikm_or_404
from app.catalog.search_forms import SearchForm
from app.core import clock
from app.core.errors import error_response
from app.core.urls import absolute
from app.curation.models import Round, Submission
from app.curation.services import listed_products_query, listed_submissions_query
from app.extensions import db
from app.orgs import regions
from app.orgs.models import Partner
from app.search import SearchItem, search


def _media(key: str | None) -> str | None:
    return absolute(url_for("core.media", key=key)) if key else None


def _region(code: str | None) -> dict:
    return {"code": code or "", "name": regions.name(code) or ""}


def _ikm_ref(ikm_id, name, regency) -> dict:
    return {
        "id": int(ikm_id),
        "name": name,
        "region": _region(regency),
        "url": absolute(url_for("catalog.ikm_page", ikm_id=int(ikm_id))),
    }


def _curation_badges(product_ids: list[int]) -> dict[int, list]:
    """Per product: a badge for each round that accepted it, newest round first; an empty list
    for a product that is not listed. The list and the single product answer alike."""
    rows = db.session.execute(
        listed_submissions_query()
        .join(Partner, Round.partner_id == Partner.id)
        .with_only_columns(Submission.product_id, Partner.id, Partner.name, Round.title)
        .where(Submission.product_id.in_(product_ids))
        .order_by(Round.opens_on.desc(), Round.id)
    ).all()
    found: dict[int, list] = {pid: [] for pid in product_ids}
    for product_id, partner_id, partner_name, title in rows:
        found[product_id].append(
            {"partner_id": partner_id, "partner_name": partner_name, "round": title}
        )
    return found


def _summary(item: SearchItem, badges: list[dict]) -> dict:
    return {
        "id": item.id,
        "name": item.name,
        "url": absolute(url_for("catalog.product_page", product_id=item.id)),
        "image": _media(item.image),
        "price": item.price,
        "unit": item.unit,
        "minimum_order": item.min_order,
        "ikm": _ikm_ref(item.ikm_id, item.ikm_name, item.regency),
        "certifications": list(item.certifications),
        "curation_badges": badges,
        "snippet": str(item.snippet) if item.snippet else None,
    }


@bp.route("/products")
@public_page
def products():
    form = SearchForm(request.args)
    if not form.validate():
        fields = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        return error_response(400, message=str(next(iter(fields.values()))[0]), fields=fields)
    result = search(form.params())
    labels = names()
    badges = _curation_badges([item.id for item in result.items])
    facets = {
        name: [
            {
                "value": value,
                "label": str(labels.get(name, {}).get(value) or regions.name(value) or value),
                "count": count,
            }
            for value, count in values
        ]
        for name, values in result.facets.items()
    }
    return jsonify(
        items=[_summary(item, badges[item.id]) for item in result.items],
        total=result.total,
        page=result.page,
        pages=result.pages,
        facets=facets,
        suggestion=result.suggestion,
        fuzzy=result.fuzzy,
        loosened=result.loosened,
        fallback=result.fallback,
    )


@bp.route("/products/<int:product_id>")
@public_page
def product(product_id: int):
    badges = _curation_badges([product_id])[product_id]
    if not badges:  # unknown or not listed
        abort(404)
    item = db.session.get(Product, product_id)
    today = clock.today()
    cover = item.cover
    return jsonify(
        id=item.id,
        name=item.name,
        url=absolute(url_for("catalog.product_page", product_id=item.id)),
        image=_media(cover.medium.key if cover else None),
        price=item.retail_price or 0,
        unit=item.unit,
        minimum_order=item.min_order_qty,
        ikm=_ikm_ref(item.ikm_id, item.ikm.name, item.origin_regency_code or item.ikm.regency_code),
        certifications=sorted({c.type for c in item.certificates if c.earns_badge(today)}),
        curation_badges=badges,
        description=item.description,
        category=item.category.full_name,
        materials=item.materials,
        price_tiers=[
            {"min_quantity": t.min_qty, "unit_price": t.unit_price} for t in item.price_tiers
        ],
        capacity_monthly=item.capacity_monthly,
        lead_time_days=item.lead_time_days,
        photos=[_media(p.large.key) for p in item.photos],
        certificates=[
            {
                "type": c.type,
                "state": str(c.state(today)),
                "valid_until": c.valid_until.isoformat() if c.valid_until else None,
            }
            for c in item.certificates
        ],
    )


@bp.route("/ikms/<int:ikm_id>")
@public_page
def ikm(ikm_id: int):
    found = verified_ikm_or_404(ikm_id)
    listed = db.session.execute(
        listed_products_query(ikm_id=found.id).with_only_columns(Product.id, Product.name)
    ).all()
    return jsonify(
        id=found.id,
        name=found.name,
        url=absolute(url_for("catalog.ikm_page", ikm_id=found.id)),
        sector=found.sector,
        region=_region(found.regency_code),
        verified=True,
        story=found.story,
        logo=_media(found.logo.key if found.logo else None),
        founded=found.year_founded,
        products=[
            {
                "id": pid,
                "name": name,
                "url": absolute(url_for("catalog.product_page", product_id=pid)),
            }
            for pid, name in listed
        ],
    )


@bp.route("/openapi.json")
def openapi():
    return jsonify(document(absolute(url_for("api.products")).rsplit("/products", 1)[0]))
