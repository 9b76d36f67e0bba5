"""Pool health figures folded from lead events (pure: no Kafka, no HTTP).

Each worker folds the events of its partitions; since every lead's events
share one partition, Prometheus sums the workers' series into the total.
"""

from collections import OrderedDict

from prometheus_client import CollectorRegistry, Counter, Gauge

from schemas.events import LeadClaimed, LeadEvent, LeadReturned, LeadStocked

SEEN_EVENTS = 100_000  # event ids remembered for dropping redelivered copies


class PoolFigures:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.added = Counter(
            "leadpool_leads_added",
            "Leads taken into a pool's inventory",
            ["pool"],
            registry=registry,
        )
        self.claimed = Counter(
            "leadpool_leads_claimed",
            "Leads claimed from a pool, by hand or auto-assignment",
            ["pool"],
            registry=registry,
        )
        self.returned = Counter(
            "leadpool_leads_returned",
            "Claimed leads returned to their pool",
            ["pool", "reason"],
            registry=registry,
        )
        self.depth = Gauge(
            "leadpool_pool_depth",
            "Leads available for claiming in a pool",
            ["pool"],
            registry=registry,
        )
        self._seen: OrderedDict[str, None] = OrderedDict()

    def fold(self, event: LeadEvent) -> bool:
        """Apply one event; False when it is a copy already applied."""
        if event.event_id in self._seen:
            return False
        self._remember(event.event_id)

        match event:
            case LeadStocked(pool=pool):
                self.added.labels(pool).inc()
                self.depth.labels(pool).inc()
            case LeadClaimed(pool=pool):
                self.claimed.labels(pool).inc()
                self.depth.labels(pool).dec()
            case LeadReturned(pool=pool, reason=reason):
                self.returned.labels(pool, reason.value).inc()
                self.depth.labels(pool).inc()
        return True

    def _remember(self, event_id: str) -> None:
        self._seen[event_id] = None
        if len(self._seen) > SEEN_EVENTS:
            self._seen.popitem(last=False)
