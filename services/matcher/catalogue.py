"""The active programs' catalogue, kept between runs while no program or partner row changed.

Building the program frame tokenises every program text, which would dominate a scoped run; the
facts that change from run to run (capacity left, partner acceptance) are applied per run.
"""

import asyncio
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray
from sqlalchemy.ext.asyncio import AsyncSession

from services.matcher import repository
from services.matcher.pipeline.frames import ProgramFrame


@dataclass(frozen=True, eq=False)
class ProgramCatalogue:
    """The active programs' rows and frame, reused while `version` (repository.programs_version) holds.

    Building the frame tokenises every program text, which would dominate a scoped run; the facts
    that change from run to run (capacity left, partner acceptance) are applied per run.
    """

    version: str
    rows: repository.ProgramRows
    frame: ProgramFrame
    capacity_per_month: NDArray[np.int64]

    def with_acceptance(self, acceptance: dict[str, float]) -> ProgramFrame:
        """The frame with each program's partner acceptance (NaN without decisions)."""
        values = np.array([acceptance.get(p, np.nan) for p in self.frame.partner_ids], dtype=np.float64)
        if np.array_equal(values, self.frame.acceptance, equal_nan=True):
            return self.frame
        return replace(self.frame, acceptance=values)


_CATALOGUE: dict[str, ProgramCatalogue] = {}


async def program_catalogue(session: AsyncSession, chunk_size: int) -> ProgramCatalogue:
    """The cached catalogue when no program or partner row changed since it was read, else a new one.

    The version is read before the rows, so a catalogue is never older than its version (a write in
    between only costs one more reload). Concurrent runs of one process share it read-only.
    """
    version = await repository.programs_version(session)
    cached = _CATALOGUE.get("programs")
    if cached is not None and cached.version == version:
        return cached
    rows = await repository.load_program_catalogue(session, ids=None, chunk_size=chunk_size)
    frame = await asyncio.to_thread(ProgramFrame.from_rows, rows.rows)  # tokenising: off the event loop
    catalogue = ProgramCatalogue(
        version=version,
        rows=rows,
        frame=frame,
        capacity_per_month=np.array([r.capacity_remaining for r in rows.rows], dtype=np.int64),
    )
    _CATALOGUE["programs"] = catalogue
    return catalogue
