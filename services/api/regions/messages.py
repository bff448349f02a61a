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
    # maps
    "level.department": {"en": "department", "es": "departamento"},
    "level.municipality": {"en": "municipality", "es": "municipio"},
    "level.district": {"en": "district", "es": "distrito"},
    "map.need.title": {
        "en": "Need index by {level}, {country}",
        "es": "Índice de necesidad por {level}, {country}",
    },
    "map.need.subtitle": {
        "en": "0 = least need, 100 = most, among the units of this level; weighted percentiles of {indicators}.",
        "es": "0 = menor necesidad, 100 = mayor, entre las unidades de este nivel; percentiles ponderados de"
        " {indicators}.",
    },
    "map.committed_usd.title": {
        "en": "Dollars committed by {level}, {country}",
        "es": "Dólares comprometidos por {level}, {country}",
    },
    "map.commitments.title": {
        "en": "Commitments by {level}, {country}",
        "es": "Compromisos por {level}, {country}",
    },
    "map.commitments.subtitle": {
        "en": "Commitments that name a place{focus}; one in n places counts 1/n of its amount in each.",
        "es": "Compromisos que nombran un lugar{focus}; uno en n lugares cuenta 1/n de su monto en cada uno.",
    },
    "map.results.title": {
        "en": "{indicator} by {level}, {country}, set against need",
        "es": "{indicator} por {level}, {country}, frente a la necesidad",
    },
    "map.results.subtitle": {
        "en": "{share} of the results with a known need landed in the highest-need fifth (outlined); mean need"
        " where results landed {landed}, where people live {people}.",
        "es": "{share} de los resultados con necesidad conocida llegaron al quinto de mayor necesidad"
        " (contorneado); necesidad media donde llegaron {landed}, donde vive la gente {people}.",
    },
    "map.results.none": {
        "en": "No results with a known need have been reported here yet; the outline marks the highest-need fifth.",
        "es": "Aún no se han reportado resultados con necesidad conocida; el contorno marca el quinto de mayor"
        " necesidad.",
    },
    "map.outline": {"en": "highest-need fifth", "es": "quinto de mayor necesidad"},
    "map.no_data": {"en": "no data", "es": "sin datos"},
    "map.none": {"en": "none", "es": "ninguno"},
    "map.focus": {"en": " in {focus}", "es": " en {focus}"},
    "map.not_placed": {
        "en": "Not drawn at this level: {amount} USD of commitments that name only larger places"
        " ({commitments} of them name no place this small).",
        "es": "No se dibujan en este nivel: {amount} USD de compromisos que nombran solo lugares más grandes"
        " ({commitments} no nombran ningún lugar de este tamaño).",
    },
    "map.source.need": {
        "en": "Sources: {sources} (see the reference data's SOURCES.md). Need index: Puente, weights {weights}.",
        "es": "Fuentes: {sources} (ver SOURCES.md de los datos de referencia). Índice: Puente, pesos {weights}.",
    },
    "map.source.commitments": {
        "en": "Source: commitments and impact reports held by Puente, {date}; boundaries: {boundaries}.",
        "es": "Fuente: compromisos e informes de impacto en Puente, {date}; límites: {boundaries}.",
    },
}


def say(key: str, language: str, **values: object) -> str:
    """The sentence `key` in `language` (English when it has no such translation), with `values` filled in."""
    templates = MESSAGES[key]
    return templates.get(language, templates["en"]).format(**values)
