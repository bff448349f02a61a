"""Passwords hashed with Argon2id; verification takes the same time whether or not the account exists."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from shared.errors import ValidationFailed

_HASHER = PasswordHasher()
#: Verified against when no account matches, so an unknown email costs what a wrong password does.
_DUMMY_HASH = _HASHER.hash("puente: no such account")

MIN_LENGTH = 12
MAX_LENGTH = 512


def check_strength(password: str) -> None:
    """Length is what makes a password strong enough here; composition rules only annoy."""
    if len(password) < MIN_LENGTH:
        raise ValidationFailed(f"a password needs at least {MIN_LENGTH} characters", extra={"field": "password"})
    if len(password) > MAX_LENGTH:
        raise ValidationFailed(f"a password may have at most {MAX_LENGTH} characters", extra={"field": "password"})


def hash_password(password: str) -> str:
    check_strength(password)
    return _HASHER.hash(password)


def verify(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; an absent hash is checked against a dummy so timing tells nothing."""
    try:
        return _HASHER.verify(password_hash or _DUMMY_HASH, password[:MAX_LENGTH]) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _HASHER.check_needs_rehash(password_hash)
