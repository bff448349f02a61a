"""Score components, each a (commitment block x programmes) float32 matrix in [0, 1]."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from services.matcher.pipeline.filters import Overlaps
from services.matcher.pipeline.frames import CommitmentBlock, ProgramFrame
from services.matcher.pipeline.text import TextSpace

F32 = NDArray[np.float32]

#: Component names, in the column order used by the model and by ``Proposals.component_matrix``.
COMPONENTS: tuple[str, ...] = (
    "focus",
    "geography",
    "need_instrument",
    "ticket_fit",
    "text",
    "sector",
    "inclusion",
    "partner_history",
)

#: Value used where a component cannot be judged (no needs stated, no amount, no sectors, no history).
NEUTRAL = 0.5
#: Geography: share of the commitment's countries the programme covers, plus a bonus for sharing one
#: of the programme's own countries (GT/SV/HN): ``(1 - BONUS) · coverage + BONUS · [shares GT/SV/HN]``.
GEOGRAPHY_BONUS = 0.2
#: Inclusion weights: women-led, indigenous-led, local (its HQ country is one the commitment is in).
INCLUSION_WEIGHTS = (0.4, 0.4, 0.2)


def _safe_div(num: F32, den: F32, empty: float) -> F32:
    """num / den, with ``empty`` where den is 0."""
    out = np.full(np.broadcast_shapes(num.shape, den.shape), empty, dtype=np.float32)
    np.divide(num, den, out=out, where=np.broadcast_to(den > 0, out.shape))
    return out


def _row_inverse(counts: F32) -> F32:
    """1 / counts, 0 where counts is 0."""
    out = np.zeros(counts.shape, dtype=np.float32)
    np.divide(np.float32(1.0), counts, out=out, where=counts > 0)
    return out


def focus(block: CommitmentBlock, programs: ProgramFrame, o: Overlaps) -> F32:
    """Jaccard similarity of focus-area sets (0 when both are empty)."""
    union = block.focus.sum(axis=1)[:, None] + programs.f32["focus"].sum(axis=0)[None, :] - o.focus_shared
    return _safe_div(o.focus_shared, union, 0.0)


def geography(block: CommitmentBlock, programs: ProgramFrame, o: Overlaps) -> F32:
    """Coverage of the commitment's countries, with a bonus when a shared country is GT, SV or HN."""
    scale = _row_inverse(block.countries.sum(axis=1)) * np.float32(1.0 - GEOGRAPHY_BONUS)
    out = o.countries_shared * scale[:, None]
    out[o.home_shared] += np.float32(GEOGRAPHY_BONUS)
    return out


def need_instrument(block: CommitmentBlock, programs: ProgramFrame, o: Overlaps) -> F32:
    """Share of the commitment's stated needs that one of the programme's instruments answers."""
    stated = block.needs.sum(axis=1)
    out = o.needs_answered * _row_inverse(stated)[:, None]
    out[stated == 0] = NEUTRAL
    return out


def ticket_fit(block: CommitmentBlock, programs: ProgramFrame) -> F32:
    """1 inside [min, max]; outside, ``bound / amount`` or ``amount / bound`` — ``exp(-|log distance|)``.
    A missing amount is NEUTRAL; a missing bound does not constrain that side."""
    # fmin ignores NaN, so a missing bound (NaN ratio) leaves that side at 1.
    a = block.amount.astype(np.float32)
    with np.errstate(divide="ignore", invalid="ignore"):
        inv_lo = (1.0 / programs.min_ticket).astype(np.float32)
        inv_a = (1.0 / block.amount).astype(np.float32)
        fit: F32 = np.fmin(np.float32(1.0), a[:, None] * inv_lo[None, :])
        np.fmin(fit, inv_a[:, None] * programs.max_ticket.astype(np.float32)[None, :], out=fit)
    fit[np.isnan(a)] = NEUTRAL
    return fit


def text(block: CommitmentBlock, space: TextSpace) -> F32:
    """Cosine of the bilingual TF-IDF vectors."""
    return space.similarity(block.rows)


def sector(block: CommitmentBlock, programs: ProgramFrame) -> F32:
    """Overlap coefficient of sector sets, |A∩B| / min(|A|, |B|); NEUTRAL when either side has none."""
    p = programs.f32["sectors"]
    shared = block.sectors @ p
    smaller = np.minimum(block.sectors.sum(axis=1)[:, None], p.sum(axis=0)[None, :])
    return _safe_div(shared, smaller, NEUTRAL)


def inclusion(block: CommitmentBlock, programs: ProgramFrame) -> F32:
    """Programme-independent priority: 0.4·women-led + 0.4·indigenous-led + 0.2·local (broadcast view)."""
    w, i, loc = INCLUSION_WEIGHTS
    per_row = (w * block.women_led + i * block.indigenous_led + loc * block.local).astype(np.float32)
    return np.broadcast_to(per_row[:, None], (len(block), len(programs)))


def partner_history(block: CommitmentBlock, programs: ProgramFrame) -> F32:
    """Share of the partner's decided introductions that were accepted; NEUTRAL without history."""
    acc = np.where(np.isnan(programs.acceptance), NEUTRAL, np.clip(programs.acceptance, 0.0, 1.0))
    return np.broadcast_to(acc.astype(np.float32)[None, :], (len(block), len(programs)))


def compute(block: CommitmentBlock, programs: ProgramFrame, space: TextSpace, o: Overlaps) -> dict[str, F32]:
    """Every component for the block, keyed by name (program-independent ones are broadcast views)."""
    return {
        "focus": focus(block, programs, o),
        "geography": geography(block, programs, o),
        "need_instrument": need_instrument(block, programs, o),
        "ticket_fit": ticket_fit(block, programs),
        "text": text(block, space),
        "sector": sector(block, programs),
        "inclusion": inclusion(block, programs),
        "partner_history": partner_history(block, programs),
    }
