"""Queries on matches and their decisions; a match is always read with the names of what it connects.

Names come from the commitment, business, partner and programme tables joined as plain tables,
not ORM entities, so that organisation scoping narrows the matches themselves and never hides
the name of the other side of a match the caller may see.
"""

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ARRAY, ColumnElement, Select, String, Text, any_, bindparam, cast, func, or_, select
from sqlalchemy.dialects.postgresql import array
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.kit.pagination import Listing, SortKey
from shared.db.folding import holds_text
from shared.models import Business, Commitment, Contact, Match, MatchDecision, Partner, Program

_commitments = Commitment.__table__
_businesses = Business.__table__
_partners = Partner.__table__
_programs = Program.__table__

NAME_COLUMNS = (
    _commitments.c.title.label("commitment_title"),
    _businesses.c.name.label("business_name"),
    _partners.c.name.label("partner_name"),
    _programs.c.name.label("program_name"),
)


def _with_names(statement: Select[Any]) -> Select[Any]:
    return (
        statement.join(_commitments, _commitments.c.id == Match.commitment_id)
        .join(_businesses, _businesses.c.id == Match.business_id)
        .join(_partners, _partners.c.id == Match.partner_id)
        .join(_programs, _programs.c.id == Match.program_id)
    )


def _holds(column: ColumnElement[Any], name: str, item: Any) -> ColumnElement[bool]:
    return column.contains(cast(array([bindparam(name, type_=item)]), ARRAY(item)))


#: Each filter of GET /v1/matches and of the console's review queue, bound by its name.
CONDITIONS: dict[str, ColumnElement[bool]] = {
    "status": Match.status == any_(bindparam("status", type_=ARRAY(String))),
    "partner_id": Match.partner_id == bindparam("partner_id"),
    "business_id": Match.business_id == bindparam("business_id"),
    "commitment_id": Match.commitment_id == bindparam("commitment_id"),
    "program_id": Match.program_id == bindparam("program_id"),
    "run_id": Match.run_id == bindparam("run_id"),
    "min_score": Match.score >= bindparam("min_score"),
    "country": _holds(_commitments.c.countries, "country", String(2)),
    "focus_area": _holds(_commitments.c.focus_areas, "focus_area", Text),
    "q": or_(
        *(
            key.in_(select(table.c.id).where(holds_text(table.c[column], "q")))
            for key, table, column in (
                (Match.commitment_id, _commitments.alias("commitments_named"), "title"),
                (Match.business_id, _businesses.alias("businesses_named"), "name"),
                (Match.partner_id, _partners.alias("partners_named"), "name"),
                (Match.program_id, _programs.alias("programs_named"), "name"),
            )
        )
    ),
}

ROWS = _with_names(select(Match, *NAME_COLUMNS))


def listing(sort_column: Any, descending: bool) -> Listing:
    return Listing(
        ROWS,
        sort=[SortKey(sort_column, descending=descending), SortKey(Match.id, descending=descending)],
        conditions=CONDITIONS,
    )


#: One listing per sort: by score or by creation, each either way.
LISTINGS: dict[tuple[str, bool], Listing] = {
    (name, descending): listing(column, descending)
    for name, column in (("score", Match.score), ("created_at", Match.created_at))
    for descending in (True, False)
}


def by_id() -> Select[Any]:
    return ROWS.where(Match.id == bindparam("match_id"))


async def names_of(session: AsyncSession, match_id: uuid.UUID) -> dict[str, Any]:
    statement = _with_names(select(*NAME_COLUMNS).select_from(Match.__table__)).where(Match.id == match_id)
    return dict((await session.execute(statement)).mappings().one())


def decisions_of(match_id: uuid.UUID) -> Select[MatchDecision]:
    return select(MatchDecision).where(MatchDecision.match_id == match_id)


async def all_decisions(session: AsyncSession, match_id: uuid.UUID) -> list[MatchDecision]:
    statement = decisions_of(match_id).order_by(MatchDecision.created_at, MatchDecision.id)
    return list((await session.scalars(statement)).all())


async def contact_sides(session: AsyncSession, contact_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    """Each existing contact's organisation (its partner's or business's id), whatever the caller's scope."""
    contacts = Contact.__table__
    organisation = func.coalesce(contacts.c.partner_id, contacts.c.business_id)
    rows = await session.execute(select(contacts.c.id, organisation).where(contacts.c.id.in_(list(contact_ids))))
    return {row[0]: row[1] for row in rows}
