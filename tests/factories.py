"""Factories for test data. Each commits and returns a detached, refreshed object.

Objects come back detached so that tests never share a session with the requests they make;
read their columns freely, and re-query inside ``app.app_context()`` to see later changes.
"""

from __future__ import annotations

import itertools

from app.auth.models import User
from app.auth.services import create_user
from app.core import clock
from app.extensions import db
from app.orgs import services as org_services
from app.orgs.models import (
    IKM,
    Buyer,
    BuyerType,
    MemberRole,
    Partner,
    PartnerType,
    VerificationStatus,
)

PASSWORD = "correct horse battery staple"
_numbers = itertools.count(1)


def pirt_number(expires_in_years: int = 2, serial: int = 0) -> str:
    """A 15-digit P-IRT number; its last two digits are the year it expires, counted from today."""
    year = clock.today().year + expires_in_years
    return f"2063576010{230 + serial:03d}{year % 100:02d}"


def _detach(*objects):
    db.session.commit()
    for obj in objects:
        db.session.refresh(obj)
    db.session.expunge_all()
    return objects[0] if len(objects) == 1 else objects


def ikm_profile(n: int, **overrides) -> org_services.IKMProfile:
    values = dict(
        name=f"IKM Mojopahit {n}",
        nib=f"{9120000000000 + n}",
        sector="alas_kaki",
        province_code="35",
        regency_code="35.76",
        address=f"Jl. Majapahit {n}, Kota Mojokerto",
        whatsapp="+6281234567890",
        email=f"ikm{n}@example.com",
        workers=12,
        capacity_monthly=1000,
        capacity_unit="pasang",
        year_founded=2010,
        has_export_experience=False,
        story="Sepatu kulit dari Mojokerto.",
    )
    values.update(overrides)
    return org_services.IKMProfile(**values)


class Factory:
    def __init__(self, app):
        self.app = app

    def user(
        self,
        email: str | None = None,
        full_name: str | None = None,
        confirmed: bool = True,
        is_admin: bool = False,
        password: str = PASSWORD,
    ) -> User:
        n = next(_numbers)
        with self.app.app_context():
            user = create_user(
                email or f"user{n}@example.com",
                full_name or f"Pengguna {n}",
                password,
                confirmed=confirmed,
                is_admin=is_admin,
            )
            return _detach(user)

    def admin(self) -> User:
        return self.user(full_name="Admin Dinas", is_admin=True)

    def ikm(
        self, owner: User | None = None, status: str = VerificationStatus.VERIFIED, **profile
    ) -> IKM:
        """An IKM with a complete profile in ``status``; ``owner`` becomes its owner."""
        owner = owner or self.user()
        n = next(_numbers)
        with self.app.app_context():
            user = db.session.get(User, owner.id)
            ikm = IKM(name=f"IKM {n}", status=VerificationStatus.DRAFT)
            db.session.add(ikm)
            db.session.flush()
            org_services.add_member(ikm, user, MemberRole.OWNER, by=user)
            if status != VerificationStatus.DRAFT:
                org_services.save_ikm_profile(ikm, ikm_profile(n, **profile), by=user)
                ikm.status = status
                if status == VerificationStatus.VERIFIED:
                    ikm.verified_at = clock.now()
                if status == VerificationStatus.REJECTED:
                    ikm.status_reason = "NIB tidak cocok"
            return _detach(ikm)

    def member(self, org, role: MemberRole, user: User | None = None) -> User:
        user = user or self.user()
        with self.app.app_context():
            org_services.add_member(
                db.session.get(type(org), org.id), db.session.get(User, user.id), role, by=None
            )
            return _detach(db.session.get(User, user.id))

    def partner(
        self,
        name: str | None = None,
        partner_type: str = PartnerType.RETAILER,
        is_active: bool = True,
    ) -> Partner:
        n = next(_numbers)
        with self.app.app_context():
            partner = Partner(
                name=name or f"Mitra {n}", partner_type=partner_type, is_active=is_active
            )
            db.session.add(partner)
            return _detach(partner)

    def buyer(
        self, user: User | None = None, company: str | None = "PT Pembeli"
    ) -> tuple[Buyer, User]:
        user = user or self.user()
        with self.app.app_context():
            buyer = Buyer(
                name=company or user.full_name,
                buyer_type=BuyerType.COMPANY if company else BuyerType.INDIVIDUAL,
            )
            db.session.add(buyer)
            db.session.flush()
            org_services.add_member(buyer, db.session.get(User, user.id), MemberRole.BUYER, by=None)
            return _detach(buyer, db.session.get(User, user.id))

    def ikm_owner(self, status: str = VerificationStatus.VERIFIED, **profile) -> tuple[User, IKM]:
        owner = self.user()
        ikm = self.ikm(owner=owner, status=status, **profile)
        return self._fresh(owner), ikm

    def partner_with(
        self, role: MemberRole, partner: Partner | None = None
    ) -> tuple[User, Partner]:
        partner = partner or self.partner()
        return self.member(partner, role), partner

    def _fresh(self, user: User) -> User:
        with self.app.app_context():
            return _detach(db.session.get(User, user.id))


def product_data(category_id: int, **overrides):
    from app.catalog.services import ProductData

    values = dict(
        name="Sepatu Pantofel Wanita Kulit",
        category_id=category_id,
        unit="pasang",
        min_order_qty=12,
        description="Pantofel kulit sapi dijahit tangan di Mojokerto. " * 3,
        retail_price=285000,
        price_tiers=[(60, 255000), (120, 235000)],
        capacity_monthly=600,
        lead_time_days=21,
    )
    values.update(overrides)
    return ProductData(**values)


class CatalogFactory:
    """Products and certificates; needs the categories (``categories`` fixture)."""

    def __init__(self, app):
        self.app = app

    def category(self, slug: str = "sepatu-wanita"):
        from app.catalog.models import Category

        with self.app.app_context():
            return _detach(db.session.scalar(db.select(Category).filter_by(slug=slug)))

    def product(self, ikm: IKM, category: str = "sepatu-wanita", photos: int = 0, **overrides):
        from app.catalog import services
        from tests.catalog.files import jpeg

        category_id = self.category(category).id
        with self.app.app_context():
            owner = db.session.get(IKM, ikm.id)
            product = services.create_product(
                owner, product_data(category_id, **overrides), by=None
            )
            for index in range(photos):
                services.add_photo(product, jpeg(colour=(40 * index % 255, 90, 120)), by=None)
            return _detach(product)

    def certificate(
        self,
        ikm: IKM,
        kind: str = "halal",
        number: str = "ID35110000123450122",
        status: str = "claimed",
        products=(),
        **overrides,
    ):
        from app.catalog import services
        from app.catalog.models import Certificate
        from tests.catalog.files import pdf

        data = services.CertificateData(
            type=kind, number=number, product_ids=[p.id for p in products], **overrides
        )
        with self.app.app_context():
            certificate = services.create_certificate(
                db.session.get(IKM, ikm.id), data, pdf(), by=None
            )
            db.session.flush()
            certificate = db.session.get(Certificate, certificate.id)
            certificate.status = status
            return _detach(certificate)


class CurationFactory:
    """A partner with its admin and curators, eligible products and open rounds."""

    def __init__(self, app):
        self.app = app
        self.people = Factory(app)
        self.catalog = CatalogFactory(app)

    def partner(self, curators: int = 3):
        from app.orgs.models import MemberRole

        admin, partner = self.people.partner_with(MemberRole.PARTNER_ADMIN)
        team = [self.people.member(partner, MemberRole.CURATOR) for _ in range(curators)]
        return partner, admin, team

    def round(
        self,
        partner,
        admin,
        template: str = "souvenir-retail",
        sectors=("alas-kaki", "makanan"),
        **overrides,
    ):
        from datetime import timedelta

        from app.catalog.models import Category
        from app.core import clock
        from app.curation import rounds
        from app.curation.models import Round, Rubric

        today = clock.today()
        with self.app.app_context():
            rounds.seed_rubric_templates()
            values = dict(
                title=f"Kurasi Oleh-oleh {today.year}",
                opens_on=today - timedelta(days=3),
                closes_on=today + timedelta(days=10),
                review_due_on=today + timedelta(days=20),
                category_ids=list(
                    db.session.scalars(db.select(Category.id).where(Category.slug.in_(sectors)))
                ),
                required_certificates={"makanan": [["halal"], ["pirt", "bpom"]]},
            )
            values.update(overrides)
            source = db.session.scalar(db.select(Rubric).filter_by(slug=template))
            created = rounds.create_round(
                db.session.get(Partner, partner.id),
                rounds.RoundData(**values),
                source,
                by=db.session.get(User, admin.id),
            )
            db.session.commit()
            return _detach(db.session.get(Round, created.id))

    def product(self, ikm=None, category: str = "sepatu-wanita", **overrides):
        """A product ready to submit (with a photo), and its owner."""
        owner, ikm = self.people.ikm_owner() if ikm is None else (self._owner(ikm), ikm)
        overrides.setdefault("photos", 1)
        return owner, self.catalog.product(ikm, category=category, **overrides)

    def _owner(self, ikm):
        with self.app.app_context():
            return _detach(db.session.get(IKM, ikm.id).memberships[0].user)

    def submission(self, round, owner, product):
        from app.catalog.models import Product
        from app.curation import submissions
        from app.curation.models import Round, Submission

        with self.app.app_context():
            created = submissions.submit_product(
                db.session.get(Round, round.id),
                db.session.get(Product, product.id),
                by=db.session.get(User, owner.id),
            )
            db.session.commit()
            return _detach(db.session.get(Submission, created.id))

    def assign(self, submission, curator, admin):
        from app.curation import assignment
        from app.curation.models import Submission

        with self.app.app_context():
            assignment.assign(
                db.session.get(Submission, submission.id),
                db.session.get(User, curator.id),
                by=db.session.get(User, admin.id),
            )
            db.session.commit()

    def review(
        self, submission, curator, score: int = 4, submit: bool = True, comment: str = "Bagus"
    ):
        from app.curation import reviews
        from app.curation.models import Submission
        from app.curation.permissions import assignment_of

        with self.app.app_context():
            item = db.session.get(Submission, submission.id)
            user = db.session.get(User, curator.id)
            scores = {c.id: min(score, c.scale_max) for c in item.round.rubric.criteria}
            reviews.save_review(
                assignment_of(user, item), scores, comment, "Catatan pribadi", submit, by=user
            )
            db.session.commit()


class ListingFactory:
    """Listed products for catalogue tests: accepted and published by a partner, then indexed."""

    def __init__(self, app):
        self.app = app
        self.curation = CurationFactory(app)
        self.partner, self.admin, _ = self.curation.partner(curators=0)
        self.round = self.curation.round(
            self.partner,
            self.admin,
            sectors=("alas-kaki", "makanan", "minuman", "kriya", "batik", "fashion"),
            required_certificates={},
        )

    def listed(
        self,
        ikm=None,
        category: str = "sepatu-wanita",
        partner=None,
        regency: str | None = None,
        **overrides,
    ):
        from app.core import clock, mail
        from app.curation.models import Submission
        from app.search import drain

        owner, product = self.curation.product(ikm=ikm, category=category, **overrides)
        # A listed product, not a submission someone just made: no "submitted" email waiting
        # to go out with the test's first response.
        with mail.suppressed():
            submission = self.curation.submission(self.round, owner, product)
        with self.app.app_context():
            row = db.session.get(Submission, submission.id)
            row.state, row.published_at = "accepted", clock.now()
            if regency:
                row.product.origin_regency_code = regency
            from app.search import enqueue

            enqueue([product.id])
            db.session.commit()
            drain()
            return _detach(db.session.get(type(row.product), product.id))

    def reindex(self, *product_ids):
        from app.search import drain, enqueue

        with self.app.app_context():
            enqueue(product_ids)
            db.session.commit()
            drain()


# Leaf categories of several sectors: many rows spread over them, so that a lazy load per
# category (or per sector) shows as a growing number of statements.
SPREAD = ("sepatu-wanita", "batik-tulis", "anyaman", "keripik", "kopi", "tas", "meja-kursi")


class BulkFactory:
    """Many rows at once, straight into the tables (no image processing, no index, no mail):
    for the tests that count what a list page asks the database. Returns ids."""

    def __init__(self, app):
        self.app = app
        self.people = Factory(app)

    def _commit(self, rows) -> list[int]:
        db.session.add_all(rows)
        db.session.commit()
        ids = [row.id for row in rows]
        db.session.expunge_all()
        return ids

    def _file(self, ikm_id: int, n: int, kind: str = "photo"):
        from app.storage import StoredFile

        return StoredFile(
            key=f"{n:064x}.jpg",
            organisation_id=ikm_id,
            kind=kind,
            content_type="image/jpeg" if kind != "document" else "application/pdf",
            size=100,
        )

    def products(
        self,
        ikm,
        n: int,
        photos: int = 1,
        certificates: int = 1,
        archived: bool = False,
        name: str = "Produk",
    ) -> list[int]:
        """``n`` products of ``ikm`` over several categories, each with photos and a verified
        halal certificate of its own."""
        from app.catalog.models import Category, Certificate, Photo, Product

        with self.app.app_context():
            categories = dict(
                db.session.execute(
                    db.select(Category.slug, Category.id).where(Category.slug.in_(SPREAD))
                ).all()
            )
            now, rows = clock.now(), []
            for i in range(n):
                serial = next(_numbers)
                product = Product(
                    ikm_id=ikm.id,
                    category_id=categories[SPREAD[i % len(SPREAD)]],
                    name=f"{name} {serial:05d}",
                    description="Dibuat tangan di Mojokerto. " * 4,
                    retail_price=100_000 + i,
                    unit="pcs",
                    min_order_qty=10,
                    capacity_monthly=500,
                    archived_at=now if archived else None,
                )
                product.photos = [
                    Photo(
                        position=p,
                        is_cover=p == 0,
                        created_at=now,
                        thumb=self._file(ikm.id, serial * 10 + p),
                        medium=self._file(ikm.id, serial * 10 + p),
                        large=self._file(ikm.id, serial * 10 + p),
                    )
                    for p in range(photos)
                ]
                product.certificates = [
                    Certificate(
                        ikm_id=ikm.id,
                        type="halal",
                        number=f"ID351100{serial:011d}",
                        status="verified",
                    )
                    for _ in range(certificates)
                ]
                rows.append(product)
            return self._commit(rows)

    def certificates(self, ikm, n: int, status: str = "claimed", products=()) -> list[int]:
        """``n`` certificates of ``ikm``, each covering ``products`` (ids) and with a document."""
        from app.catalog.models import Certificate, Product

        with self.app.app_context():
            covered = db.session.scalars(db.select(Product).where(Product.id.in_(products))).all()
            rows = [
                Certificate(
                    ikm_id=ikm.id,
                    type="halal",
                    number=f"ID351100{next(_numbers):011d}",
                    status=status,
                    document=self._file(ikm.id, next(_numbers), "document"),
                    products=list(covered),
                )
                for _ in range(n)
            ]
            return self._commit(rows)

    def ikms(self, n: int, status: str = VerificationStatus.PENDING) -> list[int]:
        with self.app.app_context():
            rows = []
            for _ in range(n):
                serial = next(_numbers)
                rows.append(
                    IKM(
                        name=f"IKM Massal {serial:05d}",
                        status=status,
                        sector="alas_kaki",
                        regency_code="35.76",
                        submitted_at=clock.now(),
                    )
                )
            return self._commit(rows)

    def partners(self, n: int) -> list[int]:
        with self.app.app_context():
            rows = [
                Partner(name=f"Mitra Massal {next(_numbers):05d}", partner_type="retailer")
                for _ in range(n)
            ]
            return self._commit(rows)

    def users(self, n: int) -> list[int]:
        with self.app.app_context():
            rows = [
                User(
                    email=f"massal{(serial := next(_numbers))}@example.com",
                    full_name=f"Pengguna Massal {serial:05d}",
                    password_hash="x",
                    email_confirmed_at=clock.now(),
                )
                for _ in range(n)
            ]
            return self._commit(rows)

    def members(self, org, n: int, role: MemberRole) -> list[int]:
        from app.orgs.models import Membership

        user_ids = self.users(n)
        with self.app.app_context():
            rows = [
                Membership(user_id=uid, organisation_id=org.id, role=role, created_at=clock.now())
                for uid in user_ids
            ]
            return self._commit(rows)

    def memberships(self, user, orgs, role: MemberRole = MemberRole.OWNER) -> list[int]:
        from app.orgs.models import Membership

        with self.app.app_context():
            rows = [
                Membership(user_id=user.id, organisation_id=oid, role=role, created_at=clock.now())
                for oid in orgs
            ]
            return self._commit(rows)

    def invitations(self, org, n: int, role: MemberRole) -> list[int]:
        from datetime import timedelta

        from app.orgs.models import Invitation

        with self.app.app_context():
            now = clock.now()
            rows = [
                Invitation(
                    organisation_id=org.id,
                    email=f"diundang{(serial := next(_numbers))}@example.com",
                    role=role,
                    token_hash=f"{serial:064x}",
                    created_at=now,
                    expires_at=now + timedelta(days=7),
                )
                for _ in range(n)
            ]
            return self._commit(rows)

    def notifications(self, user, n: int) -> list[int]:
        from app.core.notifications import Notification

        with self.app.app_context():
            rows = [
                Notification(
                    user_id=user.id,
                    key=f"massal:{(serial := next(_numbers))}",
                    text=f"Kabar {serial:05d}",
                    url="/",
                )
                for _ in range(n)
            ]
            return self._commit(rows)

    def rounds(self, partner, template_round, n: int) -> list[int]:
        """``n`` open rounds of ``partner``, copies of ``template_round`` (a factory round)."""
        from app.catalog.models import Category
        from app.curation.models import Round, Rubric, RubricCriterion

        with self.app.app_context():
            source = db.session.get(Round, template_round.id)
            categories = db.session.scalars(
                db.select(Category).where(Category.parent_id.is_(None)).limit(3)
            ).all()
            rows = []
            for _ in range(n):
                serial = next(_numbers)
                rubric = Rubric(
                    name=f"Rubrik {serial}",
                    criteria=[
                        RubricCriterion(name=c.name, weight=c.weight, position=c.position)
                        for c in source.rubric.criteria
                    ],
                )
                rows.append(
                    Round(
                        partner_id=partner.id,
                        title=f"Ronde Massal {serial:05d}",
                        opens_on=source.opens_on,
                        closes_on=source.closes_on,
                        review_due_on=source.review_due_on,
                        rubric=rubric,
                        categories=list(categories),
                    )
                )
            return self._commit(rows)

    def submissions(
        self, round, ikm, n: int, state: str = "in_review", published: bool = False
    ) -> list[int]:
        """``n`` products of ``ikm`` submitted to ``round`` in ``state`` (with a snapshot)."""
        from app.curation.models import Submission

        product_ids = self.products(ikm, n)
        with self.app.app_context():
            now = clock.now()
            rows = [
                Submission(
                    round_id=round.id,
                    product_id=pid,
                    ikm_id=ikm.id,
                    state=state,
                    snapshot={
                        "name": f"Kiriman {pid:05d}",
                        "category": "Alas kaki",
                        "photos": [{"medium": f"{pid:064x}.jpg", "large": f"{pid:064x}.jpg"}],
                    },
                    published_at=now if published else None,
                )
                for pid in product_ids
            ]
            return self._commit(rows)

    def listed(self, round, ikm, n: int) -> list[int]:
        """``n`` products of ``ikm`` accepted in ``round`` and published: listed."""
        self.submissions(round, ikm, n, state="accepted", published=True)
        from app.curation.models import Submission

        with self.app.app_context():
            return list(
                db.session.scalars(
                    db.select(Submission.product_id).filter_by(round_id=round.id, ikm_id=ikm.id)
                )
            )

    def assignments(self, curator, submission_ids, reviewed: int = 0) -> list[int]:
        """``curator`` assigned to each submission; the first ``reviewed`` with a submitted
        review, the next one with a draft."""
        from app.curation.models import Assignment, Review

        with self.app.app_context():
            now, rows = clock.now(), []
            for i, sid in enumerate(submission_ids):
                item = Assignment(submission_id=sid, curator_id=curator.id, cycle=1)
                if i <= reviewed:
                    item.review = Review(
                        scores={}, total=70.0 + i % 20, submitted_at=now if i < reviewed else None
                    )
                rows.append(item)
            return self._commit(rows)
