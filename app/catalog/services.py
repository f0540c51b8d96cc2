"""Product and certificate operations. They flush, audit and queue effects; callers commit."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from itertools import pairwise

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from app import storage
from app.catalog import documents, identifiers, images
from app.catalog.models import (
    Category,
    Certificate,
    CertificateStatus,
    CertificateType,
    Photo,
    PriceTier,
    Product,
)
from app.core import audit, clock, signals
from app.core.errors import DomainValidationError, InvalidTransition
from app.core.mail import queue_email
from app.core.paging import CARDS, ROWS, Page, paginate
from app.core.security import log_event
from app.extensions import db
from app.orgs import regions
from app.orgs.models import IKM, MemberRole
from app.orgs.services import check_quota


@dataclass(frozen=True)
class ProductData:
    name: str
    category_id: int
    unit: str
    min_order_qty: int
    description: str = ""
    materials: str | None = None
    attributes: list[dict] = field(default_factory=list)
    origin_regency_code: str | None = None
    retail_price: int | None = None
    price_tiers: list[tuple[int, int]] = field(default_factory=list)  # (min_qty, unit_price)
    capacity_monthly: int | None = None
    lead_time_days: int | None = None
    weight_grams: int | None = None
    length_cm: int | None = None
    width_cm: int | None = None
    height_cm: int | None = None
    shelf_life_days: int | None = None
    hs_code: str | None = None
    certificate_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class CertificateData:
    type: str
    number: str
    issuer: str | None = None
    issued_on: date | None = None
    valid_until: date | None = None
    nice_class: int | None = None
    standard: str | None = None
    title: str | None = None
    product_ids: list[int] = field(default_factory=list)


# -- products --------------------------------------------------------------------------------


def leaf_categories() -> list[Category]:
    return db.session.scalars(
        db.select(Category)
        .where(Category.parent_id.is_not(None))
        .order_by(Category.parent_id, Category.position)
    ).all()


def ikm_products_query(ikm: IKM, archived: bool = False):
    """The IKM's current (or archived) products, last changed first."""
    return (
        db.select(Product)
        .filter_by(ikm_id=ikm.id)
        .where(Product.archived_at.is_not(None) if archived else Product.archived_at.is_(None))
        .order_by(Product.updated_at.desc(), Product.id.desc())
    )


def ikm_products(ikm: IKM, archived: bool = False) -> list[Product]:
    return db.session.scalars(ikm_products_query(ikm, archived)).all()


# What a product card and its readiness checklist read: photos, certificates, the category's sector.
CARD_LOADS = (
    selectinload(Product.photos),
    selectinload(Product.certificates),
    joinedload(Product.category).joinedload(Category.parent),
)


def product_cards(ikm: IKM, number: int, archived: bool = False) -> Page:
    """A page of the IKM's products with what their cards show, in four queries."""
    return paginate(ikm_products_query(ikm, archived).options(*CARD_LOADS), number, CARDS)


def create_product(ikm: IKM, data: ProductData, by) -> Product:
    product = Product(ikm=ikm)
    _apply(product, data)
    db.session.add(product)
    db.session.flush()
    audit.record("product.created", product, actor=by)
    return product


def update_product(product: Product, data: ProductData, by) -> Product:
    _apply(product, data)
    db.session.flush()
    audit.record("product.updated", product, actor=by)
    product_changed(product)
    return product


def _apply(product: Product, data: ProductData) -> None:
    with db.session.no_autoflush:  # nothing half-applied reaches the database
        _apply_values(product, data)


def _apply_values(product: Product, data: ProductData) -> None:
    category = db.session.get(Category, data.category_id)
    if category is None or category.parent_id is None:
        raise DomainValidationError(_l("Choose a category."), field="category_id")
    _check_tiers(data)
    values = asdict(data)
    tiers, certificate_ids = values.pop("price_tiers"), values.pop("certificate_ids")
    for name, value in values.items():
        setattr(product, name, value)
    product.origin_regency_code = data.origin_regency_code or product.ikm.regency_code
    product.origin_region_edition = regions.REGION_EDITION if product.origin_regency_code else None
    if product.origin_regency_code and regions.get(product.origin_regency_code) is None:
        raise DomainValidationError(_l("Choose a kabupaten/kota."), field="origin_regency_code")
    product.price_tiers = _merge_tiers(product.price_tiers, tiers)
    product.certificates = _own_certificates(product.ikm, certificate_ids)


def _merge_tiers(current: list[PriceTier], wanted: list[tuple[int, int]]) -> list[PriceTier]:
    """Keep the row of a quantity that stays (the table allows one row per quantity)."""
    by_qty = {tier.min_qty: tier for tier in current}
    merged = []
    for qty, price in sorted(wanted):
        tier = by_qty.get(qty) or PriceTier(min_qty=qty)
        tier.unit_price = price
        merged.append(tier)
    return merged


def _check_tiers(data: ProductData) -> None:
    tiers = sorted(data.price_tiers)
    quantities = [qty for qty, _ in tiers]
    if len(set(quantities)) != len(quantities):
        raise DomainValidationError(
            _l("Each wholesale tier needs a different minimum quantity."), field="price_tiers"
        )
    if tiers and tiers[0][0] < data.min_order_qty:
        raise DomainValidationError(
            _l(
                "A wholesale tier cannot start below the minimum order (%(n)d).",
                n=data.min_order_qty,
            ),
            field="price_tiers",
        )
    for (_, cheaper_qty_price), (_, larger_qty_price) in pairwise(tiers):
        if larger_qty_price > cheaper_qty_price:
            raise DomainValidationError(
                _l("A larger quantity cannot cost more per unit than a smaller one."),
                field="price_tiers",
            )
    if tiers and data.retail_price and tiers[0][1] > data.retail_price:
        raise DomainValidationError(
            _l("Wholesale prices cannot be above the retail price."), field="price_tiers"
        )


def _own_certificates(ikm: IKM, ids: list[int]) -> list[Certificate]:
    """Only the IKM's own certificates can be attached; other ids are ignored."""
    if not ids:
        return []
    return db.session.scalars(
        db.select(Certificate).where(Certificate.ikm_id == ikm.id, Certificate.id.in_(ids))
    ).all()


def duplicate_product(product: Product, by) -> Product:
    """A copy to start a similar product from: same details, photos and certificates."""
    copy = Product(ikm=product.ikm)
    columns = [
        c.key
        for c in Product.__table__.columns
        if c.key not in ("id", "created_at", "updated_at", "archived_at")
    ]
    for name in columns:
        setattr(copy, name, getattr(product, name))
    copy.name = str(_l("%(name)s (copy)", name=product.name))[:150]
    copy.price_tiers = [
        PriceTier(min_qty=t.min_qty, unit_price=t.unit_price) for t in product.price_tiers
    ]
    copy.certificates = list(product.certificates)
    db.session.add(copy)
    db.session.flush()
    for photo in product.photos:
        copy.photos.append(_copy_photo(photo, copy))
    db.session.flush()
    audit.record("product.duplicated", copy, actor=by, source_id=product.id)
    return copy


def _copy_photo(photo: Photo, product: Product) -> Photo:
    def again(stored):
        return storage.store(
            storage.read(stored),
            stored.content_type,
            "photo",
            product.ikm.id,
            stored.width,
            stored.height,
        )

    return Photo(
        position=photo.position,
        is_cover=photo.is_cover,
        thumb=again(photo.thumb),
        medium=again(photo.medium),
        large=again(photo.large),
        created_at=clock.now(),
    )


def archive_product(product: Product, by) -> None:
    if product.is_archived:
        raise InvalidTransition(_l("This product is already archived."))
    product.archived_at = clock.now()
    audit.record("product.archived", product, actor=by)
    product_changed(product)


def restore_product(product: Product, by) -> None:
    if not product.is_archived:
        raise InvalidTransition(_l("This product is not archived."))
    product.archived_at = None
    audit.record("product.restored", product, actor=by)
    product_changed(product)


def product_changed(product: Product) -> None:
    """Tell whoever depends on a product's content (the search index) that it changed."""
    signals.product_changed.send(product)


# -- photos ----------------------------------------------------------------------------------


def add_photo(product: Product, data: bytes, by) -> Photo:
    """Decode, re-encode and store a photo in three sizes.

    :raises DomainValidationError: a ninth photo, a file that is not a usable image, or a full quota
    """
    config = current_app.config
    if len(product.photos) >= config["PHOTOS_PER_PRODUCT"]:
        raise DomainValidationError(
            _l(
                "A product can have at most %(n)d photos. Delete one first.",
                n=config["PHOTOS_PER_PRODUCT"],
            ),
            field="photos",
        )
    renditions = images.process(data, images.PHOTO_SIZES, field="photos")
    check_quota(product.ikm, sum(len(r.data) for r in renditions.values()), field="photos")
    stored = {
        name: storage.store(r.data, r.content_type, "photo", product.ikm.id, r.width, r.height)
        for name, r in renditions.items()
    }
    photo = Photo(
        position=len(product.photos), is_cover=not product.photos, created_at=clock.now(), **stored
    )
    product.photos.append(photo)
    db.session.flush()
    audit.record("product.photo_added", product, actor=by, photo_id=photo.id)
    product_changed(product)
    return photo


def move_photo(photo: Photo, offset: int, by) -> None:
    """Move a photo one place earlier (-1) or later (+1)."""
    photos = list(photo.product.photos)
    index = photos.index(photo)
    target = index + offset
    if not 0 <= target < len(photos):
        return
    photos[index], photos[target] = photos[target], photos[index]
    for position, each in enumerate(photos):
        each.position = position
    db.session.flush()
    audit.record("product.photos_reordered", photo.product, actor=by)
    product_changed(photo.product)


def set_cover(photo: Photo, by) -> None:
    for each in photo.product.photos:
        each.is_cover = each.id == photo.id
    db.session.flush()
    audit.record("product.cover_changed", photo.product, actor=by, photo_id=photo.id)
    product_changed(photo.product)


def delete_photo(photo: Photo, by) -> None:
    product = photo.product
    was_cover = photo.is_cover
    product.photos.remove(photo)
    for stored in photo.files:
        storage.discard(stored)
    for position, each in enumerate(product.photos):
        each.position = position
    if was_cover and product.photos:
        product.photos[0].is_cover = True
    db.session.flush()
    audit.record("product.photo_deleted", product, actor=by)
    product_changed(product)


# -- certificates ----------------------------------------------------------------------------


def ikm_certificates(ikm: IKM) -> list[Certificate]:
    return db.session.scalars(_certificates_query(ikm)).all()


def _certificates_query(ikm: IKM):
    return (
        db.select(Certificate).filter_by(ikm_id=ikm.id).order_by(Certificate.type, Certificate.id)
    )


def certificate_cards(ikm: IKM, number: int) -> Page:
    """A page of the IKM's certificates with the products each covers."""
    return paginate(
        _certificates_query(ikm).options(selectinload(Certificate.products)), number, CARDS
    )


def _check_certificate(data: CertificateData) -> CertificateData:
    number = identifiers.normalise_number(data.type, data.number)
    standard = (
        identifiers.normalise_standard(data.standard) if data.type == CertificateType.SNI else None
    )
    valid_until = data.valid_until
    if data.type == CertificateType.PIRT and valid_until is None:
        valid_until = identifiers.pirt_expiry(number)
    if data.issued_on and valid_until and valid_until <= data.issued_on:
        raise DomainValidationError(
            _l("The certificate must be valid until after it was issued."), field="valid_until"
        )
    if data.type == CertificateType.OTHER and not (data.title or "").strip():
        raise DomainValidationError(_l("Name the kind of certificate."), field="title")
    return CertificateData(
        **{**asdict(data), "number": number, "standard": standard, "valid_until": valid_until}
    )


def _set_document(certificate: Certificate, upload: bytes | None) -> None:
    if not upload:
        raise DomainValidationError(_l("Attach the certificate document."), field="document")
    try:
        content, content_type = documents.prepare(upload)
    except DomainValidationError as error:
        log_event(
            "upload.rejected", kind="certificate", ikm_id=certificate.ikm.id, reason=error.message
        )
        raise
    check_quota(certificate.ikm, len(content), field="document")
    old = certificate.document
    certificate.document = storage.store(content, content_type, "document", certificate.ikm.id)
    storage.discard(old)


def create_certificate(ikm: IKM, data: CertificateData, document: bytes | None, by) -> Certificate:
    """Claim a certificate with its document (required), to be verified by the trade office."""
    data = _check_certificate(data)
    certificate = Certificate(ikm=ikm, status=CertificateStatus.CLAIMED)
    _apply_certificate(certificate, data)
    db.session.add(certificate)
    _set_document(certificate, document)
    db.session.flush()
    audit.record("certificate.claimed", certificate, actor=by)
    _products_changed(certificate)
    return certificate


def update_certificate(
    certificate: Certificate, data: CertificateData, document: bytes | None, by
) -> Certificate:
    """Save changes; a changed number, date or document must be verified again."""
    data = _check_certificate(data)
    evidence = (
        certificate.type,
        certificate.number,
        certificate.issued_on,
        certificate.valid_until,
    )
    affected = set(certificate.products)
    _apply_certificate(certificate, data)
    if document:
        _set_document(certificate, document)
    new_evidence = (
        certificate.type,
        certificate.number,
        certificate.issued_on,
        certificate.valid_until,
    )
    if certificate.valid_until != evidence[3]:  # a renewed date earns new reminders
        certificate.reminded_30_at = certificate.reminded_7_at = None
    if (document or evidence != new_evidence) and certificate.status != CertificateStatus.CLAIMED:
        certificate.status = CertificateStatus.CLAIMED
        certificate.verified_at = None
        certificate.status_reason = None
    db.session.flush()
    audit.record("certificate.updated", certificate, actor=by)
    _products_changed(certificate, affected)
    return certificate


def _apply_certificate(certificate: Certificate, data: CertificateData) -> None:
    values = asdict(data)
    product_ids = values.pop("product_ids")
    for name, value in values.items():
        setattr(certificate, name, value)
    ikm_product_ids = set(
        db.session.scalars(db.select(Product.id).filter_by(ikm_id=certificate.ikm.id))
    )
    wanted = [pid for pid in product_ids if pid in ikm_product_ids]
    certificate.products = (
        db.session.scalars(db.select(Product).where(Product.id.in_(wanted))).all() if wanted else []
    )


def delete_certificate(certificate: Certificate, by) -> None:
    affected = set(certificate.products)
    audit.record(
        "certificate.deleted",
        certificate,
        actor=by,
        type=certificate.type,
        number=certificate.number,
    )
    storage.discard(certificate.document)
    db.session.delete(certificate)
    db.session.flush()
    for product in affected:
        product_changed(product)


def verify_certificate(certificate: Certificate, by) -> None:
    if certificate.status != CertificateStatus.CLAIMED:
        raise InvalidTransition(_l("Only certificates waiting for verification can be verified."))
    if certificate.document is None:
        raise InvalidTransition(_l("A certificate without a document cannot be verified."))
    certificate.status = CertificateStatus.VERIFIED
    certificate.verified_at = clock.now()
    certificate.verified_by_id = by.id
    db.session.flush()
    audit.record("certificate.verified", certificate, actor=by)
    _tell_ikm(certificate, _l("Your certificate is verified"), "certificate_verified")
    _products_changed(certificate)


def reject_certificate(certificate: Certificate, reason: str, by) -> None:
    if certificate.status == CertificateStatus.REJECTED:
        raise InvalidTransition(_l("This certificate is already rejected."))
    if not reason.strip():
        raise DomainValidationError(_l("Give the IKM a reason it can act on."), field="reason")
    certificate.status = CertificateStatus.REJECTED
    certificate.status_reason = reason.strip()
    certificate.verified_at = None
    db.session.flush()
    audit.record("certificate.rejected", certificate, actor=by, reason=certificate.status_reason)
    _tell_ikm(certificate, _l("Your certificate could not be verified"), "certificate_rejected")
    _products_changed(certificate)


def _products_changed(certificate: Certificate, extra=()) -> None:
    for product in set(certificate.products) | set(extra):
        product_changed(product)


def _tell_ikm(certificate: Certificate, subject, template: str, **context) -> None:
    for member in certificate.ikm.memberships:
        if member.role in (MemberRole.OWNER, MemberRole.STAFF):
            queue_email(
                member.user.email,
                subject,
                template,
                locale=member.user.locale,
                user=member.user,
                certificate=certificate,
                **context,
            )


def certificate_queue(status: str = CertificateStatus.CLAIMED, number: int = 1) -> Page:
    """A page of the certificates in ``status`` for the trade office, longest waiting first."""
    return paginate(
        db.select(Certificate)
        .filter_by(status=status)
        .order_by(Certificate.updated_at, Certificate.id),
        number,
        ROWS,
    )


REMINDER_DAYS = (30, 7)


def send_expiry_reminders(today: date) -> int:
    """Tell IKMs 30 and 7 days before a certificate expires, once per threshold.

    Only current certificates (not rejected) with an end date count. Returns the number of
    reminders queued.
    """
    sent = 0
    for days in REMINDER_DAYS:
        column = Certificate.reminded_30_at if days == 30 else Certificate.reminded_7_at
        due = db.session.scalars(
            db.select(Certificate)
            .where(Certificate.valid_until.is_not(None), Certificate.valid_until >= today)
            .where(Certificate.valid_until <= date.fromordinal(today.toordinal() + days))
            .where(Certificate.status != CertificateStatus.REJECTED, column.is_(None))
        ).all()
        for certificate in due:
            if days == 30 and certificate.valid_until <= date.fromordinal(today.toordinal() + 7):
                certificate.reminded_30_at = clock.now()  # the 7-day reminder says it all
                continue
            setattr(certificate, column.key, clock.now())
            left = (certificate.valid_until - today).days
            _tell_ikm(
                certificate,
                _l("A certificate expires in %(days)d days", days=left),
                "certificate_expiring",
                days=left,
            )
            audit.record("certificate.reminded", certificate, days=days)
            sent += 1
    db.session.flush()
    return sent


def note_expired_certificates(today: date) -> int:
    """Certificates whose validity ended lose their badge: tell the products they cover, once."""
    expired = db.session.scalars(
        db.select(Certificate).where(
            Certificate.valid_until < today, Certificate.expiry_noted_at.is_(None)
        )
    ).all()
    for certificate in expired:
        certificate.expiry_noted_at = clock.now()
        _products_changed(certificate)
    db.session.flush()
    return len(expired)


# -- what the homes count ----------------------------------------------------------------------

EXPIRING_DAYS = 30


def _expiring(today: date, days: int = EXPIRING_DAYS):
    """Current certificates (not rejected) whose validity ends within ``days`` from today."""
    return db.select(Certificate).where(
        Certificate.valid_until.is_not(None),
        Certificate.valid_until >= today,
        Certificate.valid_until <= today + timedelta(days=days),
        Certificate.status != CertificateStatus.REJECTED,
    )


def expiring_certificates(today: date, number: int = 1) -> Page:
    """A page of the certificates that expire within 30 days, the soonest first."""
    return paginate(
        _expiring(today).order_by(Certificate.valid_until, Certificate.id), number, ROWS
    )


def certificate_counts(today: date) -> dict[str, int]:
    """For the trade office: certificates waiting for verification and those expiring within
    30 days (one query)."""
    expiring = _expiring(today).with_only_columns(Certificate.id).subquery()
    claimed, soon = db.session.execute(
        db.select(
            db.select(db.func.count(Certificate.id))
            .where(Certificate.status == CertificateStatus.CLAIMED)
            .scalar_subquery(),
            db.select(db.func.count()).select_from(expiring).scalar_subquery(),
        )
    ).one()
    return {"claimed": claimed, "expiring": soon}


def expiring_counts(ikm_ids: list[int], today: date) -> dict[int, int]:
    """Per IKM, how many of its certificates expire within 30 days (one grouped query)."""
    if not ikm_ids:
        return {}
    return dict(
        db.session.execute(
            _expiring(today)
            .with_only_columns(Certificate.ikm_id, db.func.count(Certificate.id))
            .where(Certificate.ikm_id.in_(ikm_ids))
            .group_by(Certificate.ikm_id)
        ).all()
    )
