"""Cut a run of items of known heights into as few slides as fit, then balance the slides (pure)."""
from __future__ import annotations

import math


def split(heights: list[float], cap: float, max_items: int) -> list[list[int]]:
    """Cut items (kept whole, in order) into as few chunks as fit `cap` and `max_items`, then balance the chunks."""
    m = len(heights)
    if m == 0:
        return [[]]

    def fits(i: int, j: int) -> bool:  # items i..j-1 in one chunk; an item alone always "fits"
        return j - i == 1 or (j - i <= max_items and sum(heights[i:j]) <= cap)

    # fewest chunks (greedy is optimal for this prefix structure)
    count, i = 0, 0
    while i < m:
        j = i + 1
        while j < m and fits(i, j + 1):
            j += 1
        count, i = count + 1, j
    # balance: among cuts into `count` chunks, minimise the tallest chunk
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
