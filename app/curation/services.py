"""Rounds, rubrics, submissions, reviews and decisions. Services flush; callers commit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from app.catalog import services as catalog_services
from app.catalog.models import (
    CERTIFICATE_LABELS,
    Category,
    CertificateStatus,
    CertificateType,
    Product,
)
from app.core import audit, clock, units
from app.core.errors import DomainValidationError, InvalidTransition
from app.core.notifications import notify
from app.core.urls import path_for
from app.curation import scoring
from app.curation.models import (
    Decision,
    Review,
    Round,
    Rubric,
    RubricCriterion,
    Submission,
    SubmissionState,
)
from app.curation.workflow import Action, transition
from app.extensions import db
from app.orgs.models import IKM, MemberRole, Partner

# -- rubrics ---------------------------------------------------------------------------------

TEMPLATES = {
    "souvenir-retail": (
        "Ritel suvenir / Souvenir retail",
        [
            ("Kualitas produk", "Bahan, jahitan atau finishing, konsistensi antarproduk.", 3),
            (
                "Kemasan",
                "Menarik, melindungi produk, informasi lengkap (label, berat, kedaluwarsa).",
                2,
            ),
            ("Harga bersaing", "Harga grosir dibanding produk sejenis di toko kami.", 2),
            ("Keunikan dan cerita lokal", "Ciri khas daerah, motif, cerita pembuat.", 3),
            ("Kelengkapan sertifikasi", "Halal, P-IRT/BPOM, merek sesuai jenis produk.", 2),
            ("Kapasitas produksi", "Sanggup memasok jumlah yang kami perlukan tiap bulan.", 1),
        ],
    ),
    "export-manufacturing": (
        "Ekspor dan manufaktur / Export manufacturing",
        [
            ("Kualitas", "Sesuai spesifikasi, cacat produksi rendah, standar ekspor.", 4),
            ("Kuantitas", "Kapasitas per bulan dan kemampuan menaikkan produksi.", 3),
            (
                "Ketepatan waktu pengiriman",
                "Rekam jejak memenuhi tenggat; waktu produksi yang realistis.",
                3,
            ),
            ("Kelengkapan sertifikasi", "SNI, merek, dan dokumen ekspor yang diperlukan.", 2),
            (
                "Kapasitas dan fasilitas",
                "Tenaga kerja, mesin, dan kesiapan menerima pesanan besar.",
                2,
            ),
        ],
    ),
}


def seed_rubric_templates() -> int:
    """Create the two seeded templates if they are missing; returns how many were added."""
    added = 0
    for slug, (name, criteria) in TEMPLATES.items():
        if db.session.scalar(db.select(Rubric.id).filter_by(slug=slug)):
            continue
        rubric = Rubric(name=name, slug=slug, is_template=True)
        rubric.criteria = [
            RubricCriterion(name=n, guidance=g, weight=w, position=i)
            for i, (n, g, w) in enumerate(criteria)
        ]
        db.session.add(rubric)
        added += 1
    db.session.flush()
    return added


def rubric_sources(partner: Partner) -> list[Rubric]:
    """Rubrics a new round can start from: the templates and this partner's earlier rounds."""
    templates = db.session.scalars(
        db.select(Rubric).filter_by(is_template=True).order_by(Rubric.id)
    ).all()
    earlier = db.session.scalars(
        db.select(Rubric)
        .join(Round, Round.rubric_id == Rubric.id)
        .where(Round.partner_id == partner.id)
        .order_by(Round.id.desc())
    ).all()
    return [*templates, *earlier]


def copy_rubric(source: Rubric, name: str) -> Rubric:
    rubric = Rubric(name=name[:120])
    rubric.criteria = [
        RubricCriterion(
            name=c.name,
            guidance=c.guidance,
            weight=c.weight,
            scale_max=c.scale_max,
            counts=c.counts,
            position=c.position,
        )
        for c in source.criteria
    ]
    return rubric


@dataclass(frozen=True)
class CriterionData:
    name: str
    guidance: str
    weight: int
    scale_max: int = 5
    counts: bool = True


def save_criteria(round: Round, criteria: list[CriterionData], by) -> None:
    """Replace the round's rubric criteria, while no curator has scored anything yet."""
    if round_has_reviews(round):
        raise InvalidTransition(
            _l("Curators have started scoring; the rubric can no longer change.")
        )
    if not any(c.counts and c.weight > 0 for c in criteria):
        raise DomainValidationError(
            _l("At least one criterion must count towards the score."), field="criteria"
        )
    round.rubric.criteria = [
        RubricCriterion(
            name=c.name,
            guidance=c.guidance,
            weight=c.weight,
            scale_max=c.scale_max,
            counts=c.counts,
            position=i,
        )
        for i, c in enumerate(criteria)
    ]
    db.session.flush()
    audit.record("round.rubric_changed", round, actor=by)


def round_has_reviews(round: Round) -> bool:
    from app.curation.models import Assignment

    return (
        db.session.scalar(
            db.select(db.func.count(Review.id))
            .join(Assignment)
            .join(Submission)
            .where(Submission.round_id == round.id)
        )
        > 0
    )


# -- rounds ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundData:
    title: str
    opens_on: date
    closes_on: date
    review_due_on: date
    category_ids: list[int]
    description: str = ""
    curators_per_submission: int = 2
    max_per_curator: int | None = None
    min_capacity: int | None = None
    min_capacity_unit: str | None = None
    required_certificates: dict = field(default_factory=dict)
    is_blind: bool = False
    feedback_visibility: str = "averages"
    pass_threshold: int = 70
    quota: int | None = None


def _apply_round(round: Round, data: RoundData) -> None:
    if data.closes_on < data.opens_on:
        raise DomainValidationError(_l("The round must close after it opens."), field="closes_on")
    if data.review_due_on < data.closes_on:
        raise DomainValidationError(
            _l("Reviews are due after submissions close."), field="review_due_on"
        )
    categories = db.session.scalars(
        db.select(Category).where(Category.id.in_(data.category_ids), Category.parent_id.is_(None))
    ).all()
    if not categories:
        raise DomainValidationError(_l("Choose at least one category."), field="category_ids")
    for name in RoundData.__dataclass_fields__:
        if name != "category_ids":
            setattr(round, name, getattr(data, name))
    round.categories = categories


def create_round(partner: Partner, data: RoundData, rubric_source: Rubric, by) -> Round:
    round = Round(partner=partner, created_by_id=by.id)
    with db.session.no_autoflush:
        _apply_round(round, data)
        round.rubric = copy_rubric(rubric_source, data.title)
    db.session.add(round)
    db.session.flush()
    audit.record("round.created", round, actor=by)
    return round


def update_round(round: Round, data: RoundData, by) -> Round:
    with db.session.no_autoflush:
        _apply_round(round, data)
    db.session.flush()
    audit.record("round.updated", round, actor=by)
    return round


def phase(round: Round, today: date) -> str:
    """upcoming, open (accepting submissions), review, or closed."""
    if round.closed_at is not None:
        return "closed"
    if today < round.opens_on:
        return "upcoming"
    if today <= round.closes_on:
        return "open"
    return "review"


PHASE_LABELS = {
    "upcoming": _l("Opens soon"),
    "open": _l("Open for submissions"),
    "review": _l("In review"),
    "closed": _l("Closed"),
}


def close_round(round: Round, by) -> None:
    """No more scores or decisions; published results stay."""
    if round.closed_at is not None:
        raise InvalidTransition(_l("This round is already closed."))
    undecided = [
        s
        for s in round.submissions
        if s.state in (SubmissionState.SUBMITTED, SubmissionState.IN_REVIEW)
    ]
    if undecided:
        raise InvalidTransition(
            _l("Publish a decision for every submission before closing the round.")
        )
    round.closed_at = clock.now()
    audit.record("round.closed", round, actor=by)


def partner_rounds(partner: Partner) -> list[Round]:
    return db.session.scalars(
        db.select(Round).filter_by(partner_id=partner.id).order_by(Round.opens_on.desc())
    ).all()


def open_rounds(today: date) -> list[Round]:
    return db.session.scalars(
        db.select(Round)
        .join(Partner, Round.partner_id == Partner.id)
        .where(
            Round.opens_on <= today,
            Round.closes_on >= today,
            Round.closed_at.is_(None),
            Partner.is_active,
        )
        .order_by(Round.closes_on)
    ).all()


# -- eligibility and submission --------------------------------------------------------------


def requirements_for(round: Round, product: Product) -> list[list[str]]:
    sector = product.category.parent or product.category
    return round.required_certificates.get(sector.slug, [])


def eligibility(round: Round, product: Product, today: date) -> list[str]:
    """Every unmet requirement for submitting ``product`` to ``round``, in the user's language."""
    problems = []
    if phase(round, today) != "open":
        problems.append(str(_l("The round is not open for submissions.")))
    if not product.ikm.is_verified:
        problems.append(str(_l("Your IKM must be verified by the trade office first.")))
    if product.is_archived:
        problems.append(str(_l("The product is archived.")))
    sector = product.category.parent or product.category
    if sector.id not in {c.id for c in round.categories}:
        problems.append(str(_l("This round does not take %(category)s.", category=sector.name)))
    problems += _certificate_problems(round, product, today)
    problems += _capacity_problems(round, product)
    return problems


def _certificate_problems(round: Round, product: Product, today: date) -> list[str]:
    problems = []
    for group in requirements_for(round, product):
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


def _capacity_problems(round: Round, product: Product) -> list[str]:
    if not round.min_capacity:
        return []
    needed = f"{round.min_capacity} {round.min_capacity_unit}"
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
        capacity = units.convert(product.capacity_monthly, product.unit, round.min_capacity_unit)
    except units.IncompatibleUnits:
        return [
            str(
                _l(
                    "This round counts capacity in %(unit)s, which %(product_unit)s cannot be converted to.",
                    unit=round.min_capacity_unit,
                    product_unit=product.unit,
                )
            )
        ]
    if capacity < round.min_capacity:
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


def submit_product(round: Round, product: Product, by) -> Submission:
    """Submit a product to a round after the eligibility check.

    :raises DomainValidationError: naming every unmet requirement
    """
    today = clock.today()
    problems = eligibility(round, product, today)
    existing = db.session.scalar(
        db.select(Submission).filter_by(round_id=round.id, product_id=product.id)
    )
    if existing is not None and existing.state != SubmissionState.WITHDRAWN:
        problems.append(str(_l("This product is already submitted to this round.")))
    if problems:
        raise DomainValidationError("; ".join(problems), problems=problems)
    with db.session.no_autoflush:  # the row is written once its state is set
        submission = existing or Submission(
            round=round, product=product, ikm=product.ikm, state=None, cycle=1
        )
        submission.snapshot = snapshot_of(product, today)
        submission.submitted_at = clock.now()
        db.session.add(submission)
        transition(submission, Action.SUBMIT, by=by)
        db.session.flush()
    _tell_ikm(
        submission,
        f"received:{submission.id}:{submission.cycle}:{len(submission.events)}",
        _l("%(product)s is submitted to %(round)s.", product=product.name, round=round.title),
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


def ikm_submissions(ikm: IKM) -> list[Submission]:
    return db.session.scalars(
        db.select(Submission).filter_by(ikm_id=ikm.id).order_by(Submission.submitted_at.desc())
    ).all()


# -- reviews ---------------------------------------------------------------------------------


def criteria_of(round: Round) -> list[scoring.Criterion]:
    return [scoring.Criterion(c.id, c.weight, c.scale_max, c.counts) for c in round.rubric.criteria]


def save_review(
    assignment, scores: dict[int, int], comment: str, private_note: str, submit: bool, by
) -> Review:
    """Save a draft, or submit: every criterion must then be scored within its scale."""
    from app.curation.permissions import can_review

    submission = assignment.submission
    if assignment.curator_id != by.id or not can_review(by, submission):
        raise InvalidTransition(_l("Scores can no longer be given for this submission."))
    criteria = submission.round.rubric.criteria
    for criterion in criteria:
        value = scores.get(criterion.id)
        if value is not None and not 1 <= value <= criterion.scale_max:
            raise DomainValidationError(
                _l(
                    "Score %(name)s from 1 to %(max)d.",
                    name=criterion.name,
                    max=criterion.scale_max,
                ),
                field="scores",
            )
        if submit and value is None:
            raise DomainValidationError(
                _l("Score every criterion before submitting."), field="scores"
            )
    review = assignment.review or Review(assignment=assignment)
    review.scores = {str(c.id): scores[c.id] for c in criteria if scores.get(c.id) is not None}
    review.comment, review.private_note = comment, private_note
    complete = all(scores.get(c.id) is not None for c in criteria)
    review.total = (
        scoring.weighted_score(scores, criteria_of(submission.round)) if complete else None
    )
    if submit and review.submitted_at is None:
        review.submitted_at = clock.now()
    db.session.add(review)
    db.session.flush()
    audit.record(
        "review.submitted" if submit else "review.saved", submission, actor=by, review_id=review.id
    )
    return review


def review_scores(review: Review) -> dict[int, int]:
    return {int(k): v for k, v in review.scores.items()}


def submitted_reviews(submission: Submission, cycle: int | None = None) -> list[Review]:
    cycle = cycle or submission.cycle
    return [
        a.review
        for a in submission.assignments
        if a.cycle == cycle
        and a.review is not None
        and a.review.is_submitted
        and a.conflict_declared_at is None
    ]


def summary(submission: Submission, cycle: int | None = None) -> scoring.Summary:
    return scoring.summarise(r.total for r in submitted_reviews(submission, cycle))


# -- decisions -------------------------------------------------------------------------------


def stage_decision(
    submission: Submission, decision: str, reason: str, conditions: list[str], by
) -> None:
    """Record the partner's decision without telling anyone yet (see ``publish_decisions``)."""
    from app.curation.permissions import can_manage_round

    if not can_manage_round(by, submission.round):
        raise InvalidTransition(_l("You may not decide on this submission."))
    if submission.state != SubmissionState.IN_REVIEW or submission.round.closed_at:
        raise InvalidTransition(_l("Only submissions in review can be decided."))
    decision = Decision(decision)
    if decision in (Decision.REJECT, Decision.REVISE) and not reason.strip():
        raise DomainValidationError(
            _l("Tell the IKM why, so that it can act on it."), field="reason"
        )
    submission.staged_decision = decision
    submission.decision_reason = reason.strip() or None
    submission.conditions = (
        [{"text": text, "done_at": None} for text in conditions if text.strip()]
        if decision == Decision.ACCEPT
        else []
    )
    submission.decided_by_id = by.id
    db.session.flush()
    audit.record("submission.decision_staged", submission, actor=by, decision=str(decision))


PUBLISH = {
    Decision.ACCEPT: Action.ACCEPT,
    Decision.REJECT: Action.REJECT,
    Decision.REVISE: Action.REQUEST_REVISION,
}


def publish_decisions(round: Round, by) -> int:
    """Publish every staged decision of the round at once; the IKMs are told now."""
    staged = [
        s for s in round.submissions if s.staged_decision and s.state == SubmissionState.IN_REVIEW
    ]
    if not staged:
        raise InvalidTransition(_l("There are no staged decisions to publish."))
    for submission in staged:
        decision = Decision(submission.staged_decision)
        transition(submission, PUBLISH[decision], by=by, note=submission.decision_reason)
        submission.published_at = clock.now()
        submission.staged_decision = None
        _tell_ikm_of_decision(submission, decision)
        catalog_services.product_changed(submission.product)
    return len(staged)


def _tell_ikm_of_decision(submission: Submission, decision: Decision) -> None:
    key = f"decision:{submission.id}:{submission.cycle}"
    names = {"product": submission.product.name, "round": submission.round.title}
    if decision == Decision.REVISE:
        text = _l("%(round)s asks you to revise %(product)s.", **names)
        _tell_ikm(submission, key, text, "revision_requested")
    else:
        text = _l("The decision on %(product)s in %(round)s is published.", **names)
        _tell_ikm(submission, key, text, "decision_published")


def tick_condition(submission: Submission, index: int, by) -> None:
    if submission.state != SubmissionState.ACCEPTED or not 0 <= index < len(submission.conditions):
        raise InvalidTransition(_l("There is no such condition to tick off."))
    conditions = [dict(c) for c in submission.conditions]
    conditions[index]["done_at"] = None if conditions[index]["done_at"] else clock.now().isoformat()
    submission.conditions = conditions
    audit.record("submission.condition_ticked", submission, actor=by, index=index)


def _tell_ikm(submission: Submission, key: str, text, template: str) -> None:
    url = path_for("curation.submission", submission_id=submission.id)
    for member in submission.ikm.memberships:
        if member.role in (MemberRole.OWNER, MemberRole.STAFF):
            notify(
                member.user, key, text, url, subject=text, template=template, submission=submission
            )


# -- listing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CurationBadge:
    partner: Partner
    round: Round


def listed_submissions_query():
    """Accepted, published submissions by an active partner, for an active product of a verified IKM."""
    partner, ikm = aliased(Partner), aliased(IKM)
    return (
        db.select(Submission)
        .join(Round, Submission.round_id == Round.id)
        .join(partner, Round.partner_id == partner.id)
        .join(Product, Submission.product_id == Product.id)
        .join(ikm, Product.ikm_id == ikm.id)
        .where(Submission.state == SubmissionState.ACCEPTED, Submission.published_at.is_not(None))
        .where(partner.is_active, Product.archived_at.is_(None), ikm.status == "verified")
    )


def listed_products_query(ikm_id: int | None = None, partner_id: int | None = None):
    """Listed products by name; only one IKM's, or only those one partner accepted."""
    accepted = listed_submissions_query().with_only_columns(Submission.product_id)
    if partner_id is not None:
        accepted = accepted.where(Round.partner_id == partner_id)
    query = db.select(Product).where(Product.id.in_(accepted)).order_by(Product.name)
    return query if ikm_id is None else query.where(Product.ikm_id == ikm_id)


def curation_badges(product: Product) -> list[CurationBadge]:
    """Is this product listed, and by whom: one badge per partner round that accepted it.

    Empty means the product is not listed (not public).
    """
    rows = db.session.scalars(
        listed_submissions_query().where(Submission.product_id == product.id)
    ).all()
    return [CurationBadge(s.round.partner, s.round) for s in rows]


def is_listed(product: Product) -> bool:
    return bool(curation_badges(product))
