"""The caller's language, Spanish or English, from Accept-Language; numbers written that language's way."""

from typing import Annotated

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal
from fastapi import Depends, Request

LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"


def negotiate(header: str | None) -> str:
    """The best of `LANGUAGES` for an Accept-Language header (quality values honoured); English otherwise."""
    if not header:
        return DEFAULT_LANGUAGE
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")[:20]):
        tag, _, parameters = part.strip().partition(";")
        quality = 1.0
        if parameters.strip().startswith("q="):
            try:
                quality = float(parameters.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            ranked.append((-quality, position, tag.strip()))
    preferred = [tag for _, _, tag in sorted(ranked)]
    try:
        found = Locale.negotiate(preferred, LANGUAGES, sep="-")
    except (UnknownLocaleError, ValueError):
        found = None
    return found.language if found is not None else DEFAULT_LANGUAGE


def number(value: float, language: str, *, digits: int = 1) -> str:
    """`1,234.5` in English, `1234,5` in Spanish (CLDR), at most `digits` decimals."""
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return str(format_decimal(value, format=pattern, locale=language))


async def _language(request: Request) -> str:
    return negotiate(request.headers.get("accept-language"))


Language = Annotated[str, Depends(_language)]
