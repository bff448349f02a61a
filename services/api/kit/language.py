"""The language an answer is written in: the person's setting, else the best of Accept-Language."""

from shared.enums import Language

DEFAULT_LANGUAGE = Language.ES


def negotiate(accept_language: str | None, default: Language = DEFAULT_LANGUAGE) -> Language:
    """The supported language the header prefers most (`es-GT;q=0.9, en;q=0.8` → es); `default` if none."""
    best: tuple[float, int, Language] | None = None
    for position, part in enumerate((accept_language or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().split("-")[0].lower()
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if primary in Language.__members__.values() and quality > 0:
            candidate = (quality, -position, Language(primary))
            if best is None or candidate[:2] > best[:2]:
                best = candidate
    return best[2] if best else default
