"""Hard filters over a (commitment block x all programmes) grid, plus the overlaps they share with scoring."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from services.matcher.pipeline.frames import INSTRUMENTS, NEEDS, CommitmentBlock, ProgramFrame
from shared.enums import Instrument as I  # noqa: N817
from shared.enums import Need as N  # noqa: N817

#: Which programme instruments answer which stated need.
NEED_INSTRUMENTS: dict[str, tuple[str, ...]] = {
    N.FINANCING: (I.LOAN, I.GUARANTEE, I.EQUITY, I.GRANT, I.INSURANCE),
    N.TECHNICAL_ASSISTANCE: (I.TECHNICAL_ASSISTANCE,),
    N.TRAINING_PARTNER: (I.TRAINING, I.TECHNICAL_ASSISTANCE),
    N.GOVERNMENT_LIAISON: (I.POLICY_DIALOGUE, I.CONVENING),
    N.MARKET_ACCESS: (I.TRADE_PROMOTION, I.CONVENING),
    N.LABOR_COMPLIANCE: (I.TECHNICAL_ASSISTANCE, I.TRAINING, I.POLICY_DIALOGUE),
    N.LOCAL_PARTNER: (I.CONVENING, I.TECHNICAL_ASSISTANCE),
    N.RESEARCH_DATA: (I.TECHNICAL_ASSISTANCE, I.POLICY_DIALOGUE),
}

#: (needs x instruments): True where the instrument answers the need.
NEED_INSTRUMENT_MATRIX: NDArray[np.bool_] = np.array(
    [[inst in NEED_INSTRUMENTS[need] for inst in INSTRUMENTS] for need in NEEDS], dtype=np.bool_
)

#: A commitment's amount is compatible with a ticket range [min, max] when it lies within
#: [min / TICKET_TOLERANCE, max x TICKET_TOLERANCE]; a missing amount or a missing bound passes.
TICKET_TOLERANCE = 2.0


def program_answers(programs: ProgramFrame) -> NDArray[np.float32]:
    """(needs x programmes) 1.0 where one of the programme's instruments answers the need."""
    answers = NEED_INSTRUMENT_MATRIX.astype(np.float32) @ programs.f32["instruments"]
    return (answers > 0).astype(np.float32)


@dataclass(frozen=True, eq=False)
class Overlaps:
    """Pairwise counts over a block, computed once by matrix products and shared by filters and scores."""

    focus_shared: NDArray[np.float32]
    countries_shared: NDArray[np.float32]
    home_shared: NDArray[np.bool_]
    needs_answered: NDArray[np.float32]
    size_ok: NDArray[np.bool_]


def overlaps(block: CommitmentBlock, programs: ProgramFrame) -> Overlaps:
    """Shared focus areas, shared countries, answered needs and size eligibility for every pair."""
    f = programs.f32
    size_known: NDArray[np.bool_] = np.asarray(block.size.any(axis=1))
    size_ok: NDArray[np.bool_] = np.asarray((block.size @ f["sizes"]) > 0)
    size_ok |= ~size_known[:, None]
    return Overlaps(
        focus_shared=block.focus @ f["focus"],
        countries_shared=block.countries @ f["countries"],
        home_shared=(block.countries @ f["home_countries"]) > 0,
        needs_answered=block.needs @ program_answers(programs),
        size_ok=size_ok,
    )


def ticket_ok(amount: NDArray[np.float64], programs: ProgramFrame) -> NDArray[np.bool_]:
    """Amount within the tolerant ticket range; missing amount or missing bound passes."""
    lo = np.nan_to_num(programs.min_ticket / TICKET_TOLERANCE, nan=-np.inf)
    hi = np.nan_to_num(programs.max_ticket * TICKET_TOLERANCE, nan=np.inf)
    a = amount[:, None]
    ok: NDArray[np.bool_] = a >= lo[None, :]
    ok &= a <= hi[None, :]
    ok[np.isnan(amount)] = True
    return ok


def passing(block: CommitmentBlock, programs: ProgramFrame, shared: Overlaps | None = None) -> NDArray[np.bool_]:
    """True for pairs passing every hard filter: active programme, a shared country, a shared focus
    area or an instrument answering a stated need, an eligible business size, a compatible ticket."""
    o = overlaps(block, programs) if shared is None else shared
    ok = o.countries_shared > 0
    ok &= programs.active[None, :]
    ok &= (o.focus_shared > 0) | (o.needs_answered > 0)
    ok &= o.size_ok
    ok &= ticket_ok(block.amount, programs)
    return ok
