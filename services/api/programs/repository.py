"""Queries on programs."""

from sqlalchemy import Text, bindparam, func, select

from services.api.kit.pagination import Listing, SortKey, holds
from shared.models import Program
from shared.regions.lookup import within

#: GET /v1/programs and a partner's programs: each condition binds the filter of its name
#: (see ProgramSearch; `partner_id` comes from the path for a partner's programs).
LISTING = Listing(
    select(Program),
    sort=[SortKey(Program.created_at), SortKey(Program.id)],
    conditions={
        "partner_id": Program.partner_id == bindparam("partner_id"),
        "focus_area": holds(Program.focus_areas, "focus_area"),
        "country": holds(Program.countries, "country"),
        "region": within(Program.regions),
        "instrument": holds(Program.instruments, "instrument"),
        "active": Program.active == bindparam("active"),
        "q": Program.search.op("@@")(func.websearch_to_tsquery("simple", bindparam("q", type_=Text))),
    },
)
