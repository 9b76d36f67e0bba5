"""Hygiene: the cost of one aging sweep against the size of the pool.

Pure and in-process. Each pool holds N waiting leads of which a fixed 100
(1% of the 10 thousand pool) have just crossed the 24 h band; the rest
are an hour old. A heap sweep pops only those due, so its cost should
barely move from 10 thousand to 1 million leads (`sweep_growth` < 3).
The 1%-of-each-pool run shows the cost per due lead stays flat as well.
"""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from schemas.config.hygiene import Aging
from services.hygiene.aging import AgingBook

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
FIXED_DUE = 100
REPEATS = 3


def filled(size: int, due: int) -> AgingBook:
    book = AgingBook(Aging())
    fresh, aged = NOW - timedelta(hours=1), NOW - timedelta(hours=25)
    for n in range(size):
        book.track(f"lead-{n}", "warm", 60, aged if n < due else fresh)
    return book


def sweep_ms(size: int, due: int, repeats: int) -> float:
    timings = []
    for _ in range(repeats):
        book = filled(size, due)
        started = time.perf_counter()
        reached = book.due(NOW)
        timings.append((time.perf_counter() - started) * 1000)
        assert len(reached) == due, f"expected {due} due, swept {len(reached)}"
    return statistics.median(timings)


def run(ctx: Any) -> dict[str, float]:
    fixed = {size: sweep_ms(size, FIXED_DUE, REPEATS) for size in (10_000, 100_000)}
    fixed[1_000_000] = sweep_ms(1_000_000, FIXED_DUE, 1)
    one_pct_10k = sweep_ms(10_000, 100, REPEATS)
    one_pct_1m = sweep_ms(1_000_000, 10_000, 1)
    return {
        "sweep_ms_10k": round(fixed[10_000], 4),
        "sweep_ms_100k": round(fixed[100_000], 4),
        "sweep_ms_1m": round(fixed[1_000_000], 4),
        "sweep_growth": round(fixed[1_000_000] / fixed[10_000], 3),
        "sweep_us_per_due_10k_1pct": round(one_pct_10k * 1000 / 100, 3),
        "sweep_us_per_due_1m_1pct": round(one_pct_1m * 1000 / 10_000, 3),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(None), indent=2))  # noqa: T201
