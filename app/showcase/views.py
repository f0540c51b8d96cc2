"""The public pages: home, catalogue search with facets, product, IKM and partner pages."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import render_template, request, url_for

from app.core import clock
from app.core.caching import public_page
from app.core.paging import requested_page
from app.core.urls import absolute
from app.curation.rounds import PHASE_LABELS, phase
from app.extensions import db
from app.orgs import regions
from app.orgs.models import Partner
from app.search import SearchParams, search
from app.showcase import bp, services
from app.showcase.forms import SORT_LABELS, SearchForm


@bp.route("/")
@public_page
def index():
    partners = db.session.scalars(
        db.select(Partner).filter_by(is_active=True).order_by(Partner.name).limit(8)
    ).all()
    return render_template(
        "showcase/index.html",
        partners=partners,
        products=services.featured(),
        sectors=services.sectors_with_counts(),
    )


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
        "showcase/search.html",
        form=form,
        params=params,
        result=result,
        labels=services.names(result.facets, params),
        region_label=lambda code: regions.name(code) or code,
        price_label=services.price_label,
        problems=problems,
        sort_labels=SORT_LABELS,
        url_with=_url_with(params),
    )


_QUERY_SAFE = "!$'()*,/:;?@"


def _url_with(params: SearchParams):
    """A link to the catalogue with some parameters changed (None removes one)."""
    base = {
        k: v for k, v in vars(params).items() if v not in (None, "", "relevance") and k != "page"
    }
    # A search page has some 1,500 of these links (every facet value): the route is built once
    # and each link adds only its query, encoded as url_for would (Werkzeug's safe characters).
    path = url_for("showcase.search_page")

    def build(**changes):
        values = {**base, **changes}
        if "page" not in changes:
            values.pop("page", None)
        values = {k: v for k, v in values.items() if v not in (None, "")}
        if values.get("page") == 1:
            values.pop("page")
        return f"{path}?{urlencode(values, safe=_QUERY_SAFE)}" if values else path

    return build


@bp.route("/produk/<int:product_id>")
@public_page
def product_page(product_id: int):
    product, badges = services.listed_product_or_404(product_id)
    url = absolute(url_for("showcase.product_page", product_id=product.id))
    return render_template(
        "showcase/product_public.html",
        product=product,
        badges=badges,
        today=clock.today(),
        contact=services.contact_links(product.ikm, url, product),
    )


@bp.route("/ikm/<int:ikm_id>")
@public_page
def ikm_page(ikm_id: int):
    ikm = services.verified_ikm_or_404(ikm_id)
    url = absolute(url_for("showcase.ikm_page", ikm_id=ikm.id))
    return render_template(
        "showcase/ikm_public.html",
        ikm=ikm,
        products=services.listed_cards(requested_page(), ikm_id=ikm.id),
        page_url=lambda n: url_for("showcase.ikm_page", ikm_id=ikm.id, page=n),
        contact=services.contact_links(ikm, url),
    )


@bp.route("/mitra/<int:partner_id>")
@public_page
def partner_page(partner_id: int):
    partner = services.active_partner_or_404(partner_id)
    today = clock.today()
    rounds = services.partner_rounds(partner, requested_page("ronde"))
    return render_template(
        "showcase/partner_public.html",
        partner=partner,
        rounds=rounds.map(lambda page: [(r, phase(r, today)) for r in page]),
        rounds_url=lambda n: url_for("showcase.partner_page", partner_id=partner.id, ronde=n),
        phase_labels=PHASE_LABELS,
        products=services.listed_cards(requested_page(), partner_id=partner.id),
        page_url=lambda n: url_for("showcase.partner_page", partner_id=partner.id, page=n),
        today=today,
    )
