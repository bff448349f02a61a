"""Bilingual text similarity: Spanish finds English on the same subject, and vice versa."""

import numpy as np
import pytest

from services.matcher.pipeline.text import (
    CONCEPT_CONFLICTS,
    CONCEPT_IDS,
    WORD_CONCEPTS,
    fit_text_space,
    fold,
    stem,
    tokenize,
)

ENGLISH_PROGRAMS = [
    "Credit lines for coffee farmers and cooperatives to finance the harvest",
    "Rooftop solar panels and clean energy for rural schools",
    "Vaccines and rural clinics: covid-19 vaccination campaigns",
    "University scholarships for students and teacher training",
    "Public procurement transparency and open data for municipalities",
    "Digital payments and mobile money wallets for unbanked households",
    "Clean drinking water and sanitation for communities",
]
SPANISH_PROGRAMS = [
    "Crédito para caficultores y cooperativas cafetaleras",
    "Paneles solares y energía limpia para escuelas rurales",
    "Vacunas y clínicas rurales: campañas de vacunación contra covid-19",
    "Becas universitarias para estudiantes y capacitación docente",
    "Transparencia en compras públicas y datos abiertos municipales",
    "Pagos digitales y billeteras móviles para hogares no bancarizados",
    "Agua potable y saneamiento para comunidades",
]


def test_fold_and_stem() -> None:
    assert fold("Educación, Niñas y CAFÉ") == "educacion, ninas y cafe"
    assert stem("agricultores") == stem("agricultor") == "agricultor"
    assert stem("vacunas") == stem("vacuna") == "vacun"
    assert stem("clinics") == stem("clinica") == "clinic"


def test_the_table_is_large_consistent_and_maps_both_languages() -> None:
    assert CONCEPT_CONFLICTS == []
    assert len(WORD_CONCEPTS) > 600 and len(CONCEPT_IDS) > 150
    assert tokenize("café") == tokenize("coffee") == ["coffee"]
    assert tokenize("Mujeres agricultoras") == tokenize("women farmers")
    assert "clean_energy" in tokenize("energía limpia") and "clean_energy" in tokenize("clean energy")
    assert "public_procurement" in tokenize("compras públicas")
    assert "labor_rights" in tokenize("derechos laborales") and "labor_rights" in tokenize("labor rights")
    assert tokenize("zzyzx unknownword") == ["zzyzx", "unknownword"]


@pytest.mark.parametrize("i", range(len(SPANISH_PROGRAMS)))
def test_spanish_commitment_ranks_the_english_program_on_its_subject_first(i: int) -> None:
    space = fit_text_space([SPANISH_PROGRAMS[i]], ENGLISH_PROGRAMS)
    sims = space.similarity()[0]
    assert int(np.argmax(sims)) == i
    assert sims[i] > 0.3
    assert np.sort(sims)[-2] < sims[i] / 2


@pytest.mark.parametrize("i", range(len(ENGLISH_PROGRAMS)))
def test_english_commitment_ranks_the_spanish_program_on_its_subject_first(i: int) -> None:
    space = fit_text_space([ENGLISH_PROGRAMS[i]], SPANISH_PROGRAMS)
    sims = space.similarity()[0]
    assert int(np.argmax(sims)) == i
    assert sims[i] > 0.3


def test_coffee_credit_in_spanish_prefers_the_coffee_credit_program() -> None:
    commitment = "Ampliaremos el crédito a pequeños productores de café en Honduras"
    programs = [
        "Loans for coffee farmers in Honduras",
        "Loans for solar energy in Honduras",
        "Training for nurses in Honduras",
    ]
    sims = fit_text_space([commitment], programs).similarity()[0]
    assert sims[0] > sims[1] > 0 and sims[0] > sims[2]


def test_without_the_table_languages_do_not_meet() -> None:
    sims = fit_text_space(["Agua potable y saneamiento"], ["Clean drinking water and sanitation"], bilingual=False)
    assert sims.similarity()[0, 0] == 0.0


def test_vectors_are_unit_length_and_similarity_is_symmetric() -> None:
    space = fit_text_space(SPANISH_PROGRAMS, ENGLISH_PROGRAMS)
    norms = np.sqrt(np.asarray(space.commitments.multiply(space.commitments).sum(axis=1)).ravel())
    assert norms == pytest.approx(np.ones(len(SPANISH_PROGRAMS)), abs=1e-6)
    reverse = fit_text_space(ENGLISH_PROGRAMS, SPANISH_PROGRAMS)
    assert space.similarity() == pytest.approx(reverse.similarity().T, abs=1e-6)


def test_shared_terms_name_the_concepts() -> None:
    space = fit_text_space(["Crédito para agricultores de café"], ["Credit for coffee farmers", "Solar"])
    assert set(space.shared_terms(0, 0)) == {"credit", "coffee", "farmers"}
    assert space.shared_terms(0, 1) == []


def test_sparse_and_dense_program_paths_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    from services.matcher.pipeline import text

    dense = fit_text_space(SPANISH_PROGRAMS, ENGLISH_PROGRAMS).similarity()
    monkeypatch.setattr(text, "DENSE_PROGRAM_CELLS", 0)
    space = fit_text_space(SPANISH_PROGRAMS, ENGLISH_PROGRAMS)
    sparse = space.similarity(slice(2, 5))
    assert not isinstance(space._programs_t, np.ndarray)
    assert sparse == pytest.approx(dense[2:5], abs=1e-6)


def test_shared_terms_many_matches_shared_terms_pair_by_pair() -> None:
    space = fit_text_space(SPANISH_PROGRAMS, ENGLISH_PROGRAMS)
    n_c, n_p = space.commitments.shape[0], space.programs.shape[0]
    ci = np.repeat(np.arange(n_c), n_p)
    pj = np.tile(np.arange(n_p), n_c)
    many = space.shared_terms_many(ci, pj, limit=3)
    assert many == [space.shared_terms(int(c), int(p), limit=3) for c, p in zip(ci, pj, strict=True)]
    assert any(len(terms) == 3 for terms in many) and any(terms == [] for terms in many)
    assert space.shared_terms_many(np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)) == []
