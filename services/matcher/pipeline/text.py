# ruff: noqa: E501
"""Bilingual (English/Spanish) text similarity: a domain concept table, light stemming, TF-IDF, cosine."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

# One concept per line: ``concept_id: word, word, multi word phrase, ...``. English and Spanish surface
# forms (accents optional, any case; plurals and -a/-o endings are folded by ``stem``) map onto one id.
# Multi-word phrases are matched on their stemmed non-stopword tokens and emitted *in addition* to the
# tokens of their words (unigrams + phrases, as an n-gram TF-IDF would).
_CONCEPTS = """
# --- reform agenda ---
governance: governance, gobernanza, gobernabilidad, good governance, buen gobierno
transparency: transparency, transparent, transparencia, transparente
anticorruption: anticorruption, anti-corruption, corruption, corrupt, anticorrupcion, corrupcion, corrupto, bribery, soborno
accountability: accountability, rendicion de cuentas, oversight, fiscalizacion, auditoria, audit
procurement: procurement, compras, contrataciones, contratacion, adquisiciones, tender, tenders, licitacion
public_procurement: public procurement, compras publicas, contrataciones publicas, compras del estado, government procurement
tax: tax, taxes, taxation, impuesto, impuestos, tributario, tributaria, tributacion, fiscal, hacienda, vat, iva
regulation: regulation, regulatory, regulacion, regulatorio, normativa, normas, rules, deregulation
permits: permit, permits, permitting, permiso, permisos, licensing, licencia, licencias, license, tramites, paperwork
business_climate: business environment, enabling environment, investment climate, clima de negocios, clima de inversion, entorno empresarial, ambiente de negocios, doing business, facilidad de hacer negocios
rule_of_law: rule of law, estado de derecho, seguridad juridica, legal certainty
justice: justice, judicial, courts, justicia, tribunales, juzgados, poder judicial
customs: customs, aduana, aduanas, aduanero, border, frontera, fronteras
trade_facilitation: trade facilitation, facilitacion del comercio, facilitacion comercial, single window, ventanilla unica
egovernment: e-government, egovernment, digital government, gobierno digital, gobierno electronico, online services, servicios en linea
public_services: public services, servicios publicos, public service, servicio publico
municipal: municipal, municipality, municipalities, municipio, municipios, municipalidad, municipalidades, alcaldia, alcaldias, local government, gobierno local, mayors, alcaldes
security: security, seguridad, violence, violencia, crime, crimen, delincuencia, gangs, pandillas, citizen security, seguridad ciudadana
reform: reform, reforms, reforma, reformas, modernization, modernizacion
policy: policy, policies, politica publica, politicas publicas, public policy, policy dialogue, dialogo de politicas
open_data: open data, datos abiertos, open contracting, contratacion abierta
formalization: formalization, formalize, formal sector, formalizacion, formalizar, informality, informalidad, informal
registry: registry, register, registro, registros, cadastre, catastro, land titles, titulos de propiedad, titling, titulacion
legal: legal, law, laws, ley, leyes, legislation, legislacion, juridico, juridica
labor_rights: labor rights, labour rights, workers rights, derechos laborales, derechos de los trabajadores, freedom of association, libertad sindical
labor: labor, labour, laboral, laborales
compliance: compliance, cumplimiento, comply, cumplir, due diligence, debida diligencia
migration: migration, migrants, migrant, migracion, migrantes, migrante, emigration, emigracion, irregular migration, returnees, retornados
government: government, gobierno, gobiernos, ministry, ministerio, ministries, state, estado, authorities, autoridades, public sector, sector publico
institutions: institutions, institutional, instituciones, institucional, institucionalidad, capacity building, fortalecimiento institucional, fortalecimiento
ethics: ethics, etica, integrity, integridad
# --- digital and financial inclusion ---
digital: digital, digitales, digitalization, digitalizacion, digitize, digitalizar, digitization, transformacion digital, digital transformation
internet: internet, web, online, en linea
connectivity: connectivity, conectividad, connect, conectar, conectados, connected
broadband: broadband, banda ancha, fiber, fibra optica, fiber optic, wifi, wi-fi
mobile: mobile, movil, moviles, cellphone, celular, celulares, smartphone, smartphones, telefono, phones
telecom: telecom, telecommunications, telecomunicaciones, telecomunicacion, towers, torres, spectrum, espectro
fintech: fintech, fintechs, financial technology, tecnologia financiera, neobank
payments: payment, payments, pago, pagos, digital payments, pagos digitales, electronic payments, pagos electronicos, transfers, transferencias
mobile_money: mobile money, dinero movil, billetera, billeteras, wallet, wallets, e-wallet, billetera digital, billetera electronica
bank: bank, banks, banking, banco, bancos, bancario, bancaria, banca, lender, lenders
unbanked: unbanked, underbanked, no bancarizados, no bancarizada, bancarizacion, banked, bancarizar
financial_inclusion: financial inclusion, inclusion financiera, acceso financiero, access to finance, acceso a financiamiento, financial access
credit: credit, credito, creditos, crediticio, lending, loan, loans, prestamo, prestamos, financing, financiamiento, financiacion, finance, finanzas
microfinance: microfinance, microfinanzas, microcredit, microcredito, microcreditos, microloans, microprestamos, microfinanciera
savings: savings, ahorro, ahorros, deposits, depositos
insurance: insurance, insurer, seguro, seguros, aseguradora, microinsurance, microseguros, coverage, cobertura
sme: small business, small businesses, small businesses, pymes, pyme, mipymes, mipyme, msme, msmes, sme, smes, small and medium enterprises, pequenas y medianas empresas, pequena empresa, pequenas empresas, micro small and medium, micro pequenas y medianas, small firms, small enterprises
entrepreneurs: entrepreneur, entrepreneurs, emprendedor, emprendedores, emprendedora, emprendedoras, founders, emprendimiento, entrepreneurship, emprender, startup, startups, empresa emergente, empresas emergentes
ecommerce: ecommerce, e-commerce, comercio electronico, online sales, ventas en linea, marketplace, marketplaces, online store, tienda en linea
platform: platform, platforms, plataforma, plataformas, app, apps, aplicacion, aplicaciones, software
cloud: cloud, nube, data center, data centers, centro de datos, centros de datos, hosting
cybersecurity: cybersecurity, ciberseguridad, cyber security
digital_skills: digital skills, habilidades digitales, digital literacy, alfabetizacion digital, competencias digitales
financial_literacy: financial literacy, financial education, educacion financiera, alfabetizacion financiera
remittances: remittances, remittance, remesas, remesa, diaspora
capital: capital, equity, patrimonio, venture capital, capital de riesgo, investors, inversionistas, inversores
guarantee: guarantee, guarantees, garantia, garantias, loan guarantee, risk sharing, riesgo compartido
cooperative: cooperative, cooperatives, cooperativa, cooperativas, coop, coops, credit union, credit unions, cooperativa de ahorro
fund: fund, funds, fondo, fondos, facility, trust fund, fideicomiso
data: data, datos, statistics, estadisticas, research, investigacion, survey, encuesta, analytics, analitica
# --- food security and climate-smart agriculture ---
agriculture: agriculture, agricultural, agricultura, agricola, agricolas, agro, farming, farm, farms, finca, fincas, agropecuario, agropecuaria
farmers: farmer, farmers, agricultor, agricultores, agricultora, agricultoras, growers, producers, productor, productores, productora, productoras, campesino, campesinos, campesina, ranchers
smallholders: smallholder, smallholders, small farmers, small-scale farmers, pequenos productores, pequenos agricultores, agricultura familiar, family farming, family farms
coffee: coffee, cafe, cafes, cafetalero, cafetaleros, cafetalera, caficultor, caficultores, caficultura, cafetal, cafetales, arabica, baristas
cocoa: cocoa, cacao, chocolate, cacaoteros
maize: maize, corn, maiz, grains, granos basicos, basic grains, granos
beans: beans, bean, frijol, frijoles
vegetables: vegetables, vegetable, hortalizas, horticulture, horticultura, vegetales, verduras, legumbres
fruit: fruit, fruits, fruta, frutas, fruticultura, avocado, aguacate, mango, mangos, pineapple, pina
dairy: dairy, milk, leche, lacteos, lacteo, lecheria, cheese, queso
livestock: livestock, cattle, ganaderia, ganado, ganadero, ganaderos, bovino, ranching
poultry: poultry, chicken, chickens, pollo, pollos, aves, avicola, avicultura, eggs, huevos
fisheries: fisheries, fishing, fishers, fish, pesca, pescadores, pesquero, aquaculture, acuicultura, shrimp, camaron, camarones, tilapia
irrigation: irrigation, irrigated, riego, drip irrigation, riego por goteo, irrigacion
seeds: seed, seeds, semilla, semillas, seedlings, plantulas, viveros, nurseries
fertilizer: fertilizer, fertilizers, fertilizante, fertilizantes, abono, abonos, compost, agrochemicals, agroquimicos, inputs, insumos agricolas
crops: crop, crops, cultivo, cultivos, cosecha, cosechas, harvest, harvests, siembra, planting, plantings
yields: yield, yields, rendimiento, rendimientos, productivity, productividad, productive, productivo
food: food, foods, alimento, alimentos, alimentaria, alimentario, alimentacion, meals, comida, comidas
food_security: food security, seguridad alimentaria, food insecurity, inseguridad alimentaria, food shortages, escasez de alimentos
nutrition: nutrition, nutritional, nutricion, nutricional, malnutrition, desnutricion, stunting, desnutricion cronica
hunger: hunger, hambre, famine, food aid, ayuda alimentaria
value_chain: value chain, value chains, cadena de valor, cadenas de valor, supply chain, supply chains, cadena de suministro, cadenas de suministro, sourcing, abastecimiento, suppliers, proveedores
agribusiness: agribusiness, agroindustry, agroindustria, agroindustrial, agronegocios, agronegocio, agri-food, agroalimentario, agroalimentaria
export: export, exports, exporting, exporters, exportacion, exportaciones, exportar, exportadores, exportadora
sugar: sugar, azucar, sugarcane, sugar cane, cana de azucar, ingenio, ingenios
palm: palm oil, aceite de palma, palma africana, oil palm
cardamom: cardamom, cardamomo
banana: banana, bananas, banano, bananos, platano, platanos
honey: honey, miel, beekeeping, apicultura, bees, abejas
soil: soil, soils, suelo, suelos, soil health, salud del suelo, regenerative, regenerativa, agroforestry, agroforesteria, agroforestal
climate_smart_agriculture: climate-smart agriculture, climate smart agriculture, agricultura climaticamente inteligente, agricultura resiliente, resilient agriculture, agricultura sostenible, sustainable agriculture
drought: drought, droughts, sequia, sequias, dry corridor, corredor seco, dry spell
post_harvest: post-harvest, postharvest, poscosecha, postcosecha, storage, almacenamiento, silos, silo, cold chain, cadena de frio, warehouses, bodegas
processing: processing, procesamiento, processing plant, planta procesadora, procesadora, agroprocessing, transformation, beneficio, beneficios humedos
organic: organic, organico, organica, organicos, organicas, certification, certificacion, certified, certificado, certificados, fair trade, comercio justo, traceability, trazabilidad
rural: rural, rurales, countryside, campo, rural areas, zonas rurales, area rural
# --- climate adaptation and clean energy ---
climate: climate, climatic, clima, climatico, climatica, climaticos
climate_change: climate change, cambio climatico, global warming, calentamiento global, climate crisis, crisis climatica
adaptation: adaptation, adapt, adaptacion, adaptar, climate adaptation, adaptacion climatica
mitigation: mitigation, mitigacion, mitigate, mitigar
resilience: resilience, resilient, resiliencia, resiliente, resilientes
clean_energy: clean energy, energia limpia, energias limpias, green energy, energia verde, clean power
renewable: renewable, renewables, renovable, renovables, renewable energy, energia renovable, energias renovables
solar: solar, solares, photovoltaic, fotovoltaica, fotovoltaico, solar panels, paneles solares, solar pv, rooftop solar, techos solares
wind: wind, eolica, eolico, eolicos, wind farm, parque eolico, turbines, turbinas
hydro: hydro, hydropower, hydroelectric, hidroelectrica, hidroelectricas, hidroelectrico, small hydro, minihidro
geothermal: geothermal, geotermia, geotermica, geotermico
energy: energy, energia, energetico, energetica, electricity, electricidad, electric, electrico, electrica, power, electrification, electrificacion
grid: grid, grids, power grid, red electrica, redes electricas, transmission, transmision, distribution lines, lineas de distribucion
mini_grid: mini-grid, mini-grids, minigrid, minigrids, microgrid, microgrids, minired, minirredes, off-grid, off grid, fuera de la red, aislada, aislado
energy_efficiency: energy efficiency, eficiencia energetica, efficient, eficiente, eficientes, efficiency, eficiencia
emissions: emissions, emisiones, emission, emision, greenhouse gas, gases de efecto invernadero, ghg, decarbonization, descarbonizacion, net zero, carbono neutral
carbon: carbon, carbono, carbon credits, creditos de carbono, carbon markets, mercados de carbono, offsets
reforestation: reforestation, reforestacion, reforest, reforestar, tree planting, siembra de arboles, trees, arboles, afforestation
forest: forest, forests, forestry, bosque, bosques, forestal, forestales, mangroves, manglares
deforestation: deforestation, deforestacion, forest loss, perdida de bosques, logging, tala
biodiversity: biodiversity, biodiversidad, ecosystems, ecosistemas, wildlife, fauna, nature, naturaleza, protected areas, areas protegidas
conservation: conservation, conservacion, conserve, conservar, restoration, restauracion, restore, restaurar
watershed: watershed, watersheds, cuenca, cuencas, river basin, cuenca hidrografica, water resources, recursos hidricos
disaster: disaster, disasters, desastre, desastres, disaster risk, gestion de riesgo, risk reduction, reduccion de riesgo, early warning, alerta temprana, emergency, emergencia, emergencias
hurricane: hurricane, hurricanes, huracan, huracanes, storm, storms, tormenta, tormentas, tropical storm
flood: flood, floods, flooding, inundacion, inundaciones, landslides, deslizamientos
electric_mobility: electric vehicles, vehiculos electricos, electric buses, buses electricos, e-mobility, electromovilidad, electric mobility, movilidad electrica, charging stations, estaciones de carga
transport: transport, transportation, transporte, mobility, movilidad, buses, bus, vehicles, vehiculos, fleet, flota
batteries: battery, batteries, bateria, baterias, energy storage, almacenamiento de energia
recycling: recycling, recycle, reciclaje, reciclar, reciclado, plastic, plastics, plastico, plasticos
waste: waste, residuos, desechos, solid waste, residuos solidos, basura, garbage, landfill, relleno sanitario
circular_economy: circular economy, economia circular, circularity, circularidad
green: green, verde, verdes, environmental, ambiental, ambientales, environment, medio ambiente, sustainability, sostenibilidad, sustentabilidad
green_bonds: green bond, green bonds, bono verde, bonos verdes, climate finance, financiamiento climatico, finanzas verdes, green finance
cookstoves: cookstove, cookstoves, clean cookstoves, estufas, estufa, estufas mejoradas, improved stoves, firewood, lena
biogas: biogas, biodigestor, biodigestores, biodigester, biomass, biomasa
infrastructure: infrastructure, infraestructura, infraestructuras, roads, carreteras, caminos, bridges, puentes, ports, puertos
# --- education and workforce development ---
education: education, educational, educacion, educativo, educativa, educativos, educativas, learning, aprendizaje, ensenanza, teaching
school: school, schools, escuela, escuelas, colegio, colegios, centro educativo, centros educativos, classroom, classrooms, aulas
students: student, students, estudiante, estudiantes, alumno, alumnos, pupils, learners
teachers: teacher, teachers, docente, docentes, maestro, maestros, maestra, maestras, profesor, profesores, educators, educadores
scholarships: scholarship, scholarships, beca, becas, becarios, fellowship, fellowships, stipends
university: university, universities, universidad, universidades, college, colleges, higher education, educacion superior, universitario, universitaria
technical_education: technical education, educacion tecnica, technical school, technical schools, escuela tecnica, escuelas tecnicas, vocational, vocacional, tvet, technical training, formacion tecnica
secondary_education: secondary education, secondary school, high school, educacion secundaria, secundaria, bachillerato, educacion media
training: training, trainings, train, trained, trainees, capacitacion, capacitaciones, capacitar, capacitados, formacion, formar, entrenamiento, entrenar, courses, cursos, course, curso, workshops, talleres
workforce: workforce, workforce development, fuerza laboral, fuerza de trabajo, talent, talento, human capital, capital humano, desarrollo de la fuerza laboral
skills: skill, skills, habilidades, destrezas, competencias, competencies, upskilling, reskilling, soft skills, habilidades blandas
jobs: job, jobs, empleo, empleos, employment, puestos de trabajo, trabajo, trabajos, work, hiring, contratar, contratacion de personal, job creation, creacion de empleo, generacion de empleo
employability: employability, empleabilidad, job placement, insercion laboral, job matching, intermediacion laboral, bolsa de empleo, job fairs, ferias de empleo
youth: youth, young people, young, jovenes, joven, juventud, juveniles, adolescents, adolescentes
apprenticeship: apprenticeship, apprenticeships, apprentices, aprendices, aprendiz, internship, internships, pasantia, pasantias, practicas profesionales, dual training, formacion dual
english: english, ingles, english language, idioma ingles, bilingual, bilingue, language, idiomas
coding: coding, code, programming, programacion, developers, desarrolladores, bootcamp, bootcamps, software development, desarrollo de software
stem: stem, steam, science, ciencia, ciencias, mathematics, matematicas, engineering, ingenieria
literacy: literacy, alfabetizacion, reading, lectura, numeracy, escritura
women: women, woman, mujer, mujeres, female, femenina, femenino, gender, genero, girls, women-led, women-owned, liderados por mujeres, empoderamiento, empowerment
textile: textile, textiles, textil, maquila, maquilas, maquiladora, maquiladoras, apparel, garment, garments, confeccion, confecciones, vestuario, ropa, clothing, sewing
manufacturing: manufacturing, manufactura, manufacturas, manufacturera, factory, factories, fabrica, fabricas, plant, planta, plantas, industrial, industria, industry
nearshoring: nearshoring, relocalizacion, reshoring, friend-shoring
call_center: call center, call centers, contact center, contact centers, centro de llamadas, centros de contacto, centro de contacto, bpo, business process outsourcing, outsourcing, tercerizacion
tourism: tourism, tourist, tourists, turismo, turistico, turistica, turistas, ecotourism, ecoturismo, travel, viajes
hospitality: hospitality, hoteleria, hotel, hotels, hoteles, restaurants, restaurantes, gastronomia
logistics: logistics, logistica, logistico, warehousing, distribution, distribucion, shipping, freight, carga, cargo
construction: construction, construccion, builders, constructores, building, construir
housing: housing, vivienda, viviendas, homes, hogares dignos, affordable housing, vivienda asequible, vivienda social, social housing, mortgage, hipoteca, hipotecas
mentoring: mentoring, mentorship, mentors, mentoria, mentorias, mentores, coaching, acompanamiento, incubation, incubacion, accelerator, aceleradora, acceleration, aceleracion
leadership: leadership, liderazgo, leaders, lideres, lideresas
curriculum: curriculum, curricula, curricular, plan de estudios, pensum, contenidos educativos
elearning: e-learning, elearning, online learning, aprendizaje en linea, educacion virtual, educacion a distancia, distance learning, virtual learning, remote learning
# --- public health ---
health: health, salud, sanitario, sanitaria, healthcare, health care, atencion medica, atencion en salud, servicios de salud, health services, medical, medico, medica
clinic: clinic, clinics, clinica, clinicas, health center, health centers, centro de salud, centros de salud, health posts, puestos de salud, dispensary
hospital: hospital, hospitals, hospitales, hospitalario, hospitalaria
vaccines: vaccine, vaccines, vaccination, vaccinations, vacuna, vacunas, vacunacion, immunization, inmunizacion, jabs
covid: covid, covid-19, coronavirus, pandemic, pandemia, pandemics, pandemias, sars-cov-2
doctors: doctor, doctors, physicians, medical doctors, clinicians, medicos generales
nurses: nurse, nurses, nursing, enfermera, enfermeras, enfermero, enfermeros, enfermeria
health_workers: community health workers, health workers, promotores de salud, trabajadores de salud, personal de salud, personal sanitario, health personnel, health workforce
maternal_health: maternal health, salud materna, maternal, materna, materno, prenatal, pregnancy, embarazo, midwives, parteras, maternal and child health, salud materno infantil
children: child, children, nino, ninos, ninez, infancia, infantil, infantiles, infants, kids, early childhood, primera infancia
water: water, agua, aguas, hidrico, hidrica, potable, drinking water, agua potable, clean water, agua limpia, safe water, water supply, abastecimiento de agua
sanitation: sanitation, saneamiento, sewage, sewer, alcantarillado, aguas residuales, wastewater, latrines, letrinas, toilets, wash
hygiene: hygiene, higiene, handwashing, lavado de manos, hygiene kits, kits de higiene
medicines: medicine, medicines, medicamento, medicamentos, medicina, medicinas, drugs, pharmaceutical, pharmaceuticals, farmaceutica, farmaceuticas, farmacia, farmacias, pharmacy, pharmacies
medical_supplies: medical supplies, insumos medicos, medical equipment, equipo medico, equipos medicos, ppe, protective equipment, equipo de proteccion, oxygen, oxigeno, ventilators, ventiladores
telemedicine: telemedicine, telemedicina, telehealth, telesalud, remote consultations, consultas virtuales, digital health, salud digital
diagnostics: diagnostics, diagnostic, diagnostico, diagnosticos, testing, pruebas, laboratory, laboratorio, laboratorios, labs, screening, tamizaje
mental_health: mental health, salud mental, psychosocial, psicosocial, psychological, psicologica, psicologico, counseling, consejeria
disease: disease, diseases, enfermedad, enfermedades, illness, infectious, infecciosas, chronic disease, enfermedades cronicas, diabetes, hypertension, hipertension
dengue: dengue, malaria, zika, chikungunya, vector-borne, vectores, mosquito, mosquitos, zancudos
hiv: hiv, vih, aids, sida, tuberculosis
primary_care: primary care, primary health care, atencion primaria, atencion primaria en salud, first level, primer nivel
health_insurance: health insurance, seguro medico, seguro de salud, seguros medicos, social security, seguridad social, seguro social
# --- cross-cutting ---
indigenous: indigenous, indigena, indigenas, pueblos indigenas, indigenous peoples, maya, mayan, lenca, garifuna, xinca, pipil, ancestral, indigenous-led, indigenous-owned
communities: community, communities, comunidad, comunidades, comunitario, comunitaria, comunitarios, local communities, comunidades locales, neighborhoods, barrios
families: family, families, familia, familias, household, households, hogar, hogares
poverty: poverty, poor, pobreza, pobres, vulnerable, vulnerables, vulnerability, vulnerabilidad, low-income, bajos ingresos, marginalized, marginados
income: income, incomes, ingreso, ingresos, livelihoods, medios de vida, wages, salarios, salary, earnings
investment: investment, investments, inversion, inversiones, invest, invertir, investing, capex
expansion: expand, expansion, expanding, ampliar, ampliacion, expandir, scale up, escalar, grow, growth, crecimiento, crecer
market_access: market access, acceso a mercados, acceso al mercado, nuevos mercados, buyers, compradores, offtake, offtakers
markets: market, markets, mercado, mercados, commercial, comercial, comercializacion, marketing, sales, ventas, trade, comercio
partnership: partnership, partnerships, alianza, alianzas, partner, partners, socio, socios, aliado, aliados, collaboration, colaboracion, cooperacion, cooperation, public-private, publico-privada, publico privada
technical_assistance: technical assistance, asistencia tecnica, technical support, apoyo tecnico, advisory, asesoria, asesoramiento, consulting, consultoria, extension services, extensionismo, extension agents, extensionistas
grants: grant, grants, donation, donations, donacion, donaciones, subvencion, subvenciones, subsidio, subsidios, donativo, non-reimbursable, no reembolsable
central_america: central america, centroamerica, centroamericano, centroamericana, america central, northern triangle, triangulo norte, northern central america, norte de centroamerica, region, regional
guatemala: guatemala, guatemalan, guatemalteco, guatemalteca, guatemaltecos, guatemaltecas, quetzaltenango, huehuetenango, alta verapaz, peten, quiche
el_salvador: el salvador, salvadoran, salvadoreno, salvadorena, salvadorenos, salvadorenas, san salvador, santa ana, san miguel
honduras: honduras, honduran, hondureno, hondurena, hondurenos, hondurenas, tegucigalpa, san pedro sula, la ceiba, copan, choluteca
technology: technology, technologies, tecnologia, tecnologias, tecnologico, tecnologica, innovation, innovacion, innovative, innovador, innovadora
"""

_STOPWORD_TEXT = """
    a an the and or of to in on for with by from at as is are be been being was were this that these those
    it its into over under through our their his her we they you i will shall can may must would should
    could has have had do does did not no than then so such also both each per via about across more most
    other some any all new which who whom whose what where when how up out own us
    el la los las un una unos unas y e o u de del al en con por para sin sobre entre desde hasta hacia
    que se su sus es son ser fue han ha hay como mas muy este esta estos estas ese esa esos esas lo le les
    nos nuestro nuestra nuestros nuestras a ante bajo durante mediante segun tambien cada otro otra otros
    otras todo toda todos todas ya sera seran puede pueden donde cuando cual cuales quien quienes
    """
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())

#: Programme vectors are kept dense (terms x programmes) for the similarity product up to this many cells.
DENSE_PROGRAM_CELLS = 8_000_000

_TOKEN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def fold(text: str) -> str:
    """Lower-case and strip accents (``Educación`` → ``educacion``, ``ñ`` → ``n``)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return decomposed.encode("ascii", "ignore").decode("ascii")


def stem(word: str) -> str:
    """A light stemmer shared by both languages: drops plural -es/-s, then a final -a/-e/-o."""
    if len(word) > 4 and word.endswith("es"):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    if len(word) > 3 and word[-1] in "aeo":
        word = word[:-1]
    return word


def _word(token: str) -> str | None:
    """One folded token → its word (hyphens joined), or None for stopwords, digits and 1-letter tokens."""
    word = token.replace("-", "") if "-" in token else token
    if word in _STOPWORDS or word.isdigit() or len(word) < 2:
        return None
    return word


def _split(text: str) -> list[str]:
    """Folded word tokens minus stopwords and digits; hyphenated words are joined (``covid-19`` → ``covid19``)."""
    words = (_word(t) for t in _TOKEN.findall(fold(text)))
    return [w for w in words if w is not None]


def _parse_concepts(
    table: str,
) -> tuple[dict[str, str], dict[tuple[str, ...], str], list[tuple[str, str, str]]]:
    """Single-word stems → concept, stemmed phrases → concept, and any conflicting entries."""
    words: dict[str, str] = {}
    phrases: dict[tuple[str, ...], str] = {}
    conflicts: list[tuple[str, str, str]] = []
    for line in table.strip().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        concept, _, forms = line.partition(":")
        concept = concept.strip()
        for form in forms.split(","):
            parts = tuple(stem(w) for w in _split(form))
            if not parts:
                continue
            if len(parts) == 1:
                previous = words.setdefault(parts[0], concept)
                if previous != concept:
                    conflicts.append((parts[0], previous, concept))
            else:
                previous = phrases.setdefault(parts, concept)
                if previous != concept:
                    conflicts.append((" ".join(parts), previous, concept))
    return words, phrases, conflicts


WORD_CONCEPTS, PHRASE_CONCEPTS, CONCEPT_CONFLICTS = _parse_concepts(_CONCEPTS)
CONCEPT_IDS: frozenset[str] = frozenset(WORD_CONCEPTS.values()) | frozenset(PHRASE_CONCEPTS.values())
_MAX_PHRASE = max(len(p) for p in PHRASE_CONCEPTS)
_PHRASE_HEADS = frozenset(p[0] for p in PHRASE_CONCEPTS)
_STEMS: dict[str, str | None] = {}


def _stems(folded: str) -> list[str]:
    """Stemmed words of an already folded text (memoised per distinct token)."""
    cache = _STEMS
    out: list[str] = []
    for token in _TOKEN.findall(folded):
        s = cache.get(token, "")
        if s == "":
            word = _word(token)
            s = None if word is None else stem(word)
            cache[token] = s
        if s is not None:
            out.append(s)
    return out


def _terms(stems: list[str], bilingual: bool) -> list[str]:
    """Map stems onto concept ids and append the concept of every table phrase found."""
    if not bilingual:
        return stems
    terms = [WORD_CONCEPTS.get(s, s) for s in stems]
    heads = _PHRASE_HEADS
    for i, s in enumerate(stems):
        if s not in heads:
            continue
        for n in range(2, min(_MAX_PHRASE, len(stems) - i) + 1):
            concept = PHRASE_CONCEPTS.get(tuple(stems[i : i + n]))
            if concept is not None:
                terms.append(concept)
    return terms


def tokenize(text: str, *, bilingual: bool = True) -> list[str]:
    """Terms of one text: concept ids for words/phrases in the table, else the folded stem."""
    return _terms(_stems(fold(text)), bilingual)


def is_concept(term: str) -> bool:
    """Whether a term is a concept id of the bilingual table (as opposed to a raw stem)."""
    return term in CONCEPT_IDS


def count_matrix(
    texts: Sequence[str], vocabulary: dict[str, int] | None = None, *, bilingual: bool = True
) -> tuple[sp.csr_matrix, list[str]]:
    """Term counts (rows = texts) over a vocabulary that grows as new terms appear; returns terms."""
    vocab: dict[str, int] = {} if vocabulary is None else vocabulary
    indptr = np.zeros(len(texts) + 1, dtype=np.int64)
    indices: list[int] = []
    folded = fold("\x00".join(texts)).split("\x00") if texts else []
    for row, text in enumerate(folded):
        for term in _terms(_stems(text), bilingual):
            col = vocab.get(term)
            if col is None:
                col = len(vocab)
                vocab[term] = col
            indices.append(col)
        indptr[row + 1] = len(indices)
    cols = np.asarray(indices, dtype=np.int64)
    data = np.ones(len(cols), dtype=np.float32)
    matrix = sp.csr_matrix((data, cols, indptr), shape=(len(texts), len(vocab)))
    matrix.sum_duplicates()
    terms = [""] * len(vocab)
    for term, col in vocab.items():
        terms[col] = term
    return matrix, terms


def _tfidf(counts: sp.csr_matrix, idf: NDArray[np.float32]) -> sp.csr_matrix:
    """Sublinear TF (1 + log count) times IDF, rows L2-normalised (empty rows stay zero)."""
    weighted = counts.astype(np.float32, copy=True).tocsr()
    weighted.data = (1.0 + np.log(weighted.data)) * idf[weighted.indices]
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    scale = np.repeat((1.0 / norms).astype(np.float32), np.diff(weighted.indptr))
    weighted.data = (weighted.data * scale).astype(np.float32)
    return weighted


@dataclass(frozen=True, eq=False)
class TextSpace:
    """TF-IDF vectors of both sides in one term space; cosine similarity is a sparse product."""

    terms: tuple[str, ...]
    idf: NDArray[np.float32]
    commitments: sp.csr_matrix
    programs: sp.csr_matrix

    def similarity(self, rows: slice | NDArray[np.intp] | None = None) -> NDArray[np.float32]:
        """Cosine similarity, (selected commitments x all programs), dense float32 in [0, 1]."""
        block = self.commitments if rows is None else self.commitments[rows]
        programs_t = self._programs_t
        if isinstance(programs_t, np.ndarray):  # sparse x dense straight into a dense block
            product: NDArray[np.float32] = np.asarray(block @ programs_t, dtype=np.float32)
        else:
            product = np.asarray((block @ programs_t).toarray(), dtype=np.float32)
        return np.clip(product, 0.0, 1.0, out=product)

    @property
    def _programs_t(self) -> sp.csr_matrix | NDArray[np.float32]:
        """Programme vectors transposed (terms x programmes): dense when that is small, else sparse."""
        cached = self.__dict__.get("_pt")
        if cached is None:
            n_terms, n_programs = self.programs.shape[1], self.programs.shape[0]
            if n_terms * n_programs <= DENSE_PROGRAM_CELLS:
                cached = np.ascontiguousarray(self.programs.T.toarray(), dtype=np.float32)
            else:
                cached = self.programs.T.tocsr()
            object.__setattr__(self, "_pt", cached)
        return cached

    def shared_terms_many(
        self, commitment_idx: NDArray[np.intp], program_idx: NDArray[np.intp], limit: int = 3
    ) -> list[list[str]]:
        """shared_terms for many pairs at once: one sparse element-wise product for all of them."""
        if len(commitment_idx) == 0:
            return []
        product = self.commitments[commitment_idx].multiply(self.programs[program_idx]).tocsr()
        product.eliminate_zeros()
        concept = np.fromiter((is_concept(t) for t in self.terms), dtype=np.bool_, count=len(self.terms))
        indptr, indices, data = product.indptr, product.indices, product.data
        row = np.repeat(np.arange(product.shape[0]), np.diff(indptr))
        # One sort for every pair: by pair, concepts first, larger contribution first, then term index.
        order = np.lexsort((indices, -data, ~concept[indices], row))
        rank = np.arange(len(order)) - indptr[row[order]]
        top = order[rank < limit]
        terms = self.terms
        out: list[list[str]] = [[] for _ in range(product.shape[0])]
        for r, c in zip(row[top].tolist(), indices[top].tolist(), strict=True):
            out[r].append(terms[c])
        return out

    def shared_terms(self, commitment: int, program: int, limit: int = 3) -> list[str]:
        """The terms contributing most to one pair's cosine, concept ids first."""
        c = self.commitments.getrow(commitment)
        p = self.programs.getrow(program)
        product = c.multiply(p).tocoo()
        if product.nnz == 0:
            return []
        order = sorted(
            range(product.nnz),
            key=lambda i: (
                not is_concept(self.terms[product.col[i]]),
                -float(product.data[i]),
                product.col[i],
            ),
        )
        return [self.terms[product.col[i]] for i in order[:limit]]


def text_space_from_counts(
    commitment_counts: sp.csr_matrix, program_counts: sp.csr_matrix, terms: Sequence[str]
) -> TextSpace:
    """Fit IDF on the union of both sides' documents and weight both count matrices with it."""
    n_terms = len(terms)
    c = _pad(commitment_counts, n_terms)
    p = _pad(program_counts, n_terms)
    df = np.bincount(c.indices, minlength=n_terms) + np.bincount(p.indices, minlength=n_terms)
    n_docs = c.shape[0] + p.shape[0]
    idf = (np.log((1.0 + n_docs) / (1.0 + df)) + 1.0).astype(np.float32)
    return TextSpace(terms=tuple(terms), idf=idf, commitments=_tfidf(c, idf), programs=_tfidf(p, idf))


def _pad(matrix: sp.csr_matrix, n_cols: int) -> sp.csr_matrix:
    """The same rows with the column count widened to ``n_cols`` (new terms are zero)."""
    m = matrix.tocsr()
    if m.shape[1] == n_cols:
        return m
    return sp.csr_matrix((m.data, m.indices, m.indptr), shape=(m.shape[0], n_cols))


def fit_text_space(
    commitment_texts: Sequence[str], program_texts: Sequence[str], *, bilingual: bool = True
) -> TextSpace:
    """Tokenise both sides into one vocabulary and fit TF-IDF on their union."""
    vocab: dict[str, int] = {}
    c_counts, _ = count_matrix(commitment_texts, vocab, bilingual=bilingual)
    p_counts, terms = count_matrix(program_texts, vocab, bilingual=bilingual)
    return text_space_from_counts(c_counts, p_counts, terms)


def cosine_reference(a: dict[str, float], b: dict[str, float]) -> float:
    """Plain-Python cosine of two sparse vectors (used by tests and the loop benchmark)."""
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return 0.0 if na == 0 or nb == 0 else dot / (na * nb)
