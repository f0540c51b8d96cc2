"""Products, their photos and price tiers, categories, and the IKM's certificates."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import TimestampMixin, UTCDateTime
from app.extensions import db
from app.orgs import regions


class CertificateType(StrEnum):
    HALAL = "halal"
    HKI = "hki"
    SNI = "sni"
    PIRT = "pirt"
    BPOM = "bpom"
    OTHER = "other"


CERTIFICATE_LABELS = {
    CertificateType.HALAL: _l("Halal (BPJPH)"),
    CertificateType.HKI: _l("Trademark (HKI/DJKI)"),
    CertificateType.SNI: _l("SNI"),
    CertificateType.PIRT: _l("P-IRT"),
    CertificateType.BPOM: _l("BPOM"),
    CertificateType.OTHER: _l("Other"),
}


class CertificateStatus(StrEnum):
    CLAIMED = "claimed"
    VERIFIED = "verified"
    REJECTED = "rejected"
    EXPIRED = "expired"  # derived from valid_until, never stored


CERTIFICATE_STATUS_LABELS = {
    CertificateStatus.CLAIMED: _l("Being verified"),
    CertificateStatus.VERIFIED: _l("Verified"),
    CertificateStatus.REJECTED: _l("Rejected"),
    CertificateStatus.EXPIRED: _l("Expired"),
}


class Category(db.Model):
    """A two-level taxonomy (sector > kind of product); names are data, in both languages.

    ``required_certificates`` lists what a product of this category usually needs, as groups
    of alternatives: ``[["halal"], ["pirt", "bpom"]]`` means halal, and P-IRT or BPOM.
    """

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"), index=True)
    name_id: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)
    required_certificates: Mapped[list] = mapped_column(JSON, default=list)

    parent = relationship("Category", remote_side=[id], back_populates="children")
    children = relationship("Category", back_populates="parent", order_by="Category.position")

    @property
    def name(self) -> str:
        return self.name_en if str(get_locale()) == "en" else self.name_id

    @property
    def full_name(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent else self.name

    @property
    def requirements(self) -> list[list[str]]:
        """Own requirements, else the parent's."""
        if self.required_certificates:
            return self.required_certificates
        return self.parent.requirements if self.parent else []


product_certificates = Table(
    "product_certificates",
    db.metadata,
    Column("product_id", ForeignKey("products.id", ondelete="CASCADE"), primary_key=True),
    # Indexed on its own too: "which products does this certificate cover" must not scan the table.
    Column(
        "certificate_id",
        ForeignKey("certificates.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class Product(TimestampMixin, db.Model):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    ikm_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    name: Mapped[str] = mapped_column(String(150))
    description: Mapped[str] = mapped_column(Text, default="")
    materials: Mapped[str | None] = mapped_column(String(300))
    attributes: Mapped[list] = mapped_column(JSON, default=list)  # [{"label": .., "value": ..}]
    origin_regency_code: Mapped[str | None] = mapped_column(String(5))
    origin_region_edition: Mapped[str | None] = mapped_column(String(40))
    retail_price: Mapped[int | None] = mapped_column(Integer)  # Rupiah per unit
    unit: Mapped[str] = mapped_column(String(10))
    min_order_qty: Mapped[int] = mapped_column(Integer, default=1)
    capacity_monthly: Mapped[int | None] = mapped_column(Integer)
    lead_time_days: Mapped[int | None] = mapped_column(Integer)
    weight_grams: Mapped[int | None] = mapped_column(Integer)
    length_cm: Mapped[int | None] = mapped_column(Integer)
    width_cm: Mapped[int | None] = mapped_column(Integer)
    height_cm: Mapped[int | None] = mapped_column(Integer)
    shelf_life_days: Mapped[int | None] = mapped_column(Integer)
    hs_code: Mapped[str | None] = mapped_column(String(13))
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    ikm = relationship("IKM", lazy="joined")
    category = relationship("Category", lazy="joined")
    photos = relationship(
        "Photo", back_populates="product", order_by="Photo.position", cascade="all, delete-orphan"
    )
    price_tiers = relationship(
        "PriceTier",
        back_populates="product",
        order_by="PriceTier.min_qty",
        cascade="all, delete-orphan",
    )
    certificates = relationship(
        "Certificate", secondary=product_certificates, back_populates="products"
    )

    def certificates_for_buyers(self, today: date) -> list[Certificate]:
        """Verified, being verified or expired: what the product page and the API show. A refused
        claim is the IKM's business only, also once its date has passed (it never was valid)."""
        return [c for c in self.certificates if c.status != CertificateStatus.REJECTED]

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def cover(self) -> Photo | None:
        return next((p for p in self.photos if p.is_cover), self.photos[0] if self.photos else None)

    @property
    def origin_label(self) -> str:
        return regions.label(
            self.origin_regency_code, self.origin_region_edition or regions.REGION_EDITION
        )


class PriceTier(db.Model):
    """A wholesale price per unit from ``min_qty`` units upwards."""

    __tablename__ = "price_tiers"
    __table_args__ = (UniqueConstraint("product_id", "min_qty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    min_qty: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(Integer)

    product = relationship("Product", back_populates="price_tiers")


class Photo(db.Model):
    __tablename__ = "photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    is_cover: Mapped[bool] = mapped_column(default=False)
    thumb_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"))
    medium_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"))
    large_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    product = relationship("Product", back_populates="photos")
    thumb = relationship("StoredFile", foreign_keys=[thumb_id], lazy="joined")
    medium = relationship("StoredFile", foreign_keys=[medium_id], lazy="joined")
    large = relationship("StoredFile", foreign_keys=[large_id], lazy="joined")

    @property
    def files(self):
        return (self.thumb, self.medium, self.large)


class Certificate(TimestampMixin, db.Model):
    """A certification the IKM holds; it covers any number of its products."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    ikm_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    type: Mapped[str] = mapped_column(String(10), index=True)
    number: Mapped[str] = mapped_column(String(60))
    issuer: Mapped[str | None] = mapped_column(String(150))
    issued_on: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date, index=True)
    nice_class: Mapped[int | None] = mapped_column(Integer)  # trademarks
    standard: Mapped[str | None] = mapped_column(String(40))  # SNI standard number
    title: Mapped[str | None] = mapped_column(String(120))  # "other" certificates
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("stored_files.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(10), default=CertificateStatus.CLAIMED, index=True)
    status_reason: Mapped[str | None] = mapped_column(Text)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reminded_30_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_7_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the end of validity was passed on to what depends on it (the catalogue's badges).
    expiry_noted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    ikm = relationship("IKM", lazy="joined")
    document = relationship("StoredFile", lazy="joined")
    products = relationship(
        "Product", secondary=product_certificates, back_populates="certificates"
    )

    def state(self, today: date) -> CertificateStatus:
        """Claimed, verified or rejected as stored; expired once ``valid_until`` has passed."""
        if self.valid_until is not None and self.valid_until < today:
            return CertificateStatus.EXPIRED
        return CertificateStatus(self.status)

    def earns_badge(self, today: date) -> bool:
        return self.state(today) == CertificateStatus.VERIFIED

    @property
    def type_label(self) -> str:
        return str(CERTIFICATE_LABELS[CertificateType(self.type)])

    @property
    def display_name(self) -> str:
        """What a badge says: the kind, or for "other" the certificate's own title."""
        if self.type == CertificateType.OTHER and self.title:
            return self.title
        return self.type_label
