"""The indicator catalogue: the codes commitments' targets and impact reports' metrics use.

Each indicator has a unit and how values over periods combine (its `aggregation`):

- `sum`: a flow reported per period (jobs created this quarter). A commitment's result over
  several periods is the sum of its reports; figures over many commitments add those sums.
- `max`: a stock that each report restates as a running total (hectares under climate-smart
  practice as of the period's end). A commitment's result over several periods is its largest
  (latest) value, never the sum; figures over many commitments add those per-commitment values.

Breakdowns (sex, age band, country) split one reported value; their parts never exceed it.
`iris_code` names the IRIS+ metric (thegiin.org) an indicator corresponds to, set only where
the correspondence is exact enough to publish under that code; the rest are programme-specific.
"""

from dataclasses import dataclass
from enum import StrEnum


class Aggregation(StrEnum):
    """How one commitment's values over several periods combine: add flows, take the largest stock."""

    SUM = "sum"
    MAX = "max"


@dataclass(frozen=True, slots=True)
class Indicator:
    code: str
    name: str
    unit: str
    aggregation: Aggregation = Aggregation.SUM
    iris_code: str | None = None
    description: str = ""


INDICATORS: dict[str, Indicator] = {
    i.code: i
    for i in (
        Indicator(
            "investment_deployed_usd",
            "Investment deployed",
            "USD",
            description="Money actually spent or disbursed toward the commitment in the period.",
        ),
        Indicator(
            "jobs_created",
            "Jobs created",
            "jobs",
            iris_code="PI3687",
            description="New formal jobs created in the period.",
        ),
        Indicator(
            "jobs_sustained",
            "Jobs sustained",
            "jobs",
            Aggregation.MAX,
            description="Existing jobs kept thanks to the commitment, as of the period's end.",
        ),
        Indicator(
            "people_trained",
            "People trained",
            "people",
            description="People who completed a training or skills programme in the period.",
        ),
        Indicator(
            "people_reached",
            "People reached",
            "people",
            iris_code="PI4060",
            description="People who received a product, service or benefit in the period.",
        ),
        Indicator(
            "women_reached",
            "Women reached",
            "people",
            description="Women among the people reached in the period.",
        ),
        Indicator("youth_reached", "Youth reached", "people", description="People aged 15-29 reached in the period."),
        Indicator(
            "people_connected_internet",
            "People connected to the internet",
            "people",
            description="People gaining affordable internet access in the period.",
        ),
        Indicator(
            "smes_supported",
            "Small businesses supported",
            "businesses",
            iris_code="PI9652",
            description="Micro, small and medium businesses given finance or services in the period.",
        ),
        Indicator(
            "credit_disbursed_usd",
            "Credit disbursed",
            "USD",
            description="Loans disbursed to businesses or households in the period.",
        ),
        Indicator(
            "farmers_supported",
            "Farmers supported",
            "people",
            description="Smallholder farmers given inputs, training, credit or market access in the period.",
        ),
        Indicator(
            "hectares_climate_smart",
            "Hectares under climate-smart practice",
            "hectares",
            Aggregation.MAX,
            description="Land under climate-smart agricultural practice as of the period's end.",
        ),
        Indicator(
            "clean_energy_mw",
            "Clean energy capacity installed",
            "MW",
            Aggregation.MAX,
            description="Renewable generation capacity installed as of the period's end.",
        ),
        Indicator(
            "tco2e_avoided",
            "Emissions avoided",
            "tCO2e",
            description="Greenhouse gas emissions avoided in the period.",
        ),
        Indicator(
            "students_enrolled",
            "Students enrolled",
            "people",
            description="Students enrolled in supported technical or secondary education in the period.",
        ),
        Indicator(
            "patients_served",
            "Patients served",
            "people",
            description="Patients given health services in the period.",
        ),
        Indicator(
            "people_clean_water",
            "People with clean water or sanitation",
            "people",
            description="People gaining access to clean water or sanitation in the period.",
        ),
    )
}

BREAKDOWN_DIMENSIONS = ("sex", "age_band", "country")

#: Labels a `sex` breakdown may use.
SEX_LABELS = ("female", "male", "other", "unknown")

#: Indicators whose values are part of another's: (part, whole) — women reached are people reached.
PART_OF: tuple[tuple[str, str], ...] = (
    ("women_reached", "people_reached"),
    ("youth_reached", "people_reached"),
)

SUM_CODES: tuple[str, ...] = tuple(code for code, i in INDICATORS.items() if i.aggregation is Aggregation.SUM)
MAX_CODES: tuple[str, ...] = tuple(code for code, i in INDICATORS.items() if i.aggregation is Aggregation.MAX)


def unknown_codes(codes: list[str] | set[str]) -> list[str]:
    """The codes not in the catalogue, sorted (to name them in an error)."""
    return sorted(code for code in codes if code not in INDICATORS)
