"""Organisation scoping applied to every ORM query, in one place.

A session whose `info["actor"]` is a scoped Actor (partner or business key) gets a
`with_loader_criteria` for every TenantScoped model on every SELECT it runs, and a
`shared.db.reader.Reader` applies the same `scope_statement` to every statement it runs: rows of
other organisations are invisible, so a lookup by id of someone else's record finds
nothing and the API answers 404 exactly as for a missing one.
"""

from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Executable, event, false
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from shared.actor import Actor
from shared.db.base import Model, TenantScoped

ACTOR_KEY = "actor"

StatementT = TypeVar("StatementT", bound=Executable)


def tenant_models() -> list[type[TenantScoped]]:
    return [mapper.class_ for mapper in Model.registry.mappers if issubclass(mapper.class_, TenantScoped)]


def tenant_clause(model: type[TenantScoped], actor: Actor) -> ColumnElement[bool]:
    column_name = model.__tenant_columns__.get(actor.role)
    if column_name is None or actor.organization_id is None:
        return false()
    column: Any = getattr(model, column_name)
    clause: ColumnElement[bool] = column == actor.organization_id
    return clause


def set_actor(session: Session, actor: Actor) -> None:
    session.info[ACTOR_KEY] = actor


def get_actor(session: Session) -> Actor | None:
    actor = session.info.get(ACTOR_KEY)
    return actor if isinstance(actor, Actor) else None


def scope_statement(statement: StatementT, actor: Actor | None) -> StatementT:
    """The statement narrowed to what the actor may see: unchanged for unscoped roles."""
    if actor is None or not actor.is_scoped:
        return statement
    return statement.options(
        *(with_loader_criteria(model, tenant_clause(model, actor), include_aliases=True) for model in tenant_models())
    )


@event.listens_for(Session, "do_orm_execute")
def _scope_to_organisation(state: ORMExecuteState) -> None:
    if not state.is_select or state.is_column_load or state.is_relationship_load:
        return
    state.statement = scope_statement(state.statement, get_actor(state.session))
