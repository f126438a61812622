"""Cut a run of items of known heights into as few slides as fit, then balance the slides (pure)."""
from __future__ import annotations

import math


def split(heights: list[float], cap: float, max_items: int) -> list[list[int]]:
    """Cut items (kept whole, in order) into as few chunks as fit `cap` and `max_items`, then balance the chunks:
    of the cuts into that many chunks, the one whose tallest chunk is lowest (ties: each chunk starts as early as
    it can, scanning from the last chunk back).

    Linear in the items (times the items one chunk can hold, squared): a chunk i..j-1 fits when it is one item or
    at most `max_items` whose sum is at most `cap`, so only the few chunk starts within a chunk's reach of j are
    tried, and only chunk counts that can still end in the fewest chunks overall are kept per position."""
    m = len(heights)
    if m == 0:
        return [[]]
    # starts[j]: the earliest i such that items i..j-1 fit one chunk (sums as sum() adds them, so ties stay ties)
    sums: list[list[float]] = [[]]  # sums[j][j - 1 - i] = sum(heights[i:j]) for i from j-1 down to starts[j]
    starts = [0] * (m + 1)
    for j in range(1, m + 1):
        row = [heights[j - 1]]
        i = j - 1
        while i > 0 and j - (i - 1) <= max_items:
            s = sum(heights[i - 1:j])
            if s > cap:
                break
            row.append(s)
            i -= 1
        starts[j] = i
        sums.append(row)
    # fewest chunks: from the front (greedy is optimal for this prefix structure) and, for every suffix, from the back
    fewest_to = [0] * (m + 1)  # fewest chunks covering items 0..j-1
    for j in range(1, m + 1):
        fewest_to[j] = fewest_to[starts[j]] + 1
    # the greedy count from the front, as first cut: the longest chunk that fits from each start
    count, i = 0, 0
    reach = _reach(heights, cap, max_items)
    while i < m:
        count, i = count + 1, reach[i]
    fewest_from = [0] * (m + 1)  # fewest chunks covering items i..m-1
    for i in range(m - 1, -1, -1):
        fewest_from[i] = fewest_from[reach[i]] + 1
    # balance: best[j][k] = the lowest tallest chunk of a cut of items 0..j-1 into k chunks (k only where a cut of
    # all items into `count` chunks can pass), cut[j][k] the start of its last chunk (the earliest that gives it)
    inf = math.inf
    best: list[dict[int, float]] = [{0: 0.0}] + [{} for _ in range(m)]
    cut: list[dict[int, int]] = [{} for _ in range(m + 1)]
    for j in range(1, m + 1):
        row, lo = sums[j], starts[j]
        for k in range(max(1, fewest_to[j]), count - fewest_from[j] + 1):
            b, c = inf, 0
            for i in range(lo, j):  # ascending: a later start replaces an earlier only when strictly better
                prev = best[i].get(k - 1, inf)
                if prev < inf:
                    v = max(prev, row[j - 1 - i])
                    if v < b - 1e-9:
                        b, c = v, i
            if b < inf:
                best[j][k], cut[j][k] = b, c
    chunks, j = [], m
    for k in range(count, 0, -1):
        i = cut[j][k]
        chunks.append(list(range(i, j)))
        j = i
    return chunks[::-1]


def _reach(heights: list[float], cap: float, max_items: int) -> list[int]:
    """For each start i, the end j of the longest chunk i..j-1 that fits (at least one item)."""
    m = len(heights)
    out = [0] * m
    for i in range(m):
        j = i + 1
        while j < m and j + 1 - i <= max_items and sum(heights[i:j + 1]) <= cap:
            j += 1
        out[i] = j
    return out
