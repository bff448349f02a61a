"""Deterministic generator of demo_data.json (illustrative organisations, invented figures)."""

import json
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

OUT = Path(__file__).with_name("demo_data.json")
SEED = 20210527
#: Reporting stops at the last closed quarter before the demo's "today".
LAST_QUARTER_END = date(2026, 9, 30)

Record = dict[str, Any]
M = 1_000_000
K = 1_000
GT, SV, HN = "GT", "SV", "HN"
NCA = [GT, SV, HN]

# Focus areas and needs, abbreviated so the tables below stay readable.
REF, DIG, FOOD = "reform_agenda", "digital_financial_inclusion", "food_security_agriculture"
CLIM, EDU, HEALTH = "climate_clean_energy", "education_workforce", "public_health"
FIN, TA, GOV, LOCAL = "financing", "technical_assistance", "government_liaison", "local_partner"
LABOR, MARKET, TRAIN, DATA = "labor_compliance", "market_access", "training_partner", "research_data"
ALL_SIZES = ["micro", "small", "medium", "large", "multinational"]
BIG = ["large", "multinational"]

# Indicator codes used in targets and reports.
INV, JOBS, TRAINED = "investment_deployed_usd", "jobs_created", "people_trained"
REACHED, WOMEN = "people_reached", "women_reached"
CONNECTED, HECTARES = "people_connected_internet", "hectares_climate_smart"
FARMERS, SMES, CREDIT = "farmers_supported", "smes_supported", "credit_disbursed_usd"
MW, CO2, YOUTH = "clean_energy_mw", "tco2e_avoided", "youth_reached"
PATIENTS, CLEAN_WATER, STUDENTS = "patients_served", "people_clean_water", "students_enrolled"
#: Stock indicators (the catalogue's `max` aggregation): each report restates the running total.
RUNNING_TOTALS = {HECTARES, MW, "jobs_sustained"}
#: Money indicators are rounded to whole hundreds or thousands of dollars.
MONEY = {INV, CREDIT}


def business(
    key: str,
    name: str,
    aliases: list[str],
    description: str,
    hq: str,
    countries: list[str],
    sectors: list[str],
    size: str,
    *,
    women: bool = False,
    indigenous: bool = False,
) -> Record:
    return {
        "key": key,
        "name": name,
        "aliases": aliases,
        "description": description,
        "website": f"https://www.{key}.example",
        "hq_country": hq,
        "countries": countries,
        "sectors": sectors,
        "size": size,
        "women_led": women,
        "indigenous_led": indigenous,
    }


BUSINESSES: list[Record] = [
    business(
        "northstar-apparel",
        "Northstar Apparel Group",
        ["Northstar", "NAG"],
        "U.S. apparel brand and manufacturer moving sourcing closer to its home market, with cut-and-sew "
        "and knitting plants in Guatemala and Honduras and a supplier base across the region.",
        "US",
        [GT, HN, SV, "US"],
        ["apparel", "textiles", "manufacturing"],
        "multinational",
    ),
    business(
        "highland-roast",
        "Highland Roast Coffee Company",
        ["Highland Roast"],
        "Specialty coffee roaster and retailer buying green coffee from smallholder cooperatives in the "
        "Central American highlands and investing in farm productivity and climate resilience.",
        "US",
        [GT, HN, SV, "US", "CO"],
        ["coffee", "agriculture", "food_processing", "retail"],
        "multinational",
    ),
    business(
        "conecta-americas",
        "Conecta Américas Telecom",
        ["Conecta", "Conecta Móvil"],
        "Operador regional de telecomunicaciones móviles y de fibra óptica con presencia en México y "
        "Centroamérica; invierte en cobertura rural y conectividad para escuelas.",
        "MX",
        [GT, SV, HN, "MX", "NI"],
        ["telecommunications", "technology"],
        "multinational",
    ),
    business(
        "istmo-digital-payments",
        "Istmo Digital Payments",
        ["Istmo Pay", "IDP"],
        "Fintech offering mobile wallets, merchant QR payments and remittance-linked savings to unbanked "
        "households and micro-merchants in northern Central America.",
        "PA",
        [GT, SV, HN, "PA"],
        ["fintech", "financial_services"],
        "large",
    ),
    business(
        "pacific-gateway-logistics",
        "Pacific Gateway Logistics",
        ["PGL"],
        "Third-party logistics and port services company running bonded warehouses, cold storage and "
        "cross-border trucking between the Pacific ports and the Honduran Caribbean coast.",
        "US",
        [GT, SV, HN, "US", "MX"],
        ["logistics", "transport"],
        "multinational",
    ),
    business(
        "solaris-centroamerica",
        "Solaris Centroamérica Energía",
        ["Solaris CA"],
        "Desarrollador y operador de proyectos solares, eólicos y minirredes; filial regional de un grupo "
        "energético europeo con proyectos en El Salvador, Honduras y Guatemala.",
        "ES",
        [SV, HN, GT, "ES"],
        ["renewable_energy", "energy"],
        "multinational",
    ),
    business(
        "cloudbridge-technologies",
        "Cloudbridge Technologies",
        ["Cloudbridge"],
        "Cloud software company providing e-government platforms, digital-skills curricula and satellite "
        "analytics; runs nearshore support teams in the region.",
        "US",
        [GT, SV, HN, "US"],
        ["technology", "education"],
        "multinational",
    ),
    business(
        "meridian-consumer-brands",
        "Meridian Consumer Brands",
        ["Meridian"],
        "Packaged food and household goods maker with plants in Guatemala and distribution across "
        "Central America, sourcing grains, vegetables and spices from local farmers.",
        "US",
        [GT, SV, HN, "US", "CR"],
        ["food_processing", "consumer_goods", "agriculture"],
        "multinational",
    ),
    business(
        "volcan-materiales",
        "Volcán Materiales de Construcción",
        ["Grupo Volcán"],
        "Productor guatemalteco de cemento, bloques y materiales de construcción que impulsa vivienda "
        "resiliente y materiales con menor huella de carbono.",
        "GT",
        [GT, SV],
        ["construction", "manufacturing"],
        "large",
    ),
    business(
        "vitalis-health",
        "Vitalis Health Systems",
        ["Vitalis"],
        "Health-care distribution and services company: pharmaceutical logistics, telehealth and clinic "
        "networks serving public and private providers.",
        "US",
        [GT, SV, HN, "US", "PA"],
        ["health", "logistics"],
        "multinational",
    ),
    business(
        "textiles-cuscatlan",
        "Textiles Cuscatlán",
        ["TexCus"],
        "Fabricante salvadoreño de prendas de punto y tejidos para marcas de Estados Unidos, con más de "
        "5.000 empleados y planta de tintorería propia.",
        "SV",
        [SV, HN],
        ["apparel", "textiles", "manufacturing"],
        "large",
    ),
    business(
        "azucar-energia-pacifico",
        "Azúcar y Energía del Pacífico",
        ["AEP"],
        "Ingenio azucarero de la costa sur de Guatemala que cogenera electricidad con bagazo de caña y "
        "promueve riego eficiente entre productores proveedores.",
        "GT",
        [GT],
        ["agriculture", "energy", "food_processing"],
        "large",
    ),
    business(
        "banco-ceiba",
        "Banco Ceiba Centroamericano",
        ["Banco Ceiba", "BCC"],
        "Banco regional con sede en Tegucigalpa y operaciones en Guatemala y El Salvador, enfocado en "
        "banca MIPYME, agentes bancarios y crédito agrícola.",
        "HN",
        [HN, GT, SV],
        ["financial_services"],
        "large",
    ),
    business(
        "financiera-quetzal",
        "Financiera Quetzal",
        ["FinQuetzal"],
        "Institución de microfinanzas guatemalteca que atiende a familias rurales y emprendedoras del "
        "altiplano, con asesores que hablan k'iche', mam y q'eqchi'.",
        "GT",
        [GT],
        ["financial_services", "microfinance"],
        "medium",
    ),
    business(
        "crecer-microfinanzas",
        "Crecer Microfinanzas El Salvador",
        ["Crecer"],
        "Microfinance lender for rural women and smallholders in eastern El Salvador, moving onboarding "
        "and repayments to mobile channels.",
        "SV",
        [SV],
        ["financial_services", "microfinance"],
        "medium",
        women=True,
    ),
    business(
        "cafetalera-los-altos",
        "Cafetalera Los Altos",
        ["Los Altos Coffee"],
        "Finca y beneficio familiar de café especial en Huehuetenango que compra cereza a 200 pequeños "
        "productores vecinos.",
        "GT",
        [GT],
        ["coffee", "agriculture"],
        "small",
    ),
    business(
        "cacao-lenca",
        "Cacao Lenca Chocolates",
        ["Cacao Lenca"],
        "Women-led chocolate maker in Intibucá buying fine-flavour cacao from Lenca family farms and "
        "selling bars in Honduras and to U.S. craft retailers.",
        "HN",
        [HN],
        ["cacao", "food_processing", "agriculture"],
        "small",
        women=True,
    ),
    business(
        "agroseguro-digital",
        "AgroSeguro Digital",
        ["AgroSeguro"],
        "Agtech start-up selling weather-index crop insurance and agronomic alerts through mobile phones.",
        "SV",
        [SV, HN],
        ["fintech", "insurance", "agriculture"],
        "small",
    ),
    business(
        "codigo-futuro",
        "Código Futuro Academy",
        ["Código Futuro"],
        "Coding bootcamp training young people in software development and placing graduates with "
        "nearshore technology employers.",
        "SV",
        [SV, HN],
        ["education", "technology"],
        "small",
        women=True,
    ),
    business(
        "tecnoagua-honduras",
        "TecnoAgua Honduras",
        ["TecnoAgua"],
        "Empresa social que diseña, instala y mantiene sistemas de purificación de agua para escuelas, "
        "centros de salud y comunidades rurales.",
        "HN",
        [HN],
        ["water_sanitation", "health"],
        "small",
    ),
    business(
        "ruta-verde-cold-chain",
        "Ruta Verde Cold Chain",
        ["Ruta Verde"],
        "Refrigerated transport and collection-centre operator linking smallholder vegetable growers in "
        "the western highlands to supermarkets and exporters.",
        "GT",
        [GT, SV],
        ["logistics", "agriculture"],
        "medium",
    ),
    business(
        "hilos-de-esperanza",
        "Hilos de Esperanza",
        ["Taller Hilos de Esperanza"],
        "Taller de confección liderado por mujeres en San Miguel que emplea a mujeres retornadas y jefas de hogar.",
        "SV",
        [SV],
        ["apparel", "textiles"],
        "micro",
        women=True,
    ),
    business(
        "biomasa-limpia",
        "Biomasa Limpia",
        ["BioLimpia"],
        "Social enterprise making and financing efficient clean cookstoves that cut firewood use and household smoke.",
        "HN",
        [HN, GT],
        ["energy", "health", "manufacturing"],
        "small",
    ),
    business(
        "saludmovil-guatemala",
        "SaludMóvil Guatemala",
        ["SaludMóvil"],
        "Plataforma de telemedicina materno-infantil que conecta comadronas y puestos de salud rurales "
        "con médicos especialistas.",
        "GT",
        [GT],
        ["health", "technology"],
        "small",
        women=True,
    ),
    business(
        "pesquera-golfo-fonseca",
        "Cooperativa Pesquera Golfo de Fonseca",
        ["Coopesca Fonseca"],
        "Artisanal fishing cooperative of 120 families on the Gulf of Fonseca working on sustainable "
        "catch limits, mangrove restoration and a shared ice plant.",
        "HN",
        [HN],
        ["fisheries", "food_processing"],
        "micro",
    ),
    business(
        "maya-textiles",
        "Maya Textiles Cooperative",
        ["Cooperativa Textil Maya"],
        "Indigenous women weavers' cooperative in Sololá producing backstrap-loom textiles with natural "
        "dyes and selling through fair-trade and online channels.",
        "GT",
        [GT],
        ["textiles", "handicrafts"],
        "small",
        women=True,
        indigenous=True,
    ),
    business(
        "cooperativa-ixil",
        "Cooperativa Ixil de Café",
        ["Café Ixil"],
        "Cooperativa indígena de caficultores del Triángulo Ixil, Quiché, que exporta café orgánico y "
        "forma a jóvenes productores.",
        "GT",
        [GT],
        ["coffee", "agriculture"],
        "small",
        indigenous=True,
    ),
    business(
        "mujeres-lencas-maiz",
        "Cooperativa Mujeres Lencas del Maíz",
        ["Mujeres del Maíz"],
        "Cooperativa de mujeres lencas de La Esperanza que conserva semillas nativas de maíz y frijol y "
        "comercializa excedentes en mercados locales.",
        "HN",
        [HN],
        ["agriculture"],
        "micro",
        women=True,
        indigenous=True,
    ),
    business(
        "cacaoteras-usulutan",
        "Asociación de Mujeres Cacaoteras de Usulután",
        ["AMCU"],
        "Association of women cacao growers in Usulután building a shared fermentation and drying centre "
        "to sell premium beans.",
        "SV",
        [SV],
        ["cacao", "agriculture"],
        "micro",
        women=True,
    ),
    business(
        "garifuna-turismo",
        "Garífuna Coastal Tourism Cooperative",
        ["Turismo Garífuna"],
        "Garífuna community cooperative running guesthouses, cultural tours and a cooking school on the "
        "Honduran Caribbean coast.",
        "HN",
        [HN],
        ["tourism"],
        "micro",
        indigenous=True,
    ),
]


def partner(
    key: str,
    name: str,
    partner_type: str,
    code: str | None,
    description: str,
    countries: list[str],
    site: str,
) -> Record:
    return {
        "key": key,
        "name": name,
        "partner_type": partner_type,
        "agency_code": code,
        "description": description,
        "website": site,
        "countries": countries,
    }


PARTNERS: list[Record] = [
    partner(
        "usaid",
        "U.S. Agency for International Development",
        "us_agency",
        "USAID",
        "U.S. development agency; missions in Guatemala, El Salvador and Honduras co-invest with the "
        "private sector in economic opportunity, food security, health and governance.",
        NCA,
        "https://www.usaid.gov",
    ),
    partner(
        "dfc",
        "U.S. International Development Finance Corporation",
        "us_agency",
        "DFC",
        "U.S. development finance institution providing direct loans, loan guarantees, equity and "
        "political risk insurance for private investment in developing countries.",
        NCA,
        "https://www.dfc.gov",
    ),
    partner(
        "doc",
        "U.S. Department of Commerce — International Trade Administration",
        "us_agency",
        "DOC",
        "Promotes trade and investment; the U.S. Commercial Service supports U.S. companies entering and "
        "expanding in Central American markets.",
        NCA,
        "https://www.trade.gov",
    ),
    partner(
        "dol",
        "U.S. Department of Labor — Bureau of International Labor Affairs",
        "us_agency",
        "DOL",
        "Funds technical cooperation on labour rights, decent work and supply-chain compliance.",
        NCA,
        "https://www.dol.gov/agencies/ilab",
    ),
    partner(
        "mcc",
        "Millennium Challenge Corporation",
        "us_agency",
        "MCC",
        "U.S. foreign assistance agency funding compacts and threshold programmes that address binding "
        "constraints to growth, including investment climate and infrastructure.",
        NCA,
        "https://www.mcc.gov",
    ),
    partner(
        "iaf",
        "Inter-American Foundation",
        "us_agency",
        "IAF",
        "U.S. agency making small grants directly to grassroots and community organisations in Latin "
        "America and the Caribbean.",
        NCA,
        "https://www.iaf.gov",
    ),
    partner(
        "idb-invest",
        "IDB Invest (BID Invest)",
        "mdb",
        "IDB Invest",
        "Private-sector arm of the Inter-American Development Bank Group: loans, equity, guarantees and "
        "trade finance for companies and financial institutions.",
        [*NCA, "CR", "PA", "MX", "CO"],
        "https://www.idbinvest.org",
    ),
    partner(
        "ifc",
        "International Finance Corporation (World Bank Group)",
        "mdb",
        "IFC",
        "World Bank Group institution investing in and advising private companies in emerging markets.",
        [*NCA, "CR", "PA", "MX"],
        "https://www.ifc.org",
    ),
    partner(
        "cabei",
        "Central American Bank for Economic Integration (CABEI / BCIE)",
        "mdb",
        "CABEI",
        "Banco multilateral de la región centroamericana; financia infraestructura, energía y líneas de "
        "crédito para MIPYMES a través de intermediarios financieros.",
        [*NCA, "NI", "CR", "PA", "DO", "BZ"],
        "https://www.bcie.org",
    ),
    partner(
        "wfp",
        "World Food Programme",
        "un_agency",
        "WFP",
        "UN agency for food assistance; in Central America it buys from smallholder farmers for school "
        "meals and supports climate resilience and anticipatory action in the Dry Corridor.",
        NCA,
        "https://www.wfp.org",
    ),
    partner(
        "undp",
        "United Nations Development Programme",
        "un_agency",
        "UNDP",
        "UN development agency working with governments and business on governance, integrity and "
        "inclusive private-sector development.",
        NCA,
        "https://www.undp.org",
    ),
    partner(
        "ilo",
        "International Labour Organization",
        "un_agency",
        "ILO",
        "UN agency for the world of work; labour-standards compliance, productivity and skills training "
        "with employers and workers.",
        NCA,
        "https://www.ilo.org",
    ),
    partner(
        "pca",
        "Partnership for Central America",
        "ngo",
        "PCA",
        "Non-profit coordinating the private sector's commitments under the Call to Action and Central "
        "America Forward; convenes companies, governments and civil society.",
        NCA,
        "https://www.centampartnership.org",
    ),
    partner(
        "puentes-oportunidad",
        "Fundación Puentes de Oportunidad",
        "ngo",
        None,
        "ONG regional (ilustrativa) que acompaña a emprendedoras y organizaciones comunitarias con "
        "mentoría, capital semilla y redes de socios locales de implementación.",
        NCA,
        "https://www.puentes-oportunidad.example",
    ),
    partner(
        "horizonte-foundation",
        "Horizonte Foundation",
        "foundation",
        None,
        "Illustrative private foundation making catalytic grants and recoverable loans for climate-smart "
        "agriculture and rural health in Central America.",
        NCA,
        "https://www.horizonte-foundation.example",
    ),
    partner(
        "mineco-gt",
        "Ministerio de Economía de Guatemala",
        "government",
        "MINECO",
        "Ministerio responsable de la política de inversión, comercio y apoyo a la MIPYME en Guatemala.",
        [GT],
        "https://www.mineco.gob.gt",
    ),
    partner(
        "proesa-sv",
        "PROESA — Export and Investment Promotion Agency of El Salvador",
        "government",
        "PROESA",
        "El Salvador's agency for investment attraction, aftercare and export promotion.",
        [SV],
        "https://www.proesa.gob.sv",
    ),
    partner(
        "sde-hn",
        "Secretaría de Desarrollo Económico de Honduras",
        "government",
        "SDE",
        "Secretaría de Estado que impulsa la inversión, el comercio y los programas de fomento MIPYME en Honduras.",
        [HN],
        "https://sde.gob.hn",
    ),
]


def program(
    key: str,
    partner_key: str,
    name: str,
    description: str,
    instruments: list[str],
    focus_areas: list[str],
    sectors: list[str],
    tickets: tuple[int, int] | None,
    sizes: list[str],
    capacity: int,
    *,
    countries: list[str] | None = None,
    active: bool = True,
) -> Record:
    return {
        "key": key,
        "partner_key": partner_key,
        "name": name,
        "description": description,
        "instruments": instruments,
        "focus_areas": focus_areas,
        "countries": countries if countries is not None else list(NCA),
        "sectors": sectors,
        "min_ticket_usd": tickets[0] if tickets else None,
        "max_ticket_usd": tickets[1] if tickets else None,
        "eligible_sizes": sizes,
        "capacity_per_month": capacity,
        "active": active,
    }


PROGRAMS: list[Record] = [
    # USAID
    program(
        "usaid-econ-opportunity-ta",
        "usaid",
        "Economic Opportunity Technical Assistance Facility",
        "Technical assistance and co-designed activities that help companies deliver Call to Action "
        "commitments: market studies, supplier development, regulatory navigation and M&E support.",
        ["technical_assistance", "training"],
        [REF, DIG, FOOD, EDU],
        [],
        (50 * K, 2 * M),
        ALL_SIZES,
        8,
    ),
    program(
        "usaid-digital-finance-grants",
        "usaid",
        "Digital Financial Inclusion Co-investment Grants",
        "Matching grants of at least 1:1 for fintechs, banks and telecoms that extend digital payments, "
        "savings and credit to unbanked people, women and indigenous communities.",
        ["grant", "technical_assistance"],
        [DIG],
        ["fintech", "financial_services", "telecommunications"],
        (100 * K, 5 * M),
        ["small", "medium", "large", "multinational"],
        5,
    ),
    program(
        "usaid-feed-the-future",
        "usaid",
        "Feed the Future Market Systems Activity",
        "Co-investment in agricultural value chains: smallholder productivity, post-harvest handling, "
        "climate-smart practices and buyer linkages for coffee, cacao, vegetables and grains.",
        ["grant", "technical_assistance", "training"],
        [FOOD, CLIM],
        ["agriculture", "coffee", "cacao", "food_processing"],
        (250 * K, 10 * M),
        ALL_SIZES,
        6,
    ),
    program(
        "usaid-youth-workforce",
        "usaid",
        "Alianza Juventud y Empleo",
        "Programa de formación técnica y colocación laboral para jóvenes en riesgo de migrar, en alianza "
        "con empleadores de manufactura, tecnología, turismo y logística.",
        ["training", "grant"],
        [EDU],
        ["education", "apparel", "technology", "tourism", "logistics"],
        (100 * K, 3 * M),
        ALL_SIZES,
        6,
    ),
    program(
        "usaid-wash-health",
        "usaid",
        "Water, Sanitation and Health Partnerships",
        "Grants and technical support for safe water, sanitation and primary-health access in rural "
        "municipalities, including maternal and child health.",
        ["grant", "technical_assistance"],
        [HEALTH, CLIM],
        ["water_sanitation", "health"],
        (100 * K, 2 * M),
        ALL_SIZES,
        4,
    ),
    program(
        "usaid-transparencia",
        "usaid",
        "Programa de Transparencia y Clima de Negocios",
        "Diálogo público-privado y asistencia técnica para simplificar trámites, licencias y compras "
        "públicas, y para fortalecer la integridad en el entorno de negocios.",
        ["policy_dialogue", "technical_assistance", "convening"],
        [REF],
        [],
        None,
        ALL_SIZES,
        3,
    ),
    # DFC
    program(
        "dfc-direct-loans",
        "dfc",
        "DFC Direct Loans for Inclusive Growth",
        "Senior and subordinated debt for private projects with development impact in northern Central "
        "America; tenors up to 15 years.",
        ["loan"],
        [DIG, FOOD, CLIM, EDU, HEALTH],
        [],
        (1 * M, 50 * M),
        ["medium", *BIG],
        4,
    ),
    program(
        "dfc-portfolio-guarantees",
        "dfc",
        "DFC Portfolio Guarantees for Local Lenders",
        "Partial credit guarantees that let banks and microfinance institutions expand lending to "
        "MSMEs, women-owned businesses and farmers.",
        ["guarantee"],
        [DIG, FOOD],
        ["financial_services", "fintech", "microfinance"],
        (1 * M, 50 * M),
        ["medium", *BIG],
        3,
    ),
    program(
        "dfc-equity",
        "dfc",
        "DFC Equity Investments",
        "Minority equity in growth companies and funds in fintech, renewable energy and health.",
        ["equity"],
        [DIG, CLIM, HEALTH],
        ["fintech", "renewable_energy", "health", "technology"],
        (1 * M, 25 * M),
        ["medium", *BIG],
        2,
    ),
    program(
        "dfc-political-risk-insurance",
        "dfc",
        "DFC Political Risk Insurance",
        "Cover against expropriation, political violence and currency inconvertibility for large "
        "infrastructure, energy and telecom investments.",
        ["insurance"],
        [CLIM, DIG],
        ["energy", "renewable_energy", "telecommunications", "logistics"],
        (5 * M, 300 * M),
        BIG,
        2,
    ),
    # Commerce
    program(
        "doc-commercial-service",
        "doc",
        "U.S. Commercial Service Market Access Support",
        "Market intelligence, partner searches, advocacy and business matchmaking for U.S. companies "
        "investing or selling in Guatemala, El Salvador and Honduras.",
        ["trade_promotion", "convening"],
        [REF, DIG, CLIM, HEALTH],
        [],
        None,
        ALL_SIZES,
        10,
    ),
    program(
        "doc-nearshoring-missions",
        "doc",
        "Nearshoring Trade Missions to Northern Central America",
        "Trade missions and buyer-supplier events connecting U.S. brands with regional apparel, "
        "logistics and light-manufacturing suppliers.",
        ["trade_promotion", "convening"],
        [REF, EDU],
        ["apparel", "textiles", "logistics", "manufacturing"],
        None,
        ["small", "medium", *BIG],
        6,
    ),
    # Labor
    program(
        "dol-labor-compliance",
        "dol",
        "Labor Rights and Supply Chain Compliance",
        "Technical cooperation for grievance mechanisms, freedom-of-association training and social "
        "compliance systems in export sectors.",
        ["technical_assistance", "training"],
        [REF, EDU],
        ["apparel", "textiles", "agriculture", "manufacturing"],
        (50 * K, 2 * M),
        ["medium", *BIG],
        4,
    ),
    program(
        "dol-empleo-digno-jovenes",
        "dol",
        "Empleo digno para jóvenes",
        "Subvenciones para formación laboral y prevención del trabajo infantil en zonas rurales; "
        "convocatoria cerrada a la espera de nuevo financiamiento.",
        ["grant", "training"],
        [EDU],
        ["agriculture", "education"],
        (250 * K, 3 * M),
        ALL_SIZES,
        3,
        active=False,
    ),
    # MCC
    program(
        "mcc-investment-climate",
        "mcc",
        "MCC Regional Investment Climate Partnership",
        "Grant-funded reforms and co-investment that remove binding constraints to private investment, "
        "including permitting, energy regulation and logistics corridors.",
        ["policy_dialogue", "grant"],
        [REF, CLIM],
        ["energy", "logistics"],
        (1 * M, 30 * M),
        BIG,
        2,
    ),
    # IAF
    program(
        "iaf-grassroots-grants",
        "iaf",
        "IAF Grassroots Development Grants",
        "Grants of $25,000 to $400,000 for community organisations, cooperatives and social enterprises "
        "led by the people they serve.",
        ["grant"],
        [FOOD, EDU, DIG, CLIM],
        ["agriculture", "handicrafts", "tourism", "cacao", "fisheries"],
        (25 * K, 400 * K),
        ["micro", "small"],
        8,
    ),
    program(
        "iaf-empresas-comunitarias",
        "iaf",
        "Fondos para empresas comunitarias",
        "Donaciones y acompañamiento técnico para empresas comunitarias indígenas y de mujeres que "
        "agregan valor a su producción.",
        ["grant", "technical_assistance"],
        [FOOD, CLIM, DIG],
        ["agriculture", "textiles", "coffee", "tourism"],
        (25 * K, 400 * K),
        ["micro", "small", "medium"],
        5,
    ),
    # IDB Invest
    program(
        "idb-invest-equity",
        "idb-invest",
        "IDB Invest Equity and Quasi-equity",
        "Equity and mezzanine capital for companies scaling digital, climate and agribusiness models.",
        ["equity"],
        [DIG, CLIM, FOOD],
        ["fintech", "renewable_energy", "agriculture", "technology"],
        (2 * M, 40 * M),
        ["medium", *BIG],
        3,
        countries=[*NCA, "CR", "PA"],
    ),
    program(
        "idb-invest-sme-women-lines",
        "idb-invest",
        "Líneas de crédito para PYMES y mujeres emprendedoras",
        "Préstamos y garantías a bancos e instituciones financieras para ampliar el crédito a PYMES, con "
        "metas específicas de cartera para empresas lideradas por mujeres.",
        ["loan", "guarantee"],
        [DIG],
        ["financial_services", "microfinance"],
        (5 * M, 100 * M),
        BIG,
        3,
    ),
    program(
        "idb-invest-trade-finance",
        "idb-invest",
        "Trade Finance Facilitation Program",
        "Guarantees and short-term loans to confirm letters of credit and pre-finance exports of coffee, "
        "apparel and agricultural goods.",
        ["loan", "guarantee"],
        [FOOD, REF],
        ["agriculture", "coffee", "apparel", "logistics"],
        (500 * K, 20 * M),
        ["medium", *BIG],
        5,
    ),
    # IFC
    program(
        "ifc-advisory",
        "ifc",
        "IFC Advisory: Corporate Governance and Climate",
        "Advisory services on corporate governance, resource efficiency, green buildings and digital "
        "transformation for companies and banks.",
        ["technical_assistance"],
        [REF, CLIM, DIG],
        [],
        (100 * K, 3 * M),
        ["medium", *BIG],
        4,
    ),
    program(
        "ifc-climate-smart-loans",
        "ifc",
        "IFC Climate-Smart Investment Loans",
        "Long-term loans and equity for renewable energy, efficient manufacturing and climate-smart agribusiness.",
        ["loan", "equity"],
        [CLIM, FOOD],
        ["energy", "renewable_energy", "agriculture", "manufacturing"],
        (5 * M, 150 * M),
        BIG,
        2,
    ),
    program(
        "ifc-banking-on-women",
        "ifc",
        "IFC Banking on Women",
        "Credit lines and advisory for banks building profitable portfolios of women-owned SMEs.",
        ["loan", "technical_assistance"],
        [DIG],
        ["financial_services"],
        (5 * M, 75 * M),
        BIG,
        2,
    ),
    # CABEI
    program(
        "cabei-credito-verde",
        "cabei",
        "Línea de Crédito Verde MIPYME",
        "Crédito de segundo piso y directo para energía renovable, eficiencia energética y agricultura "
        "climáticamente inteligente.",
        ["loan"],
        [CLIM, FOOD],
        ["renewable_energy", "energy", "agriculture"],
        (1 * M, 50 * M),
        ["small", "medium", "large"],
        4,
    ),
    program(
        "cabei-apoyo-mipymes",
        "cabei",
        "Programa de Apoyo a MIPYMES",
        "Recursos canalizados por bancos e instituciones de microfinanzas para capital de trabajo e "
        "inversión de micro, pequeñas y medianas empresas.",
        ["loan", "guarantee"],
        [DIG, FOOD],
        ["financial_services", "microfinance"],
        (1 * M, 30 * M),
        ["medium", "large"],
        3,
    ),
    program(
        "cabei-infrastructure",
        "cabei",
        "Infrastructure and Connectivity Financing",
        "Large-ticket financing for telecom backbones, power generation and logistics infrastructure.",
        ["loan"],
        [DIG, CLIM],
        ["telecommunications", "energy", "renewable_energy", "logistics"],
        (20 * M, 300 * M),
        BIG,
        1,
    ),
    # WFP
    program(
        "wfp-local-purchase",
        "wfp",
        "Smallholder Local Purchase Programme (Compras Locales)",
        "WFP buys staples from smallholder organisations for school meals and trains them in quality, "
        "storage and collective marketing.",
        ["trade_promotion", "training"],
        [FOOD],
        ["agriculture"],
        None,
        ["micro", "small"],
        6,
    ),
    program(
        "wfp-climate-resilience",
        "wfp",
        "Climate Resilience and Anticipatory Action",
        "Micro-insurance, early-warning and resilience grants for farming families in the Dry Corridor.",
        ["grant", "insurance", "technical_assistance"],
        [FOOD, CLIM],
        ["agriculture", "insurance"],
        (50 * K, 1500 * K),
        ["micro", "small", "medium"],
        4,
    ),
    # UNDP
    program(
        "undp-business-call",
        "undp",
        "UNDP Inclusive Business Partnerships",
        "Convening and advisory to align company commitments with national development plans, "
        "including SDG impact measurement.",
        ["convening", "technical_assistance"],
        [REF, EDU, DIG],
        [],
        None,
        ALL_SIZES,
        5,
    ),
    program(
        "undp-integridad-empresarial",
        "undp",
        "Gobernanza e integridad empresarial",
        "Acompañamiento a empresas y gobiernos en integridad, compras públicas abiertas y gestión de "
        "riesgos de corrupción; programa cerrado en 2024.",
        ["policy_dialogue", "technical_assistance"],
        [REF],
        [],
        None,
        BIG,
        3,
        active=False,
    ),
    # ILO
    program(
        "ilo-score-training",
        "ilo",
        "Labour Compliance and Productivity Training (SCORE)",
        "Factory-floor training on workplace cooperation, occupational safety and labour-law compliance "
        "for suppliers in export chains.",
        ["training", "technical_assistance"],
        [EDU, REF],
        ["apparel", "textiles", "manufacturing", "agriculture"],
        (20 * K, 500 * K),
        ["small", "medium", *BIG],
        6,
    ),
    program(
        "ilo-empleos-verdes",
        "ilo",
        "Empleos verdes y formación profesional",
        "Formación técnica para empleos verdes en energía solar, construcción sostenible y turismo "
        "comunitario, con énfasis en mujeres y jóvenes.",
        ["training"],
        [CLIM, EDU],
        ["renewable_energy", "construction", "tourism"],
        None,
        ALL_SIZES,
        4,
    ),
    # Partnership for Central America
    program(
        "pca-convenings",
        "pca",
        "Central America Forward Partner Convenings",
        "Quarterly working groups and country roundtables that connect committed companies with "
        "governments, agencies and implementing partners.",
        ["convening", "policy_dialogue"],
        [REF, DIG, FOOD, CLIM, EDU, HEALTH],
        [],
        None,
        ALL_SIZES,
        10,
    ),
    program(
        "pca-talent-alliance",
        "pca",
        "Regional Talent and Digital Skills Alliance",
        "Employer-led alliance that co-designs curricula with training providers and hires graduates.",
        ["training", "convening"],
        [EDU, DIG],
        ["technology", "apparel", "logistics", "education"],
        None,
        ALL_SIZES,
        6,
    ),
    # Fundación Puentes de Oportunidad (illustrative NGO)
    program(
        "puentes-mujeres-emprendedoras",
        "puentes-oportunidad",
        "Mujeres Emprendedoras: mentoría y capital semilla",
        "Mentoría, formación en finanzas digitales y capital semilla para negocios liderados por mujeres e indígenas.",
        ["grant", "training"],
        [DIG, EDU],
        [],
        (10 * K, 150 * K),
        ["micro", "small"],
        8,
    ),
    program(
        "puentes-local-partners",
        "puentes-oportunidad",
        "Local Implementation Partner Network",
        "Introduces companies to vetted community organisations that can deliver field programmes in "
        "agriculture, health and education.",
        ["technical_assistance", "convening"],
        [FOOD, HEALTH, EDU],
        [],
        None,
        ALL_SIZES,
        6,
    ),
    # Horizonte Foundation (illustrative)
    program(
        "horizonte-climate-ag-fund",
        "horizonte-foundation",
        "Climate-Smart Agriculture Catalytic Fund",
        "Grants and recoverable loans for agroforestry, soil restoration, efficient irrigation and "
        "native-seed conservation.",
        ["grant", "loan"],
        [FOOD, CLIM],
        ["agriculture", "coffee", "cacao"],
        (50 * K, 2 * M),
        ["micro", "small", "medium"],
        4,
    ),
    program(
        "horizonte-rural-health",
        "horizonte-foundation",
        "Rural Health Access Grants",
        "Grants for safe water, clean cooking and telehealth that reach rural and indigenous households.",
        ["grant"],
        [HEALTH],
        ["health", "water_sanitation", "energy"],
        (50 * K, 1 * M),
        ALL_SIZES,
        3,
    ),
    # Regional governments
    program(
        "mineco-ventanilla-inversion",
        "mineco-gt",
        "Ventanilla Ágil de Inversión",
        "Acompañamiento a inversionistas en permisos, licencias y coordinación interinstitucional en Guatemala.",
        ["policy_dialogue", "convening"],
        [REF],
        [],
        None,
        ALL_SIZES,
        5,
        countries=[GT],
    ),
    program(
        "proesa-aftercare",
        "proesa-sv",
        "Investment Promotion and Aftercare",
        "Site selection, permitting liaison and workforce-partner introductions for investors in El Salvador.",
        ["trade_promotion", "policy_dialogue"],
        [REF, EDU],
        [],
        None,
        ["medium", *BIG],
        6,
        countries=[SV],
    ),
    program(
        "sde-fomento-mipyme",
        "sde-hn",
        "Programa Nacional de Fomento MIPYME",
        "Asistencia técnica, formación y pequeños fondos no reembolsables para MIPYMES hondureñas.",
        ["technical_assistance", "training", "grant"],
        [DIG, FOOD],
        [],
        (5 * K, 250 * K),
        ["micro", "small"],
        5,
        countries=[HN],
    ),
]

CTA, CAF = "call_to_action", "central_america_forward"


def commitment(
    key: str,
    business_key: str,
    title: str,
    description: str,
    focus_areas: list[str],
    countries: list[str],
    amount: int,
    needs: list[str],
    status: str,
    announced_on: str,
    targets: dict[str, int],
) -> Record:
    initiative = CTA if announced_on < "2023-01-01" else CAF
    return {
        "key": key,
        "business_key": business_key,
        "title": title,
        "description": description,
        "focus_areas": focus_areas,
        "countries": countries,
        "amount_usd": amount,
        "needs": needs,
        "status": status,
        "initiative": initiative,
        "announced_on": announced_on,
        "targets": {INV: amount, **targets},
    }


IP, DONE, NEW, STALL, GONE = "in_progress", "completed", "announced", "stalled", "withdrawn"

COMMITMENTS: list[Record] = [
    commitment(
        "northstar-nearshoring-plants",
        "northstar-apparel",
        "Expand nearshore apparel manufacturing in Guatemala and Honduras",
        "Two new knitting and cut-and-sew plants and an expanded distribution centre, moving sourcing "
        "from Asia to the region and creating formal jobs with benefits.",
        [EDU, REF],
        [GT, HN],
        180 * M,
        [FIN, LABOR, GOV],
        IP,
        "2021-12-13",
        {JOBS: 6000, TRAINED: 4000, WOMEN: 3500},
    ),
    commitment(
        "northstar-women-supervisors",
        "northstar-apparel",
        "Women supervisors leadership programme",
        "Train 1,200 women line workers to become supervisors and plant managers.",
        [EDU],
        [GT, HN, SV],
        2500 * K,
        [TRAIN],
        DONE,
        "2022-06-08",
        {TRAINED: 1200, WOMEN: 1100},
    ),
    commitment(
        "northstar-solar-rooftops",
        "northstar-apparel",
        "Rooftop solar for garment plants",
        "Install 9 MW of rooftop solar across owned and supplier plants in Honduras.",
        [CLIM],
        [HN],
        12 * M,
        [FIN, TA],
        IP,
        "2023-02-07",
        {JOBS: 150, MW: 9, CO2: 30000},
    ),
    commitment(
        "northstar-labor-monitoring",
        "northstar-apparel",
        "Independent labour-rights monitoring across suppliers",
        "Worker-voice hotline, independent audits and remediation fund covering 25,000 supplier workers.",
        [REF],
        [GT, HN, SV],
        1 * M,
        [LABOR, LOCAL],
        IP,
        "2023-02-07",
        {REACHED: 25000, WOMEN: 14000},
    ),
    commitment(
        "highland-smallholder-resilience",
        "highland-roast",
        "Climate-resilient coffee with 8,000 smallholders",
        "Agronomy support, shade trees and rust-resistant seedlings for smallholders supplying the company, "
        "with premiums for verified climate-smart practices.",
        [FOOD, CLIM],
        [GT, HN],
        25 * M,
        [TA, LOCAL, DATA],
        IP,
        "2021-05-27",
        {REACHED: 8000, FARMERS: 8000, WOMEN: 2400, HECTARES: 12000},
    ),
    commitment(
        "highland-direct-trade",
        "highland-roast",
        "Direct trade premiums and cupping labs",
        "Cupping labs at three cooperatives and multi-year purchase contracts with quality premiums.",
        [FOOD],
        [HN, SV],
        6 * M,
        [MARKET],
        DONE,
        "2021-12-13",
        {REACHED: 3000, JOBS: 60},
    ),
    commitment(
        "highland-rust-research",
        "highland-roast",
        "Leaf-rust resistant varieties research",
        "Field trials of rust-resistant arabica varieties with a national coffee institute.",
        [FOOD, CLIM],
        [GT],
        3 * M,
        [DATA, TA],
        STALL,
        "2023-06-20",
        {HECTARES: 500},
    ),
    commitment(
        "highland-women-in-coffee",
        "highland-roast",
        "Women-in-coffee leadership and finance",
        "Leadership training and access to input credit for 3,000 women coffee producers.",
        [FOOD, DIG],
        [GT, HN],
        1600 * K,
        [TRAIN, FIN],
        IP,
        "2024-03-12",
        {WOMEN: 3000, TRAINED: 3000},
    ),
    commitment(
        "conecta-rural-4g",
        "conecta-americas",
        "Cobertura 4G rural en el Corredor Seco",
        "Despliegue de 900 sitios 4G en municipios rurales del Corredor Seco para conectar a tres millones "
        "de personas con tarifas asequibles.",
        [DIG],
        [GT, HN, SV],
        300 * M,
        [FIN, GOV],
        IP,
        "2021-12-13",
        {CONNECTED: 3_000_000, JOBS: 900},
    ),
    commitment(
        "conecta-school-connectivity",
        "conecta-americas",
        "Conectividad para escuelas públicas",
        "Internet gratuito para 1.200 escuelas públicas rurales, con dispositivos y formación docente.",
        [DIG, EDU],
        [SV, HN],
        15 * M,
        [GOV, LOCAL],
        IP,
        "2023-02-07",
        {CONNECTED: 250000, REACHED: 250000},
    ),
    commitment(
        "conecta-digital-literacy",
        "conecta-americas",
        "Alfabetización digital para 100.000 mujeres",
        "Cursos presenciales y por WhatsApp sobre uso seguro de internet, banca móvil y comercio en línea.",
        [DIG, EDU],
        [GT],
        4 * M,
        [TRAIN],
        NEW,
        "2025-03-18",
        {WOMEN: 100000, TRAINED: 100000},
    ),
    commitment(
        "conecta-fibre-backbone",
        "conecta-americas",
        "Fibre backbone between San Pedro Sula and San Salvador",
        "A 480 km cross-border fibre route to cut wholesale bandwidth prices.",
        [DIG],
        [HN, SV],
        120 * M,
        [FIN, GOV],
        NEW,
        "2024-09-24",
        {CONNECTED: 800000, JOBS: 300},
    ),
    commitment(
        "istmo-merchant-wallets",
        "istmo-digital-payments",
        "Digital wallets for 200,000 micro-merchants",
        "Free QR acceptance, instant settlement and working-capital micro-loans for market vendors and corner shops.",
        [DIG],
        [GT, SV, HN],
        40 * M,
        [FIN, GOV, MARKET],
        IP,
        "2021-05-27",
        {REACHED: 200000, SMES: 200000, WOMEN: 90000, JOBS: 300},
    ),
    commitment(
        "istmo-remittance-savings",
        "istmo-digital-payments",
        "Cuentas de ahorro vinculadas a remesas",
        "Cuentas digitales sin costo para familias receptoras de remesas, con metas de ahorro y microseguros.",
        [DIG],
        [SV, HN],
        10 * M,
        [DATA, LOCAL],
        IP,
        "2023-02-07",
        {REACHED: 120000, WOMEN: 70000},
    ),
    commitment(
        "istmo-sme-credit-scoring",
        "istmo-digital-payments",
        "Alternative credit scoring for women-owned SMEs",
        "Credit scoring from payment histories to lend to women-owned small businesses without collateral.",
        [DIG],
        [GT],
        8 * M,
        [FIN, TA],
        NEW,
        "2024-09-10",
        {WOMEN: 15000, REACHED: 15000},
    ),
    commitment(
        "istmo-municipal-payments",
        "istmo-digital-payments",
        "Digital payments for municipal taxes",
        "Mobile payment of municipal fees and taxes in 40 municipalities, reducing cash handling.",
        [REF, DIG],
        [SV],
        2 * M,
        [GOV],
        DONE,
        "2022-06-08",
        {REACHED: 150000},
    ),
    commitment(
        "pgl-cold-chain-hub",
        "pacific-gateway-logistics",
        "Cold-chain logistics hub at Puerto Quetzal",
        "A 20,000-pallet cold store and consolidation hub for fresh produce exports.",
        [FOOD],
        [GT],
        65 * M,
        [FIN, GOV],
        IP,
        "2022-06-08",
        {JOBS: 800},
    ),
    commitment(
        "pgl-border-digitization",
        "pacific-gateway-logistics",
        "Digital customs and border-crossing pilot",
        "Electronic manifests and pre-clearance at two border posts to cut crossing times.",
        [REF, DIG],
        [GT, HN, SV],
        5 * M,
        [GOV, TA],
        STALL,
        "2021-12-13",
        {JOBS: 40},
    ),
    commitment(
        "pgl-driver-training",
        "pacific-gateway-logistics",
        "Professional driver certification for 2,000 youth",
        "Licensing, safety and logistics training with guaranteed interviews at the company and carriers.",
        [EDU],
        [HN, SV],
        1500 * K,
        [TRAIN],
        DONE,
        "2022-12-06",
        {TRAINED: 2000, JOBS: 1200},
    ),
    commitment(
        "pgl-logistics-park-permits",
        "pacific-gateway-logistics",
        "Single-window permitting for logistics parks",
        "Support to the government to pilot a single window for logistics-park permits.",
        [REF],
        [HN],
        500 * K,
        [GOV],
        IP,
        "2023-02-07",
        {},
    ),
    commitment(
        "solaris-parque-solar-lapaz",
        "solaris-centroamerica",
        "Parque solar de 120 MW en La Paz",
        "Construcción y operación de un parque fotovoltaico con almacenamiento en baterías, con contratos "
        "de compraventa de energía a 20 años.",
        [CLIM],
        [SV],
        250 * M,
        [FIN, GOV],
        IP,
        "2021-12-13",
        {JOBS: 1200, MW: 120, CO2: 400000},
    ),
    commitment(
        "solaris-minirredes-hn",
        "solaris-centroamerica",
        "Minirredes solares para comunidades aisladas",
        "Electrificación de 180 comunidades sin red en La Mosquitia y Olancho mediante minirredes solares.",
        [CLIM],
        [HN],
        18 * M,
        [FIN, LOCAL],
        IP,
        "2023-02-07",
        {REACHED: 45000, JOBS: 200, MW: 6},
    ),
    commitment(
        "solaris-eolico-escuintla",
        "solaris-centroamerica",
        "Estudio de factibilidad eólica en Escuintla",
        "Campaña de medición de viento y estudios ambientales para un parque eólico de 50 MW.",
        [CLIM],
        [GT],
        2 * M,
        [DATA, GOV],
        GONE,
        "2023-09-14",
        {},
    ),
    commitment(
        "solaris-tecnicos-solares",
        "solaris-centroamerica",
        "Formación de 800 técnicos solares",
        "Programa de formación certificada para técnicos instaladores, con meta de 40% de mujeres.",
        [EDU, CLIM],
        [SV, HN, GT],
        1400 * K,
        [TRAIN],
        DONE,
        "2022-06-08",
        {TRAINED: 800, WOMEN: 320, JOBS: 500},
    ),
    commitment(
        "cloudbridge-digital-skills",
        "cloudbridge-technologies",
        "Cloud and digital skills for 50,000 learners",
        "Free cloud, data and cybersecurity courses delivered with universities and bootcamps, with "
        "certification vouchers and job fairs.",
        [EDU, DIG],
        [GT, SV, HN],
        12 * M,
        [TRAIN, LOCAL],
        IP,
        "2021-05-27",
        {TRAINED: 50000, WOMEN: 22000, YOUTH: 30000, JOBS: 5000},
    ),
    commitment(
        "cloudbridge-egov-registry",
        "cloudbridge-technologies",
        "E-government cloud services for business registration",
        "Cloud platform for online company registration and licensing.",
        [REF, DIG],
        [HN],
        7 * M,
        [GOV],
        IP,
        "2023-06-20",
        {REACHED: 100000},
    ),
    commitment(
        "cloudbridge-nearshore-center",
        "cloudbridge-technologies",
        "Nearshore software support centre",
        "A bilingual support and engineering centre in San Salvador.",
        [EDU],
        [SV],
        20 * M,
        [GOV, TRAIN],
        NEW,
        "2025-01-28",
        {JOBS: 1500},
    ),
    commitment(
        "cloudbridge-satellite-advisory",
        "cloudbridge-technologies",
        "Satellite data for smallholder advisory",
        "Free satellite-based crop and drought alerts delivered by SMS through extension partners.",
        [FOOD, DIG],
        [GT, HN],
        3500 * K,
        [DATA, LOCAL],
        IP,
        "2023-09-14",
        {REACHED: 40000, HECTARES: 30000},
    ),
    commitment(
        "meridian-local-sourcing",
        "meridian-consumer-brands",
        "Source $100M of local ingredients from smallholders",
        "Multi-year purchase agreements, agronomy support and pre-financing for smallholder suppliers of "
        "vegetables, maize and spices.",
        [FOOD],
        [GT, HN],
        100 * M,
        [LOCAL, TA, MARKET],
        IP,
        "2021-05-27",
        {FARMERS: 15000, WOMEN: 5000, HECTARES: 9000},
    ),
    commitment(
        "meridian-school-nutrition",
        "meridian-consumer-brands",
        "Fortified foods for school meals",
        "Fortified cereal for school feeding in partnership with the education ministry.",
        [HEALTH, FOOD],
        [GT],
        6 * M,
        [GOV, LOCAL],
        DONE,
        "2022-06-08",
        {REACHED: 300000},
    ),
    commitment(
        "meridian-red-distribuidoras",
        "meridian-consumer-brands",
        "Red de distribuidoras mujeres",
        "Formación, crédito para inventario y pagos digitales para 8.000 mujeres distribuidoras por catálogo.",
        [DIG, EDU],
        [SV, HN],
        3 * M,
        [FIN, TRAIN],
        IP,
        "2023-02-07",
        {TRAINED: 8000, WOMEN: 8000, JOBS: 2500},
    ),
    commitment(
        "meridian-packaging-recycling",
        "meridian-consumer-brands",
        "Packaging collection and recycling with waste pickers",
        "Collection centres and formal contracts for waste-picker associations.",
        [CLIM, HEALTH],
        [GT, SV],
        7 * M,
        [LOCAL, GOV],
        IP,
        "2023-06-20",
        {JOBS: 500, REACHED: 1500},
    ),
    commitment(
        "volcan-vivienda-resiliente",
        "volcan-materiales",
        "Vivienda resiliente y materiales bajos en carbono",
        "Línea de cemento con menor contenido de clínker y programa de vivienda sismorresistente para "
        "familias de bajos ingresos.",
        [CLIM],
        [GT],
        35 * M,
        [FIN, TA],
        IP,
        "2023-06-20",
        {JOBS: 600, REACHED: 20000},
    ),
    commitment(
        "volcan-escuela-oficios",
        "volcan-materiales",
        "Escuela de oficios de la construcción",
        "Formación de albañiles, electricistas y fontaneros con certificación oficial.",
        [EDU],
        [GT],
        1200 * K,
        [TRAIN],
        DONE,
        "2021-12-13",
        {TRAINED: 3000, JOBS: 1000},
    ),
    commitment(
        "vitalis-vaccine-cold-chain",
        "vitalis-health",
        "Vaccine cold-chain and distribution support",
        "Cold-chain equipment and last-mile distribution for COVID-19 and routine vaccines.",
        [HEALTH],
        [GT, HN, SV],
        9 * M,
        [GOV, LOCAL],
        DONE,
        "2021-05-27",
        {REACHED: 2_000_000},
    ),
    commitment(
        "vitalis-telehealth-clinics",
        "vitalis-health",
        "Telehealth clinics in rural municipalities",
        "150 telehealth points in health posts, with specialists on call and e-prescriptions.",
        [HEALTH, DIG],
        [HN, GT],
        14 * M,
        [FIN, GOV],
        IP,
        "2023-02-07",
        {PATIENTS: 400000, JOBS: 250},
    ),
    commitment(
        "vitalis-pharmacy-network",
        "vitalis-health",
        "Affordable pharmacy franchise network",
        "Franchise of 120 community pharmacies selling quality generics at regulated prices.",
        [HEALTH],
        [SV],
        22 * M,
        [FIN, MARKET],
        NEW,
        "2024-06-04",
        {JOBS: 400},
    ),
    commitment(
        "vitalis-tecnicos-salud",
        "vitalis-health",
        "Formación de 1.500 técnicos de salud",
        "Becas y prácticas para técnicos en enfermería, farmacia y laboratorio en zonas rurales.",
        [HEALTH, EDU],
        [GT, HN],
        2200 * K,
        [TRAIN, GOV],
        IP,
        "2022-06-08",
        {TRAINED: 1500, WOMEN: 1100},
    ),
    commitment(
        "cuscatlan-ampliacion-planta",
        "textiles-cuscatlan",
        "Ampliación de planta textil y 2.000 empleos formales",
        "Nueva nave de tejido y confección en la zona franca de San Bartolo con prestaciones completas y "
        "guardería para hijos de trabajadoras.",
        [EDU],
        [SV],
        45 * M,
        [FIN, LABOR],
        IP,
        "2021-12-13",
        {JOBS: 2000, WOMEN: 1300},
    ),
    commitment(
        "cuscatlan-tratamiento-aguas",
        "textiles-cuscatlan",
        "Tratamiento de aguas residuales en tintorería",
        "Planta de tratamiento y reúso de agua que reduce en 60% el consumo de agua de la tintorería.",
        [CLIM, HEALTH],
        [SV],
        8 * M,
        [FIN, TA],
        IP,
        "2023-09-14",
        {},
    ),
    commitment(
        "cuscatlan-labour-compliance",
        "textiles-cuscatlan",
        "Labour compliance and grievance system",
        "Joint worker-management committees, grievance mechanism and training for all supervisors.",
        [REF, EDU],
        [SV],
        800 * K,
        [LABOR, TRAIN],
        DONE,
        "2023-02-07",
        {TRAINED: 4500},
    ),
    commitment(
        "aep-cogeneracion-biomasa",
        "azucar-energia-pacifico",
        "Cogeneración con biomasa de caña",
        "Nueva caldera de alta presión y turbina para exportar 60 MW a la red en época de zafra.",
        [CLIM],
        [GT],
        120 * M,
        [FIN],
        IP,
        "2022-06-08",
        {JOBS: 350, MW: 60},
    ),
    commitment(
        "aep-riego-eficiente",
        "azucar-energia-pacifico",
        "Riego por goteo y agricultura climáticamente inteligente",
        "Conversión a riego por goteo y monitoreo de humedad en fincas propias y de proveedores.",
        [FOOD, CLIM],
        [GT],
        30 * M,
        [TA, DATA],
        IP,
        "2023-02-07",
        {HECTARES: 15000},
    ),
    commitment(
        "ceiba-credito-mujeres",
        "banco-ceiba",
        "Cartera de $150M para MIPYMES lideradas por mujeres",
        "Crédito, cuentas digitales y asesoría para 30.000 MIPYMES, 65% lideradas por mujeres.",
        [DIG],
        [HN, GT, SV],
        150 * M,
        [FIN, TA],
        IP,
        "2021-12-13",
        {SMES: 30000, WOMEN: 20000, CREDIT: 150 * M},
    ),
    commitment(
        "ceiba-agentes-bancarios",
        "banco-ceiba",
        "Agentes bancarios en municipios sin sucursal",
        "Red de 2.000 agentes bancarios en tiendas de barrio de municipios sin sucursal.",
        [DIG],
        [HN],
        12 * M,
        [GOV, MARKET],
        IP,
        "2023-06-20",
        {REACHED: 250000, JOBS: 200},
    ),
    commitment(
        "ceiba-green-credit",
        "banco-ceiba",
        "Green credit line for farmers",
        "Credit for drip irrigation, solar pumps and agroforestry.",
        [CLIM, FOOD],
        [HN],
        60 * M,
        [FIN],
        NEW,
        "2024-11-19",
        {HECTARES: 20000},
    ),
    commitment(
        "ceiba-remesas-productivas",
        "banco-ceiba",
        "Remesas productivas: ahorro e inversión de la diáspora",
        "Productos para que la diáspora invierta en vivienda y negocios familiares en Honduras.",
        [DIG],
        [HN],
        8 * M,
        [TA, DATA],
        STALL,
        "2022-06-08",
        {REACHED: 20000},
    ),
    commitment(
        "quetzal-microcredito-rural",
        "financiera-quetzal",
        "Microcrédito rural para 25.000 familias",
        "Créditos grupales y agrícolas con desembolso por billetera móvil en el altiplano occidental.",
        [DIG, FOOD],
        [GT],
        20 * M,
        [FIN, LOCAL],
        IP,
        "2022-06-08",
        {REACHED: 25000, FARMERS: 10000, WOMEN: 17000, CREDIT: 20 * M},
    ),
    commitment(
        "quetzal-educacion-financiera",
        "financiera-quetzal",
        "Educación financiera en idiomas mayas",
        "Talleres y cápsulas de radio en k'iche', mam y q'eqchi' sobre ahorro, crédito y pagos digitales.",
        [DIG, EDU],
        [GT],
        600 * K,
        [TRAIN, LOCAL],
        DONE,
        "2021-12-13",
        {TRAINED: 12000, WOMEN: 8000},
    ),
    commitment(
        "crecer-parametric-insurance",
        "crecer-microfinanzas",
        "Parametric crop insurance for borrowers",
        "Bundle drought-index insurance with agricultural loans.",
        [FOOD, CLIM],
        [SV],
        3 * M,
        [TA, DATA, FIN],
        IP,
        "2023-09-14",
        {REACHED: 10000, HECTARES: 8000},
    ),
    commitment(
        "crecer-digital-onboarding",
        "crecer-microfinanzas",
        "Digital onboarding for 40,000 women borrowers",
        "Mobile onboarding, e-signatures and repayments by agent network.",
        [DIG],
        [SV],
        5 * M,
        [TA],
        IP,
        "2023-02-07",
        {WOMEN: 40000, REACHED: 40000},
    ),
    commitment(
        "losaltos-beneficio-ecologico",
        "cafetalera-los-altos",
        "Beneficio húmedo ecológico y secadoras solares",
        "Beneficio que reduce el uso de agua en 80% y secadoras solares para los productores vecinos.",
        [FOOD, CLIM],
        [GT],
        450 * K,
        [FIN, TA],
        IP,
        "2023-02-07",
        {HECTARES: 600, JOBS: 40, REACHED: 300},
    ),
    commitment(
        "losaltos-exportacion-especial",
        "cafetalera-los-altos",
        "Exportación de café especial a Estados Unidos",
        "Certificación, muestras y participación en ferias para vender directamente a tostadores.",
        [FOOD],
        [GT],
        200 * K,
        [MARKET],
        IP,
        "2024-03-12",
        {JOBS: 15},
    ),
    commitment(
        "cacao-lenca-agroforestry",
        "cacao-lenca",
        "Cacao agroforestry with 300 Lenca families",
        "Seedlings, training and guaranteed purchase for agroforestry cacao plots.",
        [FOOD, CLIM],
        [HN],
        350 * K,
        [FIN, MARKET, TA],
        IP,
        "2022-06-08",
        {HECTARES: 450, REACHED: 300, WOMEN: 180},
    ),
    commitment(
        "cacao-lenca-chocolate-plant",
        "cacao-lenca",
        "Bean-to-bar processing plant",
        "A small chocolate factory in Intibucá to process the cooperative's beans.",
        [FOOD],
        [HN],
        900 * K,
        [FIN],
        NEW,
        "2025-02-25",
        {JOBS: 60},
    ),
    commitment(
        "agroseguro-weather-index",
        "agroseguro-digital",
        "Weather-index insurance via mobile",
        "Pay-outs by mobile money when satellite rainfall falls below trigger levels.",
        [FOOD, DIG, CLIM],
        [SV, HN],
        1200 * K,
        [FIN, DATA, GOV],
        IP,
        "2022-12-06",
        {REACHED: 15000, HECTARES: 20000},
    ),
    commitment(
        "codigo-futuro-becas",
        "codigo-futuro",
        "Becas de programación para 3.000 jóvenes",
        "Becas completas en desarrollo web y datos, con colocación en empresas de tecnología.",
        [EDU, DIG],
        [SV, HN],
        1800 * K,
        [FIN, MARKET, TRAIN],
        IP,
        "2021-12-13",
        {STUDENTS: 3200, TRAINED: 3000, JOBS: 1800, WOMEN: 1400},
    ),
    commitment(
        "tecnoagua-escuelas",
        "tecnoagua-honduras",
        "Agua segura en 500 escuelas rurales",
        "Instalación y mantenimiento de filtros y lavamanos en escuelas rurales de Lempira y Copán.",
        [HEALTH],
        [HN],
        750 * K,
        [LOCAL, GOV, FIN],
        IP,
        "2022-06-08",
        {CLEAN_WATER: 120000},
    ),
    commitment(
        "rutaverde-electric-fleet",
        "ruta-verde-cold-chain",
        "Electric refrigerated trucks pilot",
        "Pilot of 20 electric refrigerated trucks with solar charging at the depot.",
        [CLIM, FOOD],
        [GT, SV],
        4 * M,
        [FIN],
        STALL,
        "2023-06-20",
        {JOBS: 60},
    ),
    commitment(
        "rutaverde-collection-centres",
        "ruta-verde-cold-chain",
        "Collection centres for smallholder produce",
        "Six cooled collection centres buying from 3,500 vegetable growers.",
        [FOOD],
        [GT],
        1500 * K,
        [LOCAL, FIN],
        IP,
        "2022-06-08",
        {FARMERS: 3500, JOBS: 90},
    ),
    commitment(
        "hilos-taller-mujeres",
        "hilos-de-esperanza",
        "Taller de confección para mujeres retornadas",
        "Máquinas, formación y contratos de maquila para 80 mujeres retornadas y jefas de hogar.",
        [EDU],
        [SV],
        120 * K,
        [FIN, MARKET, TRAIN],
        IP,
        "2023-02-07",
        {JOBS: 80, WOMEN: 80, TRAINED: 150},
    ),
    commitment(
        "biomasa-clean-cookstoves",
        "biomasa-limpia",
        "20,000 clean cookstoves",
        "Subsidised and pay-as-you-go efficient cookstoves for rural households.",
        [HEALTH, CLIM],
        [HN, GT],
        2400 * K,
        [FIN, LOCAL],
        IP,
        "2021-12-13",
        {REACHED: 100000, WOMEN: 50000, JOBS: 120, CO2: 60000},
    ),
    commitment(
        "saludmovil-telemedicina-materna",
        "saludmovil-guatemala",
        "Telemedicina materno-infantil en Alta Verapaz",
        "Controles prenatales por videollamada y alertas tempranas para 60.000 mujeres y niños.",
        [HEALTH, DIG],
        [GT],
        900 * K,
        [FIN, GOV, LOCAL],
        IP,
        "2023-06-20",
        {PATIENTS: 60000, WOMEN: 45000},
    ),
    commitment(
        "fonseca-pesca-sostenible",
        "pesquera-golfo-fonseca",
        "Pesca sostenible y cadena de frío artesanal",
        "Planta de hielo solar, vedas acordadas y restauración de manglar.",
        [FOOD, CLIM],
        [HN],
        80 * K,
        [FIN, TA, MARKET],
        IP,
        "2023-09-14",
        {REACHED: 400, JOBS: 30},
    ),
    commitment(
        "maya-textiles-ecommerce",
        "maya-textiles",
        "Global e-commerce for backstrap-loom weavers",
        "Online store, photography and export logistics so 600 weavers sell directly to buyers abroad.",
        [DIG, EDU],
        [GT],
        150 * K,
        [MARKET, TRAIN],
        IP,
        "2021-05-27",
        {WOMEN: 600, TRAINED: 600, JOBS: 120},
    ),
    commitment(
        "maya-textiles-natural-dyes",
        "maya-textiles",
        "Natural-dye workshop and certification",
        "A shared dye workshop and organic certification for natural-dye textiles.",
        [CLIM, EDU],
        [GT],
        50 * K,
        [TA, FIN],
        DONE,
        "2022-06-08",
        {TRAINED: 200, WOMEN: 200},
    ),
    commitment(
        "ixil-renovacion-cafetales",
        "cooperativa-ixil",
        "Renovación de cafetales y certificación orgánica",
        "Renovación de 900 hectáreas con variedades resistentes y certificación orgánica.",
        [FOOD, CLIM],
        [GT],
        600 * K,
        [FIN, TA, MARKET],
        IP,
        "2021-12-13",
        {HECTARES: 900, FARMERS: 700},
    ),
    commitment(
        "ixil-escuelas-campo",
        "cooperativa-ixil",
        "Escuelas de campo para jóvenes caficultores",
        "Escuelas de campo para 250 jóvenes hijos de socios.",
        [EDU, FOOD],
        [GT],
        100 * K,
        [TRAIN],
        NEW,
        "2025-04-08",
        {TRAINED: 250},
    ),
    commitment(
        "lencas-semillas-nativas",
        "mujeres-lencas-maiz",
        "Bancos de semillas nativas y huertos familiares",
        "Bancos comunitarios de semillas y huertos para 1.200 familias.",
        [FOOD],
        [HN],
        70 * K,
        [FIN, TA, LOCAL],
        IP,
        "2023-02-07",
        {REACHED: 1200, WOMEN: 900, HECTARES: 150},
    ),
    commitment(
        "usulutan-cacao-fermentation",
        "cacaoteras-usulutan",
        "Community cacao fermentation centre",
        "Shared fermentation and solar drying to sell fine-flavour beans at premium prices.",
        [FOOD],
        [SV],
        180 * K,
        [FIN, MARKET],
        IP,
        "2023-06-20",
        {REACHED: 250, WOMEN: 250, JOBS: 25},
    ),
    commitment(
        "garifuna-ecoturismo",
        "garifuna-turismo",
        "Community ecotourism in Garífuna villages",
        "Guesthouse upgrades, guide training and online booking for four villages.",
        [EDU, CLIM],
        [HN],
        250 * K,
        [FIN, MARKET, TRAIN],
        STALL,
        "2022-12-06",
        {JOBS: 70, TRAINED: 140},
    ),
]

FEMALE_SHARE = 0.45


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _next_quarter(start: date) -> date:
    return date(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1)


def _quarters(first_start: date, last_end: date) -> list[tuple[date, date]]:
    out: list[tuple[date, date]] = []
    start = first_start
    while True:
        nxt = _next_quarter(start)
        end = nxt - timedelta(days=1)
        if end > last_end:
            return out
        out.append((start, end))
        start = nxt


def _values(code: str, total: float, weights: list[float]) -> list[float]:
    """Per-quarter values adding up to `total`; running totals instead for stock indicators."""
    scale = sum(weights)
    if code in RUNNING_TOTALS:
        running, out = 0.0, []
        for w in weights:
            running += total * w / scale
            out.append(round(running, 1) if code == MW else float(round(running)))
        return out
    unit = (1000 if total >= M else 100) if code in MONEY else 1
    return [float(round(total * w / scale / unit) * unit) for w in weights]


def _number(value: float) -> int | float:
    return int(value) if value == int(value) else value


def build_reports(rng: random.Random) -> list[Record]:
    reports: list[Record] = []
    for c in COMMITMENTS:
        status = c["status"]
        if status not in (IP, DONE, STALL):
            continue
        first = _next_quarter(_quarter_start(date.fromisoformat(c["announced_on"])))
        available = _quarters(first, LAST_QUARTER_END)
        if not available:
            continue
        if status == DONE:
            # A short delivery period, every quarter reported, adding up to (about) the targets.
            span = available[: min(len(available), rng.randint(2, 4))]
            chosen, fraction = span, rng.uniform(0.97, 1.04)
        elif status == STALL:
            span = available[: min(len(available), rng.randint(2, 4))]
            chosen, fraction = span[:1], rng.uniform(0.04, 0.15)
        else:
            # Still running: progress so far grows with time elapsed; reporting is patchy, a few
            # quarters over the commitment's life (often the first, always its latest, which for some
            # commitments lies a year or more back: they stopped reporting).
            span = available[: len(available) - rng.choice([0, 0, 1, 2, 3, 4, 5, 6])] or available[:1]
            elapsed = len(span) / len(available)
            fraction = min(0.9, rng.uniform(0.15, 0.35) + 0.45 * elapsed)
            picks = {len(span) - 1}
            if rng.random() < 0.5:
                picks.add(0)
            picks.update(rng.sample(range(len(span)), min(len(span), rng.randint(0, 1))))
            chosen = [span[i] for i in sorted(picks)]
        # Period-level values: progress so far spread over every quarter of the span with a ramp-up,
        # of which only the chosen quarters are reported.
        weights = [1.0 + 0.25 * i + 0.5 * rng.random() for i in range(len(span))]
        targets: dict[str, int] = c["targets"]
        per_quarter: dict[str, list[float]] = {}
        for code, target in targets.items():
            share = 0.5 if code in MONEY and status == STALL else 1.0
            per_quarter[code] = _values(code, target * fraction * share, weights)
        per_metric = {code: [values[span.index(q)] for q in chosen] for code, values in per_quarter.items()}
        for i, (start, end) in enumerate(chosen):
            metrics = {code: _number(values[i]) for code, values in per_metric.items() if values[i] > 0}
            if not metrics:
                continue
            report: Record = {
                "key": f"{c['key']}-{start.year}q{(start.month - 1) // 3 + 1}",
                "commitment_key": c["key"],
                "period_start": start.isoformat(),
                "period_end": end.isoformat(),
                "metrics": metrics,
            }
            breakdowns = _breakdowns(c, metrics, rng)
            if breakdowns:
                report["breakdowns"] = breakdowns
            reports.append(report)
    return reports


def _breakdowns(c: Record, metrics: dict[str, int | float], rng: random.Random) -> dict[str, Any]:
    """Sex and country splits on about one report in six; parts always add up to the metric."""
    if rng.random() > 0.17:
        return {}
    out: dict[str, Any] = {}
    targets: dict[str, int] = c["targets"]
    share = FEMALE_SHARE
    denominators = [targets[code] for code in (REACHED, TRAINED, FARMERS, SMES, PATIENTS) if code in targets]
    if WOMEN in targets and denominators:
        share = min(1.0, targets[WOMEN] / max(denominators))
    for code in (JOBS, TRAINED, REACHED, FARMERS, PATIENTS):
        value = int(metrics.get(code, 0))
        if value >= 10:
            female = min(value, round(value * min(1.0, share + rng.uniform(-0.05, 0.05))))
            out[code] = {"sex": {"female": female, "male": value - female}}
    countries: list[str] = c["countries"]
    jobs = int(metrics.get(JOBS, 0))
    if len(countries) > 1 and jobs >= 10:
        weights = [rng.uniform(1, 3) for _ in countries]
        parts = [int(jobs * w / sum(weights)) for w in weights]
        parts[0] += jobs - sum(parts)
        out.setdefault(JOBS, {})["country"] = dict(zip(countries, parts, strict=True))
    return out


def build() -> dict[str, Any]:
    rng = random.Random(SEED)
    return {
        "about": (
            "Puente demo data: illustrative organisations and invented figures for demonstration only. "
            "Records refer to each other by `key`."
        ),
        "businesses": BUSINESSES,
        "partners": PARTNERS,
        "programs": PROGRAMS,
        "commitments": COMMITMENTS,
        "impact_reports": build_reports(rng),
    }


def main() -> None:
    data = build()
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    counts = {name: len(v) for name, v in data.items() if isinstance(v, list)}
    total = sum(c["amount_usd"] for c in COMMITMENTS)
    print(f"wrote {OUT.name}: {counts}; commitments total ${total:,}")


if __name__ == "__main__":
    main()
