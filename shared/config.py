"""All of Puente's settings, read from the environment (PUENTE_*, plus DATABASE_URL and REDIS_URL)."""

from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

#: Default weights of the need index: poverty first, then the drivers of migration the programme names
#: that have data by place (schooling, work, return migration, violence). Registered child
#: malnutrition is left out by default: registration follows health-service coverage, so cities
#: rank high on it. A judgement, explained in the README, that PUENTE_NEED_WEIGHTS changes.
DEFAULT_NEED_WEIGHTS = (
    "poverty_headcount=0.4,illiteracy_pop7plus=0.15,unemployment_rate=0.15,"
    "lived_abroad_5y_before_census_share=0.15,homicide_rate=0.15"
)


def parse_weights(text: str) -> dict[str, float]:
    """`poverty_headcount=0.4, unemployment_rate=0.2` as a dict; a bad pair is an error, not skipped."""
    weights: dict[str, float] = {}
    for pair in text.split(","):
        if not pair.strip():
            continue
        code, separator, weight = pair.partition("=")
        if not separator or not code.strip():
            raise ValueError(f"{pair.strip()!r} is not indicator=weight")
        number = float(weight)
        if not number >= 0 or number == float("inf"):
            raise ValueError(f"weight of {code.strip()} must be a non-negative number")
        weights[code.strip()] = number
    return weights


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PUENTE_", env_file=".env", extra="ignore")

    environment: str = Field(
        "development",
        description="Label shown in logs (development, ci, production); production refuses to start without "
        "DATABASE_URL and REDIS_URL.",
    )
    database_url: str | None = Field(
        None,
        validation_alias=AliasChoices("DATABASE_URL", "PUENTE_DATABASE_URL"),
        description="PostgreSQL URL; unset starts an embedded PostgreSQL under PUENTE_DATA_DIR.",
    )
    redis_url: str | None = Field(
        None,
        validation_alias=AliasChoices("REDIS_URL", "PUENTE_REDIS_URL"),
        description="Redis URL; unset starts an embedded Redis under PUENTE_DATA_DIR.",
    )
    data_dir: Path = Field(Path(".puente"), description="Where embedded PostgreSQL/Redis keep their files.")
    host: str = Field("127.0.0.1", description="Address the api listens on.")
    port: int = Field(8000, description="Port the api listens on.")
    demo_data: bool = Field(True, description="Load the demo data into an empty database at `puente run`.")
    bootstrap_admin_key: SecretStr | None = Field(
        None, description="Accepted as an admin API key; for the first start of an empty deployment."
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Comma-separated origins allowed by CORS; empty disables CORS."
    )
    max_body_bytes: int = Field(1_048_576, description="Largest request body accepted (413 beyond).")
    default_page_size: int = Field(50, description="Items per page when `limit` is not given.")
    max_page_size: int = Field(200, description="Largest `limit` a list accepts.")
    auth_cache_seconds: float = Field(
        5.0, description="How long a process trusts a verified API key before checking it again (0 = always)."
    )
    rate_limit_per_minute: int = Field(1200, description="Requests per API key per minute (429 beyond); 0 = off.")
    db_pool_size: int = Field(20, description="Connections each process keeps in its database pool.")
    db_read_pool_size: int = Field(
        10, ge=1, description="Most read-only connections an api process opens for its hot reads (by id, lists)."
    )
    log_level: str = Field("INFO", description="Log level: DEBUG, INFO, WARNING, ERROR.")
    log_json: bool = Field(True, description="JSON log lines (true) or human-readable console lines (false).")

    webhooks_allow_private_targets: bool = Field(
        False, description="Allow outbound webhook targets on loopback/private addresses (dev and tests only)."
    )
    webhook_timeout_seconds: float = Field(
        10.0,
        gt=0,
        description="Deadline of one outbound webhook request, connect to last byte; slower fails.",
    )
    webhook_tolerance_seconds: int = Field(300, description="Accepted clock skew of inbound webhook timestamps.")
    webhook_secret_overlap_hours: int = Field(24, description="How long a rotated secret keeps signing.")
    webhook_disable_after_hours: int = Field(72, description="Disable an endpoint failing without success this long.")

    matcher_top_k: int = Field(3, description="Introductions proposed per commitment.")
    matcher_candidates_per_commitment: int = Field(10, description="Candidates kept per commitment before assignment.")
    matcher_chunk_size: int = Field(2000, description="Commitments scored per chunk (bounds memory).")
    matcher_debounce_seconds: float = Field(0.1, description="Delay that folds bursts of changes into one run.")
    matcher_full_run_hour: int = Field(2, description="UTC hour of the scheduled full run.")
    matcher_min_decisions_to_learn: int = Field(30, description="Decisions needed before weights are refitted.")
    matcher_max_jobs: int = Field(4, description="Jobs one worker process runs at once.")

    worker_metrics_port: int = Field(
        9100,
        ge=0,
        le=65535,
        description="Port of a worker process's /metrics, /healthz and /readyz (0 = none); `puente run` "
        "gives the webhooks worker the next one.",
    )
    worker_metrics_host: str = Field("127.0.0.1", description="Address a worker process's metrics port listens on.")
    webhook_parallel_sends: int = Field(
        32, ge=1, description="Outbound webhook requests one worker process has in flight at once (one per endpoint)."
    )

    attention_months_without_report: int = Field(
        6, description="Months without a report before a commitment is flagged."
    )

    console_session_idle_minutes: int = Field(
        120, ge=1, description="A console session ends after this long without a request."
    )
    console_session_max_hours: int = Field(12, ge=1, description="A console session ends this long after sign-in.")
    console_secure_cookies: bool | None = Field(
        None, description="Mark console cookies Secure; unset: when the request came over https (dev over http)."
    )
    console_signin_attempts: int = Field(
        5, ge=1, description="Failed sign-ins per address and per account within 15 minutes before a pause."
    )
    console_invitation_hours: int = Field(72, ge=1, description="How long an invitation link stays valid.")
    public_url: str | None = Field(
        None, description="Base URL people reach Puente at, for links in mail; unset: the request's own."
    )
    smtp_host: str | None = Field(None, description="SMTP server for invitation mail; unset: links are shown only.")
    smtp_port: int = Field(587, description="SMTP port.")
    smtp_username: str | None = Field(None, description="SMTP user, if the server asks for one.")
    smtp_password: SecretStr | None = Field(None, description="SMTP password.")
    smtp_starttls: bool = Field(True, description="Upgrade the SMTP connection with STARTTLS.")
    smtp_from: str = Field("puente@localhost", description="Sender address of Puente's mail.")
    oidc_issuer: str | None = Field(
        None, description="OpenID Connect issuer URL for single sign-on; unset: passwords only."
    )
    oidc_client_id: str | None = Field(None, description="OpenID Connect client id.")
    oidc_client_secret: SecretStr | None = Field(None, description="OpenID Connect client secret.")
    need_weights: Annotated[dict[str, float], NoDecode] = Field(
        DEFAULT_NEED_WEIGHTS,
        validate_default=True,
        description="Need index weights, `indicator=weight` comma-separated (README: the need index).",
    )
    need_min_coverage: float = Field(
        0.5, ge=0, le=1, description="Share of the weights a region needs values for before its need index is known."
    )

    @field_validator("need_weights", mode="before")
    @classmethod
    def _parse_weights(cls, value: object) -> object:
        if isinstance(value, str):
            return parse_weights(value)
        return value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value


@lru_cache
def get_settings() -> Settings:
    return Settings()
