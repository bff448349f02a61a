"""Spanish and English: message catalogues (locales/*/messages.po) and the labels of every code shown.

Templates and pages write English source text and translate it through the catalogue of the
reader's language; `tests/console/test_i18n.py` holds that every message has its Spanish.
The catalogues are read from their `.po` files at start, so no compiled file is kept in the tree.
"""

from functools import cache, lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from shared.enums import Language
from shared.indicators import INDICATORS

LOCALES = Path(__file__).parent / "locales"


def N_(message: str) -> str:  # noqa: N802 - the conventional marker name the extractor looks for
    """Marks text for the catalogue; it is translated where it is shown."""
    return message


@cache
def translations(language: Language) -> Translations:
    with (LOCALES / language.value / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po, locale=language.value)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


#: The label of each code the console shows, by vocabulary (statuses, focus areas, …).
LABELS: dict[str, dict[str, str]] = {
    "match_status": {
        "proposed": N_("Proposed"),
        "approved": N_("Approved"),
        "declined": N_("Declined"),
        "introduced": N_("Introduced"),
        "partnership_formed": N_("Partnership formed"),
        "no_partnership": N_("No partnership"),
        "superseded": N_("Superseded"),
    },
    "action": {
        "approve": N_("Approve"),
        "decline": N_("Decline"),
        "introduce": N_("Introduce"),
        "record_outcome": N_("Record the outcome"),
    },
    "answer": {"interested": N_("Interested"), "not_interested": N_("Not interested")},
    "focus_area": {
        "reform_agenda": N_("Reform agenda"),
        "digital_financial_inclusion": N_("Digital and financial inclusion"),
        "food_security_agriculture": N_("Food security and agriculture"),
        "climate_clean_energy": N_("Climate and clean energy"),
        "education_workforce": N_("Education and workforce"),
        "public_health": N_("Public health"),
    },
    "commitment_status": {
        "announced": N_("Announced"),
        "in_progress": N_("In progress"),
        "completed": N_("Completed"),
        "stalled": N_("Stalled"),
        "withdrawn": N_("Withdrawn"),
    },
    "initiative": {"call_to_action": N_("Call to Action"), "central_america_forward": N_("Central America Forward")},
    "role": {
        "admin": N_("Administrator"),
        "coordinator": N_("Coordinator"),
        "partner": N_("Partner officer"),
        "business": N_("Company"),
        "integrator": N_("Integrator"),
        "viewer": N_("Viewer"),
    },
    "country": {"GT": N_("Guatemala"), "SV": N_("El Salvador"), "HN": N_("Honduras"), "US": N_("United States")},
    "language": {"es": N_("Spanish"), "en": N_("English")},
    "component": {
        "focus": N_("Focus areas"),
        "geography": N_("Geography"),
        "need_instrument": N_("Needs and instruments"),
        "ticket_fit": N_("Ticket size"),
        "text": N_("Description"),
        "sector": N_("Sector"),
        "inclusion": N_("Inclusion"),
        "partner_history": N_("Partner's record"),
    },
    "partner_type": {
        "us_agency": N_("U.S. agency"),
        "ngo": N_("NGO"),
        "mdb": N_("Development bank"),
        "un_agency": N_("UN agency"),
        "international_org": N_("International organisation"),
        "government": N_("Government"),
        "foundation": N_("Foundation"),
        "private": N_("Private"),
    },
    "need": {
        "financing": N_("Financing"),
        "technical_assistance": N_("Technical assistance"),
        "government_liaison": N_("Government liaison"),
        "local_partner": N_("Local partner"),
        "labor_compliance": N_("Labour compliance"),
        "market_access": N_("Market access"),
        "training_partner": N_("Training partner"),
        "research_data": N_("Research and data"),
    },
    "instrument": {
        "loan": N_("Loan"),
        "guarantee": N_("Guarantee"),
        "equity": N_("Equity"),
        "grant": N_("Grant"),
        "technical_assistance": N_("Technical assistance"),
        "insurance": N_("Insurance"),
        "trade_promotion": N_("Trade promotion"),
        "training": N_("Training"),
        "policy_dialogue": N_("Policy dialogue"),
        "convening": N_("Convening"),
    },
    "size": {
        "micro": N_("Micro"),
        "small": N_("Small"),
        "medium": N_("Medium"),
        "large": N_("Large"),
        "multinational": N_("Multinational"),
    },
    "sex": {"female": N_("Women"), "male": N_("Men"), "other": N_("Other"), "unknown": N_("Not known")},
    "indicator": {
        "investment_deployed_usd": N_("Investment deployed"),
        "jobs_created": N_("Jobs created"),
        "jobs_sustained": N_("Jobs sustained"),
        "people_trained": N_("People trained"),
        "people_reached": N_("People reached"),
        "women_reached": N_("Women reached"),
        "youth_reached": N_("Young people reached"),
        "people_connected_internet": N_("People connected to the internet"),
        "smes_supported": N_("Small businesses supported"),
        "credit_disbursed_usd": N_("Credit disbursed"),
        "farmers_supported": N_("Farmers supported"),
        "hectares_climate_smart": N_("Hectares under climate-smart practice"),
        "clean_energy_mw": N_("Clean energy capacity (MW)"),
        "students_enrolled": N_("Students enrolled"),
        "patients_served": N_("Patients served"),
        "people_clean_water": N_("People with clean water or sanitation"),
        "tco2e_avoided": N_("Emissions avoided (t CO2e)"),
        "committed_usd": N_("Amount committed"),
    },
}

# every indicator of the catalogue has its label (a new one must be added above)
assert set(INDICATORS) <= set(LABELS["indicator"]), set(INDICATORS) - set(LABELS["indicator"])


@lru_cache(maxsize=4096)
def label(language: Language, vocabulary: str, code: str | None) -> str:
    """The code's label in `language`; an unknown code is shown as itself."""
    if code is None:
        return ""
    text = LABELS.get(vocabulary, {}).get(code)
    return translations(language).gettext(text) if text else code
