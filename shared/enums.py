"""The brief's fixed vocabularies, one StrEnum each; both services and the database use these codes."""

from enum import StrEnum


class FocusArea(StrEnum):
    REFORM_AGENDA = "reform_agenda"
    DIGITAL_FINANCIAL_INCLUSION = "digital_financial_inclusion"
    FOOD_SECURITY_AGRICULTURE = "food_security_agriculture"
    CLIMATE_CLEAN_ENERGY = "climate_clean_energy"
    EDUCATION_WORKFORCE = "education_workforce"
    PUBLIC_HEALTH = "public_health"


class Instrument(StrEnum):
    LOAN = "loan"
    GUARANTEE = "guarantee"
    EQUITY = "equity"
    GRANT = "grant"
    TECHNICAL_ASSISTANCE = "technical_assistance"
    INSURANCE = "insurance"
    TRADE_PROMOTION = "trade_promotion"
    TRAINING = "training"
    POLICY_DIALOGUE = "policy_dialogue"
    CONVENING = "convening"


class Need(StrEnum):
    FINANCING = "financing"
    TECHNICAL_ASSISTANCE = "technical_assistance"
    GOVERNMENT_LIAISON = "government_liaison"
    LOCAL_PARTNER = "local_partner"
    LABOR_COMPLIANCE = "labor_compliance"
    MARKET_ACCESS = "market_access"
    TRAINING_PARTNER = "training_partner"
    RESEARCH_DATA = "research_data"


class PartnerType(StrEnum):
    US_AGENCY = "us_agency"
    NGO = "ngo"
    MDB = "mdb"
    UN_AGENCY = "un_agency"
    INTERNATIONAL_ORG = "international_org"
    GOVERNMENT = "government"
    FOUNDATION = "foundation"
    PRIVATE = "private"


class BusinessSize(StrEnum):
    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"
    MULTINATIONAL = "multinational"


class CommitmentStatus(StrEnum):
    ANNOUNCED = "announced"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    STALLED = "stalled"
    WITHDRAWN = "withdrawn"


class Initiative(StrEnum):
    CALL_TO_ACTION = "call_to_action"
    CENTRAL_AMERICA_FORWARD = "central_america_forward"


class MatchStatus(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    DECLINED = "declined"
    INTRODUCED = "introduced"
    PARTNERSHIP_FORMED = "partnership_formed"
    NO_PARTNERSHIP = "no_partnership"
    SUPERSEDED = "superseded"


class MatchAction(StrEnum):
    APPROVE = "approve"
    DECLINE = "decline"
    INTRODUCE = "introduce"
    RECORD_OUTCOME = "record_outcome"


class MatchOutcome(StrEnum):
    PARTNERSHIP_FORMED = "partnership_formed"
    NO_PARTNERSHIP = "no_partnership"


class RunStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class Role(StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    PARTNER = "partner"
    BUSINESS = "business"
    INTEGRATOR = "integrator"
    VIEWER = "viewer"


#: The programme's own countries; other ISO 3166-1 alpha-2 codes are valid data too.
PROGRAMME_COUNTRIES: tuple[str, ...] = ("GT", "SV", "HN")


class Language(StrEnum):
    """The languages the console and the matcher's reasons speak."""

    ES = "es"
    EN = "en"


class PartnerAnswer(StrEnum):
    """A partner's answer to an introduction proposed to it, before the coordinator introduces."""

    INTERESTED = "interested"
    NOT_INTERESTED = "not_interested"


class RegionLevel(StrEnum):
    """Administrative levels of the reference regions; a district is El Salvador's pre-2024 municipality."""

    DEPARTMENT = "department"
    MUNICIPALITY = "municipality"
    DISTRICT = "district"


class NeedDirection(StrEnum):
    """What a higher value of a need indicator means."""

    MORE_NEED = "more_need"
    LESS_NEED = "less_need"
    CONTEXT = "context"
