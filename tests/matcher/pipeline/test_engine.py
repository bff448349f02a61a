"""engine.score end to end on small inputs: exclusions, slots, capacity, chunking, determinism."""

import numpy as np

from services.matcher.pipeline.engine import choose, prepare, score, score_matrix, shortlist
from services.matcher.pipeline.frames import CommitmentFrame, CommitmentRow, ProgramFrame, ProgramRow
from services.matcher.pipeline.model import DEFAULT_MODEL

from .helpers import commitment, program


def _world() -> tuple[list[CommitmentRow], list[ProgramRow]]:
    cs = [
        commitment("c-coffee", text="Crédito para pequeños productores de café", countries=["HN"]),
        commitment(
            "c-solar",
            text="Solar panels for rural schools",
            focus_areas=["climate_clean_energy"],
            countries=["GT"],
            business_sectors=["energy"],
        ),
        commitment(
            "c-water",
            text="Agua potable y saneamiento",
            focus_areas=["public_health"],
            needs=["local_partner"],
            countries=["SV", "HN"],
            amount_usd=None,
            business_sectors=["water"],
        ),
        commitment("c-none", text="Coffee", countries=["MX"]),
    ]
    ps = [
        program("p-coffee", text="Loans for coffee farmers", countries=["HN", "GT"]),
        program("p-coffee2", text="Coffee cooperative credit", countries=["HN"], capacity_remaining=1),
        program(
            "p-solar",
            text="Clean energy: rooftop solar for schools",
            focus_areas=["climate_clean_energy"],
            countries=["GT"],
            sectors=["energy"],
        ),
        program(
            "p-water",
            text="Clean water and sanitation",
            focus_areas=["public_health"],
            instruments=["grant"],
            countries=["SV"],
            sectors=["water"],
            min_ticket_usd=None,
            max_ticket_usd=None,
        ),
        program("p-closed", text="Coffee farmers credit", active=False, countries=["HN"]),
    ]
    return cs, ps


def test_proposes_the_right_programs_with_reasons_and_counts() -> None:
    cs, ps = _world()
    got = score(cs, ps, DEFAULT_MODEL, top_k=1)
    pairs = dict(zip(got.commitment_ids, got.program_ids, strict=True))
    assert pairs == {"c-coffee": "p-coffee", "c-solar": "p-solar", "c-water": "p-water"}
    assert got.pairs_scored == 20 and got.chosen == 3
    assert got.pairs_passing == 5  # coffee: 2, solar: 2 (p-coffee via its financing need), water: 1, MX: 0
    assert got.model_version == DEFAULT_MODEL.version
    first = next(iter(got))
    assert first.partner_id == "partner-p-coffee"
    assert set(first.components) == set(got.component_names) and 0 < first.score < 1
    assert first.reasons[0] == "Both work on food security and climate-smart agriculture in Honduras"


def test_excluded_pairs_are_never_proposed() -> None:
    cs, ps = _world()
    excluded = {("c-coffee", "p-coffee"), ("c-solar", "p-solar"), ("unknown", "p-water")}
    got = score(cs, ps, DEFAULT_MODEL, top_k=3, excluded_pairs=excluded)
    proposed = set(zip(got.commitment_ids, got.program_ids, strict=True))
    assert proposed.isdisjoint(excluded)
    assert ("c-coffee", "p-coffee2") in proposed
    # c-solar's only other passing pair (p-coffee shares GT and a loan answers its financing need)
    assert [pid for cid, pid in proposed if cid == "c-solar"] == ["p-coffee"]
    assert got.pairs_excluded == 2


def test_open_slots_and_capacity_are_respected() -> None:
    cs, ps = _world()
    got = score(cs, ps, DEFAULT_MODEL, top_k=3, open_slots=np.array([1, 0, 3, 3]))
    assert got.commitment_ids.count("c-coffee") == 1 and "c-solar" not in got.commitment_ids
    many = [commitment(f"c{i}", text="coffee farmers credit") for i in range(6)]
    got = score(many, [program("p", capacity_remaining=4), program("q", capacity_remaining=1)], DEFAULT_MODEL, top_k=3)
    assert got.program_ids.count("p") == 4 and got.program_ids.count("q") == 1
    got = score(many, [program("p", capacity_remaining=4)], DEFAULT_MODEL, capacity=np.array([2]))
    assert got.chosen == 2


def test_chunking_and_pruning_do_not_change_the_result() -> None:
    rng = np.random.default_rng(1)
    texts = ["coffee farmers credit", "energía solar", "agua potable", "vacunas", "becas universitarias"]
    areas = ["food_security_agriculture", "climate_clean_energy", "public_health", "education_workforce"]
    cs = [
        commitment(
            f"c{i}",
            text=str(rng.choice(texts)),
            focus_areas=[str(rng.choice(areas))],
            countries=[str(rng.choice(["GT", "HN", "SV"]))],
        )
        for i in range(40)
    ]
    ps = [
        program(
            f"p{i}",
            text=str(rng.choice(texts)),
            focus_areas=[str(rng.choice(areas))],
            countries=["GT", "HN", "SV"],
            capacity_remaining=int(rng.integers(1, 6)),
        )
        for i in range(12)
    ]
    a = score(cs, ps, DEFAULT_MODEL, chunk_size=7, candidates_per_commitment=12)
    b = score(cs, ps, DEFAULT_MODEL, chunk_size=1000, candidates_per_commitment=12)
    c = score(cs, ps, DEFAULT_MODEL, chunk_size=7, candidates_per_commitment=12)
    assert a.commitment_ids == b.commitment_ids == c.commitment_ids
    assert a.program_ids == b.program_ids == c.program_ids
    assert np.array_equal(a.scores, b.scores) and a.reasons == c.reasons
    assert (np.bincount(a.commitment_index, minlength=40) <= 3).all()
    cap = np.array([p.capacity_remaining for p in ps])
    assert (np.bincount(a.program_index, minlength=12) <= cap).all()
    # the chosen scores are exactly the matrix scores of those pairs
    ok, full = score_matrix(cs, ps, DEFAULT_MODEL)
    assert ok[a.commitment_index, a.program_index].all()
    assert np.array_equal(full[a.commitment_index, a.program_index].astype(np.float64), a.scores)


def test_accepts_frames_and_min_score() -> None:
    cs, ps = _world()
    got = score(CommitmentFrame.from_rows(cs), ProgramFrame.from_rows(ps), DEFAULT_MODEL, top_k=1)
    assert got.chosen == 3
    assert score(prepare(cs, ps), None, DEFAULT_MODEL, min_score=0.9999).chosen == 0
    assert score([], ps, DEFAULT_MODEL).chosen == 0 and score(cs, [], DEFAULT_MODEL).chosen == 0


def test_shortlist_then_choose_is_score_and_reads_only_candidates_capacity() -> None:
    cs, ps = _world()
    prepared = prepare(cs, ps)
    whole = score(prepared, None, DEFAULT_MODEL, top_k=3)
    candidates = shortlist(prepared, DEFAULT_MODEL, top_k=3)
    assert candidates.programs().tolist() == sorted(set(candidates.program_index.tolist()))
    assert 4 not in candidates.programs()  # the inactive programme is never a candidate
    # capacity outside the candidates' programmes is never read
    capacity = prepared.programs.capacity.copy()
    capacity[4] = -7
    parts = choose(prepared, candidates, DEFAULT_MODEL, capacity=capacity)
    assert parts.commitment_ids == whole.commitment_ids and parts.program_ids == whole.program_ids
    assert np.array_equal(parts.scores, whole.scores) and parts.reasons == whole.reasons
    assert parts.counts() == whole.counts()
