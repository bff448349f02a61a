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
    # feedback: need where it lands
    "need.place.known": {
        "en": "{place}: need index {index} of 100, rank {rank} of {peers} {level_plural} of {country}"
        " (coverage {coverage}).",
        "es": "{place}: índice de necesidad {index} de 100, puesto {rank} de {peers} {level_plural} de {country}"
        " (cobertura {coverage}).",
    },
    "need.place.partial": {
        "en": "{place}: too few indicators for a need index (coverage {coverage}); the figures below are what is"
        " known.",
        "es": "{place}: muy pocos indicadores para un índice de necesidad (cobertura {coverage}); abajo, lo que se"
        " conoce.",
    },
    "need.place.unknown": {
        "en": "{place}: Puente holds no need indicator for this place yet; its need is unknown, not low.",
        "es": "{place}: Puente aún no tiene indicadores de necesidad para este lugar; su necesidad es desconocida,"
        " no baja.",
    },
    "need.place.district": {
        "en": " A former municipality, now a district of {municipality} (2024 reform).",
        "es": " Antiguo municipio, hoy distrito de {municipality} (reforma de 2024).",
    },
    "need.figure": {
        "en": "{label}: {value} {unit} ({year}, {source})",
        "es": "{label}: {value} {unit} ({year}, {source})",
    },
    "need.none_named": {
        "en": "The draft names no place, so the need where it lands cannot be shown; see the suggestions.",
        "es": "El borrador no nombra lugares, así que no se puede mostrar la necesidad donde llega; vea las"
        " sugerencias.",
    },
    "level_plural.department": {"en": "departments", "es": "departamentos"},
    "level_plural.municipality": {"en": "municipalities", "es": "municipios"},
    "level_plural.district": {"en": "districts", "es": "distritos"},
    # feedback: overlaps
    "overlaps.full": {
        "en": "Other commitments on the same focus areas in the same places (a place, or one inside or around it).",
        "es": "Otros compromisos en las mismas áreas de enfoque y los mismos lugares (el lugar, o uno dentro o"
        " alrededor).",
    },
    "overlaps.counts": {
        "en": "Other organisations' commitments are shown as counts per place and focus area only: no names,"
        " titles, amounts or ids. Your own are listed.",
        "es": "Los compromisos de otras organizaciones se muestran solo como cantidades por lugar y área de"
        " enfoque: sin nombres, títulos, montos ni identificadores. Los suyos se listan.",
    },
    # feedback: checklist
    "check.places_named.title": {"en": "Places named", "es": "Lugares nombrados"},
    "check.places_named.pass": {
        "en": "Names {count} place(s), {municipalities} of them municipalities or districts: {places}.",
        "es": "Nombra {count} lugar(es), {municipalities} de ellos municipios o distritos: {places}.",
    },
    "check.places_named.fail": {
        "en": "Name the municipalities it will work in (`regions`): a department or a country is too wide to"
        " measure against need.",
        "es": "Nombre los municipios donde trabajará (`regions`): un departamento o un país es demasiado amplio"
        " para medirlo frente a la necesidad.",
    },
    "check.focused.title": {"en": "Specific focus", "es": "Enfoque específico"},
    "check.focused.pass": {
        "en": "{count} focus area(s): specific enough to match partners and measure.",
        "es": "{count} área(s) de enfoque: suficientemente específico para buscar socios y medir.",
    },
    "check.focused.fail": {
        "en": "Has {count} focus areas; name one or at most {most}.",
        "es": "Tiene {count} áreas de enfoque; nombre una o a lo sumo {most}.",
    },
    "check.measurable_targets.title": {"en": "Measurable targets", "es": "Metas medibles"},
    "check.measurable_targets.pass": {
        "en": "Targets in the indicator catalogue: {codes}.",
        "es": "Metas con indicadores del catálogo: {codes}.",
    },
    "check.measurable_targets.fail": {
        "en": "Set targets with catalogue indicator codes (GET /v1/metrics/indicators), e.g. jobs_created,"
        " people_reached.",
        "es": "Defina metas con códigos del catálogo de indicadores (GET /v1/metrics/indicators), p. ej."
        " jobs_created, people_reached.",
    },
    "check.baselines.title": {"en": "Baselines", "es": "Líneas de base"},
    "check.baselines.pass": {
        "en": "Every target has a baseline, so progress can be shown as change.",
        "es": "Cada meta tiene línea de base, así el avance se puede mostrar como cambio.",
    },
    "check.baselines.fail": {
        "en": "State a baseline for: {codes}.",
        "es": "Indique la línea de base de: {codes}.",
    },
    "check.baselines.na": {"en": "No targets yet.", "es": "Aún no hay metas."},
    "check.funding_stated.title": {"en": "Funding stated", "es": "Financiamiento indicado"},
    "check.funding_stated.pass": {"en": "Pledges {amount} USD.", "es": "Compromete {amount} USD."},
    "check.funding_stated.fail": {
        "en": "State the amount pledged (`amount_usd`).",
        "es": "Indique el monto comprometido (`amount_usd`).",
    },
    "check.timeline.title": {"en": "Timeline", "es": "Cronograma"},
    "check.timeline.pass": {
        "en": "Starts {start}; state the end year in the description (Puente holds no end date).",
        "es": "Comienza el {start}; indique el año de cierre en la descripción (Puente no guarda fecha de fin).",
    },
    "check.timeline.fail": {
        "en": "Give a start date (`announced_on`) and the end year in the description.",
        "es": "Indique la fecha de inicio (`announced_on`) y el año de cierre en la descripción.",
    },
    "check.reporting_plan.title": {"en": "Reporting plan", "es": "Plan de reportes"},
    "check.reporting_plan.pass": {
        "en": "The business already reports through Puente ({reports} current reports).",
        "es": "La empresa ya reporta a través de Puente ({reports} reportes vigentes).",
    },
    "check.reporting_plan.fail": {
        "en": "The business has not reported through Puente yet: agree a quarterly report of the target indicators.",
        "es": "La empresa aún no reporta a través de Puente: acuerde un reporte trimestral de los indicadores"
        " de las metas.",
    },
    "check.reporting_plan.na": {
        "en": "No business named; reporting cannot be checked.",
        "es": "No se nombra empresa; no se pueden revisar los reportes.",
    },
    "check.high_need.title": {"en": "Where need is highest", "es": "Donde la necesidad es mayor"},
    "check.high_need.pass": {
        "en": "Works in the highest-need fifth of its peers: {places}.",
        "es": "Trabaja en el quinto de mayor necesidad: {places}.",
    },
    "check.high_need.fail": {
        "en": "None of the places named is in the highest-need fifth; see the suggestions.",
        "es": "Ninguno de los lugares nombrados está en el quinto de mayor necesidad; vea las sugerencias.",
    },
    "check.high_need.na": {
        "en": "The need of the places named is unknown (no data), so it cannot be judged.",
        "es": "La necesidad de los lugares nombrados es desconocida (sin datos), así que no se puede juzgar.",
    },
    # feedback: suggestions
    "suggest.nearby": {
        "en": "Nearby municipalities with higher need and no commitment on this focus yet: {places}.",
        "es": "Municipios cercanos con mayor necesidad y aún sin compromisos en este enfoque: {places}.",
    },
    "suggest.name_places": {
        "en": "Name the municipalities it will work in; the highest-need ones of {countries} with no commitment on"
        " this focus are: {places}.",
        "es": "Nombre los municipios donde trabajará; los de mayor necesidad de {countries} sin compromisos en"
        " este enfoque son: {places}.",
    },
    "suggest.unknown_need": {
        "en": "Puente holds no need data for {places}: report baselines there (people in poverty, jobs) so that"
        " results can be set against need.",
        "es": "Puente no tiene datos de necesidad para {places}: reporte líneas de base allí (pobreza, empleo)"
        " para poder comparar los resultados con la necesidad.",
    },
    "suggest.target_scale": {
        "en": "The target of {target} {code} is {share} of the {population} people living in the places named"
        " ({source}).",
        "es": "La meta de {target} {code} equivale a {share} de las {population} personas que viven en los"
        " lugares nombrados ({source}).",
    },
    "suggest.place": {
        "en": "{name} ({parent}, need index {index}{figure})",
        "es": "{name} ({parent}, índice de necesidad {index}{figure})",
    },
}


def say(key: str, language: str, **values: object) -> str:
    """The sentence `key` in `language` (English when it has no such translation), with `values` filled in."""
    templates = MESSAGES[key]
    return templates.get(language, templates["en"]).format(**values)
