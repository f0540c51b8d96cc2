"""Products, photos and certifications (IKM side), and the public catalogue pages."""

from flask import Blueprint

bp = Blueprint("catalog", __name__)


@bp.app_template_global()
def state_label(state: str) -> str:
    """A certificate's state in the user's language."""
    from app.catalog.models import CERTIFICATE_STATUS_LABELS, CertificateStatus

    return str(CERTIFICATE_STATUS_LABELS[CertificateStatus(state)])


@bp.app_template_global()
def region_name(code: str) -> str:
    from app.orgs import regions

    return regions.name(code) or code


@bp.app_template_global()
def certificate_label(kind: str) -> str:
    from app.catalog.models import CERTIFICATE_LABELS, CertificateType

    return str(CERTIFICATE_LABELS[CertificateType(kind)])


@bp.app_template_global()
def card_of(product) -> dict:
    """A product card's fields from a Product (the same keys a search hit has)."""
    cover = product.cover
    badges = [c.type for c in product.certificates if c.earns_badge(_today())]
    return {
        "id": product.id,
        "name": product.name,
        "image": cover.medium.key if cover else "",
        "price": product.retail_price or 0,
        "unit": product.unit,
        "min_order": product.min_order_qty,
        "ikm_id": product.ikm_id,
        "ikm_name": product.ikm.name,
        "regency": product.origin_regency_code or product.ikm.regency_code or "",
        "certifications": sorted(set(badges)),
        "snippet": None,
    }


def _today():
    from app.core import clock

    return clock.today()


from app.catalog import public, views  # noqa: E402,F401
