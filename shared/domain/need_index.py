"""The need index of a region: its indicators ranked among its peers, weighted, with the coverage stated.

Pure functions over plain values (no database), so the API, the feedback on a draft and the
matcher compute the same figure from the same inputs.

How a unit's index is made, step by step (each step is reported back in `NeedFigure`):

1. **Peers.** Units are compared only with units of the same country and level (Guatemala's 340
   municipalities with one another; its 22 departments with one another).
2. **Values.** For each weighted indicator, the unit's value of the latest year it has. Where it
   has none, an indicator that `stands_in_for` it may be used instead (a department's survey
   estimate of poverty for the municipal model's), and the figure says so.
3. **Normalised.** Each value becomes its percentile among the peers that have the same
   indicator: 0 for the least need, 1 for the most (ties share their middle rank; an indicator
   where lower means more need is turned round). Fewer than two peers with a value cannot be
   ranked: the indicator counts as missing.
4. **Weighted.** The index is the weighted mean of the percentiles the unit has, times 100.
   `coverage` is the share of the total weight those indicators carry. Below `min_coverage` the
   index is **unknown** (`None`), never 0: a place without data is not a place without need.
5. **Ranked.** Units with a known index are ranked among their peers (1 = most need).
"""

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from shared.enums import NeedDirection


class NeedStatus(StrEnum):
    """`known`: an index with enough coverage; `partial`: some indicators, too few for an index;
    `unknown`: no indicator at all."""

    KNOWN = "known"
    PARTIAL = "partial"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class IndicatorRule:
    """What the index needs to know of a catalogue indicator."""

    code: str
    direction: NeedDirection
    stands_in_for: str | None = None


@dataclass(frozen=True, slots=True)
class Observation:
    """A current value: one unit, one indicator, one year."""

    region_id: str
    indicator: str
    year: int
    value: float
    source_id: str


@dataclass(frozen=True, slots=True)
class Component:
    """One weighted indicator of a unit's index: the value used, where it came from, its percentile."""

    indicator: str
    used: str
    weight: float
    value: float
    year: int
    source_id: str
    percentile: float
    compared_with: int


@dataclass(frozen=True, slots=True)
class NeedFigure:
    region_id: str
    status: NeedStatus
    index: float | None
    coverage: float
    components: tuple[Component, ...]
    missing: tuple[str, ...]
    rank: int | None = None
    peers: int = 0

    @property
    def known(self) -> bool:
        return self.index is not None


#: "Highest need": a rank within this share of the peers (the highest-need fifth).
HIGHEST_NEED_SHARE = 0.2


def in_highest_need_fifth(figure: "NeedFigure | None") -> bool:
    """Among the highest-need fifth of its peers (a known index only)."""
    return bool(figure and figure.rank is not None and figure.rank <= max(1, round(figure.peers * HIGHEST_NEED_SHARE)))


@dataclass(frozen=True, slots=True)
class NeedMethod:
    """The weights in force and the weighted codes the catalogue could not use (unknown or `context`)."""

    weights: Mapping[str, float]
    min_coverage: float
    ignored: tuple[str, ...]


def method(weights: Mapping[str, float], rules: Mapping[str, IndicatorRule], min_coverage: float) -> NeedMethod:
    """The usable weights: positive, on catalogue indicators that say more or less need."""
    usable = {
        code: weight
        for code, weight in weights.items()
        if weight > 0 and code in rules and rules[code].direction is not NeedDirection.CONTEXT
    }
    ignored = tuple(sorted(code for code in weights if code not in usable))
    return NeedMethod(dict(sorted(usable.items())), min_coverage, ignored)


def percentiles(values: Mapping[str, float]) -> dict[str, float]:
    """Each key's mid-rank percentile among the values, in [0, 1]; empty for fewer than two values."""
    if len(values) < 2:
        return {}
    ordered = sorted(values.values())
    last = len(ordered) - 1
    result: dict[str, float] = {}
    for key, value in values.items():
        below = bisect_left(ordered, value)
        equal = bisect_right(ordered, value) - below
        result[key] = (below + (equal - 1) / 2) / last
    return result


def latest(observations: Iterable[Observation]) -> dict[tuple[str, str], Observation]:
    """Each (unit, indicator)'s observation of the latest year."""
    found: dict[tuple[str, str], Observation] = {}
    for observation in observations:
        key = (observation.region_id, observation.indicator)
        if key not in found or observation.year > found[key].year:
            found[key] = observation
    return found


def need_index(
    peer_groups: Mapping[str, tuple[str, str]],
    observations: Iterable[Observation],
    rules: Mapping[str, IndicatorRule],
    weights: Mapping[str, float],
    min_coverage: float,
) -> dict[str, NeedFigure]:
    """The need figure of every unit in `peer_groups` (unit → its (country, level)).

    `observations` are current values (any years); units without any are `unknown`.
    """
    rule_set = method(weights, rules, min_coverage)
    values = latest(observations)
    stand_ins: dict[str, list[str]] = defaultdict(list)
    for rule in sorted(rules.values(), key=lambda r: r.code):
        if rule.stands_in_for:
            stand_ins[rule.stands_in_for].append(rule.code)

    # percentile of each (unit, code) among the peers with the same code
    by_group: dict[tuple[str, str, str], dict[str, float]] = defaultdict(dict)
    for (unit, code), observation in values.items():
        group = peer_groups.get(unit)
        if group is not None:
            by_group[(*group, code)][unit] = observation.value
    ranked: dict[tuple[str, str], tuple[float, int]] = {}
    for (_, _, code), group_values in by_group.items():
        turn = rules[code].direction is NeedDirection.LESS_NEED if code in rules else False
        for unit, share in percentiles(group_values).items():
            ranked[(unit, code)] = (1 - share if turn else share, len(group_values))

    total = sum(rule_set.weights.values())
    figures: dict[str, NeedFigure] = {}
    for unit in peer_groups:
        components: list[Component] = []
        missing: list[str] = []
        for code, weight in rule_set.weights.items():
            used = next((c for c in (code, *stand_ins[code]) if (unit, c) in ranked), None)
            if used is None:
                missing.append(code)
                continue
            observation = values[(unit, used)]
            share, compared_with = ranked[(unit, used)]
            components.append(
                Component(
                    code, used, weight, observation.value, observation.year, observation.source_id, share, compared_with
                )
            )
        covered = sum(c.weight for c in components)
        coverage = covered / total if total else 0.0
        if not components:
            status, index = NeedStatus.UNKNOWN, None
        elif coverage + 1e-9 < min_coverage:
            status, index = NeedStatus.PARTIAL, None
        else:
            status, index = NeedStatus.KNOWN, 100 * sum(c.weight * c.percentile for c in components) / covered
        figures[unit] = NeedFigure(unit, status, index, coverage, tuple(components), tuple(missing))
    return _ranked(figures, peer_groups)


def _ranked(figures: dict[str, NeedFigure], peer_groups: Mapping[str, tuple[str, str]]) -> dict[str, NeedFigure]:
    """Rank known indices within each peer group: 1 = most need; equal indices share a rank."""
    groups: dict[tuple[str, str], list[float]] = defaultdict(list)
    for unit, figure in figures.items():
        if figure.index is not None:
            groups[peer_groups[unit]].append(-figure.index)
    for negated in groups.values():
        negated.sort()
    result: dict[str, NeedFigure] = {}
    for unit, figure in figures.items():
        if figure.index is None:
            result[unit] = figure
            continue
        negated = groups[peer_groups[unit]]
        above = bisect_left(negated, -figure.index)
        result[unit] = NeedFigure(
            figure.region_id,
            figure.status,
            figure.index,
            figure.coverage,
            figure.components,
            figure.missing,
            rank=above + 1,
            peers=len(negated),
        )
    return result
