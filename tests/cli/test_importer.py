"""`puente import`: CSV and JSON rows validated by the shared input models, upserted by external_id,
each bad row reported with its line and reason while the good ones are kept."""

import json
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from arq.jobs import Job, JobStatus
from sqlalchemy import func, select

from services.cli.importer import ImportFileError, ImportReport, RejectedRow, import_records
from shared.models import AuditEntry, Business, Commitment, MatchRun, Partner, Program
from shared.redis import create_arq_pool
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db")

SIZES = "'micro', 'small', 'medium', 'large' or 'multinational'"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _json(tmp_path: Path, name: str, data: Any) -> Path:
    return _write(tmp_path, name, json.dumps(data, indent=2, ensure_ascii=False))


def _rejected(report: ImportReport) -> list[tuple[int, str]]:
    return [(row.line, row.reason) for row in report.rejected]


def _balanced(report: ImportReport) -> None:
    assert report.accepted + len(report.rejected) == report.rows_read


async def _all(sessionmaker, model, order_by) -> list[Any]:
    async with sessionmaker() as session:
        return list((await session.scalars(select(model).order_by(order_by))).all())


BUSINESSES_CSV = """\
name,aliases,description,website,hq_country,countries,sectors,size,women_led,indigenous_led,external_id
Cafetalera Los Altos,Los Altos Coffee|LAC,Exportadora de café de especialidad,https://losaltos.example,gt,GT;HN,coffee;agriculture,medium,yes,0,crm-1
Gigante SA,,,,,GT,,gigantic,no,no,crm-2
Tejidos Mayas,,,,GT,GT;XX,textiles,small,true,true,crm-3
,,Nameless,,GT,GT,,small,false,false,crm-4

Maybe Ltd,,,,GT,GT,,small,maybe,false,crm-5
Energía Solar del Pacífico,,,,SV,SV,energy,large,FALSE,No,
"Quoted, Inc.",,"A description
over two lines",,HN,HN,,micro,1,0,crm-7
Too Many,,,,HN,HN,,micro,1,0,crm-8,extra
"""


async def test_csv_businesses_keep_good_rows_and_report_each_bad_one(sessionmaker, tmp_path):
    path = _write(tmp_path, "businesses.csv", BUSINESSES_CSV)
    done: list[int] = []

    report = await import_records(sessionmaker, path, "businesses", dry_run=False, progress=done.append)

    assert (report.rows_read, report.created, report.updated) == (8, 3, 0)
    assert _rejected(report) == [
        (3, f"size: Input should be {SIZES} (got 'gigantic')"),
        (4, "countries.1: 'XX' is not an ISO 3166-1 alpha-2 country code"),
        (5, "name: Field required"),
        (7, "women_led: 'maybe' is not a boolean (true/false, yes/no, 1/0)"),
        (11, "12 cells but the header names 11 columns"),
    ]
    assert [row.external_id for row in report.rejected] == ["crm-2", "crm-3", "crm-4", "crm-5", "crm-8"]
    _balanced(report)
    assert done == list(range(1, 9))

    stored = await _all(sessionmaker, Business, Business.name)
    assert [
        (b.name, b.aliases, b.description, b.website, b.hq_country, b.countries, b.sectors, b.size,
         b.women_led, b.indigenous_led, b.external_id)
        for b in stored
    ] == [
        ("Cafetalera Los Altos", ["Los Altos Coffee", "LAC"], "Exportadora de café de especialidad",
         "https://losaltos.example", "GT", ["GT", "HN"], ["coffee", "agriculture"], "medium", True, False,
         "crm-1"),
        ("Energía Solar del Pacífico", [], None, None, "SV", ["SV"], ["energy"], "large", False, False, None),
        ("Quoted, Inc.", [], "A description\nover two lines", None, "HN", ["HN"], [], "micro", True, False,
         "crm-7"),
    ]  # fmt: skip
    async with sessionmaker() as session:
        labels = set(
            await session.scalars(select(AuditEntry.actor_label).where(AuditEntry.entity_type == "businesses"))
        )
    assert labels == {"import:businesses.csv"}


async def test_reimport_updates_by_external_id_instead_of_duplicating(sessionmaker, tmp_path):
    first = [
        {"name": "Cafetalera Los Altos", "countries": ["GT"], "size": "medium", "external_id": "crm-1"},
        {"name": "Tejidos Mayas", "countries": ["GT"], "size": "small", "external_id": "crm-2"},
    ]
    second = [
        {
            "name": "Cafetalera Los Altos S.A.",
            "countries": ["GT", "HN"],
            "size": "large",
            "external_id": "crm-1",
        },
        {"name": "Tejidos Mayas", "countries": ["GT"], "size": "small", "external_id": "crm-2"},
        {"name": "Agro Honduras", "countries": ["HN"], "size": "micro", "external_id": "crm-3"},
    ]
    one = await import_records(sessionmaker, _json(tmp_path, "a.json", first), "businesses", dry_run=False)
    assert (one.created, one.updated, one.rejected) == (2, 0, [])
    before = {b.external_id: b for b in await _all(sessionmaker, Business, Business.external_id)}

    two = await import_records(sessionmaker, _json(tmp_path, "b.json", second), "businesses", dry_run=False)

    assert (two.rows_read, two.created, two.updated, two.unchanged, two.rejected) == (3, 1, 1, 1, [])
    after = await _all(sessionmaker, Business, Business.external_id)
    assert [(b.external_id, b.name, b.countries, b.size, b.version) for b in after] == [
        ("crm-1", "Cafetalera Los Altos S.A.", ["GT", "HN"], "large", 2),
        ("crm-2", "Tejidos Mayas", ["GT"], "small", 1),
        ("crm-3", "Agro Honduras", ["HN"], "micro", 1),
    ]
    assert after[0].id == before["crm-1"].id
    assert after[1].id == before["crm-2"].id


async def test_json_partners_with_line_numbers_and_items_wrapper(sessionmaker, tmp_path):
    data = {
        "source": "crm export",
        "items": [
            {"name": "DFC", "partner_type": "us_agency", "agency_code": "DFC",
             "countries": ["GT", "SV", "HN"], "external_id": "p-1"},
            {"name": "Mystery", "partner_type": "secret_society", "external_id": "p-2"},
            "not an object",
            {"name": "CABEI", "partner_type": "mdb", "countries": ["HN", "ZZ"], "external_id": "p-3"},
            {"name": "BCIE", "partner_type": "mdb", "unknown_field": 1},
        ],
    }  # fmt: skip
    path = _json(tmp_path, "partners.json", data)
    lines = path.read_text().splitlines()
    starts = [n for n, text in enumerate(lines, start=1) if text in ("    {", '    "not an object",')]
    assert len(starts) == 5

    report = await import_records(sessionmaker, path, "partners", dry_run=False)

    assert (report.rows_read, report.created) == (5, 1)
    partner_types = (
        "'us_agency', 'ngo', 'mdb', 'un_agency', 'international_org', 'government', 'foundation' or 'private'"
    )
    assert _rejected(report) == [
        (starts[1], f"partner_type: Input should be {partner_types} (got 'secret_society')"),
        (starts[2], "not a JSON object"),
        (starts[3], "countries.1: 'ZZ' is not an ISO 3166-1 alpha-2 country code"),
        (starts[4], "unknown_field: Extra inputs are not permitted"),
    ]
    _balanced(report)
    (stored,) = await _all(sessionmaker, Partner, Partner.name)
    assert (stored.name, stored.partner_type, stored.agency_code, stored.countries, stored.external_id) == (
        "DFC", "us_agency", "DFC", ["GT", "SV", "HN"], "p-1"
    )  # fmt: skip


async def test_csv_programs_find_their_partner_by_id_external_id_or_name(sessionmaker, tmp_path):
    async with sessionmaker() as session:
        usaid = await factories.create_partner(session, name="USAID", external_id="p-usaid")
        dfc = await factories.create_partner(session, name="DFC", agency_code="DFC")
        await session.commit()
    missing = uuid.uuid4()
    path = _write(
        tmp_path,
        "programs.csv",
        "name,partner_id,partner_external_id,partner_name,instruments,focus_areas,countries,"
        "min_ticket_usd,max_ticket_usd,eligible_sizes,capacity_per_month,active,external_id\n"
        f"Coffee credit,,p-usaid,,loan|technical_assistance,food_security_agriculture,GT;HN,"
        f'"100,000",$5000000.50,small;medium,8,yes,prog-1\n'
        f"Green guarantees,,,dfc,guarantee,climate_clean_energy,SV,,,,3,no,prog-2\n"
        f"Direct,{dfc.id},,,grant,public_health,HN,,,,0,1,prog-3\n"
        f"Nobody's,,,Nobody,grant,public_health,HN,,,,1,1,prog-4\n"
        f"Lost,,p-missing,,grant,public_health,HN,,,,1,1,prog-5\n"
        f"Orphan,,,,grant,public_health,HN,,,,1,1,prog-6\n"
        f"Ghost,{missing},,,grant,public_health,HN,,,,1,1,prog-7\n"
        f"Rockets,,p-usaid,,rockets,space,GT,,,,1,1,prog-8\n"
        f"Upside down,,p-usaid,,loan,public_health,GT,500,100,,1,1,prog-9\n"
        f"Half,,p-usaid,,loan,public_health,GT,,,,2.5,1,prog-10\n",
    )

    report = await import_records(sessionmaker, path, "programs", dry_run=False)

    assert (report.rows_read, report.created, report.updated) == (10, 3, 0)
    assert _rejected(report) == [
        (5, "no partner named 'Nobody'"),
        (6, "no partner with external_id 'p-missing'"),
        (7, "partner_id, partner_external_id or partner_name is required"),
        (8, f"partner {missing} does not exist"),
        (9, "instruments.0: Input should be 'loan', 'guarantee', 'equity', 'grant', 'technical_assistance', "
            "'insurance', 'trade_promotion', 'training', 'policy_dialogue' or 'convening' (got 'rockets'); "
            "focus_areas.0: Input should be 'reform_agenda', 'digital_financial_inclusion', "
            "'food_security_agriculture', 'climate_clean_energy', 'education_workforce' or 'public_health' "
            "(got 'space')"),
        (10, "max_ticket_usd: max_ticket_usd (100.00) is less than min_ticket_usd (500.00)"),
        (11, "capacity_per_month: '2.5' is not a whole number"),
    ]  # fmt: skip
    _balanced(report)
    stored = await _all(sessionmaker, Program, Program.external_id)
    assert [
        (p.external_id, p.partner_id, p.instruments, p.focus_areas, p.countries, p.min_ticket_usd,
         p.max_ticket_usd, p.eligible_sizes, p.capacity_per_month, p.active)
        for p in stored
    ] == [
        ("prog-1", usaid.id, ["loan", "technical_assistance"], ["food_security_agriculture"], ["GT", "HN"],
         Decimal("100000.00"), Decimal("5000000.50"), ["small", "medium"], 8, True),
        ("prog-2", dfc.id, ["guarantee"], ["climate_clean_energy"], ["SV"], None, None, [], 3, False),
        ("prog-3", dfc.id, ["grant"], ["public_health"], ["HN"], None, None, [], 0, True),
    ]  # fmt: skip


async def test_commitments_ask_for_a_scoped_run_sent_after_commit(sessionmaker, settings, redis, tmp_path):
    async with sessionmaker() as session:
        business = await factories.create_business(session, name="Tejidos Mayas", external_id="b-1")
        await session.commit()
    path = _write(
        tmp_path,
        "commitments.csv",
        "business_external_id,business_name,title,focus_areas,countries,amount_usd,needs,status,initiative,"
        "announced_on,targets,external_id\n"
        "b-1,,Train 500 weavers,education_workforce,GT,250000,training_partner|market_access,in_progress,"
        'central_america_forward,2023-02-06,"jobs_created=120; people_trained=500",c-1\n'
        ',tejidos mayas,Solar looms,climate_clean_energy,GT,"1,200,000",financing,announced,,,'
        '"{""jobs_created"": 10}",c-2\n'
        "b-404,,Lost,public_health,GT,10,financing,announced,,,,c-3\n"
        "b-1,,Bad targets,public_health,GT,10,financing,announced,,,unicorns=3,c-4\n"
        "b-1,,Bad pairs,public_health,GT,10,financing,announced,,,jobs_created,c-5\n"
        "b-1,,Bad status,public_health,GT,ten,financing,paused,,2023-13-01,,c-6\n",
    )
    pool = await create_arq_pool(settings)
    try:
        report = await import_records(sessionmaker, path, "commitments", dry_run=False, redis=pool)

        assert (report.rows_read, report.created) == (6, 2)
        rejected = _rejected(report)
        assert rejected[:3] == [
            (4, "no business with external_id 'b-404'"),
            (5, "targets: unknown indicator codes: unicorns (see GET /v1/metrics/indicators)"),
            (6, "targets: 'jobs_created' is not code=value"),
        ]
        assert rejected[3] == (
            7,
            "amount_usd: 'ten' is not a number; status: Input should be 'announced', 'in_progress',"
            " 'completed', 'stalled' or 'withdrawn' (got 'paused'); announced_on: Input should be a valid"
            " date or datetime, month value is outside expected range of 1-12",
        )
        _balanced(report)

        stored = await _all(sessionmaker, Commitment, Commitment.external_id)
        assert [
            (c.external_id, c.business_id, c.title, c.amount_usd, c.needs, c.status, c.targets)
            for c in stored
        ] == [
            ("c-1", business.id, "Train 500 weavers", Decimal("250000.00"),
             ["training_partner", "market_access"], "in_progress",
             {"jobs_created": 120, "people_trained": 500}),
            ("c-2", business.id, "Solar looms", Decimal("1200000.00"), ["financing"], "announced",
             {"jobs_created": 10}),
        ]  # fmt: skip
        (run,) = await _all(sessionmaker, MatchRun, MatchRun.created_at)
        assert (run.trigger, run.status) == ("change", "queued")
        assert sorted(run.scope["commitment_ids"]) == sorted(str(c.id) for c in stored)
        job_status = await Job(f"match-run:{run.id}", pool, _queue_name="puente:matcher").status()
        assert job_status in {JobStatus.deferred, JobStatus.queued}
    finally:
        await pool.aclose()  # type: ignore[attr-defined]


async def test_dry_run_reports_the_same_and_writes_nothing(sessionmaker, tmp_path):
    async with sessionmaker() as session:
        await factories.create_business(session, name="Existing", external_id="crm-1")
        await session.commit()
        audited = await session.scalar(select(func.count()).select_from(AuditEntry))
    path = _json(
        tmp_path,
        "businesses.json",
        [
            {"name": "Existing, renamed", "external_id": "crm-1"},
            {"name": "New", "external_id": "crm-2"},
            {"name": "", "external_id": "crm-3"},
        ],
    )

    dry = await import_records(sessionmaker, path, "businesses", dry_run=True)

    assert (dry.dry_run, dry.rows_read, dry.created, dry.updated) == (True, 3, 1, 1)
    assert _rejected(dry) == [(10, "name: String should have at least 1 character")]
    assert [(b.name, b.version) for b in await _all(sessionmaker, Business, Business.name)] == [("Existing", 1)]
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(AuditEntry)) == audited
        assert await session.scalar(select(func.count()).select_from(MatchRun)) == 0

    real = await import_records(sessionmaker, path, "businesses", dry_run=False)
    assert (real.created, real.updated, real.rejected) == (dry.created, dry.updated, dry.rejected)
    assert [b.name for b in await _all(sessionmaker, Business, Business.name)] == ["Existing, renamed", "New"]


async def test_empty_files_read_no_rows(sessionmaker, tmp_path):
    for name, text in (("empty.csv", ""), ("header.csv", "name,size\n\n"), ("empty.json", "[]")):
        report = await import_records(sessionmaker, _write(tmp_path, name, text), "businesses", dry_run=False)
        assert (report.rows_read, report.accepted, report.rejected) == (0, 0, [])


@pytest.mark.parametrize(
    ("name", "text", "kind", "message"),
    [
        (
            "b.csv",
            "name,colour\nAcme,red\n",
            "businesses",
            "b.csv: unknown columns: colour (known: name, aliases,",
        ),
        ("b.csv", "name,name\nAcme,Acme\n", "businesses", "b.csv: repeated columns: name"),
        ("b.csv", "name,\nAcme,\n", "businesses", "b.csv: the header has an empty column name"),
        ("b.xlsx", "", "businesses", "b.xlsx: use a .csv or .json file"),
        (
            "b.json",
            '[{"name": "Acme"},',
            "businesses",
            "b.json: not valid JSON (line 1, column 19: Expecting value)",
        ),
        ("b.json", '{"records": []}', "businesses", 'b.json: expected a list of objects or {"items": [...]}'),
        (
            "b.json",
            "[]",
            "matches",
            "unknown kind 'matches'; use one of businesses, partners, programs, commitments",
        ),
        ("b.csv", "partner_name,name\nX,Y\n", "businesses", "b.csv: unknown columns: partner_name"),
    ],
)
async def test_a_file_that_cannot_be_used_raises_and_writes_nothing(sessionmaker, tmp_path, name, text, kind, message):
    path = _write(tmp_path, name, text)
    with pytest.raises(ImportFileError) as raised:
        await import_records(sessionmaker, path, kind, dry_run=False)
    assert str(raised.value).startswith(message)
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Business)) == 0


async def test_missing_file_and_non_utf8_are_file_errors(sessionmaker, tmp_path):
    with pytest.raises(ImportFileError, match="no such file"):
        await import_records(sessionmaker, tmp_path / "absent.csv", "businesses", dry_run=False)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("name\nEnergía\n".encode("latin-1"))
    with pytest.raises(ImportFileError, match=r"latin\.csv: not UTF-8 text"):
        await import_records(sessionmaker, latin, "businesses", dry_run=False)


def test_rejected_row_is_plain_data():
    assert RejectedRow(3, "why") == RejectedRow(line=3, reason="why", external_id=None)
