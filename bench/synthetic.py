"""A seeded generator of programmes and commitments (English and Spanish) with planted ground truth."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from services.matcher.pipeline.filters import TICKET_TOLERANCE
from services.matcher.pipeline.frames import SIZES, CommitmentRow, ProgramRow


@dataclass(frozen=True)
class Theme:
    key: str
    focus: str
    en: tuple[str, ...]
    es: tuple[str, ...]
    instruments: tuple[str, ...]
    needs: tuple[str, ...]
    sectors: tuple[str, ...]


FOOD, CLIMATE, DIGITAL = "food_security_agriculture", "climate_clean_energy", "digital_financial_inclusion"
EDU, HEALTH, REFORM = "education_workforce", "public_health", "reform_agenda"

THEMES: tuple[Theme, ...] = (
    Theme(
        "coffee",
        FOOD,
        ("coffee farmers", "credit for coffee cooperatives", "coffee harvest", "specialty coffee exports"),
        ("caficultores", "crédito para cooperativas cafetaleras", "cosecha de café", "exportación de café"),
        ("loan", "technical_assistance"),
        ("financing", "technical_assistance"),
        ("coffee", "agriculture"),
    ),
    Theme(
        "dairy",
        FOOD,
        ("dairy producers", "milk collection centres", "livestock health", "cheese processing"),
        ("productores de leche", "centros de acopio de lácteos", "ganadería", "procesamiento de queso"),
        ("loan", "grant"),
        ("financing", "market_access"),
        ("dairy", "agriculture"),
    ),
    Theme(
        "irrigation",
        FOOD,
        ("drip irrigation", "drought in the dry corridor", "climate-smart agriculture", "maize and beans"),
        (
            "riego por goteo",
            "sequía en el corredor seco",
            "agricultura climáticamente inteligente",
            "maíz y frijol",
        ),
        ("grant", "technical_assistance"),
        ("technical_assistance", "financing"),
        ("agriculture",),
    ),
    Theme(
        "horticulture",
        FOOD,
        ("vegetable exports", "fruit value chains", "organic certification", "cold chain storage"),
        (
            "exportación de hortalizas",
            "cadenas de valor de frutas",
            "certificación orgánica",
            "cadena de frío",
        ),
        ("trade_promotion", "loan"),
        ("market_access", "financing"),
        ("agriculture", "export"),
    ),
    Theme(
        "solar",
        CLIMATE,
        (
            "rooftop solar panels",
            "clean energy for rural schools",
            "off-grid electrification",
            "renewable energy",
        ),
        (
            "paneles solares",
            "energía limpia para escuelas rurales",
            "electrificación fuera de la red",
            "energías renovables",
        ),
        ("loan", "guarantee", "equity"),
        ("financing",),
        ("energy",),
    ),
    Theme(
        "forests",
        CLIMATE,
        ("reforestation", "watershed restoration", "forest conservation", "carbon credits"),
        ("reforestación", "restauración de cuencas", "conservación de bosques", "créditos de carbono"),
        ("grant", "technical_assistance"),
        ("technical_assistance", "local_partner"),
        ("forestry",),
    ),
    Theme(
        "emobility",
        CLIMATE,
        ("electric buses", "charging stations", "clean public transport", "fleet emissions"),
        ("buses eléctricos", "estaciones de carga", "transporte público limpio", "emisiones de la flota"),
        ("loan", "equity"),
        ("financing", "government_liaison"),
        ("transport",),
    ),
    Theme(
        "disaster",
        CLIMATE,
        ("hurricane resilience", "flood early warning", "disaster risk insurance", "climate adaptation"),
        (
            "resiliencia ante huracanes",
            "alerta temprana de inundaciones",
            "seguro contra desastres",
            "adaptación climática",
        ),
        ("insurance", "technical_assistance"),
        ("financing", "research_data"),
        ("insurance",),
    ),
    Theme(
        "recycling",
        CLIMATE,
        ("plastic recycling", "solid waste management", "circular economy", "landfill diversion"),
        ("reciclaje de plástico", "gestión de residuos sólidos", "economía circular", "relleno sanitario"),
        ("grant", "convening"),
        ("local_partner", "government_liaison"),
        ("waste",),
    ),
    Theme(
        "payments",
        DIGITAL,
        ("digital payments", "mobile money wallets", "unbanked households", "fintech"),
        ("pagos digitales", "billeteras móviles", "hogares no bancarizados", "tecnología financiera"),
        ("equity", "technical_assistance"),
        ("financing", "government_liaison"),
        ("fintech", "financial services"),
    ),
    Theme(
        "connectivity",
        DIGITAL,
        ("rural broadband", "internet connectivity", "fiber optic network", "digital skills"),
        ("banda ancha rural", "conectividad a internet", "red de fibra óptica", "habilidades digitales"),
        ("loan", "policy_dialogue"),
        ("financing", "government_liaison"),
        ("telecom",),
    ),
    Theme(
        "sme",
        DIGITAL,
        ("credit for small businesses", "microfinance", "women entrepreneurs", "loan guarantees"),
        ("crédito para pymes", "microfinanzas", "mujeres emprendedoras", "garantías de préstamos"),
        ("guarantee", "loan"),
        ("financing",),
        ("financial services",),
    ),
    Theme(
        "remittances",
        DIGITAL,
        ("remittances", "diaspora savings", "low-cost transfers", "financial education"),
        ("remesas", "ahorro de la diáspora", "transferencias de bajo costo", "educación financiera"),
        ("technical_assistance", "convening"),
        ("local_partner", "research_data"),
        ("financial services",),
    ),
    Theme(
        "technical",
        EDU,
        ("technical education", "vocational training for youth", "job placement", "apprenticeships"),
        ("educación técnica", "formación vocacional para jóvenes", "inserción laboral", "pasantías"),
        ("training", "grant"),
        ("training_partner",),
        ("education",),
    ),
    Theme(
        "scholarships",
        EDU,
        ("university scholarships", "students", "teachers", "secondary schools"),
        ("becas universitarias", "estudiantes", "docentes", "escuelas secundarias"),
        ("grant", "convening"),
        ("local_partner", "financing"),
        ("education",),
    ),
    Theme(
        "apparel",
        EDU,
        ("apparel workers", "textile manufacturing", "maquila skills", "labor compliance"),
        (
            "trabajadoras de la maquila",
            "manufactura textil",
            "habilidades en confección",
            "cumplimiento laboral",
        ),
        ("training", "technical_assistance"),
        ("training_partner", "labor_compliance"),
        ("textiles", "manufacturing"),
    ),
    Theme(
        "coding",
        EDU,
        ("coding bootcamps", "software developers", "english for call centers", "nearshoring"),
        (
            "bootcamps de programación",
            "desarrolladores de software",
            "inglés para centros de llamadas",
            "nearshoring",
        ),
        ("training", "trade_promotion"),
        ("training_partner", "market_access"),
        ("technology", "bpo"),
    ),
    Theme(
        "tourism",
        EDU,
        ("tourism", "hospitality training", "ecotourism", "hotel jobs"),
        ("turismo", "capacitación en hotelería", "ecoturismo", "empleos en hoteles"),
        ("training", "trade_promotion"),
        ("training_partner", "market_access"),
        ("tourism",),
    ),
    Theme(
        "vaccines",
        HEALTH,
        ("vaccines", "covid-19 vaccination", "rural clinics", "cold storage for vaccines"),
        ("vacunas", "vacunación contra covid-19", "clínicas rurales", "almacenamiento de vacunas"),
        ("grant", "convening"),
        ("local_partner", "government_liaison"),
        ("health",),
    ),
    Theme(
        "water",
        HEALTH,
        ("clean drinking water", "sanitation", "hygiene", "wastewater treatment"),
        ("agua potable", "saneamiento", "higiene", "tratamiento de aguas residuales"),
        ("grant", "loan"),
        ("financing", "local_partner"),
        ("water",),
    ),
    Theme(
        "maternal",
        HEALTH,
        ("maternal health", "child nutrition", "midwives", "community health workers"),
        ("salud materna", "nutrición infantil", "parteras", "promotores de salud"),
        ("grant", "training"),
        ("local_partner", "training_partner"),
        ("health",),
    ),
    Theme(
        "telemedicine",
        HEALTH,
        ("telemedicine", "digital health records", "remote consultations", "diagnostics"),
        ("telemedicina", "salud digital", "consultas virtuales", "diagnóstico"),
        ("equity", "technical_assistance"),
        ("financing", "technical_assistance"),
        ("health", "technology"),
    ),
    Theme(
        "pharma",
        HEALTH,
        ("medicines", "pharmaceutical supply", "pharmacies", "medical equipment"),
        ("medicamentos", "suministro farmacéutico", "farmacias", "equipos médicos"),
        ("loan", "trade_promotion"),
        ("financing", "market_access"),
        ("health", "pharmaceuticals"),
    ),
    Theme(
        "procurement",
        REFORM,
        ("public procurement", "transparency", "open data", "anti-corruption"),
        ("compras públicas", "transparencia", "datos abiertos", "anticorrupción"),
        ("policy_dialogue", "technical_assistance"),
        ("government_liaison", "research_data"),
        ("government",),
    ),
    Theme(
        "permits",
        REFORM,
        ("business permits", "licensing reform", "investment climate", "e-government"),
        ("permisos de operación", "reforma de licencias", "clima de inversión", "gobierno digital"),
        ("policy_dialogue", "convening"),
        ("government_liaison",),
        ("government",),
    ),
    Theme(
        "customs",
        REFORM,
        ("customs modernisation", "trade facilitation", "tax administration", "border crossings"),
        ("modernización de aduanas", "facilitación del comercio", "administración tributaria", "fronteras"),
        ("technical_assistance", "trade_promotion"),
        ("government_liaison", "market_access"),
        ("logistics",),
    ),
    Theme(
        "labor",
        REFORM,
        ("labor rights", "workplace compliance", "freedom of association", "labor inspections"),
        (
            "derechos laborales",
            "cumplimiento en el lugar de trabajo",
            "libertad sindical",
            "inspecciones laborales",
        ),
        ("technical_assistance", "training"),
        ("labor_compliance",),
        ("manufacturing",),
    ),
)

GENERIC_EN = (
    "to support communities",
    "for families",
    "creating jobs",
    "with local partners",
    "across the region",
    "to reduce poverty",
    "through innovation",
    "for rural areas",
    "for vulnerable households",
)
GENERIC_ES = (
    "para apoyar a las comunidades",
    "para las familias",
    "generando empleo",
    "con socios locales",
    "en toda la región",
    "para reducir la pobreza",
    "mediante la innovación",
    "en zonas rurales",
)
COUNTRY_EN = {
    "GT": "Guatemala",
    "SV": "El Salvador",
    "HN": "Honduras",
    "MX": "Mexico",
    "US": "the United States",
}
PARTNERS = (
    ("USAID", "U.S. Agency for International Development"),
    ("DFC", "U.S. International Development Finance Corporation"),
    ("DOC", "U.S. Department of Commerce"),
    ("DOL", "U.S. Department of Labor"),
    (None, "Inter-American Development Bank"),
    (None, "CABEI"),
    (None, "IFC"),
    (None, "UNICEF"),
    (None, "World Food Programme"),
    (None, "Fundación Pueblo"),
    (None, "TechnoServe"),
    (None, "Mercy Corps"),
    (None, "Glasswing International"),
    (None, "PAHO"),
)
FINANCIAL = {"loan", "guarantee", "equity", "insurance"}


@dataclass(frozen=True)
class Synthetic:
    commitments: list[CommitmentRow]
    programs: list[ProgramRow]
    commitment_theme: np.ndarray
    program_theme: np.ndarray
    spanish: np.ndarray
    relevant: list[np.ndarray] | None  # per commitment: indices of relevant programmes


def _join(names: list[str], conj: str) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" {conj} " + names[-1]


def _programs(rng: np.random.Generator, n: int, spanish_share: float) -> tuple[list[ProgramRow], np.ndarray]:
    themes = np.arange(n) % len(THEMES)
    rng.shuffle(themes)
    rows: list[ProgramRow] = []
    for i, t in enumerate(themes):
        th = THEMES[t]
        countries = sorted(rng.choice(["GT", "SV", "HN"], size=rng.integers(1, 4), replace=False).tolist())
        if rng.random() < 0.15:
            countries.append(str(rng.choice(["MX", "US"])))
        focus = [th.focus]
        if rng.random() < 0.25:
            focus.append(THEMES[rng.integers(len(THEMES))].focus)
        instruments = list(th.instruments[: rng.integers(1, len(th.instruments) + 1)])
        if rng.random() < 0.2:
            instruments.append(str(rng.choice(["convening", "technical_assistance", "grant"])))
        lo = hi = None
        if FINANCIAL & set(instruments) or "grant" in instruments:
            lo = float(10 ** rng.uniform(4, 6.5))
            hi = lo * float(10 ** rng.uniform(1, 2.5))
        sizes: list[str] = []
        if rng.random() < 0.3:
            sizes = list(SIZES[: rng.integers(2, 4)]) if rng.random() < 0.6 else list(SIZES[2:])
        code, partner = PARTNERS[rng.integers(len(PARTNERS))]
        kws = [th.es[k] if rng.random() < spanish_share else th.en[k] for k in rng.permutation(4)[:3]]
        place = _join([COUNTRY_EN[c] for c in countries], "and")
        if rng.random() < spanish_share:
            text = (
                f"Programa de {partner} en {place}: apoyo a {kws[0]}, {kws[1]} y {kws[2]} "
                f"{GENERIC_ES[rng.integers(len(GENERIC_ES))]}."
            )
        else:
            text = (
                f"{partner} programme in {place}: support for {kws[0]}, {kws[1]} and {kws[2]} "
                f"{GENERIC_EN[rng.integers(len(GENERIC_EN))]}."
            )
        rows.append(
            ProgramRow(
                id=f"p{i:05d}",
                partner_id=f"partner-{partner}",
                partner_name=partner,
                partner_agency_code=code,
                text=text,
                instruments=instruments,
                focus_areas=focus,
                countries=countries,
                sectors=list(th.sectors),
                min_ticket_usd=lo,
                max_ticket_usd=hi,
                eligible_sizes=sizes,
                capacity_remaining=int(rng.integers(5, 40)),
                active=bool(rng.random() > 0.05),
                partner_acceptance=None if rng.random() < 0.3 else float(rng.uniform(0.3, 0.9)),
            )
        )
    return rows, themes


def _commitment(rng: np.random.Generator, i: int, t: int, spanish: bool) -> CommitmentRow:
    th = THEMES[t]
    countries = sorted(rng.choice(["GT", "SV", "HN"], size=rng.integers(1, 3), replace=False).tolist())
    focus = [th.focus]
    if rng.random() < 0.3:
        focus.append(THEMES[rng.integers(len(THEMES))].focus)
    needs = list(th.needs[: rng.integers(1, len(th.needs) + 1)])
    if rng.random() < 0.2:
        needs.append(str(rng.choice(["research_data", "local_partner", "market_access"])))
    size_i = int(rng.integers(len(SIZES)))
    amount = None if rng.random() < 0.1 else float(10 ** rng.uniform(4.5 + size_i * 0.4, 6 + size_i * 0.5))
    k = rng.permutation(4)[:3]
    generic = GENERIC_ES if spanish else GENERIC_EN
    if spanish:
        place = _join([COUNTRY_EN[c] for c in countries], "y")
        text = (
            f"Compromiso {i}: la empresa invertirá en {th.es[k[0]]} y {th.es[k[1]]} en {place}, "
            f"con {th.es[k[2]]} {generic[rng.integers(len(generic))]}."
        )
    else:
        place = _join([COUNTRY_EN[c] for c in countries], "and")
        text = (
            f"Commitment {i}: the company will invest in {th.en[k[0]]} and {th.en[k[1]]} in {place}, "
            f"with {th.en[k[2]]} {generic[rng.integers(len(generic))]}."
        )
    hq = countries[0] if rng.random() < 0.5 else "US"
    return CommitmentRow(
        id=f"c{i:06d}",
        business_id=f"b{i:06d}",
        text=text,
        focus_areas=focus,
        countries=countries,
        needs=needs,
        amount_usd=amount,
        business_size=SIZES[size_i],
        business_hq_country=hq,
        business_sectors=list(th.sectors[:1]),
        women_led=bool(rng.random() < 0.25),
        indigenous_led=bool(rng.random() < 0.1),
        fingerprint=f"fp{i}",
    )


def _compatible(c: CommitmentRow, p: ProgramRow) -> bool:
    if not p.active or not set(c.countries) & set(p.countries):
        return False
    if p.eligible_sizes and c.business_size not in p.eligible_sizes:
        return False
    a = c.amount_usd
    if a is not None and p.min_ticket_usd is not None and a < p.min_ticket_usd / TICKET_TOLERANCE:
        return False
    return not (a is not None and p.max_ticket_usd is not None and a > p.max_ticket_usd * TICKET_TOLERANCE)


def generate(
    n_commitments: int = 600,
    n_programs: int = 150,
    *,
    seed: int = 7,
    spanish_share: float = 0.4,
    with_truth: bool = True,
) -> Synthetic:
    """Programmes spread evenly over the themes; commitments each with a theme and, when with_truth,
    at least one relevant programme (same theme, compatible country, size and ticket)."""
    rng = np.random.default_rng(seed)
    programs, p_theme = _programs(rng, n_programs, spanish_share * 0.6)
    by_theme = [np.flatnonzero(p_theme == t) for t in range(len(THEMES))]
    commitments: list[CommitmentRow] = []
    c_theme = rng.integers(len(THEMES), size=n_commitments)
    spanish = rng.random(n_commitments) < spanish_share
    relevant: list[np.ndarray] = []
    for i in range(n_commitments):
        for _ in range(50):
            row = _commitment(rng, i, int(c_theme[i]), bool(spanish[i]))
            if not with_truth:
                break
            rel = np.array([j for j in by_theme[c_theme[i]] if _compatible(row, programs[j])], dtype=np.intp)
            if len(rel):
                relevant.append(rel)
                break
        else:
            relevant.append(np.zeros(0, dtype=np.intp))
        commitments.append(row)
    return Synthetic(commitments, programs, c_theme, p_theme, spanish, relevant if with_truth else None)
