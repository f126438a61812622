"""The slide splitter: fewest chunks that fit, balanced, exactly as the trial-split reference cuts them, in linear time."""
from __future__ import annotations

import math
import random

import pytest

from deckgen.layout.split import split


def reference(heights: list[float], cap: float, max_items: int) -> list[list[int]]:
    """The former splitter (every start tried for every chunk count and end): the cut the linear one must give."""
    m = len(heights)
    if m == 0:
        return [[]]

    def fits(i: int, j: int) -> bool:
        return j - i == 1 or (j - i <= max_items and sum(heights[i:j]) <= cap)

    count, i = 0, 0
    while i < m:
        j = i + 1
        while j < m and fits(i, j + 1):
            j += 1
        count, i = count + 1, j
    inf = math.inf
    best = [[inf] * (count + 1) for _ in range(m + 1)]
    cut = [[0] * (count + 1) for _ in range(m + 1)]
    best[0][0] = 0.0
    for j in range(1, m + 1):
        for k in range(1, count + 1):
            for i in range(k - 1, j):
                if best[i][k - 1] < inf and fits(i, j):
                    v = max(best[i][k - 1], sum(heights[i:j]))
                    if v < best[j][k] - 1e-9:
                        best[j][k], cut[j][k] = v, i
    chunks, j = [], m
    for k in range(count, 0, -1):
        i = cut[j][k]
        chunks.append(list(range(i, j)))
        j = i
    return chunks[::-1]


def test_empty_is_one_empty_chunk():
    assert split([], 100.0, 8) == [[]]


def test_items_that_fit_stay_on_one_slide():
    assert split([10.0, 20.0, 30.0], 100.0, 8) == [[0, 1, 2]]


def test_chunks_are_balanced_not_greedy():
    # greedy would cut 4 + 1; the balanced cut is 3 + 2 (or 2 + 3: the tallest chunk decides)
    chunks = split([30.0] * 5, 120.0, 8)
    assert len(chunks) == 2 and sorted(len(c) for c in chunks) == [2, 3]


def test_max_items_limits_a_chunk():
    chunks = split([1.0] * 17, 1000.0, 8)
    assert len(chunks) == 3 and max(len(c) for c in chunks) <= 8
    assert [i for c in chunks for i in c] == list(range(17))


def test_an_item_taller_than_the_cap_stands_alone():
    assert split([10.0, 500.0, 10.0], 100.0, 8) == [[0], [1], [2]]


@pytest.mark.parametrize("seed", range(60))
def test_same_cut_as_the_reference(seed):
    rnd = random.Random(seed)
    m = rnd.randint(1, 60)
    kind = seed % 3
    if kind == 0:  # agenda-like: equal heights with a few taller entries
        heights = [rnd.choice([30.0, 30.0, 30.0, 58.5]) for _ in range(m)]
    elif kind == 1:  # bullets: varied, some taller than the cap
        heights = [round(rnd.uniform(5, 180), 2) for _ in range(m)]
    else:  # table rows: many small, with float sums that tie only by accident
        heights = [rnd.uniform(8, 40) for _ in range(m)]
    cap = rnd.choice([100.0, 150.0, 300.0])
    max_items = rnd.choice([1, 2, 4, 8, 99])
    assert split(heights, cap, max_items) == reference(heights, cap, max_items)


def test_thousands_of_items_are_cut_into_the_fewest_chunks_that_fit():
    heights = [30.0 if i % 7 else 61.0 for i in range(3000)]
    chunks = split(heights, 300.0, 8)  # the former splitter took minutes here
    assert [i for c in chunks for i in c] == list(range(3000))
    assert all(len(c) <= 8 and sum(heights[i] for i in c) <= 300.0 for c in chunks)
    greedy, run = 0, []  # the fewest chunks: greedy from the front
    for h in heights:
        if run and (len(run) == 8 or sum(run) + h > 300.0):
            greedy, run = greedy + 1, []
        run.append(h)
    assert len(chunks) == greedy + 1
