"""Is a product ready for curation? A checklist that names what is missing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from app.catalog.models import CERTIFICATE_LABELS, CertificateStatus, CertificateType, Product

MIN_DESCRIPTION = 80


@dataclass(frozen=True)
class Check:
    label: str
    ok: bool
    hint: str = ""
    pending: bool = False  # present, waiting for the trade office


def checklist(product: Product, today: date) -> list[Check]:
    checks = [
        Check(
            _l("Photos"),
            bool(product.photos),
            _l("Add at least one photo; three or more show the product best."),
        ),
        Check(
            _l("Description"),
            len(product.description or "") >= MIN_DESCRIPTION,
            _l(
                "Describe the product in at least %(n)d characters: material, size, how it is made.",
                n=MIN_DESCRIPTION,
            ),
        ),
        Check(_l("Price"), bool(product.retail_price), _l("Enter the retail price.")),
        Check(
            _l("Production capacity"),
            bool(product.capacity_monthly),
            _l("Enter how much you can make each month."),
        ),
    ]
    return checks + [
        _certificate_check(product, group, today) for group in product.category.requirements
    ]


def _certificate_check(product: Product, group: list[str], today: date) -> Check:
    separator = " " + str(_l("or")) + " "
    label = separator.join(str(CERTIFICATE_LABELS[CertificateType(kind)]) for kind in group)
    states = [c.state(today) for c in product.certificates if c.type in group]
    if CertificateStatus.VERIFIED in states:
        return Check(label, True)
    if CertificateStatus.CLAIMED in states:
        return Check(
            label, False, _l("Waiting for verification by the trade office."), pending=True
        )
    if CertificateStatus.EXPIRED in states:
        return Check(label, False, _l("The certificate has expired. Add the renewed one."))
    return Check(
        label,
        False,
        _l(
            "Products of this category usually need this certificate. Add it and attach it to the product."
        ),
    )


def summary(checks: list[Check]) -> tuple[int, int]:
    return sum(check.ok for check in checks), len(checks)
