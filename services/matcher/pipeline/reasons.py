"""Plain-language reasons for chosen pairs, built from the frames, the components and the text space."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from services.matcher.pipeline.components import COMPONENTS
from services.matcher.pipeline.filters import NEED_INSTRUMENT_MATRIX
from services.matcher.pipeline.frames import FOCUS_AREAS, INSTRUMENTS, NEEDS, CommitmentFrame, ProgramFrame
from services.matcher.pipeline.model import ScoringModel
from services.matcher.pipeline.text import TextSpace

FOCUS_LABELS: dict[str, str] = {
    "reform_agenda": "reforms for a transparent business environment",
    "digital_financial_inclusion": "digital and financial inclusion",
    "food_security_agriculture": "food security and climate-smart agriculture",
    "climate_clean_energy": "climate adaptation and clean energy",
    "education_workforce": "education and workforce development",
    "public_health": "public health",
}

COUNTRY_LABELS: dict[str, str] = {
    "GT": "Guatemala",
    "SV": "El Salvador",
    "HN": "Honduras",
    "US": "the United States",
    "MX": "Mexico",
    "NI": "Nicaragua",
    "CR": "Costa Rica",
    "PA": "Panama",
    "BZ": "Belize",
    "CO": "Colombia",
    "DO": "the Dominican Republic",
}

INSTRUMENT_LABELS: dict[str, str] = {
    "loan": "loans",
    "guarantee": "guarantees",
    "equity": "equity",
    "grant": "grants",
    "technical_assistance": "technical assistance",
    "insurance": "insurance",
    "trade_promotion": "trade promotion",
    "training": "training",
    "policy_dialogue": "policy dialogue",
    "convening": "convening",
}

NEED_LABELS: dict[str, str] = {
    "financing": "financing",
    "technical_assistance": "technical assistance",
    "government_liaison": "government liaison",
    "local_partner": "a local partner",
    "labor_compliance": "labour compliance",
    "market_access": "market access",
    "training_partner": "a training partner",
    "research_data": "research and data",
}

_FINANCIAL = ("loan", "guarantee", "equity", "grant", "insurance")


def money(value: float) -> str:
    """$950, $250K, $20M, $1.2B (one decimal at most, trailing .0 dropped)."""
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= size:
            scaled = math.floor(value / size * 10 + 0.5) / 10
            text = f"{scaled:.1f}".removesuffix(".0")
            return f"${text}{suffix}"
    return f"${value:.0f}"


def join(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def country(code: str) -> str:
    """A country's name for a sentence (its code when unknown)."""
    return COUNTRY_LABELS.get(code, code)


def _ticket_phrase(lo: float, hi: float) -> str:
    if not math.isnan(lo) and not math.isnan(hi):
        return f"of {money(lo)}\u2013{money(hi)}"
    if not math.isnan(hi):
        return f"of up to {money(hi)}"
    return f"from {money(lo)}"


def _masks(matrix: NDArray[np.bool_], rows: NDArray[np.intp]) -> dict[int, int]:
    """For each distinct row in ``rows``, its true columns as the bits of one Python int."""
    wanted = np.unique(rows)
    out = dict.fromkeys(wanted.tolist(), 0)
    r, c = np.nonzero(matrix[wanted])
    for row, col in zip(wanted[r].tolist(), c.tolist(), strict=True):
        out[row] |= 1 << col
    return out


class _Bits:
    """Bit masks decoded to ascending column indices, memoised (a few hundred distinct masks at most)."""

    def __init__(self) -> None:
        self._seen: dict[int, tuple[int, ...]] = {0: ()}

    def __call__(self, mask: int) -> tuple[int, ...]:
        found = self._seen.get(mask)
        if found is None:
            found = tuple(i for i in range(mask.bit_length()) if mask >> i & 1)
            self._seen[mask] = found
        return found


def build_reasons(
    commitments: CommitmentFrame,
    programs: ProgramFrame,
    space: TextSpace,
    commitment_idx: NDArray[np.intp],
    program_idx: NDArray[np.intp],
    component_matrix: NDArray[np.float32],
    model: ScoringModel,
    *,
    limit: int = 3,
) -> list[list[str]]:
    """Up to ``limit`` reasons per pair, strongest contribution (weight x component) first; the shared
    focus/geography sentence always leads.

    Set overlaps are bit masks (one int per row and vocabulary), and every phrase that depends only on
    a mask, a programme or an amount is built once and reused, so the per-pair work is a few lookups.
    """
    col = {name: i for i, name in enumerate(COMPONENTS)}
    weights = model.vector(COMPONENTS)
    k_ticket, k_need, k_text = col["ticket_fit"], col["need_instrument"], col["text"]
    k_inclusion, k_sector, k_history = col["inclusion"], col["sector"], col["partner_history"]
    contrib = (component_matrix.astype(np.float64) * weights[None, :]).tolist()
    values = component_matrix.tolist()
    answers = (programs.instruments.astype(np.int32) @ NEED_INSTRUMENT_MATRIX.T.astype(np.int32)) > 0
    c_focus = _masks(commitments.focus, commitment_idx)
    c_countries = _masks(commitments.countries, commitment_idx)
    c_needs = _masks(commitments.needs, commitment_idx)
    c_sectors = _masks(commitments.sectors, commitment_idx)
    p_focus, p_countries = _masks(programs.focus, program_idx), _masks(programs.countries, program_idx)
    p_answers, p_sectors = _masks(answers, program_idx), _masks(programs.sectors, program_idx)
    p_instruments = _masks(programs.instruments, program_idx)
    terms_all = space.shared_terms_many(commitment_idx, program_idx, limit=3)
    skip_terms = {"guatemala", "el_salvador", "honduras", "central_america"}
    bits = _Bits()
    amounts = commitments.amount.tolist()
    min_tickets, max_tickets = programs.min_ticket.tolist(), programs.max_ticket.tolist()
    acceptances = programs.acceptance.tolist()
    women_led, indigenous_led = commitments.women_led.tolist(), commitments.indigenous_led.tolist()
    local = commitments.local.tolist()

    leads: dict[tuple[int, int], str] = {}
    needs_phrases: dict[tuple[int, int], str] = {}
    sector_phrases: dict[int, str] = {}
    ticket_phrases: dict[int, str] = {}
    inclusion_phrases: dict[int, str] = {}
    money_of: dict[float, str] = {}

    def lead(focus_mask: int, country_mask: int) -> str:
        key = (focus_mask, country_mask)
        found = leads.get(key)
        if found is None:
            places = join([country(commitments.country_vocab[i]) for i in bits(country_mask)])
            areas = [FOCUS_LABELS.get(FOCUS_AREAS[i], FOCUS_AREAS[i]) for i in bits(focus_mask)]
            found = f"Both work on {join(areas)} in {places}" if areas else f"Both are active in {places}"
            leads[key] = found
        return found

    def ticket(pj: int) -> str:
        """'<label> <kind> <range>' for a programme (the amount is added per pair)."""
        found = ticket_phrases.get(pj)
        if found is None:
            kinds = [INSTRUMENTS[i] for i in bits(p_instruments[pj])]
            money_kind = next((INSTRUMENT_LABELS[i] for i in kinds if i in _FINANCIAL), "tickets")
            phrase = _ticket_phrase(min_tickets[pj], max_tickets[pj])
            found = f"{programs.partner_labels[pj]} {money_kind} {phrase} fit the "
            ticket_phrases[pj] = found
        return found

    def needs_phrase(needs_mask: int, pj: int) -> str:
        key = (needs_mask, pj)
        found = needs_phrases.get(key)
        if found is None:
            needs = list(bits(needs_mask))
            instruments = [
                INSTRUMENT_LABELS[INSTRUMENTS[i]]
                for i in bits(p_instruments[pj])
                if NEED_INSTRUMENT_MATRIX[needs, i].any()
            ]
            found = (
                f"{programs.partner_labels[pj]} offers {join(instruments)} for the stated need for "
                f"{join([NEED_LABELS[NEEDS[n]] for n in needs])}"
            )
            needs_phrases[key] = found
        return found

    def sector_phrase(sector_mask: int) -> str:
        found = sector_phrases.get(sector_mask)
        if found is None:
            found = f"Both serve the {join([commitments.sector_vocab[i] for i in bits(sector_mask)])} sector"
            sector_phrases[sector_mask] = found
        return found

    def inclusion_phrase(ci: int) -> str:
        found = inclusion_phrases.get(ci)
        if found is None:
            flags = (("women-led", women_led[ci]), ("indigenous-led", indigenous_led[ci]))
            traits = [t for t, on in flags if on]
            who = f"a {join(traits)} business" if traits else "a business"
            if local[ci]:
                who += f" based in {country(commitments.hq_country[ci] or '')}"
            found = f"Inclusion priority: {who}"
            inclusion_phrases[ci] = found
        return found

    def money_text(amount: float) -> str:
        found = money_of.get(amount)
        if found is None:
            found = money_of[amount] = money(amount)
        return found

    out: list[list[str]] = []
    for k, (ci, pj) in enumerate(zip(commitment_idx.tolist(), program_idx.tolist(), strict=True)):
        found: list[tuple[float, str]] = []
        row_values, row_contrib = values[k], contrib[k]

        amount = amounts[ci]
        lo, hi = min_tickets[pj], max_tickets[pj]
        if not math.isnan(amount) and not (math.isnan(lo) and math.isnan(hi)) and row_values[k_ticket] >= 0.999:
            found.append((row_contrib[k_ticket], f"{ticket(pj)}{money_text(amount)} commitment"))

        needs_mask = c_needs[ci] & p_answers[pj]
        if needs_mask:
            found.append((row_contrib[k_need], needs_phrase(needs_mask, pj)))

        terms = [t.replace("_", " ") for t in terms_all[k] if t not in skip_terms]
        if terms and row_values[k_text] > 0.05:
            found.append((row_contrib[k_text], f"The descriptions share: {', '.join(terms)}"))

        if women_led[ci] or indigenous_led[ci] or local[ci]:
            found.append((row_contrib[k_inclusion], inclusion_phrase(ci)))

        sector_mask = c_sectors[ci] & p_sectors[pj]
        if sector_mask:
            found.append((row_contrib[k_sector], sector_phrase(sector_mask)))

        acceptance = acceptances[pj]
        if not math.isnan(acceptance) and acceptance >= 0.6:
            found.append(
                (
                    row_contrib[k_history],
                    f"{programs.partner_labels[pj]} accepted {acceptance:.0%} of its past introductions",
                )
            )

        found.sort(key=lambda item: -item[0])
        out.append(
            [
                lead(c_focus[ci] & p_focus[pj], c_countries[ci] & p_countries[pj]),
                *[text for _, text in found[: limit - 1]],
            ]
        )
    return out
