"""A histogram as plain numbers, merged across partitions at scrape time."""

from bisect import bisect_left
from dataclasses import dataclass, field


@dataclass
class Histogram:
    edges: tuple[float, ...]
    counts: list[int] = field(default_factory=list)
    total: float = 0.0

    def __post_init__(self) -> None:
        if not self.counts:
            self.counts = [0] * (len(self.edges) + 1)

    def observe(self, value: float) -> None:
        # Prometheus buckets are inclusive upper bounds: `le` means <=.
        self.counts[bisect_left(self.edges, value)] += 1
        self.total += value

    @property
    def count(self) -> int:
        return sum(self.counts)

    def cumulative(self) -> list[tuple[str, float]]:
        """Buckets as Prometheus wants them: (le, count of values <= le)."""
        running = 0
        buckets: list[tuple[str, float]] = []
        for edge, count in zip(self.edges, self.counts, strict=False):
            running += count
            buckets.append((format_edge(edge), running))
        buckets.append(("+Inf", running + self.counts[-1]))
        return buckets


def format_edge(edge: float) -> str:
    return repr(float(edge))
