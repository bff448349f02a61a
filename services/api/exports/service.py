"""Rows to CSV (injection-safe) and commitments to IATI 2.03 activities, streamed chunk by chunk.

The request's own session is closed by TransactionalRoute as soon as the handler returns, so
each stream opens its own session from the app's sessionmaker, scopes it to the caller, and
reads through a server-side cursor inside its own transaction.
"""

import csv
import io
import json
import re
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from lxml import etree
from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.actor import Actor
from shared.clock import utc_now
from shared.db.tenancy import set_actor
from shared.indicators import INDICATORS
from shared.models import Commitment, ImpactReport, Match

#: Rows fetched from the cursor per chunk written to the client.
CHUNK_ROWS = 500
#: A spreadsheet treats a cell starting with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Characters XML 1.0 cannot carry.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

#: The programme's organisation identifier as IATI reporting-org; replace with the registered one.
REPORTING_ORG_REF = "XI-IATI-PUENTE"
REPORTING_ORG_NAME = "Puente public-private partnership programme"
#: IATI OrganisationType: 30 = Public Private Partnership, 70 = Private Sector.
_PPP, _PRIVATE_SECTOR = "30", "70"
#: Puente status → IATI ActivityStatus (1 pipeline, 2 implementation, 4 closed, 5 cancelled, 6 suspended).
ACTIVITY_STATUS = {"announced": "1", "in_progress": "2", "completed": "4", "withdrawn": "5", "stalled": "6"}


def cell(value: Any) -> str:
    """One CSV cell: plain text, with a leading quote where a spreadsheet would see a formula."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        text = value.isoformat().replace("+00:00", "Z")
    elif isinstance(value, date | Decimal | int | float):
        return str(value)
    elif isinstance(value, list | tuple):
        text = ";".join(str(v) for v in value)
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    else:
        text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_lines(rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([cell(v) for v in row] for row in rows)
    return buffer.getvalue()


async def stream(
    sessionmaker: async_sessionmaker[AsyncSession],
    actor: Actor,
    statement: Select[Any],
    render: Callable[[Sequence[Any]], str],
    *,
    head: str = "",
    tail: str = "",
    chunk_rows: int = CHUNK_ROWS,
) -> AsyncIterator[str]:
    """`head`, then each chunk of rows rendered, then `tail`: the generator owns its session."""
    yield head
    async with sessionmaker() as session:
        set_actor(session.sync_session, actor)
        result = await session.stream(statement.execution_options(yield_per=chunk_rows))
        async for partition in result.partitions():
            yield render(partition)
    if tail:
        yield tail


# --- CSV layouts ---------------------------------------------------------------------------------

COMMITMENT_COLUMNS = [
    "id", "business_id", "business_name", "title", "description", "focus_areas", "countries", "regions", "amount_usd",
    "needs", "status", "initiative", "announced_on", "targets", "baselines", "external_id", "version",
    "created_at", "updated_at",
]  # fmt: skip


def commitment_rows(rows: Sequence[Any]) -> str:
    return csv_lines(
        [name if column == "business_name" else getattr(c, column) for column in COMMITMENT_COLUMNS] for c, name in rows
    )


MATCH_COLUMNS = [
    "id", "commitment_id", "program_id", "partner_id", "business_id", "score", "status", "reasons",
    "run_id", "model_version", "decided_at", "version", "created_at", "updated_at",
]  # fmt: skip


def match_header(components: Sequence[str]) -> list[str]:
    return MATCH_COLUMNS + [f"component_{name}" for name in components]


def match_renderer(components: Sequence[str]) -> Callable[[Sequence[Any]], str]:
    def value(match: Match, column: str) -> Any:
        return " | ".join(match.reasons) if column == "reasons" else getattr(match, column)

    def render(rows: Sequence[Any]) -> str:
        return csv_lines(
            [
                *(value(m, column) for column in MATCH_COLUMNS),
                *(m.components.get(name) for name in components),
            ]
            for (m,) in rows
        )

    return render


REPORT_COLUMNS = [
    "id", "commitment_id", "business_id", "period_start", "period_end", *INDICATORS, "breakdowns", "notes",
    "source", "reported_by", "replaced_at", "created_at",
]  # fmt: skip


def report_rows(rows: Sequence[Any]) -> str:
    out = []
    for (r,) in rows:
        report: ImpactReport = r
        out.append([
            report.id, report.commitment_id, report.business_id, report.period_start, report.period_end,
            *(report.metrics.get(code) for code in INDICATORS),
            report.breakdowns or None, report.notes, report.source, report.reported_by, report.replaced_at,
            report.created_at,
        ])  # fmt: skip
    return csv_lines(out)


def header(columns: Sequence[str]) -> str:
    return csv_lines([columns])


# --- IATI ----------------------------------------------------------------------------------------


def _text(value: str) -> str:
    return _NOT_XML.sub("", value)


def _narrative(parent: etree._Element, tag: str, text: str) -> etree._Element:
    element = etree.SubElement(parent, tag)
    etree.SubElement(element, "narrative").text = _text(text)
    return element


def _percentages(count: int) -> list[str]:
    """`count` shares of 100 with two decimals that add up to exactly 100."""
    share = (Decimal(100) / count).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    shares = [share] * count
    shares[-1] = Decimal(100) - share * (count - 1)
    return [str(s) for s in shares]


def _value(parent: etree._Element, amount: Any, on: date) -> None:
    value = etree.SubElement(parent, "value", {"currency": "USD", "value-date": on.isoformat()})
    value.text = str(Decimal(str(amount)).quantize(Decimal("0.01")))


def iati_activity(commitment: Commitment, business_name: str, disbursements: list[list[Any]]) -> str:
    """One iati-activity element, in the order the 2.03 schema's sequence requires."""
    started = commitment.announced_on or commitment.created_at.date()
    activity = etree.Element(
        "iati-activity",
        {
            "last-updated-datetime": commitment.updated_at.isoformat(),
            "{http://www.w3.org/XML/1998/namespace}lang": "en",
            "default-currency": "USD",
        },
    )
    etree.SubElement(activity, "iati-identifier").text = f"{REPORTING_ORG_REF}-{commitment.id}"
    reporting = etree.SubElement(activity, "reporting-org", {"ref": REPORTING_ORG_REF, "type": _PPP})
    etree.SubElement(reporting, "narrative").text = REPORTING_ORG_NAME
    _narrative(activity, "title", commitment.title)
    description = _narrative(activity, "description", commitment.description or commitment.title)
    description.set("type", "1")
    for role in ("1", "4"):  # the business funds and implements its own commitment
        org = etree.SubElement(activity, "participating-org", {"role": role, "type": _PRIVATE_SECTOR})
        etree.SubElement(org, "narrative").text = _text(business_name)
    etree.SubElement(activity, "activity-status", {"code": ACTIVITY_STATUS.get(commitment.status, "2")})
    etree.SubElement(activity, "activity-date", {"type": "1", "iso-date": started.isoformat()})
    for code, percentage in zip(commitment.countries, _percentages(len(commitment.countries) or 1), strict=False):
        etree.SubElement(activity, "recipient-country", {"code": code, "percentage": percentage})
    shares = _percentages(len(commitment.focus_areas) or 1)
    for focus_area, percentage in zip(commitment.focus_areas, shares, strict=False):
        sector = etree.SubElement(
            activity, "sector", {"vocabulary": "99", "code": focus_area, "percentage": percentage}
        )
        etree.SubElement(sector, "narrative").text = focus_area.replace("_", " ")
    if commitment.amount_usd is not None:
        pledge = etree.SubElement(activity, "transaction")
        etree.SubElement(pledge, "transaction-type", {"code": "2"})  # outgoing commitment
        etree.SubElement(pledge, "transaction-date", {"iso-date": started.isoformat()})
        _value(pledge, commitment.amount_usd, started)
    for period_end, amount in sorted(disbursements, key=lambda d: str(d[0])):
        on = date.fromisoformat(str(period_end))
        spent = etree.SubElement(activity, "transaction")
        etree.SubElement(spent, "transaction-type", {"code": "3"})  # disbursement
        etree.SubElement(spent, "transaction-date", {"iso-date": on.isoformat()})
        _value(spent, amount, on)
    text: str = etree.tostring(activity, encoding="unicode")
    return text


def iati_head() -> str:
    generated = utc_now().replace(microsecond=0).isoformat()
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03" generated-datetime="{generated}">\n'
    )


IATI_TAIL = "</iati-activities>\n"


def iati_rows(rows: Sequence[Any]) -> str:
    return "".join(
        iati_activity(commitment, name, disbursements or []) + "\n" for commitment, name, disbursements in rows
    )
