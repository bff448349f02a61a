"""Contact: a person at a partner or a business, whom an introduction puts in touch."""

import uuid

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Audited, Model, TenantScoped, Timestamps, UUIDPrimaryKey, Versioned
from shared.db.types import CodeList
from shared.enums import Role


class Contact(UUIDPrimaryKey, Timestamps, Versioned, TenantScoped, Audited, Model):
    """Exactly one of `partner_id` and `business_id` names the organisation; scoped like its records."""

    __tablename__ = "contacts"
    __tenant_columns__ = {Role.PARTNER: "partner_id", Role.BUSINESS: "business_id"}

    partner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("partners.id", ondelete="CASCADE"), index=True)
    business_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(50))
    languages: Mapped[list[str]] = mapped_column(CodeList, default=list)

    __table_args__ = (CheckConstraint("(partner_id IS NULL) <> (business_id IS NULL)", name="one_organization"),)
