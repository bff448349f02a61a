"""Entity resolution's pure rules: keys, similarity, domains, identifiers and grouping."""

import pytest

from shared.domain.identity import Identity, compare, domain, fold, group, identifier_key, name_key, name_similarity


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("BANCO INDUSTRIAL SA", "Banco Industrial S.A."),
        ("Banco Improsa, S.A.", "BANCO IMPROSA SA"),
        ("Compania Hondurena de Energia Solar SA de CV", "Compañía Hondureña de Energía Solar, S.A. de C.V."),
        ("Electricidad de Cortés, S. de R.L. de C.V.", "ELECTRICIDAD DE CORTES"),
        ("Banco Davivienda Salvadoreno (formerly HSBC)", "BANCO DAVIVIENDA SALVADOREÑO S.A"),
        ("Global Bank Corporation", "GLOBAL BANK CORPORATION"),
        ("Polaris Energy Nicaragua, S.A.", "POLARIS ENERGY NICARAGUA S.A"),
    ],
)
def test_spellings_of_one_organisation_share_a_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)
    evidence = compare(Identity(a), Identity(b))
    assert evidence is not None and evidence.kind == "name" and evidence.confident


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Banco Agricola S.A.", "Banco Agromercantil de Guatemala S.A."),
        ("DAI (Guatemala)", "Banco Promerica S.A. (Guatemala)"),
        ("LA HIPOTECARIA (HOLDING) INC", "Grupo Mundial Tenedora (HOLDING)"),
        ("Banco Popular, SA", "Banco Delta S.A."),
    ],
)
def test_different_organisations_are_not_linked(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)
    assert compare(Identity(a), Identity(b)) is None


def test_a_name_is_never_reduced_to_nothing() -> None:
    assert name_key("S.A.") == "sa"
    assert name_key("Inc.") == "inc"


def test_acronyms_in_parentheses_are_aliases() -> None:
    evidence = compare(Identity("Belize Electricity Limited (BEL)"), Identity("BEL"))
    assert evidence is not None and evidence.kind == "name"
    assert compare(Identity("Escuela"), Identity("Otra", aliases=["Escuela S.A."])) is not None


def test_similar_names_are_likely_not_confident() -> None:
    evidence = compare(Identity("Banco Industrial S.A. DPR"), Identity("BANCO INDUSTRIAL SA"))
    assert evidence is not None
    assert evidence.kind == "similar_name" and not evidence.confident
    assert 0.75 <= evidence.similarity < 1.0
    assert name_similarity("Pantaleon S.A.", "Pantaleon SA") == 1.0
    assert name_similarity("Banco Agricola", "Cafetalera Los Altos") < 0.3


def test_fold_ignores_case_and_accents() -> None:
    assert fold("Café ÑANDÚ") == "cafe nandu"


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("https://www.bi.com.gt/empresas", "bi.com.gt"),
        ("bi.com.gt", "bi.com.gt"),
        ("contacto@bi.com.gt", "bi.com.gt"),
        ("someone@gmail.com", None),
        ("", None),
        (None, None),
        ("not a domain", None),
    ],
)
def test_domain(address: str | None, expected: str | None) -> None:
    assert domain(address) == expected


def test_domain_and_identifier_link_differently_named_records() -> None:
    a = Identity("Banco Industrial", website="https://www.bi.com.gt")
    b = Identity("BI Corporación", website="http://bi.com.gt/")
    evidence = compare(a, b)
    assert evidence is not None and (evidence.kind, evidence.detail) == ("domain", "bi.com.gt")
    c = Identity("Cafetalera Los Altos", identifiers=["NIT 1234567-8"])
    d = Identity("Los Altos Coffee Exporters", identifiers=["nit12345678"])
    evidence = compare(c, d)
    assert evidence is not None and evidence.kind == "identifier"
    assert identifier_key("0614-010101-101-1") == "06140101011011"


def test_group_links_transitively_and_numbers_densely() -> None:
    names = ["BANCO IMPROSA SA", "Cafetalera", "Banco Improsa, S.A.", "Improsa (IMP)", "IMP"]
    names.append("Banco Industrial S.A. DPR")
    identities = [Identity(n) for n in names]
    assert group(identities) == [0, 1, 0, 2, 2, 3]
    with_likely = group([*identities, Identity("BANCO INDUSTRIAL SA")], include_likely=True)
    assert with_likely[5] == with_likely[6]
