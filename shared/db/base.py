"""Declarative base with a naming convention, and the mixins every table is built from."""

import uuid
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import DateTime, Integer, MetaData
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from shared.clock import utc_now
from shared.enums import Role

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Model(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UUIDPrimaryKey:
    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now, onupdate=utc_now)


class Versioned:
    """Optimistic concurrency: the ORM bumps `version` on every UPDATE and refuses a stale one.

    The version is the resource's ETag, so a lost update is impossible even between two
    requests that both passed their If-Match check.
    """

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - a declared_attr receives the class
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class TenantScoped:
    """A record that belongs to an organisation.

    `__tenant_columns__` maps each organisation-scoped role to the column holding that
    organisation's id; a scoped role missing from the map sees none of these records.
    `shared.db.tenancy` applies the filter to every ORM query of a scoped session.
    """

    __tenant_columns__: ClassVar[dict[Role, str]] = {}


class Audited:
    """Inserts, updates and deletes of this model are written to the audit log at flush."""
