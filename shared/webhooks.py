"""Standard Webhooks signing and verification (both directions), built on the `standardwebhooks` package."""

import base64
import binascii
import hmac
import secrets as _secrets
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Protocol

from standardwebhooks.webhooks import EmptyWebhookSecretError, Webhook

from shared.clock import utc_now
from shared.errors import BadSignature

SECRET_PREFIX = "whsec_"  # noqa: S105 - a format prefix, not a secret
DEFAULT_TOLERANCE = timedelta(minutes=5)

HEADER_ID = "webhook-id"
HEADER_TIMESTAMP = "webhook-timestamp"
HEADER_SIGNATURE = "webhook-signature"

_SIGNATURE_VERSION = "v1"
#: More entries than this in one signature header is abuse, not rotation.
_MAX_SIGNATURES = 16


def generate_secret() -> str:
    """A fresh signing secret: ``whsec_`` followed by base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(_secrets.token_bytes(32)).decode("ascii")


def _webhook(secret: str) -> Webhook:
    """The package's signer for one secret; a malformed secret is a configuration error (ValueError)."""
    if not secret or secret == SECRET_PREFIX:
        raise ValueError("webhook secret may not be empty")
    try:
        return Webhook(secret)
    except (EmptyWebhookSecretError, binascii.Error, ValueError) as exc:
        raise ValueError("webhook secret is not valid base64 (expected 'whsec_<base64>')") from exc


def _as_utc(moment: datetime) -> datetime:
    """Aware datetimes are converted to UTC; naive ones are taken to be UTC already."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _body_text(body: bytes) -> str:
    """The package signs text; Standard Webhooks payloads are UTF-8 JSON."""
    return body.decode("utf-8")


def _signature_bytes(signature_header_entry: str) -> bytes:
    """Raw bytes of one ``v1,<base64>`` signature as produced by the package."""
    return base64.b64decode(signature_header_entry.split(",", 1)[1])


def sign_headers(secrets: Sequence[str], msg_id: str, timestamp: datetime, body: bytes) -> dict[str, str]:
    """Headers for one outbound message; every secret signs, so receivers on an old secret still verify."""
    if isinstance(secrets, str):
        raise TypeError("secrets must be a sequence of secrets, not a single string")
    if not secrets:
        raise ValueError("at least one secret is required to sign")
    if not msg_id:
        raise ValueError("msg_id may not be empty")
    try:
        text = _body_text(body)
    except UnicodeDecodeError as exc:
        raise ValueError("webhook body must be UTF-8") from exc
    moment = _as_utc(timestamp)
    signatures = [_webhook(secret).sign(msg_id=msg_id, timestamp=moment, data=text) for secret in secrets]
    return {
        HEADER_ID: msg_id,
        HEADER_TIMESTAMP: str(int(moment.timestamp())),
        HEADER_SIGNATURE: " ".join(signatures),
    }


def _parse_timestamp(raw: str) -> datetime:
    value = raw.strip()
    if not value.isascii() or not value.isdigit() or len(value) > 12:
        raise BadSignature(f"{HEADER_TIMESTAMP} header is not a Unix timestamp in seconds")
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise BadSignature(f"{HEADER_TIMESTAMP} header is out of range") from exc


def _passed_signatures(raw: str) -> list[bytes]:
    """The decodable ``v1`` signatures from the header; other versions and junk entries are ignored."""
    entries = raw.split()
    if len(entries) > _MAX_SIGNATURES:
        raise BadSignature(f"{HEADER_SIGNATURE} header carries too many signatures")
    found: list[bytes] = []
    for entry in entries:
        version, sep, encoded = entry.partition(",")
        if not sep or version != _SIGNATURE_VERSION:
            continue
        try:
            found.append(base64.b64decode(encoded, validate=True))
        except (binascii.Error, ValueError):
            continue
    return found


def verify(
    secrets: Sequence[str],
    headers: Mapping[str, str],
    body: bytes,
    *,
    tolerance: timedelta = DEFAULT_TOLERANCE,
    now: datetime | None = None,
) -> None:
    """Accept the message if any secret matches any ``v1`` signature in the tolerance, else BadSignature."""
    if isinstance(secrets, str):
        raise TypeError("secrets must be a sequence of secrets, not a single string")
    if not secrets:
        raise ValueError("at least one secret is required to verify")
    webhooks = [_webhook(secret) for secret in secrets]

    lowered = {key.lower(): value for key, value in headers.items()}
    missing = [name for name in (HEADER_ID, HEADER_TIMESTAMP, HEADER_SIGNATURE) if not lowered.get(name)]
    if missing:
        raise BadSignature(f"missing webhook header(s): {', '.join(missing)}")
    msg_id = lowered[HEADER_ID]
    sent_at = _parse_timestamp(lowered[HEADER_TIMESTAMP])

    current = _as_utc(now) if now is not None else utc_now()
    if sent_at < current - tolerance:
        raise BadSignature(f"webhook timestamp is too old (more than {tolerance} before now)")
    if sent_at > current + tolerance:
        raise BadSignature(f"webhook timestamp is too new (more than {tolerance} after now)")

    passed = _passed_signatures(lowered[HEADER_SIGNATURE])
    if not passed:
        raise BadSignature(f"{HEADER_SIGNATURE} header holds no v1 signature")
    try:
        text = _body_text(body)
    except UnicodeDecodeError as exc:
        raise BadSignature("webhook body is not UTF-8") from exc

    matched = False
    for webhook in webhooks:
        expected = _signature_bytes(webhook.sign(msg_id=msg_id, timestamp=sent_at, data=text))
        for candidate in passed:
            # Keep comparing after a match so timing does not reveal which secret or entry matched.
            matched |= hmac.compare_digest(expected, candidate)
    if not matched:
        raise BadSignature("no matching webhook signature")


class RotatingSecret(Protocol):
    """A record that signs or verifies with a secret that can be rotated with an overlap."""

    secret: str
    previous_secret: str | None
    previous_secret_expires_at: datetime | None


def rotate(holder: RotatingSecret, *, overlap: timedelta, now: datetime) -> str:
    """Give `holder` a new secret; the current one stays live until the overlap ends (none if zero)."""
    new_secret = generate_secret()
    keep_previous = overlap > timedelta(0)
    holder.previous_secret = holder.secret if keep_previous else None
    holder.previous_secret_expires_at = now + overlap if keep_previous else None
    holder.secret = new_secret
    return new_secret


def live_secrets(holder: RotatingSecret, now: datetime) -> list[str]:
    """The current secret, plus the previous one while its overlap after a rotation lasts."""
    live = [holder.secret]
    expires = holder.previous_secret_expires_at
    if holder.previous_secret and expires is not None and expires > now:
        live.append(holder.previous_secret)
    return live
