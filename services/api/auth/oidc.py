"""Single sign-on with OpenID Connect (authorization code flow with PKCE, a confidential client).

The ID token comes straight from the issuer's token endpoint over the back channel, so, as
OpenID Connect Core 3.1.3.7 allows, the TLS connection vouches for it; its claims are still
checked: issuer, audience, expiry and the nonce this browser was given.
"""

import base64
import hashlib
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx

from shared.config import Settings
from shared.errors import Unauthorized


@dataclass(frozen=True, slots=True)
class Identity:
    subject: str
    email: str | None
    name: str | None


@dataclass(frozen=True, slots=True)
class Attempt:
    """What the browser keeps (in a short-lived cookie) between leaving for the issuer and coming back."""

    state: str
    nonce: str
    verifier: str

    def encode(self) -> str:
        return ".".join((self.state, self.nonce, self.verifier))

    @classmethod
    def decode(cls, value: str) -> "Attempt | None":
        parts = value.split(".")
        return cls(*parts) if len(parts) == 3 and all(parts) else None


def enabled(settings: Settings) -> bool:
    return bool(settings.oidc_issuer and settings.oidc_client_id and settings.oidc_client_secret)


_DISCOVERED: dict[str, tuple[float, dict[str, Any]]] = {}


async def discover(http: httpx.AsyncClient, issuer: str) -> dict[str, Any]:
    """The issuer's metadata (cached for an hour)."""
    cached = _DISCOVERED.get(issuer)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    response = await http.get(issuer.rstrip("/") + "/.well-known/openid-configuration")
    response.raise_for_status()
    metadata: dict[str, Any] = response.json()
    if metadata.get("issuer") != issuer:
        raise Unauthorized("the single sign-on issuer names itself differently from the configured one")
    _DISCOVERED[issuer] = (time.monotonic() + 3600, metadata)
    return metadata


def new_attempt() -> Attempt:
    return Attempt(secrets.token_urlsafe(24), secrets.token_urlsafe(24), secrets.token_urlsafe(48))


def _challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")


async def authorization_url(
    http: httpx.AsyncClient, settings: Settings, redirect_uri: str, attempt: Attempt, language: str
) -> str:
    assert settings.oidc_issuer and settings.oidc_client_id
    metadata = await discover(http, settings.oidc_issuer)
    query = {
        "response_type": "code",
        "client_id": settings.oidc_client_id,
        "redirect_uri": redirect_uri,
        "scope": "openid email profile",
        "state": attempt.state,
        "nonce": attempt.nonce,
        "code_challenge": _challenge(attempt.verifier),
        "code_challenge_method": "S256",
        "ui_locales": language,
    }
    return f"{metadata['authorization_endpoint']}?{urlencode(query)}"


def _claims(id_token: str) -> dict[str, Any]:
    try:
        payload = id_token.split(".")[1]
        claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError) as exc:
        raise Unauthorized("the single sign-on answer carried no readable ID token") from exc
    return claims


def check_claims(claims: dict[str, Any], settings: Settings, nonce: str, now: float) -> Identity:
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if claims.get("iss") != settings.oidc_issuer:
        raise Unauthorized("the ID token comes from another issuer")
    if settings.oidc_client_id not in audiences:
        raise Unauthorized("the ID token is meant for another client")
    if not isinstance(claims.get("exp"), int | float) or claims["exp"] < now:
        raise Unauthorized("the ID token has expired")
    if not secrets.compare_digest(str(claims.get("nonce", "")), nonce):
        raise Unauthorized("the ID token answers another sign-in")
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise Unauthorized("the ID token names no subject")
    email = claims.get("email") if claims.get("email_verified", False) else None
    return Identity(subject=subject, email=email, name=claims.get("name"))


async def finish(
    http: httpx.AsyncClient, settings: Settings, redirect_uri: str, attempt: Attempt, state: str, code: str
) -> Identity:
    """Exchange the code the issuer sent back for the person's verified identity."""
    assert settings.oidc_issuer and settings.oidc_client_id and settings.oidc_client_secret
    if not secrets.compare_digest(state, attempt.state):
        raise Unauthorized("the sign-on answer does not belong to this browser's attempt")
    metadata = await discover(http, settings.oidc_issuer)
    response = await http.post(
        metadata["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": attempt.verifier,
        },
        auth=(settings.oidc_client_id, settings.oidc_client_secret.get_secret_value()),
    )
    if response.status_code != 200:
        raise Unauthorized("the single sign-on issuer refused the sign-in")
    id_token = response.json().get("id_token")
    if not isinstance(id_token, str):
        raise Unauthorized("the single sign-on answer carried no ID token")
    return check_claims(_claims(id_token), settings, attempt.nonce, time.time())
