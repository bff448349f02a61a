"""The engine's entry point: filter, score in chunks, keep top candidates, assign under capacity, explain."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from services.matcher.pipeline import components as comp
from services.matcher.pipeline.assignment import assign
from services.matcher.pipeline.filters import overlaps, passing
from services.matcher.pipeline.frames import CommitmentFrame, CommitmentRow, ProgramFrame, ProgramRow, align
from services.matcher.pipeline.model import ScoringModel, combine
from services.matcher.pipeline.reasons import build_reasons
from services.matcher.pipeline.text import TextSpace, text_space_from_counts

COMPONENTS = comp.COMPONENTS
#: Cells (commitments x programmes) per chunk when chunk_size is not given: bounds memory at ~1 GB.
CELLS_PER_CHUNK = 4_000_000


@dataclass(frozen=True, eq=False)
class Prepared:
    """Frames on shared vocabularies and the text space fitted on both sides' texts."""

    commitments: CommitmentFrame
    programs: ProgramFrame
    space: TextSpace


def prepare(
    commitments: Sequence[CommitmentRow] | CommitmentFrame, programs: Sequence[ProgramRow] | ProgramFrame
) -> Prepared:
    """Build frames from rows when needed, align their vocabularies and fit TF-IDF on the union."""
    cf = commitments if isinstance(commitments, CommitmentFrame) else CommitmentFrame.from_rows(commitments)
    pf = programs if isinstance(programs, ProgramFrame) else ProgramFrame.from_rows(programs)
    cf, pf = align(cf, pf)
    return Prepared(cf, pf, text_space_from_counts(cf.term_counts, pf.term_counts, cf.terms))


@dataclass(frozen=True)
class Proposal:
    """One chosen introduction."""

    commitment_id: str
    program_id: str
    partner_id: str
    score: float
    components: dict[str, float]
    reasons: list[str]


@dataclass(frozen=True, eq=False)
class Proposals:
    """The chosen pairs (ordered by commitment, then score descending) and the run's counts."""

    commitment_ids: tuple[str, ...]
    program_ids: tuple[str, ...]
    partner_ids: tuple[str, ...]
    fingerprints: tuple[str, ...]
    commitment_index: NDArray[np.intp]
    program_index: NDArray[np.intp]
    scores: NDArray[np.float64]
    component_names: tuple[str, ...]
    component_matrix: NDArray[np.float32]
    reasons: list[list[str]]
    model_version: str
    pairs_scored: int
    pairs_passing: int
    pairs_excluded: int
    candidates: int

    @property
    def chosen(self) -> int:
        """How many pairs were chosen."""
        return len(self.commitment_ids)

    @property
    def components(self) -> list[dict[str, float]]:
        """Per chosen pair, component name → value."""
        names = self.component_names
        return [dict(zip(names, map(float, row), strict=True)) for row in self.component_matrix]

    def __len__(self) -> int:
        return self.chosen

    def __iter__(self) -> Iterator[Proposal]:
        for k, components in enumerate(self.components):
            yield Proposal(
                commitment_id=self.commitment_ids[k],
                program_id=self.program_ids[k],
                partner_id=self.partner_ids[k],
                score=float(self.scores[k]),
                components=components,
                reasons=self.reasons[k],
            )

    def counts(self) -> dict[str, int]:
        """The run's counts, for the match-run record."""
        return {
            "pairs_scored": self.pairs_scored,
            "pairs_passing": self.pairs_passing,
            "pairs_excluded": self.pairs_excluded,
            "candidates": self.candidates,
            "chosen": self.chosen,
        }


def _excluded_index(
    prepared: Prepared, excluded_pairs: Collection[tuple[str, str]]
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Excluded (commitment id, program id) pairs as indices, sorted by commitment; unknown ids dropped."""
    if not excluded_pairs:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    c_index = {cid: i for i, cid in enumerate(prepared.commitments.ids)}
    p_index = {pid: i for i, pid in enumerate(prepared.programs.ids)}
    pairs = np.array([(c_index.get(c, -1), p_index.get(p, -1)) for c, p in excluded_pairs], dtype=np.intp)
    pairs = pairs[(pairs >= 0).all(axis=1)]
    order = np.argsort(pairs[:, 0], kind="stable")
    return pairs[order, 0], pairs[order, 1]


def score_block(
    prepared: Prepared, rows: slice, model: ScoringModel
) -> tuple[NDArray[np.bool_], NDArray[np.float32], dict[str, NDArray[np.float32]]]:
    """(passing mask, combined scores, components) for a slice of commitments x all programmes."""
    block = prepared.commitments.block(rows)
    shared = overlaps(block, prepared.programs)
    ok = passing(block, prepared.programs, shared)
    components = comp.compute(block, prepared.programs, prepared.space, shared)
    return ok, combine(components, model), components


def score_matrix(
    commitments: Sequence[CommitmentRow] | CommitmentFrame | Prepared,
    programs: Sequence[ProgramRow] | ProgramFrame | None,
    model: ScoringModel,
) -> tuple[NDArray[np.bool_], NDArray[np.float32]]:
    """Whole (commitments x programmes) passing mask and scores, for small inputs, tests and baselines."""
    if isinstance(commitments, Prepared):
        prepared = commitments
    else:
        assert programs is not None
        prepared = prepare(commitments, programs)
    ok, scores, _ = score_block(prepared, slice(0, len(prepared.commitments)), model)
    return ok, scores


@dataclass(frozen=True, eq=False)
class Shortlist:
    """Every commitment's best candidate pairs (before the global assignment) and the scoring counts.

    ``components`` holds the candidates' component rows (columns follow ``COMPONENTS``); ``slots`` is
    how many programmes each commitment may still receive.
    """

    commitment_index: NDArray[np.intp]
    program_index: NDArray[np.intp]
    scores: NDArray[np.float32]
    components: NDArray[np.float32]
    slots: NDArray[np.intp]
    pairs_scored: int
    pairs_passing: int
    pairs_excluded: int

    def __len__(self) -> int:
        return len(self.scores)

    def programs(self) -> NDArray[np.intp]:
        """Indices of the programmes that appear among the candidates (ascending, unique): the only
        ones whose capacity the assignment needs."""
        return np.unique(self.program_index)


def shortlist(
    prepared: Prepared,
    model: ScoringModel,
    *,
    top_k: int = 3,
    candidates_per_commitment: int = 10,
    chunk_size: int | None = None,
    open_slots: NDArray[np.integer] | None = None,
    excluded_pairs: Collection[tuple[str, str]] = (),
    min_score: float = 0.0,
) -> Shortlist:
    """Score commitments in chunks of ``chunk_size`` rows against all programmes and keep, per
    commitment with an open slot, its ``candidates_per_commitment`` best pairs that pass the hard
    filters, are not in ``excluded_pairs`` and score at least ``min_score``."""
    cf, pf = prepared.commitments, prepared.programs
    n_c, n_p = len(cf), len(pf)
    slots = np.full(n_c, top_k, dtype=np.intp)
    if open_slots is not None:
        slots = np.clip(np.asarray(open_slots, dtype=np.intp), 0, top_k)
    ex_c, ex_p = _excluded_index(prepared, excluded_pairs)
    m = max(1, min(candidates_per_commitment, n_p))
    chunk = chunk_size or max(64, min(5_000, CELLS_PER_CHUNK // max(n_p, 1)))

    cand_c: list[NDArray[np.intp]] = []
    cand_p: list[NDArray[np.intp]] = []
    cand_s: list[NDArray[np.float32]] = []
    cand_x: list[NDArray[np.float32]] = []
    n_passing = n_excluded = 0
    for start in range(0, n_c if n_p else 0, chunk):
        rows = slice(start, min(start + chunk, n_c))
        ok, scores, components = score_block(prepared, rows, model)
        n_passing += int(np.count_nonzero(ok))
        lo, hi = np.searchsorted(ex_c, [rows.start, rows.stop])
        if hi > lo:
            hit = ok[ex_c[lo:hi] - start, ex_p[lo:hi]]
            n_excluded += int(np.count_nonzero(hit))
            ok[ex_c[lo:hi] - start, ex_p[lo:hi]] = False
        ok &= (slots[rows] > 0)[:, None]
        ok &= scores >= min_score
        masked = np.where(ok, scores, np.float32(-1.0))
        if m < n_p:
            top = np.argpartition(-masked, m - 1, axis=1)[:, :m]
        else:
            top = np.broadcast_to(np.arange(n_p), (len(masked), n_p))
        top_scores = np.take_along_axis(masked, top, axis=1)
        keep = top_scores >= 0
        r_local, col = np.nonzero(keep)
        p_idx = top[r_local, col]
        cand_c.append((r_local + start).astype(np.intp))
        cand_p.append(p_idx.astype(np.intp))
        cand_s.append(top_scores[r_local, col])
        cand_x.append(np.stack([components[name][r_local, p_idx] for name in COMPONENTS], axis=1))

    return Shortlist(
        commitment_index=np.concatenate(cand_c) if cand_c else np.zeros(0, dtype=np.intp),
        program_index=np.concatenate(cand_p) if cand_p else np.zeros(0, dtype=np.intp),
        scores=np.concatenate(cand_s) if cand_s else np.zeros(0, dtype=np.float32),
        components=(np.concatenate(cand_x) if cand_x else np.zeros((0, len(COMPONENTS)), dtype=np.float32)),
        slots=slots,
        pairs_scored=n_c * n_p,
        pairs_passing=n_passing,
        pairs_excluded=n_excluded,
    )


def choose(
    prepared: Prepared,
    candidates: Shortlist,
    model: ScoringModel,
    *,
    capacity: NDArray[np.integer] | None = None,
    with_reasons: bool = True,
) -> Proposals:
    """The global assignment over a shortlist under each programme's remaining ``capacity`` (indexed
    like the programmes; defaults to ``ProgramFrame.capacity``; only candidates' entries are read),
    then the chosen pairs' reasons."""
    cf, pf = prepared.commitments, prepared.programs
    cap = pf.capacity if capacity is None else np.maximum(np.asarray(capacity, dtype=np.int64), 0)
    all_c, all_p, all_s, all_x = (
        candidates.commitment_index,
        candidates.program_index,
        candidates.scores,
        candidates.components,
    )
    chosen = assign(all_c, all_p, all_s, candidates.slots, cap)
    order = chosen[np.lexsort((all_p[chosen], -all_s[chosen], all_c[chosen]))]
    ci, pj, x = all_c[order], all_p[order], all_x[order]
    reasons = build_reasons(cf, pf, prepared.space, ci, pj, x, model) if with_reasons else [[] for _ in order]
    return Proposals(
        commitment_ids=tuple(cf.ids[i] for i in ci),
        program_ids=tuple(pf.ids[j] for j in pj),
        partner_ids=tuple(pf.partner_ids[j] for j in pj),
        fingerprints=tuple(cf.fingerprints[i] for i in ci),
        commitment_index=ci,
        program_index=pj,
        scores=all_s[order].astype(np.float64),
        component_names=COMPONENTS,
        component_matrix=x,
        reasons=reasons,
        model_version=model.version,
        pairs_scored=candidates.pairs_scored,
        pairs_passing=candidates.pairs_passing,
        pairs_excluded=candidates.pairs_excluded,
        candidates=len(candidates),
    )


def score(
    commitments: Sequence[CommitmentRow] | CommitmentFrame | Prepared,
    programs: Sequence[ProgramRow] | ProgramFrame | None,
    model: ScoringModel,
    *,
    top_k: int = 3,
    candidates_per_commitment: int = 10,
    chunk_size: int | None = None,
    open_slots: NDArray[np.integer] | None = None,
    capacity: NDArray[np.integer] | None = None,
    excluded_pairs: Collection[tuple[str, str]] = (),
    min_score: float = 0.0,
    with_reasons: bool = True,
) -> Proposals:
    """Propose up to ``top_k`` programmes per commitment (``open_slots[i]`` instead, when given: the
    slots left after the commitment's open matches), within each programme's remaining capacity
    (``capacity`` overrides ``ProgramRow.capacity_remaining``), maximising the total score.

    Pairs in ``excluded_pairs`` (declined, or already open) and pairs failing a hard filter or scoring
    below ``min_score`` are never proposed. Commitments are scored in chunks of ``chunk_size`` rows
    against all programmes; each keeps its ``candidates_per_commitment`` best pairs, and one global
    assignment runs over all kept candidates (``shortlist`` then ``choose``).
    """
    if isinstance(commitments, Prepared):
        prepared = commitments
    else:
        assert programs is not None, "programs are required unless a Prepared is given"
        prepared = prepare(commitments, programs)
    candidates = shortlist(
        prepared,
        model,
        top_k=top_k,
        candidates_per_commitment=candidates_per_commitment,
        chunk_size=chunk_size,
        open_slots=open_slots,
        excluded_pairs=excluded_pairs,
        min_score=min_score,
    )
    return choose(prepared, candidates, model, capacity=capacity, with_reasons=with_reasons)
