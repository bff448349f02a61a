"""The global assignment under capacity, against the greedy baseline."""

import numpy as np

from services.matcher.pipeline.assignment import assign, greedy_assign


def test_assignment_beats_greedy_where_greedy_starves_a_commitment() -> None:
    # c0 likes p0 (0.9) and p1 (0.8); c1 can only use p0 (0.85); each programme takes one.
    c = np.array([0, 0, 1])
    p = np.array([0, 1, 0])
    s = np.array([0.9, 0.8, 0.85])
    slots = np.array([1, 1])
    cap = np.array([1, 1])
    greedy = greedy_assign(c, p, s, slots, cap)
    best = assign(c, p, s, slots, cap)
    assert greedy.tolist() == [0]  # c0 takes p0, c1 is starved
    assert best.tolist() == [1, 2]  # c0 → p1, c1 → p0
    assert s[best].sum() == 1.65 > s[greedy].sum()
    assert 1 in c[best] and 1 not in c[greedy]


def test_capacity_and_slots_are_respected() -> None:
    rng = np.random.default_rng(0)
    n_c, n_p, m = 300, 40, 8
    c = np.repeat(np.arange(n_c), m)
    p = rng.integers(0, n_p, n_c * m)
    s = rng.random(n_c * m)
    slots = rng.integers(0, 4, n_c)
    cap = rng.integers(0, 15, n_p)
    chosen = assign(c, p, s, slots, cap)
    assert (np.bincount(c[chosen], minlength=n_c) <= slots).all()
    assert (np.bincount(p[chosen], minlength=n_p) <= cap).all()
    pairs = set(zip(c[chosen].tolist(), p[chosen].tolist(), strict=True))
    assert len(pairs) == len(chosen)  # a duplicated pair is chosen at most once
    greedy = greedy_assign(c, p, s, slots, cap)
    assert s[chosen].sum() >= s[greedy].sum()


def test_unconstrained_it_takes_each_commitments_top_k() -> None:
    c = np.array([0, 0, 0, 0, 1, 1])
    p = np.array([0, 1, 2, 3, 0, 1])
    s = np.array([0.1, 0.4, 0.3, 0.2, 0.5, 0.6])
    chosen = assign(c, p, s, np.array([2, 1]), np.array([9, 9, 9, 9]))
    assert chosen.tolist() == [1, 2, 5]


def test_deterministic_and_independent_of_input_order_with_ties() -> None:
    c = np.array([0, 0, 1, 1, 2, 2])
    p = np.array([0, 1, 0, 1, 0, 1])
    s = np.full(6, 0.5)
    slots = np.ones(3, dtype=int)
    cap = np.array([1, 1])
    first = assign(c, p, s, slots, cap)
    assert all(assign(c, p, s, slots, cap).tolist() == first.tolist() for _ in range(5))
    perm = np.array([5, 3, 1, 4, 2, 0])
    again = perm[assign(c[perm], p[perm], s[perm], slots, cap)]
    assert sorted(again.tolist()) == first.tolist()
    assert len(first) == 2


def test_empty_and_zero_capacity() -> None:
    assert (
        assign(np.array([], dtype=int), np.array([], dtype=int), np.array([]), np.array([3]), np.array([1])).size == 0
    )
    assert assign(np.array([0]), np.array([0]), np.array([0.9]), np.array([3]), np.array([0])).size == 0


def test_with_room_everywhere_each_commitment_takes_its_best_and_ties_go_to_the_earlier_pair() -> None:
    rng = np.random.default_rng(3)
    for _ in range(50):
        n_c, n_p = int(rng.integers(1, 25)), int(rng.integers(1, 12))
        m = int(rng.integers(1, n_p + 1))
        c = np.repeat(np.arange(n_c), m)
        p = np.concatenate([rng.choice(n_p, size=m, replace=False) for _ in range(n_c)])
        s = np.round(rng.random(n_c * m), 1)  # many exact ties
        slots = rng.integers(0, 4, n_c)
        cap = np.full(n_p, n_c * m)  # no programme can fill up
        perm = rng.permutation(n_c * m)
        chosen = assign(c, p, s, slots, cap)
        assert chosen.tolist() == greedy_assign(c, p, s, slots, cap).tolist()
        assert sorted(perm[assign(c[perm], p[perm], s[perm], slots, cap)].tolist()) == chosen.tolist()
