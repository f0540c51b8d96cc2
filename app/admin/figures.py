"""The programme's figures for the trade office: IKMs, curation, certificates and capacity.

Each function returns one :class:`app.admin.tables.Table` from one or two grouped queries, so
the figures page costs the same number of statements however many IKMs, submissions and
reviews there are. Two kinds of figure (the page says which is which):

- *stock* figures count what is true today: IKMs by sector, region and verification state,
  certification coverage, monthly capacity; the period does not apply to them;
- *flow* figures count what happened in the period: submissions (by when they were made),
  reviews (by when they were submitted), buyer requests, quotes and deals (``figures_trade``).

The sector and kabupaten/kota filters are the IKM's own (its profile), so a request, a quote
or a deal is counted under the IKM that answered it.
"""

from __future__ import annotations

import time
from collections import OrderedDict, defaultdict

from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func

from app.admin.filters import Filters
from app.admin.tables import COUNT, NUMBER, SHARE, TEXT, Column, Table
from app.catalog.models import Certificate, CertificateStatus, CertificateType
from app.core import clock
from app.core.units import unit_name
from app.curation.models import (
    Assignment,
    Review,
    ReviewScore,
    Round,
    RubricCriterion,
    Submission,
    SubmissionState,
)
from app.extensions import db
from app.orgs import regions
from app.orgs.models import IKM, SECTOR_LABELS, STATUS_LABELS, Partner, Sector, VerificationStatus

UNKNOWN = _l("(not given)")


def sector_label(value: str | None) -> str:
    return str(SECTOR_LABELS[Sector(value)]) if value in set(Sector) else str(UNKNOWN)


def region_label(code: str | None) -> str:
    return regions.name(code) or str(UNKNOWN)


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def ikm_scope(query, filters: Filters, ikm=IKM):
    """Keep ``query`` (which joins ``ikm``) to the filters' sector and kabupaten/kota."""
    if filters.sector:
        query = query.where(ikm.sector == filters.sector)
    if filters.regency:
        query = query.where(ikm.regency_code == filters.regency)
    return query


# -- IKMs ------------------------------------------------------------------------------------

_STATES = (
    VerificationStatus.VERIFIED,
    VerificationStatus.PENDING,
    VerificationStatus.REJECTED,
    VerificationStatus.DRAFT,
)


def ikms_by_sector(filters: Filters) -> Table:
    status = func.coalesce(IKM.status, VerificationStatus.DRAFT.value)
    rows = db.session.execute(
        ikm_scope(db.select(IKM.sector, status, func.count()), filters).group_by(IKM.sector, status)
    ).all()
    counts: dict[str | None, dict[str, int]] = defaultdict(dict)
    for sector, state, number in rows:
        counts[sector][state] = number
    order = [s.value for s in Sector] + [None]
    table_rows = []
    for sector in sorted(counts, key=lambda s: order.index(s) if s in order else len(order)):
        by_state = counts[sector]
        table_rows.append(
            (
                sector_label(sector),
                sum(by_state.values()),
                *(by_state.get(state.value, 0) for state in _STATES),
            )
        )
    return Table(
        slug="ikm-per-sektor",
        title=str(_l("IKMs by sector and verification state")),
        columns=(
            Column("sector", str(_l("Sector"))),
            Column("total", str(_l("IKMs")), COUNT),
            *(Column(s.value, str(STATUS_LABELS[s]), COUNT) for s in _STATES),
        ),
        rows=tuple(table_rows),
        note=str(_l("Every IKM registered today, by the sector in its profile.")),
        chart="hbar",
        extra={"series": ("verified", "pending", "rejected", "draft"), "stacked": True},
    )


def ikms_by_region(filters: Filters) -> Table:
    verified = func.sum(case((IKM.status == VerificationStatus.VERIFIED, 1), else_=0))
    rows = db.session.execute(
        ikm_scope(db.select(IKM.regency_code, func.count(), verified), filters)
        .group_by(IKM.regency_code)
        .order_by(func.count().desc(), IKM.regency_code)
    ).all()
    return Table(
        slug="ikm-per-wilayah",
        title=str(_l("IKMs by kabupaten/kota")),
        columns=(
            Column("region", str(_l("Kabupaten/kota"))),
            Column("total", str(_l("IKMs")), COUNT),
            Column("verified", str(_l("Verified")), COUNT),
            Column("share", str(_l("Share verified")), SHARE),
        ),
        rows=tuple(
            (region_label(code), total, int(done or 0), share(int(done or 0), total))
            for code, total, done in rows
        ),
        note=str(_l("Where IKMs are, by the kabupaten/kota in their profile.")),
        chart="hbar",
        extra={"series": ("total", "verified"), "limit": 12},
    )


# -- curation -------------------------------------------------------------------------------


def curation_by_round(filters: Filters, partner_id: int | None = None) -> Table:
    """Submissions made in the period, by partner and round: how many, decided, accepted."""
    published = Submission.published_at.is_not(None)
    accepted = func.sum(
        case((published & (Submission.state == SubmissionState.ACCEPTED), 1), else_=0)
    )
    rejected = func.sum(
        case((published & (Submission.state == SubmissionState.REJECTED), 1), else_=0)
    )
    # Counted per round id first (the IKM joined only to filter), named afterwards: joining
    # both organisations rows into the count made SQLite walk every submission per round.
    query = (
        db.select(Submission.round_id, func.count(Submission.id), accepted, rejected)
        .where(Submission.submitted_at >= filters.start_at)
        .where(Submission.submitted_at < filters.end_at)
        .group_by(Submission.round_id)
    )
    if filters.sector or filters.regency:
        # The IKMs in scope as a list the database reads first (a join made SQLite read every
        # submission of the period and look up its IKM).
        query = query.where(Submission.ikm_id.in_(ikm_scope(db.select(IKM.id), filters)))
    if partner_id is not None:
        query = query.where(
            Submission.round_id.in_(db.select(Round.id).where(Round.partner_id == partner_id))
        )
    counts = {round_id: rest for round_id, *rest in db.session.execute(query)}
    named = (
        db.session.execute(
            db.select(Round.id, Partner.name, Round.title)
            .join(Partner, Partner.id == Round.partner_id)
            .where(Round.id.in_(list(counts)))
            .order_by(Partner.name, Round.opens_on.desc(), Round.id)
        ).all()
        if counts
        else []
    )
    rows = []
    for round_id, name, title in named:
        total, yes, no = counts[round_id]
        yes, no = int(yes or 0), int(no or 0)
        rows.append((name, title, total, yes, no, share(yes, yes + no)))
    return Table(
        slug="kurasi-per-ronde",
        title=str(_l("Curated products by partner and round")),
        columns=(
            Column("partner", str(_l("Partner"))),
            Column("round", str(_l("Round"))),
            Column("submitted", str(_l("Submitted")), COUNT),
            Column("accepted", str(_l("Accepted")), COUNT),
            Column("rejected", str(_l("Not accepted")), COUNT),
            Column("pass_rate", str(_l("Pass rate")), SHARE),
        ),
        rows=tuple(rows),
        note=str(
            _l(
                "Submissions made in the period. The pass rate is accepted out of published "
                "decisions (accepted or not accepted); revisions and open reviews are left out."
            )
        ),
        chart="hbar",
        extra={"label": ("partner", "round"), "series": ("submitted", "accepted"), "limit": 12},
    )


def criterion_shortfalls(filters: Filters, partner_id: int | None = None) -> Table:
    """Rubric criteria by how often curators scored them in the lower half of the scale: what
    the office's training should take up first."""
    # How many times each score was given per criterion in the period (ReviewScore's covering
    # index: a handful of rows per criterion), then named and added up here.
    query = (
        db.select(ReviewScore.criterion_id, ReviewScore.score, func.count())
        .where(ReviewScore.submitted_at >= filters.start_at)
        .where(ReviewScore.submitted_at < filters.end_at)
        .group_by(ReviewScore.criterion_id, ReviewScore.score)
    )
    if filters.sector or filters.regency or partner_id is not None:
        # The reviews of the IKMs (or the partner) in scope, as one subquery.
        scoped = (
            db.select(Review.id)
            .join(Assignment, Assignment.id == Review.assignment_id)
            .join(Submission, Submission.id == Assignment.submission_id)
            .join(IKM, IKM.id == Submission.ikm_id)
        )
        if partner_id is not None:
            scoped = scoped.join(Round, Round.id == Submission.round_id).where(
                Round.partner_id == partner_id
            )
        query = query.where(ReviewScore.review_id.in_(ikm_scope(scoped, filters)))
    given = db.session.execute(query).all()
    criteria = {
        cid: (name, scale_max)
        for cid, name, scale_max in db.session.execute(
            db.select(RubricCriterion.id, RubricCriterion.name, RubricCriterion.scale_max)
            .where(RubricCriterion.id.in_({cid for cid, _, _ in given}))
            .where(RubricCriterion.counts.is_(True))
        )
    }
    # Per criterion name: scores given, in the lower half, on a scale (of more than one
    # point), and the sum of those scores as shares of their scale.
    tally: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0, 0.0])
    for cid, score, times in given:
        if cid not in criteria:
            continue
        name, scale_max = criteria[cid]
        entry = tally[name]
        entry[0] += times
        if scale_max > 1:
            normalised = (score - 1) / (scale_max - 1)
            entry[1] += times if normalised < 0.5 else 0
            entry[2] += times
            entry[3] += normalised * times
    found = [
        (name, scored, short, share(short, scored), total / scaled if scaled else None)
        for name, (scored, short, scaled, total) in tally.items()
    ]
    found.sort(key=lambda row: (-(row[3] or 0), row[0]))
    return Table(
        slug="kriteria-kurang",
        title=str(_l("Where IKMs fall short: rubric criteria")),
        columns=(
            Column("criterion", str(_l("Criterion"))),
            Column("scored", str(_l("Scores")), COUNT),
            Column("short", str(_l("In the lower half")), COUNT),
            Column("short_share", str(_l("Share in the lower half")), SHARE),
            Column("mean", str(_l("Mean score (share of the scale)")), SHARE),
        ),
        rows=tuple(
            (name, scored, short, rate, round(mean, 4) if mean is not None else None)
            for name, scored, short, rate, mean in found
        ),
        note=str(
            _l(
                "Scores in reviews submitted in the period, by criterion name across rubrics; "
                "a score below the middle of its scale counts as falling short."
            )
        ),
        chart="hbar",
        extra={"series": ("short_share",), "limit": 10},
    )


# -- certificates and capacity -----------------------------------------------------------------

FOOD_SECTOR = Sector.FOOD_DRINK.value


def certification_coverage(filters: Filters) -> Table:
    """The share of IKMs of a sector (food and drink unless the filter names one) holding a
    verified, valid certificate of each kind, and food's pair: halal with P-IRT or BPOM."""
    sector = filters.sector or FOOD_SECTOR
    today = clock.today()
    valid = (
        db.select(Certificate.ikm_id, Certificate.type)
        .where(Certificate.status == CertificateStatus.VERIFIED)
        .where((Certificate.valid_until.is_(None)) | (Certificate.valid_until >= today))
        .distinct()
        .subquery()
    )
    has = {
        kind: func.max(case((valid.c.type == kind.value, 1), else_=0)).label(kind.value)
        for kind in CertificateType
        if kind != CertificateType.OTHER
    }
    per_ikm = (
        db.select(IKM.id, *has.values())
        .outerjoin(valid, valid.c.ikm_id == IKM.id)
        .where(IKM.sector == sector, IKM.status == VerificationStatus.VERIFIED)
        .group_by(IKM.id)
    )
    if filters.regency:
        per_ikm = per_ikm.where(IKM.regency_code == filters.regency)
    per_ikm = per_ikm.subquery()
    halal, pirt, bpom = per_ikm.c.halal, per_ikm.c.pirt, per_ikm.c.bpom
    registered = case(((pirt == 1) | (bpom == 1), 1), else_=0)
    both = case(((halal == 1) & ((pirt == 1) | (bpom == 1)), 1), else_=0)
    totals = db.session.execute(
        db.select(
            func.count(),
            *(func.coalesce(func.sum(per_ikm.c[k.value]), 0) for k in has),
            func.coalesce(func.sum(registered), 0),
            func.coalesce(func.sum(both), 0),
        )
    ).one()
    ikms, *counts = (int(v or 0) for v in totals)
    by_kind = dict(zip(list(has), counts[: len(has)], strict=True))
    registered_n, both_n = counts[len(has)], counts[len(has) + 1]
    from app.catalog.models import CERTIFICATE_LABELS

    rows = [(str(CERTIFICATE_LABELS[k]), n, share(n, ikms)) for k, n in by_kind.items()]
    rows.append((str(_l("P-IRT or BPOM")), registered_n, share(registered_n, ikms)))
    rows.append((str(_l("Halal and (P-IRT or BPOM)")), both_n, share(both_n, ikms)))
    return Table(
        slug="cakupan-sertifikat",
        title=str(_l("Certification coverage: %(sector)s", sector=sector_label(sector).lower())),
        columns=(
            Column("certificate", str(_l("Certificate"))),
            Column("ikms", str(_l("IKMs holding it")), COUNT),
            Column("share", str(_l("Share of the sector's verified IKMs")), SHARE),
        ),
        rows=tuple(rows),
        note=str(
            _l(
                "%(n)d verified IKMs of the sector today; a certificate counts when the office "
                "verified it and it has not expired.",
                n=ikms,
            )
        ),
        chart="hbar",
        extra={"series": ("share",), "base": ikms},
    )


def capacity_by_sector(filters: Filters, demand: dict[tuple[str, str], int]) -> Table:
    """Verified IKMs' monthly capacity by sector and unit, beside the quantity buyers asked
    for in the period (``demand``: (sector, unit) -> quantity, from figures_trade)."""
    rows = db.session.execute(
        ikm_scope(
            db.select(IKM.sector, IKM.capacity_unit, func.count(), func.sum(IKM.capacity_monthly))
            .where(IKM.status == VerificationStatus.VERIFIED, IKM.capacity_monthly.is_not(None))
            .group_by(IKM.sector, IKM.capacity_unit),
            filters,
        )
    ).all()
    capacity = {(sector or "", unit or ""): (n, int(total or 0)) for sector, unit, n, total in rows}
    keys = sorted(set(capacity) | set(demand), key=lambda k: (sector_label(k[0]), k[1]))
    table_rows = []
    for sector, unit in keys:
        ikms, total = capacity.get((sector, unit), (0, 0))
        asked = demand.get((sector, unit), 0)
        table_rows.append(
            (
                sector_label(sector),
                unit_name(unit, 2) if unit else str(UNKNOWN),
                ikms,
                total,
                asked,
                round(asked / total, 2) if total else None,
            )
        )
    return Table(
        slug="kapasitas-permintaan",
        title=str(_l("Monthly capacity by sector against demand")),
        columns=(
            Column("sector", str(_l("Sector"))),
            Column("unit", str(_l("Unit"))),
            Column("ikms", str(_l("IKMs")), COUNT),
            Column("capacity", str(_l("Capacity a month")), COUNT),
            Column("demand", str(_l("Asked for in the period")), COUNT),
            Column("ratio", str(_l("Demand ÷ monthly capacity")), NUMBER),
        ),
        rows=tuple(table_rows),
        note=str(
            _l(
                "Capacity: what verified IKMs say they make a month, today. Demand: the "
                "quantities of buyer requests opened in the period, under the sector of their "
                "category. Units are never added across."
            )
        ),
        chart="bar",
        extra={"label": ("sector", "unit"), "series": ("capacity", "demand")},
    )


# -- the whole page ----------------------------------------------------------------------------


def all_figures(filters: Filters) -> list[Table]:
    """Every table of the programme figures page, in its order (cached for a while)."""
    return _cached(("office", filters), lambda: _compute_office(filters))


def partner_figures(filters: Filters, partner_id: int) -> list[Table]:
    return _cached(
        ("partner", partner_id, filters),
        lambda: [
            curation_by_round(filters, partner_id),
            criterion_shortfalls(filters, partner_id),
        ],
    )


def _compute_office(filters: Filters) -> list[Table]:
    from app.admin import figures_trade

    demand = figures_trade.demand_by_sector(filters)
    return [
        ikms_by_sector(filters),
        ikms_by_region(filters),
        certification_coverage(filters),
        curation_by_round(filters),
        criterion_shortfalls(filters),
        figures_trade.trade_by_month(filters),
        capacity_by_sector(filters, demand),
        figures_trade.exports_by_origin(filters),
    ]


_CACHE: OrderedDict[tuple, tuple[float, list[Table]]] = OrderedDict()
_CACHE_ENTRIES = 64


def _cached(key: tuple, compute) -> list[Table]:
    """The tables for ``key`` in this language, computed at most once per FIGURES_CACHE_SECONDS
    in this process (0: every time)."""
    seconds = current_app.config.get("FIGURES_CACHE_SECONDS", 0)
    if not seconds:
        return compute()
    key = (*key, str(get_locale()), clock.today())
    now = time.monotonic()
    kept = _CACHE.get(key)
    if kept is not None and kept[0] > now:
        _CACHE.move_to_end(key)
        return kept[1]
    tables = compute()
    _CACHE[key] = (now + seconds, tables)
    while len(_CACHE) > _CACHE_ENTRIES:
        _CACHE.popitem(last=False)
    return tables


def table_by_slug(tables: list[Table], slug: str) -> Table | None:
    return next((t for t in tables if t.slug == slug), None)


__all__ = ["TEXT", "all_figures", "partner_figures", "table_by_slug"]
