"""Products, photos and certifications: the IKM side of the catalogue."""

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


from app.catalog import views  # noqa: E402,F401
