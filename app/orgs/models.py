"""Organisations and who belongs to them.

One table holds every organisation (single-table inheritance); ``IKM``, ``Partner`` and
``Buyer`` add the columns of their kind, all nullable in the table.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import TimestampMixin, UTCDateTime
from app.extensions import db
from app.orgs import regions


class OrgKind(StrEnum):
    IKM = "ikm"
    PARTNER = "partner"
    BUYER = "buyer"


class MemberRole(StrEnum):
    OWNER = "owner"  # IKM
    STAFF = "staff"  # IKM
    PARTNER_ADMIN = "partner_admin"
    CURATOR = "curator"
    BUYER = "buyer"


ROLES_BY_KIND = {
    OrgKind.IKM: (MemberRole.OWNER, MemberRole.STAFF),
    OrgKind.PARTNER: (MemberRole.PARTNER_ADMIN, MemberRole.CURATOR),
    OrgKind.BUYER: (MemberRole.BUYER,),
}

ROLE_LABELS = {
    MemberRole.OWNER: _l("Owner"),
    MemberRole.STAFF: _l("Staff"),
    MemberRole.PARTNER_ADMIN: _l("Partner admin"),
    MemberRole.CURATOR: _l("Curator"),
    MemberRole.BUYER: _l("Buyer"),
}


class Sector(StrEnum):
    FOOTWEAR = "alas_kaki"
    BATIK = "batik"
    CRAFTS = "kriya"
    FOOD_DRINK = "makanan_minuman"
    FASHION = "fashion"
    FURNITURE = "furnitur"
    METAL = "logam"
    OTHER = "lainnya"


SECTOR_LABELS = {
    Sector.FOOTWEAR: _l("Footwear (alas kaki)"),
    Sector.BATIK: _l("Batik"),
    Sector.CRAFTS: _l("Crafts (kriya)"),
    Sector.FOOD_DRINK: _l("Food and drink"),
    Sector.FASHION: _l("Fashion and garments (konveksi)"),
    Sector.FURNITURE: _l("Furniture"),
    Sector.METAL: _l("Metalwork (logam)"),
    Sector.OTHER: _l("Other"),
}


class VerificationStatus(StrEnum):
    DRAFT = "draft"  # profile not yet sent for verification
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


STATUS_LABELS = {
    VerificationStatus.DRAFT: _l("Profile incomplete"),
    VerificationStatus.PENDING: _l("Waiting for verification"),
    VerificationStatus.VERIFIED: _l("Verified"),
    VerificationStatus.REJECTED: _l("Asked for changes"),
}


class PartnerType(StrEnum):
    RETAILER = "retailer"
    EXPORTER = "exporter"
    WHOLESALER = "wholesaler"
    HOSPITALITY = "hospitality"
    OTHER = "other"


PARTNER_TYPE_LABELS = {
    PartnerType.RETAILER: _l("Retailer"),
    PartnerType.EXPORTER: _l("Exporter or manufacturer"),
    PartnerType.WHOLESALER: _l("Wholesaler"),
    PartnerType.HOSPITALITY: _l("Hospitality"),
    PartnerType.OTHER: _l("Other"),
}


class BuyerType(StrEnum):
    COMPANY = "company"
    INDIVIDUAL = "individual"


class Organisation(TimestampMixin, db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), index=True)
    name: Mapped[str] = mapped_column(String(150))
    email: Mapped[str | None] = mapped_column(String(254))
    website: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    province_code: Mapped[str | None] = mapped_column(String(2))
    regency_code: Mapped[str | None] = mapped_column(String(5), index=True)
    region_edition: Mapped[str | None] = mapped_column(String(40))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    logo_id: Mapped[int | None] = mapped_column(
        ForeignKey("stored_files.id", ondelete="SET NULL", use_alter=True)
    )

    memberships = relationship(
        "Membership", back_populates="organisation", cascade="all, delete-orphan"
    )
    logo = relationship("StoredFile", foreign_keys=[logo_id])

    # Every kind's columns in every query: one table, so no join, and no query per row for
    # an IKM's status or a partner's type when organisations come through a relationship.
    __mapper_args__ = {"polymorphic_on": "kind", "with_polymorphic": "*"}

    @property
    def region_label(self) -> str:
        return regions.label(self.regency_code, self.region_edition or regions.REGION_EDITION)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id} {self.name!r}>"


class IKM(Organisation):
    nib: Mapped[str | None] = mapped_column(String(13))
    sector: Mapped[str | None] = mapped_column(String(20))
    kbli_code: Mapped[str | None] = mapped_column(String(5))
    kbli_edition: Mapped[str | None] = mapped_column(String(10))
    address: Mapped[str | None] = mapped_column(String(300))
    whatsapp: Mapped[str | None] = mapped_column(String(20))
    workers: Mapped[int | None] = mapped_column(Integer)
    capacity_monthly: Mapped[int | None] = mapped_column(Integer)
    capacity_unit: Mapped[str | None] = mapped_column(String(10))
    year_founded: Mapped[int | None] = mapped_column(Integer)
    has_export_experience: Mapped[bool | None] = mapped_column(Boolean)
    export_markets: Mapped[str | None] = mapped_column(String(200))
    story: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(10), index=True)
    status_reason: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    __mapper_args__ = {"polymorphic_identity": OrgKind.IKM.value}

    @property
    def is_verified(self) -> bool:
        return self.status == VerificationStatus.VERIFIED

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[VerificationStatus(self.status or "draft")])

    @property
    def sector_label(self) -> str:
        return str(SECTOR_LABELS[Sector(self.sector)]) if self.sector else ""


class Partner(Organisation):
    partner_type: Mapped[str | None] = mapped_column(String(12))

    __mapper_args__ = {"polymorphic_identity": OrgKind.PARTNER.value}

    @property
    def type_label(self) -> str:
        return str(PARTNER_TYPE_LABELS[PartnerType(self.partner_type)]) if self.partner_type else ""


class Buyer(Organisation):
    buyer_type: Mapped[str | None] = mapped_column(String(10))

    __mapper_args__ = {"polymorphic_identity": OrgKind.BUYER.value}


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    user = relationship("User", back_populates="memberships")
    organisation = relationship("Organisation", back_populates="memberships", lazy="joined")

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS[MemberRole(self.role)])


class Invitation(db.Model):
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation = relationship("Organisation", lazy="joined")
    invited_by = relationship("User", foreign_keys=[invited_by_id])

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS[MemberRole(self.role)])

    def is_open(self, now: datetime) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now
