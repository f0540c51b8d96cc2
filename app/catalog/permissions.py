"""Who may see and change products and certificates. Anyone else gets a 404."""

from __future__ import annotations

from app.catalog.models import Certificate, Product
from app.orgs.models import IKM, MemberRole
from app.orgs.permissions import has_role


def can_manage_catalog(user, ikm: IKM) -> bool:
    """Members of the IKM (owner and staff) keep its products and certificates."""
    return isinstance(ikm, IKM) and has_role(user, ikm, MemberRole.OWNER, MemberRole.STAFF)


def can_edit_product(user, product: Product) -> bool:
    return can_manage_catalog(user, product.ikm)


def can_edit_certificate(user, certificate: Certificate) -> bool:
    return can_manage_catalog(user, certificate.ikm)


# Other parts (curation) add rules under which someone may read a certificate document,
# for example a curator assigned to a submission that includes a product it covers.
DOCUMENT_READERS: list = []


def can_read_certificate_document(user, certificate: Certificate) -> bool:
    """The owning IKM, the trade office, and whoever another part's rule lets in."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_admin or can_edit_certificate(user, certificate):
        return True
    return any(rule(user, certificate) for rule in DOCUMENT_READERS)


def can_verify_certificate(user) -> bool:
    return getattr(user, "is_admin", False)
