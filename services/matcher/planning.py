"""Planning a run's writes: the rules that always hold around the engine's choice.

Decided matches are never touched; an open pair is never duplicated (kept when chosen again with
the same data and model); a declined pair is proposed again only when its data changed; a
proposal not chosen again is superseded. Pure: rows in, a `Plan` out.
"""

import uuid
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from services.matcher import repository
from services.matcher.pipeline import engine as scoring
from services.matcher.pipeline.frames import CommitmentRow
from services.matcher.pipeline.model import ScoringModel
from services.matcher.repository import KnownMatch, NewProposal
from shared.config import Settings
from shared.enums import MatchStatus

DECIDED_OPEN = frozenset({MatchStatus.APPROVED.value, MatchStatus.INTRODUCED.value})
#: Decided statuses whose pair is proposed again only once its data changed (a new fingerprint).
REPROPOSABLE_WHEN_CHANGED = frozenset({MatchStatus.DECLINED.value, MatchStatus.NO_PARTNERSHIP.value})


@dataclass
class Plan:
    """What a run decided, before it is written."""

    insert: list[NewProposal] = field(default_factory=list)
    supersede: list[uuid.UUID] = field(default_factory=list)
    kept: int = 0
    skipped_declined: int = 0
    engine_counts: dict[str, int] = field(default_factory=dict)


class Planner:
    """The rules that always hold, around the engine's choice:
    decided matches are never touched; an open pair is never duplicated (kept when chosen again
    with the same data and model); a declined pair is proposed again only when its data changed;
    a proposal not chosen again is superseded."""

    def __init__(
        self,
        commitments: list[CommitmentRow],
        programs: repository.ProgramRows,
        known: list[KnownMatch],
        settings: Settings,
    ) -> None:
        self._program_digest = programs.digests
        self._commitment_digest = {c.id: c.fingerprint for c in commitments}
        self._business_of = {c.id: c.business_id for c in commitments}
        self.excluded: set[tuple[str, str]] = set()
        self.proposed: dict[tuple[str, str], KnownMatch] = {}
        decided_open: Counter[str] = Counter()
        for m in known:
            pair = (m.commitment_id, m.program_id)
            if m.status == MatchStatus.PROPOSED.value:
                self.proposed[pair] = m
            elif m.status in DECIDED_OPEN:
                self.excluded.add(pair)
                decided_open[m.commitment_id] += 1
            elif m.status in REPROPOSABLE_WHEN_CHANGED:
                if m.fingerprint == self.fingerprint(*pair):
                    self.excluded.add(pair)
            else:  # partnership_formed: that introduction already happened
                self.excluded.add(pair)
        self.skipped_declined = sum(
            1
            for m in known
            if m.status in REPROPOSABLE_WHEN_CHANGED and (m.commitment_id, m.program_id) in self.excluded
        )
        self.open_slots = np.array([settings.matcher_top_k - decided_open[c.id] for c in commitments], dtype=np.intp)

    def fingerprint(self, commitment_id: str, program_id: str) -> str | None:
        c_digest = self._commitment_digest.get(commitment_id)
        p_digest = self._program_digest.get(program_id)
        if c_digest is None or p_digest is None:
            return None  # the program is inactive now: nothing to re-propose anyway
        return repository.pair_fingerprint(c_digest, p_digest)

    def writes(self, chosen: scoring.Proposals, model: ScoringModel) -> Plan:
        """The engine's choice turned into inserts and supersedes."""
        plan = Plan(skipped_declined=self.skipped_declined, engine_counts=chosen.counts())
        chosen_pairs: set[tuple[str, str]] = set()
        names = chosen.component_names
        components = [[round(v, 6) for v in row] for row in chosen.component_matrix.tolist()]
        scores = [round(v, 6) for v in chosen.scores.tolist()]
        for k, pair in enumerate(zip(chosen.commitment_ids, chosen.program_ids, strict=True)):
            chosen_pairs.add(pair)
            pair_fingerprint = self.fingerprint(*pair) or ""
            existing = self.proposed.get(pair)
            if (
                existing is not None
                and existing.fingerprint == pair_fingerprint
                and existing.model_version == model.version
            ):
                plan.kept += 1
                continue
            if existing is not None:
                plan.supersede.append(existing.id)
            plan.insert.append(
                NewProposal(
                    commitment_id=pair[0],
                    program_id=pair[1],
                    partner_id=chosen.partner_ids[k],
                    business_id=self._business_of[pair[0]],
                    score=scores[k],
                    components=dict(zip(names, components[k], strict=True)),
                    reasons=chosen.reasons[k],
                    fingerprint=pair_fingerprint,
                )
            )
        plan.supersede.extend(m.id for pair, m in self.proposed.items() if pair not in chosen_pairs)
        return plan
