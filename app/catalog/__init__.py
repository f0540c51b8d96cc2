"""Products, photos and certifications (IKM side), and the public catalogue pages."""

from flask import Blueprint

bp = Blueprint("catalog", __name__)


@bp.app_template_global()
def state_label(state: str) -> str:
    """A certificate's state in the user's language."""
    from app.catalog.models import CERTIFICATE_STATUS_LABELS, CertificateStatus

    return str(CERTIFICATE_STATUS_LABELS[CertificateStatus(state)])


from app.catalog import views  # noqa: E402,F401
