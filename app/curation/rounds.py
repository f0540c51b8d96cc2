"""Rounds and their rubrics: creating, editing, phases and closing. Services flush; callers commit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.catalog.models import Category
from app.core import audit, clock
from app.core.errors import DomainValidationError, InvalidTransition
from app.core.paging import Page, paginate
from app.curation.models import Review, Round, Rubric, RubricCriterion, Submission, SubmissionState
from app.extensions import db
from app.orgs.models import Partner

PER_PAGE = 24

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


def save_criteria(round_: Round, criteria: list[CriterionData], by) -> None:
    """Replace the round's rubric criteria, while no curator has scored anything yet."""
    if round_has_reviews(round_):
        raise InvalidTransition(
            _l("Curators have started scoring; the rubric can no longer change.")
        )
    if not any(c.counts and c.weight > 0 for c in criteria):
        raise DomainValidationError(
            _l("At least one criterion must count towards the score."), field="criteria"
        )
    round_.rubric.criteria = [
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
    audit.record("round.rubric_changed", round_, actor=by)


def round_has_reviews(round_: Round) -> bool:
    from app.curation.models import Assignment

    return (
        db.session.scalar(
            db.select(db.func.count(Review.id))
            .join(Assignment)
            .join(Submission)
            .where(Submission.round_id == round_.id)
        )
        > 0
    )


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


def _apply_round(round_: Round, data: RoundData) -> None:
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
            setattr(round_, name, getattr(data, name))
    round_.categories = categories


def create_round(partner: Partner, data: RoundData, rubric_source: Rubric, by) -> Round:
    round_ = Round(partner=partner, created_by_id=by.id)
    with db.session.no_autoflush:
        _apply_round(round_, data)
        round_.rubric = copy_rubric(rubric_source, data.title)
    db.session.add(round_)
    db.session.flush()
    audit.record("round.created", round_, actor=by)
    return round_


def update_round(round_: Round, data: RoundData, by) -> Round:
    with db.session.no_autoflush:
        _apply_round(round_, data)
    db.session.flush()
    audit.record("round.updated", round_, actor=by)
    return round_


def phase(round_: Round, today: date) -> str:
    """upcoming, open (accepting submissions), review, or closed."""
    if round_.closed_at is not None:
        return "closed"
    if today < round_.opens_on:
        return "upcoming"
    if today <= round_.closes_on:
        return "open"
    return "review"


PHASE_LABELS = {
    "upcoming": _l("Opens soon"),
    "open": _l("Open for submissions"),
    "review": _l("In review"),
    "closed": _l("Closed"),
}


def close_round(round_: Round, by) -> None:
    """No more scores or decisions; published results stay."""
    if round_.closed_at is not None:
        raise InvalidTransition(_l("This round is already closed."))
    undecided = [
        s
        for s in round_.submissions
        if s.state in (SubmissionState.SUBMITTED, SubmissionState.IN_REVIEW)
    ]
    if undecided:
        raise InvalidTransition(
            _l("Publish a decision for every submission before closing the round.")
        )
    round_.closed_at = clock.now()
    audit.record("round.closed", round_, actor=by)


def partner_rounds(partner: Partner, number: int = 1) -> Page:
    """A page of the partner's rounds, newest first."""
    return paginate(
        db.select(Round)
        .filter_by(partner_id=partner.id)
        .options(selectinload(Round.categories))
        .order_by(Round.opens_on.desc(), Round.id.desc()),
        number,
        PER_PAGE,
    )


def submission_counts(round_ids) -> dict[int, int]:
    """How many products were submitted to each round (one query for a page of rounds)."""
    return dict(
        db.session.execute(
            db.select(Submission.round_id, db.func.count(Submission.id))
            .where(Submission.round_id.in_(list(round_ids)))
            .group_by(Submission.round_id)
        ).all()
    )


def open_rounds(today: date, number: int = 1) -> Page:
    """A page of the rounds open for submissions today (by active partners), closing first."""
    return paginate(
        db.select(Round)
        .join(Partner, Round.partner_id == Partner.id)
        .where(
            Round.opens_on <= today,
            Round.closes_on >= today,
            Round.closed_at.is_(None),
            Partner.is_active,
        )
        .options(selectinload(Round.categories))
        .order_by(Round.closes_on, Round.id),
        number,
        PER_PAGE,
    )
