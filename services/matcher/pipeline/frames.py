"""Input rows for the engine and their columnar frames: multi-hot matrices, float arrays, term counts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from services.matcher.pipeline.text import count_matrix
from shared.enums import PROGRAMME_COUNTRIES, BusinessSize, FocusArea, Instrument, Need

FOCUS_AREAS: tuple[str, ...] = tuple(f.value for f in FocusArea)
INSTRUMENTS: tuple[str, ...] = tuple(i.value for i in Instrument)
NEEDS: tuple[str, ...] = tuple(n.value for n in Need)
SIZES: tuple[str, ...] = tuple(s.value for s in BusinessSize)

Bool2D = NDArray[np.bool_]
Float1D = NDArray[np.float64]


@dataclass(frozen=True)
class CommitmentRow:
    """One commitment with the business facts the matcher needs."""

    id: str
    business_id: str
    text: str
    focus_areas: list[str]
    countries: list[str]
    needs: list[str]
    amount_usd: float | None
    business_size: str | None
    business_hq_country: str | None
    business_sectors: list[str]
    women_led: bool
    indigenous_led: bool
    fingerprint: str = ""


@dataclass(frozen=True)
class ProgramRow:
    """One partner programme with its partner's facts."""

    id: str
    partner_id: str
    partner_name: str
    partner_agency_code: str | None
    text: str
    instruments: list[str]
    focus_areas: list[str]
    countries: list[str]
    sectors: list[str]
    min_ticket_usd: float | None
    max_ticket_usd: float | None
    eligible_sizes: list[str]
    capacity_remaining: int
    active: bool
    partner_acceptance: float | None


def multi_hot(values: Sequence[Iterable[str]], vocabulary: Sequence[str]) -> Bool2D:
    """Rows x vocabulary booleans; values outside the vocabulary are ignored."""
    index = {v: i for i, v in enumerate(vocabulary)}
    rows: list[int] = []
    cols: list[int] = []
    for r, items in enumerate(values):
        for item in items:
            c = index.get(item)
            if c is not None:
                rows.append(r)
                cols.append(c)
    out = np.zeros((len(values), len(vocabulary)), dtype=np.bool_)
    out[np.asarray(rows, dtype=np.intp), np.asarray(cols, dtype=np.intp)] = True
    return out


def _floats(values: Iterable[float | None]) -> Float1D:
    return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)


def _norm_sectors(values: Iterable[str]) -> list[str]:
    """Sectors are free text: compare them trimmed and lower-cased."""
    return [v.strip().lower() for v in values if v.strip()]


def _vocabulary(*groups: Iterable[Iterable[str]]) -> tuple[str, ...]:
    return tuple(sorted({item for group in groups for items in group for item in items}))


def _remap(matrix: Bool2D, old: Sequence[str], new: Sequence[str]) -> Bool2D:
    """Re-index a multi-hot matrix's columns from one vocabulary onto a superset."""
    if tuple(old) == tuple(new):
        return matrix
    index = {v: i for i, v in enumerate(new)}
    out = np.zeros((matrix.shape[0], len(new)), dtype=np.bool_)
    out[:, [index[v] for v in old]] = matrix
    return out


def _remap_terms(counts: sp.csr_matrix, old: Sequence[str], new: Sequence[str]) -> sp.csr_matrix:
    if tuple(old) == tuple(new):
        return counts
    index = {v: i for i, v in enumerate(new)}
    mapping = np.array([index[v] for v in old], dtype=np.int64)
    m = counts.tocsr()
    return sp.csr_matrix((m.data, mapping[m.indices], m.indptr), shape=(m.shape[0], len(new)))


@dataclass(frozen=True, eq=False)
class CommitmentFrame:
    """Commitments as arrays: one row per commitment, columns per vocabulary entry."""

    ids: tuple[str, ...]
    business_ids: tuple[str, ...]
    fingerprints: tuple[str, ...]
    texts: tuple[str, ...]
    focus: Bool2D
    needs: Bool2D
    countries: Bool2D
    country_vocab: tuple[str, ...]
    size: Bool2D
    sectors: Bool2D
    sector_vocab: tuple[str, ...]
    amount: Float1D
    women_led: NDArray[np.bool_]
    indigenous_led: NDArray[np.bool_]
    local: NDArray[np.bool_]
    hq_country: tuple[str | None, ...]
    term_counts: sp.csr_matrix
    terms: tuple[str, ...]
    rows: tuple[CommitmentRow, ...] = field(default=(), repr=False)

    @classmethod
    def from_rows(cls, rows: Sequence[CommitmentRow]) -> CommitmentFrame:
        """Build the frame (country/sector vocabularies from the data, terms from the texts)."""
        country_vocab = _vocabulary([r.countries for r in rows])
        business_sectors = [_norm_sectors(r.business_sectors) for r in rows]
        sector_vocab = _vocabulary(business_sectors)
        countries = multi_hot([r.countries for r in rows], country_vocab)
        hq_index = {c: i for i, c in enumerate(country_vocab)}
        hq = np.array([hq_index.get(r.business_hq_country or "", -1) for r in rows], dtype=np.intp)
        local = np.zeros(len(rows), dtype=np.bool_)
        has_hq = hq >= 0
        local[has_hq] = countries[np.flatnonzero(has_hq), hq[has_hq]]
        counts, terms = count_matrix([r.text for r in rows])
        return cls(
            ids=tuple(r.id for r in rows),
            business_ids=tuple(r.business_id for r in rows),
            fingerprints=tuple(r.fingerprint for r in rows),
            texts=tuple(r.text for r in rows),
            focus=multi_hot([r.focus_areas for r in rows], FOCUS_AREAS),
            needs=multi_hot([r.needs for r in rows], NEEDS),
            countries=countries,
            country_vocab=country_vocab,
            size=multi_hot([[r.business_size] if r.business_size else [] for r in rows], SIZES),
            sectors=multi_hot(business_sectors, sector_vocab),
            sector_vocab=sector_vocab,
            amount=_floats(r.amount_usd for r in rows),
            women_led=np.array([r.women_led for r in rows], dtype=np.bool_),
            indigenous_led=np.array([r.indigenous_led for r in rows], dtype=np.bool_),
            local=local,
            hq_country=tuple(r.business_hq_country for r in rows),
            term_counts=counts,
            terms=tuple(terms),
            rows=tuple(rows),
        )

    def __len__(self) -> int:
        return len(self.ids)

    def block(self, rows: slice) -> CommitmentBlock:
        """Float32 copies of a slice of rows, ready for matrix products against all programmes."""
        return CommitmentBlock(
            start=rows.start or 0,
            focus=self.focus[rows].astype(np.float32),
            needs=self.needs[rows].astype(np.float32),
            countries=self.countries[rows].astype(np.float32),
            size=self.size[rows].astype(np.float32),
            sectors=self.sectors[rows].astype(np.float32),
            amount=self.amount[rows],
            women_led=self.women_led[rows],
            indigenous_led=self.indigenous_led[rows],
            local=self.local[rows],
        )

    def with_vocabularies(
        self, countries: Sequence[str], sectors: Sequence[str], terms: Sequence[str]
    ) -> CommitmentFrame:
        """The same frame re-indexed onto wider vocabularies (supersets of its own)."""
        return replace(
            self,
            countries=_remap(self.countries, self.country_vocab, countries),
            country_vocab=tuple(countries),
            sectors=_remap(self.sectors, self.sector_vocab, sectors),
            sector_vocab=tuple(sectors),
            term_counts=_remap_terms(self.term_counts, self.terms, terms),
            terms=tuple(terms),
        )


@dataclass(frozen=True, eq=False)
class CommitmentBlock:
    """A chunk of commitment rows as float32 matrices (``start`` = index of its first row)."""

    start: int
    focus: NDArray[np.float32]
    needs: NDArray[np.float32]
    countries: NDArray[np.float32]
    size: NDArray[np.float32]
    sectors: NDArray[np.float32]
    amount: Float1D
    women_led: NDArray[np.bool_]
    indigenous_led: NDArray[np.bool_]
    local: NDArray[np.bool_]

    def __len__(self) -> int:
        return int(self.focus.shape[0])

    @property
    def rows(self) -> slice:
        """The slice of the frame this block covers."""
        return slice(self.start, self.start + len(self))


@dataclass(frozen=True, eq=False)
class ProgramFrame:
    """Programmes as arrays: one row per programme, columns per vocabulary entry."""

    ids: tuple[str, ...]
    partner_ids: tuple[str, ...]
    partner_labels: tuple[str, ...]
    texts: tuple[str, ...]
    instruments: Bool2D
    focus: Bool2D
    countries: Bool2D
    country_vocab: tuple[str, ...]
    sectors: Bool2D
    sector_vocab: tuple[str, ...]
    eligible_sizes: Bool2D
    min_ticket: Float1D
    max_ticket: Float1D
    capacity: NDArray[np.int64]
    active: NDArray[np.bool_]
    acceptance: Float1D
    term_counts: sp.csr_matrix
    terms: tuple[str, ...]
    rows: tuple[ProgramRow, ...] = field(default=(), repr=False)

    @classmethod
    def from_rows(cls, rows: Sequence[ProgramRow]) -> ProgramFrame:
        """Build the frame; an empty eligible_sizes list means every size is eligible."""
        country_vocab = _vocabulary([r.countries for r in rows])
        program_sectors = [_norm_sectors(r.sectors) for r in rows]
        sector_vocab = _vocabulary(program_sectors)
        sizes = multi_hot([r.eligible_sizes for r in rows], SIZES)
        sizes[~sizes.any(axis=1)] = True
        counts, terms = count_matrix([r.text for r in rows])
        return cls(
            ids=tuple(r.id for r in rows),
            partner_ids=tuple(r.partner_id for r in rows),
            partner_labels=tuple(r.partner_agency_code or r.partner_name for r in rows),
            texts=tuple(r.text for r in rows),
            instruments=multi_hot([r.instruments for r in rows], INSTRUMENTS),
            focus=multi_hot([r.focus_areas for r in rows], FOCUS_AREAS),
            countries=multi_hot([r.countries for r in rows], country_vocab),
            country_vocab=country_vocab,
            sectors=multi_hot(program_sectors, sector_vocab),
            sector_vocab=sector_vocab,
            eligible_sizes=sizes,
            min_ticket=_floats(r.min_ticket_usd for r in rows),
            max_ticket=_floats(r.max_ticket_usd for r in rows),
            capacity=np.array([max(0, r.capacity_remaining) for r in rows], dtype=np.int64),
            active=np.array([r.active for r in rows], dtype=np.bool_),
            acceptance=_floats(r.partner_acceptance for r in rows),
            term_counts=counts,
            terms=tuple(terms),
            rows=tuple(rows),
        )

    def __len__(self) -> int:
        return len(self.ids)

    def with_vocabularies(self, countries: Sequence[str], sectors: Sequence[str], terms: Sequence[str]) -> ProgramFrame:
        """The same frame re-indexed onto wider vocabularies (supersets of its own)."""
        return replace(
            self,
            countries=_remap(self.countries, self.country_vocab, countries),
            country_vocab=tuple(countries),
            sectors=_remap(self.sectors, self.sector_vocab, sectors),
            sector_vocab=tuple(sectors),
            term_counts=_remap_terms(self.term_counts, self.terms, terms),
            terms=tuple(terms),
        )

    @cached_property
    def f32(self) -> dict[str, NDArray[np.float32]]:
        """Float32 transposes (vocabulary x programmes) of the multi-hot matrices, for matrix products."""
        return {
            "focus": np.ascontiguousarray(self.focus.T, dtype=np.float32),
            "countries": np.ascontiguousarray(self.countries.T, dtype=np.float32),
            "home_countries": np.ascontiguousarray(
                self.countries.T * np.isin(np.array(self.country_vocab), PROGRAMME_COUNTRIES)[:, None],
                dtype=np.float32,
            ),
            "sectors": np.ascontiguousarray(self.sectors.T, dtype=np.float32),
            "sizes": np.ascontiguousarray(self.eligible_sizes.T, dtype=np.float32),
            "instruments": np.ascontiguousarray(self.instruments.T, dtype=np.float32),
        }


def align(commitments: CommitmentFrame, programs: ProgramFrame) -> tuple[CommitmentFrame, ProgramFrame]:
    """Both frames on shared country, sector and term vocabularies (column i means the same on both)."""
    countries = tuple(sorted(set(commitments.country_vocab) | set(programs.country_vocab)))
    sectors = tuple(sorted(set(commitments.sector_vocab) | set(programs.sector_vocab)))
    seen = set(commitments.terms)
    terms = commitments.terms + tuple(t for t in programs.terms if t not in seen)
    return (
        commitments.with_vocabularies(countries, sectors, terms),
        programs.with_vocabularies(countries, sectors, terms),
    )
