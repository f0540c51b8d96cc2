"""Eligibility, submitting a product to a round, withdrawing and resubmitting."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from app.catalog.models import CERTIFICATE_LABELS, CertificateStatus, CertificateType, Product
from app.core import clock, units
from app.core.errors import DomainValidationError
from app.core.paging import ROWS, Page, paginate
from app.core.urls import path_for
from app.curation.models import Round, Submission, SubmissionState
from app.curation.rounds import phase
from app.curation.workflow import Action, transition
from app.extensions import db
from app.orgs.models import IKM
from app.orgs.services import tell_ikm


def requirements_for(round_: Round, product: Product) -> list[list[str]]:
    sector = product.category.parent or product.category
    return round_.required_certificates.get(sector.slug, [])


def eligibility(round_: Round, product: Product, today: date) -> list[str]:
    """Every unmet requirement for submitting ``product`` to ``round``, in the user's language."""
    problems = []
    if phase(round_, today) != "open":
        problems.append(str(_l("The round is not open for submissions.")))
    if not product.ikm.is_verified:
        problems.append(str(_l("Your IKM must be verified by the trade office first.")))
    if product.is_archived:
        problems.append(str(_l("The product is archived.")))
    sector = product.category.parent or product.category
    if sector.id not in {c.id for c in round_.categories}:
        problems.append(str(_l("This round does not take %(category)s.", category=sector.name)))
    problems += _certificate_problems(round_, product, today)
    problems += _capacity_problems(round_, product)
    return problems


def _certificate_problems(round_: Round, product: Product, today: date) -> list[str]:
    problems = []
    for group in requirements_for(round_, product):
        if not any(
            c.type in group and c.state(today) == CertificateStatus.VERIFIED
            for c in product.certificates
        ):
            names = " / ".join(str(CERTIFICATE_LABELS[CertificateType(kind)]) for kind in group)
            problems.append(
                str(
                    _l(
                        "A verified, current %(certificate)s certificate is required.",
                        certificate=names,
                    )
                )
            )
    return problems


def _capacity_problems(round_: Round, product: Product) -> list[str]:
    if not round_.min_capacity:
        return []
    needed = f"{round_.min_capacity} {round_.min_capacity_unit}"
    if not product.capacity_monthly:
        return [
            str(
                _l(
                    "Enter the product's monthly capacity: this round needs %(needed)s a month.",
                    needed=needed,
                )
            )
        ]
    try:
        capacity = units.convert(product.capacity_monthly, product.unit, round_.min_capacity_unit)
    except units.IncompatibleUnits:
        return [
            str(
                _l(
                    "This round counts capacity in %(unit)s, which %(product_unit)s cannot be converted to.",
                    unit=round_.min_capacity_unit,
                    product_unit=product.unit,
                )
            )
        ]
    if capacity < round_.min_capacity:
        return [
            str(_l("This round needs a capacity of at least %(needed)s a month.", needed=needed))
        ]
    return []


def snapshot_of(product: Product, today: date) -> dict:
    """What curators review: the product as it was submitted, with its photos and certificates."""
    return {
        "name": product.name,
        "category": product.category.full_name,
        "description": product.description,
        "materials": product.materials,
        "attributes": product.attributes,
        "retail_price": product.retail_price,
        "price_tiers": [[t.min_qty, t.unit_price] for t in product.price_tiers],
        "unit": product.unit,
        "min_order_qty": product.min_order_qty,
        "capacity_monthly": product.capacity_monthly,
        "lead_time_days": product.lead_time_days,
        "shelf_life_days": product.shelf_life_days,
        "origin": product.origin_label,
        "photos": [{"medium": p.medium.key, "large": p.large.key} for p in product.photos],
        "certificate_ids": [c.id for c in product.certificates],
        "certificates": [
            {
                "id": c.id,
                "type": c.type,
                "title": c.title,
                "number": c.number,
                "state": str(c.state(today)),
                "valid_until": c.valid_until.isoformat() if c.valid_until else None,
            }
            for c in product.certificates
        ],
    }


COMPARED = (
    "name",
    "description",
    "materials",
    "retail_price",
    "price_tiers",
    "unit",
    "min_order_qty",
    "capacity_monthly",
    "lead_time_days",
    "shelf_life_days",
)


def changes_since_submission(submission: Submission, today: date) -> list[str]:
    """Names of the product details that changed after it was submitted."""
    now = snapshot_of(submission.product, today)
    changed = [name for name in COMPARED if now.get(name) != submission.snapshot.get(name)]
    if [p["large"] for p in now["photos"]] != [
        p["large"] for p in submission.snapshot.get("photos", [])
    ]:
        changed.append("photos")
    return changed


def submit_product(round_: Round, product: Product, by) -> Submission:
    """Submit a product to a round after the eligibility check.

    :raises DomainValidationError: naming every unmet requirement
    """
    today = clock.today()
    problems = eligibility(round_, product, today)
    existing = db.session.scalar(
        db.select(Submission).filter_by(round_id=round_.id, product_id=product.id)
    )
    if existing is not None and existing.state != SubmissionState.WITHDRAWN:
        problems.append(str(_l("This product is already submitted to this round.")))
    if problems:
        raise DomainValidationError("; ".join(problems), problems=problems)
    with db.session.no_autoflush:  # the row is written once its state is set
        submission = existing or Submission(
            round=round_, product=product, ikm=product.ikm, state=None, cycle=1
        )
        submission.snapshot = snapshot_of(product, today)
        submission.submitted_at = clock.now()
        db.session.add(submission)
        transition(submission, Action.SUBMIT, by=by)
        db.session.flush()
    tell_ikm_of(
        submission,
        f"received:{submission.id}:{submission.cycle}:{len(submission.events)}",
        _l("%(product)s is submitted to %(round)s.", product=product.name, round=round_.title),
        "submission_received",
    )
    return submission


def withdraw(submission: Submission, by) -> None:
    transition(submission, Action.WITHDRAW, by=by)


def resubmit(submission: Submission, by) -> None:
    """A revised product starts a new review cycle; earlier cycles stay on record."""
    transition(
        submission, Action.RESUBMIT, by=by, note=str(_l("Cycle %(n)d", n=submission.cycle + 1))
    )
    submission.cycle += 1
    submission.snapshot = snapshot_of(submission.product, clock.today())
    submission.submitted_at = clock.now()
    submission.staged_decision = None
    submission.decision_reason = None
    submission.conditions = []
    submission.published_at = None


def ikm_submissions(ikm: IKM, number: int = 1) -> Page:
    """A page of the IKM's submissions, newest first."""
    return paginate(
        db.select(Submission)
        .filter_by(ikm_id=ikm.id)
        .order_by(Submission.submitted_at.desc(), Submission.id.desc()),
        number,
        ROWS,
    )


def submitted_to(round_: Round, product_ids: list[int]) -> dict[int, Submission]:
    """Which of these products are in the round (and not withdrawn), by product id."""
    rows = db.session.scalars(
        db.select(Submission)
        .where(Submission.round_id == round_.id, Submission.product_id.in_(product_ids))
        .where(Submission.state != SubmissionState.WITHDRAWN)
    )
    return {s.product_id: s for s in rows}


def tell_ikm_of(submission: Submission, key: str, text, template: str) -> None:
    """Tell the IKM about its submission, in the site and by email."""
    url = path_for("curation.submission", submission_id=submission.id)
    tell_ikm(submission.ikm, key, text, url, template, submission=submission)
