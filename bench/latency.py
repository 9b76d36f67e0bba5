"""Small statistics helpers the benchmarks share."""

from __future__ import annotations


def percentile(samples: list[float], pct: float) -> float:
    if not samples:
        raise ValueError("samples: need at least one measurement")
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]
