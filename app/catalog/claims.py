"""Certificate numbers claimed by more than one IKM.

Saving is never refused (the number may be a typo, or the other claim the wrong one); the IKM is
warned and the trade office sees the other claimants beside the certificate when it checks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from app.catalog.identifiers import compact
from app.catalog.models import Certificate, CertificateStatus
from app.extensions import db
from app.orgs.models import IKM

_IGNORED = ("\u0020", ".", "-", "/")  # what compact() drops besides other white space


def _number_key():
    """The stored number as compact() writes it, in SQL (stored numbers hold no tabs)."""
    key = Certificate.number
    for character in _IGNORED:
        key = db.func.replace(key, character, "")
    return db.func.upper(key)


def claimed_elsewhere(certificates: Sequence[Certificate]) -> dict[int, list[str]]:
    """For each certificate whose type and number another IKM also claims (a claim the office
    has not rejected), the names of those IKMs; one query for the whole list.

    :param certificates: certificates of any IKMs, e.g. a page of the office's queue
    """
    wanted = {(c.type, compact(c.number)) for c in certificates}
    if not wanted:
        return {}
    key = _number_key()
    rows = db.session.execute(
        db.select(Certificate.type, key, Certificate.ikm_id, IKM.name)
        .join(IKM, IKM.id == Certificate.ikm_id)
        .where(Certificate.type.in_({kind for kind, _ in wanted}))
        .where(key.in_({number for _, number in wanted}))
        .where(Certificate.status != CertificateStatus.REJECTED)
    ).all()
    claimants: dict[tuple[str, str], dict[int, str]] = defaultdict(dict)
    for kind, number, ikm_id, name in rows:
        claimants[(kind, number)][ikm_id] = name
    found = {}
    for certificate in certificates:
        others = claimants.get((certificate.type, compact(certificate.number)), {})
        names = sorted(name for ikm_id, name in others.items() if ikm_id != certificate.ikm_id)
        if names:
            found[certificate.id] = names
    return found
