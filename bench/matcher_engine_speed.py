"""Engine speed: scoring + assignment at 10,000 x 2,000 beside a float32 matmul, and vectorised vs a loop.

Run from the repository root: ``python -m bench.matcher_engine_speed [--large]``.
``--large`` also runs 100,000 x 5,000 and reports peak RSS.
"""

from __future__ import annotations

import argparse
import math
import resource
import time

import numpy as np

from bench.synthetic import generate
from services.matcher.pipeline.components import GEOGRAPHY_BONUS, INCLUSION_WEIGHTS, NEUTRAL
from services.matcher.pipeline.engine import prepare, score, score_block
from services.matcher.pipeline.filters import NEED_INSTRUMENTS, TICKET_TOLERANCE
from services.matcher.pipeline.frames import CommitmentRow, ProgramRow
from services.matcher.pipeline.model import DEFAULT_MODEL, ScoringModel
from shared.enums import PROGRAMME_COUNTRIES


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scale_run(n_c: int, n_p: int, seed: int = 11, *, scoring_pass: bool = True) -> dict[str, float]:
    t = time.perf_counter()
    data = generate(n_c, n_p, seed=seed, with_truth=False)
    gen = time.perf_counter() - t
    t = time.perf_counter()
    prepared = prepare(data.commitments, data.programs)
    prep = time.perf_counter() - t
    chunk = max(64, min(5_000, 4_000_000 // n_p))
    t = time.perf_counter()
    for start in range(0, n_c if scoring_pass else 0, chunk):
        ok, scores, _ = score_block(prepared, slice(start, min(start + chunk, n_c)), DEFAULT_MODEL)
        np.where(ok, scores, np.float32(-1.0)).argpartition(-10, axis=1)
    scoring = time.perf_counter() - t if scoring_pass else math.nan
    t = time.perf_counter()
    proposals = score(prepared, None, DEFAULT_MODEL, top_k=3, candidates_per_commitment=10)
    total = time.perf_counter() - t
    return {
        "generate_s": gen,
        "prepare_s": prep,
        "scoring_s": scoring,
        "score_assign_s": total,
        "pairs": float(n_c * n_p),
        "passing": float(proposals.pairs_passing),
        "candidates": float(proposals.candidates),
        "chosen": float(proposals.chosen),
    }


def matmul_seconds(n_c: int, n_p: int, k: int) -> float:
    rng = np.random.default_rng(0)
    a = rng.random((n_c, k), dtype=np.float32)
    b = rng.random((k, n_p), dtype=np.float32)
    best = math.inf
    for _ in range(3):
        t = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - t)
    return best


# --- a straightforward per-pair reference, written from the rows ---------------------------------------


def loop_scores(
    cs: list[CommitmentRow],
    ps: list[ProgramRow],
    vec_c: list[dict[int, float]],
    vec_p: list[dict[int, float]],
    model: ScoringModel,
) -> tuple[np.ndarray, np.ndarray]:
    ok = np.zeros((len(cs), len(ps)), dtype=bool)
    out = np.zeros((len(cs), len(ps)), dtype=np.float64)
    w = model.weights
    for i, c in enumerate(cs):
        c_focus, c_countries, c_needs = set(c.focus_areas), set(c.countries), set(c.needs)
        c_sectors = {s.strip().lower() for s in c.business_sectors}
        local = c.business_hq_country in c_countries
        inclusion = (
            INCLUSION_WEIGHTS[0] * c.women_led + INCLUSION_WEIGHTS[1] * c.indigenous_led + INCLUSION_WEIGHTS[2] * local
        )
        a = c.amount_usd
        for j, p in enumerate(ps):
            shared_countries = c_countries & set(p.countries)
            shared_focus = c_focus & set(p.focus_areas)
            instruments = set(p.instruments)
            answered = sum(1 for n in c_needs if instruments & set(NEED_INSTRUMENTS[n]))
            lo, hi = p.min_ticket_usd, p.max_ticket_usd
            passes = (
                p.active
                and bool(shared_countries)
                and (bool(shared_focus) or answered > 0)
                and (not p.eligible_sizes or c.business_size is None or c.business_size in p.eligible_sizes)
                and (a is None or lo is None or a >= lo / TICKET_TOLERANCE)
                and (a is None or hi is None or a <= hi * TICKET_TOLERANCE)
            )
            ok[i, j] = passes
            union = len(c_focus | set(p.focus_areas))
            focus = len(shared_focus) / union if union else 0.0
            coverage = len(shared_countries) / len(c_countries) if c_countries else 0.0
            home = any(x in PROGRAMME_COUNTRIES for x in shared_countries)
            geography = (1 - GEOGRAPHY_BONUS) * coverage + GEOGRAPHY_BONUS * home
            need = answered / len(c_needs) if c_needs else NEUTRAL
            if a is None:
                ticket = NEUTRAL
            else:
                ticket = 1.0
                if lo is not None and a < lo:
                    ticket = a / lo if lo > 0 else 1.0
                if hi is not None and a > hi:
                    ticket = min(ticket, hi / a if a > 0 else 1.0)
            vc, vp = vec_c[i], vec_p[j]
            text = min(1.0, sum(v * vp.get(t, 0.0) for t, v in vc.items()))
            p_sectors = {s.strip().lower() for s in p.sectors}
            smaller = min(len(c_sectors), len(p_sectors))
            sector = len(c_sectors & p_sectors) / smaller if smaller else NEUTRAL
            history = NEUTRAL if p.partner_acceptance is None else p.partner_acceptance
            z = model.bias + (
                w["focus"] * focus
                + w["geography"] * geography
                + w["need_instrument"] * need
                + w["ticket_fit"] * ticket
                + w["text"] * text
                + w["sector"] * sector
                + w["inclusion"] * inclusion
                + w["partner_history"] * history
            )
            out[i, j] = 1.0 / (1.0 + math.exp(-z))
    return ok, out


def loop_comparison(n_c: int = 1_000, n_p: int = 500) -> dict[str, float]:
    data = generate(n_c, n_p, seed=5, with_truth=False)
    prepared = prepare(data.commitments, data.programs)

    def rows_as_dicts(m) -> list[dict[int, float]]:
        m = m.tocsr()
        return [
            dict(
                zip(
                    m.indices[m.indptr[r] : m.indptr[r + 1]].tolist(),
                    m.data[m.indptr[r] : m.indptr[r + 1]].astype(float).tolist(),
                    strict=True,
                )
            )
            for r in range(m.shape[0])
        ]

    vec_c, vec_p = rows_as_dicts(prepared.space.commitments), rows_as_dicts(prepared.space.programs)
    vec_s = math.inf
    for _ in range(3):  # best of three: the machine is shared, the loop below takes seconds anyway
        t = time.perf_counter()
        ok_v, scores_v, _ = score_block(prepared, slice(0, n_c), DEFAULT_MODEL)
        vec_s = min(vec_s, time.perf_counter() - t)
    t = time.perf_counter()
    ok_l, scores_l = loop_scores(data.commitments, data.programs, vec_c, vec_p, DEFAULT_MODEL)
    loop_s = time.perf_counter() - t
    return {
        "vectorised_s": vec_s,
        "loop_s": loop_s,
        "same_mask": float(np.array_equal(ok_v, ok_l)),
        "max_abs_diff": float(np.abs(scores_v.astype(np.float64) - scores_l).max()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--large", action="store_true", help="also run 100,000 x 5,000 and report peak RSS")
    args = parser.parse_args()

    print("(a) engine at 10,000 commitments x 2,000 programmes")
    r = scale_run(10_000, 2_000)
    k = 64
    mm = matmul_seconds(10_000, 2_000, k)
    rows = [
        ("generate synthetic rows", f"{r['generate_s']:.2f} s"),
        ("prepare (frames, vocabularies, TF-IDF)", f"{r['prepare_s']:.2f} s"),
        ("scoring pass (filters+components+combine+top-M)", f"{r['scoring_s']:.2f} s"),
        ("score() end to end (scoring + assignment + reasons)", f"{r['score_assign_s']:.2f} s"),
        ("scoring throughput", f"{r['pairs'] / r['scoring_s'] / 1e6:.1f} M pairs/s"),
        (f"float32 matmul (10,000x{k}) @ ({k}x2,000)", f"{mm * 1000:.0f} ms"),
        ("scoring time / matmul time", f"{r['scoring_s'] / mm:.1f}x"),
        ("pairs scored / passing filters", f"{int(r['pairs']):,} / {int(r['passing']):,}"),
        ("candidates kept / chosen", f"{int(r['candidates']):,} / {int(r['chosen']):,}"),
    ]
    width = max(len(a) for a, _ in rows)
    for a, b in rows:
        print(f"  {a:<{width}}  {b:>16}")

    print("\n(b) vectorised engine vs a Python loop over the same pairs, 1,000 x 500")
    lc = loop_comparison()
    rows = [
        ("vectorised scoring (best of 3)", f"{lc['vectorised_s'] * 1000:.0f} ms"),
        ("Python loop", f"{lc['loop_s']:.2f} s"),
        ("speed-up", f"{lc['loop_s'] / lc['vectorised_s']:.0f}x"),
        ("same filter decisions", "yes" if lc["same_mask"] else "NO"),
        ("max |score difference|", f"{lc['max_abs_diff']:.1e}"),
    ]
    width = max(len(a) for a, _ in rows)
    for a, b in rows:
        print(f"  {a:<{width}}  {b:>16}")
    assert lc["same_mask"] and lc["max_abs_diff"] < 1e-5, "loop and engine disagree"

    if args.large:
        print("\n(c) engine at 100,000 commitments x 5,000 programmes")
        r = scale_run(100_000, 5_000, scoring_pass=False)
        rows = [
            ("generate synthetic rows", f"{r['generate_s']:.1f} s"),
            ("prepare (frames, vocabularies, TF-IDF)", f"{r['prepare_s']:.1f} s"),
            ("score() end to end (scoring + assignment + reasons)", f"{r['score_assign_s']:.1f} s"),
            ("end-to-end throughput", f"{r['pairs'] / r['score_assign_s'] / 1e6:.1f} M pairs/s"),
            ("pairs scored / passing filters", f"{int(r['pairs']):,} / {int(r['passing']):,}"),
            ("candidates kept / chosen", f"{int(r['candidates']):,} / {int(r['chosen']):,}"),
            ("peak RSS (whole process)", f"{peak_rss_mb():,.0f} MB"),
        ]
        width = max(len(a) for a, _ in rows)
        for a, b in rows:
            print(f"  {a:<{width}}  {b:>16}")


if __name__ == "__main__":
    main()
