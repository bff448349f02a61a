"""Every sentence the regions, maps and feedback answers say, in English and Spanish.

One table, so a sentence is written once per language and a test can hold that every key has
both. Values are formatted by the caller (numbers through `language.number`).
"""

MESSAGES: dict[str, dict[str, str]] = {
    # coverage
    "coverage.all_known": {
        "en": "Need index known for all {regions} regions.",
        "es": "Índice de necesidad conocido para las {regions} unidades.",
    },
    "coverage.some_known": {
        "en": "Need index known for {known} of {regions} regions; {partial} have too few indicators for an index"
        " and {unknown} have no indicator at all (unknown, not zero).",
        "es": "Índice de necesidad conocido para {known} de {regions} unidades; {partial} tienen muy pocos"
        " indicadores para un índice y {unknown} no tienen ninguno (desconocido, no cero).",
    },
    "coverage.no_boundaries": {
        "en": "No boundaries are known at this level: it cannot be drawn on a map.",
        "es": "No se conocen límites en este nivel: no se puede dibujar en un mapa.",
    },
    "coverage.some_boundaries": {
        "en": "Boundaries known for {drawn} of {regions}.",
        "es": "Límites conocidos para {drawn} de {regions}.",
    },
}


def say(key: str, language: str, **values: object) -> str:
    """The sentence `key` in `language` (English when it has no such translation), with `values` filled in."""
    templates = MESSAGES[key]
    return templates.get(language, templates["en"]).format(**values)
