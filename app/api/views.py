from flask import abort, jsonify, request, url_for

from app.api import bp, schemas
from app.api.openapi import document
from app.catalog.models import Product
from app.core import clock
from app.core.caching import public_page
from app.core.errors import error_response
from app.core.paging import paginate
from app.core.urls import absolute
from app.curation import listing
from app.extensions import db
from app.orgs import regions
from app.search import search
from app.showcase.forms import PageForm, SearchForm
from app.showcase.services import names, verified_ikm_or_404


def _answer(model: schemas.Answer):
    return jsonify(model.model_dump(mode="json"))


def _media(key: str | None) -> str | None:
    return absolute(url_for("core.media", key=key)) if key else None


def _region(code: str | None) -> schemas.Region:
    return schemas.Region(code=code or "", name=regions.name(code) or "")


def _ikm_ref(ikm_id, name, regency) -> schemas.IKMRef:
    return schemas.IKMRef(
        id=int(ikm_id),
        name=name,
        region=_region(regency),
        url=absolute(url_for("showcase.ikm_page", ikm_id=int(ikm_id))),
    )


def _product_url(product_id: int) -> str:
    return absolute(url_for("showcase.product_page", product_id=product_id))


def _curation_badges(product_ids: list[int]) -> dict[int, list[schemas.CurationBadge]]:
    """Per product: a badge for each round that accepted it, newest round first; an empty list
    for a product that is not listed. The list and the single product answer alike."""
    return {
        pid: [
            schemas.CurationBadge(
                partner_id=b.partner_id, partner_name=b.partner_name, round=b.round_title
            )
            for b in badges
        ]
        for pid, badges in listing.badges_for(product_ids).items()
    }


def _summary(item, badges: list[schemas.CurationBadge]) -> schemas.ProductSummary:
    snippet = item.snippet
    return schemas.ProductSummary(
        id=item.id,
        name=item.name,
        url=_product_url(item.id),
        image=_media(item.image),
        price=item.price,
        unit=item.unit,
        minimum_order=item.min_order,
        ikm=_ikm_ref(item.ikm_id, item.ikm_name, item.regency),
        certifications=item.certifications,
        curation_badges=badges,
        snippet=str(snippet) if snippet else None,
    )


def _facets(found: dict[str, list[tuple[str, int]]]) -> schemas.Facets:
    labels = names(found)
    return schemas.Facets(
        {
            name: [
                schemas.FacetValue(
                    value=value,
                    label=str(labels.get(name, {}).get(value) or regions.name(value) or value),
                    count=count,
                )
                for value, count in values
            ]
            for name, values in found.items()
        }
    )


def _bad_parameters(form):
    fields = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
    return error_response(400, message=str(next(iter(fields.values()))[0]), fields=fields)


@bp.route("/products")
@public_page
def products():
    form = SearchForm(request.args)
    if not form.validate():
        return _bad_parameters(form)
    result = search(form.params())
    badges = _curation_badges([item.id for item in result.items])
    return _answer(
        schemas.ProductList(
            items=[_summary(item, badges[item.id]) for item in result.items],
            total=result.total,
            page=result.page,
            pages=result.pages,
            facets=_facets(result.facets),
            suggestion=result.suggestion,
            fuzzy=result.fuzzy,
            loosened=result.loosened,
            fallback=result.fallback,
        )
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
    return _answer(
        schemas.Product(
            id=item.id,
            name=item.name,
            url=_product_url(item.id),
            image=_media(cover.medium.key if cover else None),
            price=item.retail_price or 0,
            unit=item.unit,
            minimum_order=item.min_order_qty,
            ikm=_ikm_ref(
                item.ikm_id, item.ikm.name, item.origin_regency_code or item.ikm.regency_code
            ),
            certifications=sorted({c.type for c in item.certificates if c.earns_badge(today)}),
            curation_badges=badges,
            description=item.description,
            category=item.category.full_name,
            materials=item.materials,
            price_tiers=[
                schemas.PriceTier(min_quantity=t.min_qty, unit_price=t.unit_price)
                for t in item.price_tiers
            ],
            capacity_monthly=item.capacity_monthly,
            lead_time_days=item.lead_time_days,
            photos=[_media(p.large.key) for p in item.photos],
            certificates=[
                schemas.Certificate(type=c.type, state=c.state(today), valid_until=c.valid_until)
                for c in item.certificates_for_buyers(today)
            ],
        )
    )


@bp.route("/ikms/<int:ikm_id>")
@public_page
def ikm(ikm_id: int):
    found = verified_ikm_or_404(ikm_id)
    form = PageForm(request.args)
    if not form.validate():
        return _bad_parameters(form)
    listed = paginate(
        listing.listed_products_query(ikm_id=found.id).with_only_columns(Product.id, Product.name),
        form.page.data or 1,
        per_page=schemas.PRODUCT_REFS,
        scalars=False,
    )
    return _answer(
        schemas.IKM(
            id=found.id,
            name=found.name,
            url=absolute(url_for("showcase.ikm_page", ikm_id=found.id)),
            sector=found.sector,
            region=_region(found.regency_code),
            verified=True,
            story=found.story,
            logo=_media(found.logo.key if found.logo else None),
            founded=found.year_founded,
            products=[
                schemas.ProductRef(id=pid, name=name, url=_product_url(pid))
                for pid, name in listed.items
            ],
            products_total=listed.total,
            page=listed.number,
            pages=listed.pages,
        )
    )


@bp.route("/openapi.json")
@public_page
def openapi():
    return jsonify(document(absolute(url_for("api.products")).rsplit("/products", 1)[0]))
