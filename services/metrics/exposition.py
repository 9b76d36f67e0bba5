"""Rendering the figures for Prometheus, merged from the owned partitions.

Counters and histograms carry a `partition` label: when a partition moves
to another worker its series stops here and starts there with the same
value, so `sum(rate(...))` sees neither a reset nor a jump. Gauges are
summed over the owned partitions; Prometheus sums the workers.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from prometheus_client.samples import Sample

from schemas.config import LeadpoolConfig
from services.common.clock import Clock
from services.metrics.partition import PartitionFigures
from services.metrics.policy import HOUR_S, claim_capacity_per_day, optimal_depth


@dataclass(frozen=True)
class CounterSpec:
    name: str
    documentation: str
    labels: tuple[str, ...]


COUNTER_SPECS = {
    "added": CounterSpec(
        "leadpool_leads_added", "Leads stocked into a pool", ("pool",)
    ),
    "claimed": CounterSpec(
        "leadpool_leads_claimed",
        "Leads claimed from a pool (how: claim or auto)",
        ("pool", "how"),
    ),
    "returned": CounterSpec(
        "leadpool_leads_returned",
        "Claimed leads returned to their pool",
        ("pool", "reason"),
    ),
    "contacted": CounterSpec(
        "leadpool_leads_contacted", "First contacts after a claim", ("pool",)
    ),
    "contact_violations": CounterSpec(
        "leadpool_contact_sla_violations",
        "Claims not contacted within the claim-to-contact SLA",
        ("pool",),
    ),
    "outcomes": CounterSpec(
        "leadpool_lead_outcomes",
        "Leads reaching an outcome (each lead counted once per outcome)",
        ("pool", "outcome"),
    ),
    "won_value": CounterSpec(
        "leadpool_won_deal_value", "Deal size summed over closed-won leads", ("pool",)
    ),
    "transfers": CounterSpec(
        "leadpool_leads_transferred", "Leads moved out of a pool", ("pool",)
    ),
    "transfer_requests": CounterSpec(
        "leadpool_transfer_requests", "Manual transfer requests", ("pool",)
    ),
    "transfer_decisions": CounterSpec(
        "leadpool_transfer_decisions",
        "Manual transfer requests decided",
        ("pool", "approved"),
    ),
    "removed": CounterSpec(
        "leadpool_leads_removed",
        "Leads removed from the active pool",
        ("pool", "destination"),
    ),
    "reinstated": CounterSpec(
        "leadpool_leads_reinstated",
        "Leads sent back to a pool from review, their data fixed",
        ("pool",),
    ),
    "escalated": CounterSpec(
        "leadpool_leads_escalated", "Leads moved up a pool's priority", ("pool",)
    ),
    "band_added": CounterSpec(
        "leadpool_band_leads_added", "Leads stocked, by score band", ("band",)
    ),
    "source_added": CounterSpec(
        "leadpool_source_leads_added", "Leads stocked, by source", ("source",)
    ),
    "source_claimed": CounterSpec(
        "leadpool_source_leads_claimed", "Leads claimed, by source", ("source",)
    ),
    "source_returned": CounterSpec(
        "leadpool_source_leads_returned",
        "Claimed leads given back, by source and reason",
        ("source", "reason"),
    ),
    "source_outcomes": CounterSpec(
        "leadpool_source_outcomes",
        "Lead outcomes, by the source the lead came from",
        ("source", "outcome"),
    ),
    "band_outcomes": CounterSpec(
        "leadpool_band_outcomes",
        "Lead outcomes, by score band at stocking",
        ("band", "outcome"),
    ),
    "rep_claims": CounterSpec(
        "leadpool_rep_claims", "Claims by rep (hoarding signal)", ("rep",)
    ),
    "rep_contacts": CounterSpec(
        "leadpool_rep_contacts", "First contacts by rep (hoarding signal)", ("rep",)
    ),
    "added_by_weekday": CounterSpec(
        "leadpool_leads_added_by_weekday",
        "Leads stocked, by pool quality and local weekday",
        ("quality", "weekday"),
    ),
    "added_by_hour": CounterSpec(
        "leadpool_leads_added_by_hour",
        "Leads stocked, by pool quality and local hour",
        ("quality", "hour"),
    ),
    "claimed_by_weekday": CounterSpec(
        "leadpool_leads_claimed_by_weekday",
        "Leads claimed, by pool quality and local weekday",
        ("quality", "weekday"),
    ),
    "claimed_by_hour": CounterSpec(
        "leadpool_leads_claimed_by_hour",
        "Leads claimed, by pool quality and local hour",
        ("quality", "hour"),
    ),
    "refused": CounterSpec(
        "leadpool_events_refused",
        "Messages on the event log that are no known lead event (see the log)",
        (),
    ),
}

HISTOGRAM_SPECS = {
    "time_to_claim": ("leadpool_time_to_claim_seconds", "Pool entry to claim"),
    "claim_to_contact": ("leadpool_claim_to_contact_seconds", "Claim to contact"),
    "sales_cycle": ("leadpool_sales_cycle_seconds", "Pool entry to closed-won"),
}

AGE_BUCKETS = ("0-12h", "12-24h", "24-48h", "48h+")


class FiguresCollector(Collector):
    def __init__(
        self,
        partitions: Callable[[], dict[int, PartitionFigures]],
        config: Callable[[], LeadpoolConfig],
        clock: Clock,
    ) -> None:
        self._partitions = partitions
        self._config = config
        self._clock = clock
        self._config_gauges: tuple[str, list[Metric]] = ("", [])

    def collect(self) -> Iterable[Metric]:
        owned = sorted(self._partitions().items())
        yield from self._counters(owned)
        yield from self._histograms(owned)
        yield from self._open_gauges(owned)
        yield from self._configured()

    def _configured(self) -> list[Metric]:
        # Rebuilt per config version only: capacity walks every user per pool.
        config = self._config()
        version, gauges = self._config_gauges
        if version != config.version:
            gauges = list(config_gauges(config))
            self._config_gauges = (config.version, gauges)
        return gauges

    def _counters(self, owned: list[tuple[int, PartitionFigures]]) -> Iterator[Metric]:
        for key, spec in COUNTER_SPECS.items():
            family = CounterMetricFamily(spec.name, spec.documentation)
            sample_name = f"{spec.name}_total"
            for partition, figures in owned:
                part = str(partition)
                for labels, value in figures.counters[key].items():
                    label_map = dict(zip(spec.labels, labels, strict=True))
                    label_map["partition"] = part
                    family.samples.append(Sample(sample_name, label_map, value))
            yield family

    def _histograms(
        self, owned: list[tuple[int, PartitionFigures]]
    ) -> Iterator[Metric]:
        for key, (name, documentation) in HISTOGRAM_SPECS.items():
            # Samples are appended directly: the family's add_metric costs
            # several times more per bucket (bench/bench_metrics.py).
            family = Metric(name, documentation, "histogram")
            bucket, count, total = f"{name}_bucket", f"{name}_count", f"{name}_sum"
            for partition, figures in owned:
                part = str(partition)
                for pool, histogram in figures.histograms[key].items():
                    labels = {"pool": pool, "partition": part}
                    cumulative = histogram.cumulative()
                    for le, value in cumulative:
                        family.samples.append(
                            Sample(bucket, {**labels, "le": le}, value)
                        )
                    family.samples.append(Sample(count, labels, cumulative[-1][1]))
                    family.samples.append(Sample(total, labels, histogram.total))
            yield family

    def _open_gauges(
        self, owned: list[tuple[int, PartitionFigures]]
    ) -> Iterator[Metric]:
        pools = self._config().pool_names
        state = open_state(owned, self._clock.now().timestamp(), pools)

        yield _gauge("leadpool_pool_depth", "Leads claimable in a pool", state.depth)
        yield _gauge(
            "leadpool_pool_entry_timestamp_sum_seconds",
            "Sum of the claimable leads' pool entry times (average age: "
            "time() - this / depth)",
            state.entered,
        )
        aging = GaugeMetricFamily(
            "leadpool_pool_aging_leads",
            "Claimable leads by age bucket",
            labels=["pool", "bucket"],
        )
        for pool in state.depth:
            for bucket in AGE_BUCKETS:
                aging.add_metric([pool, bucket], state.ages[pool, bucket])
        yield aging
        yield _gauge(
            "leadpool_pool_leads_over_max_age",
            "Claimable leads older than the maximum age (72 h)",
            {pool: state.over_max[pool] for pool in state.depth},
        )
        yield _gauge(
            "leadpool_pool_contact_overdue",
            "Claimed leads past their contact deadline, not contacted",
            {pool: state.overdue[pool] for pool in state.depth},
        )
        yield _gauge(
            "leadpool_rep_open_leads",
            "Claimed leads a rep carries",
            state.rep_open,
            "rep",
        )


@dataclass
class OpenState:
    """What is open right now, summed over the owned partitions."""

    depth: Counter[str]
    entered: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    ages: Counter[tuple[str, str]] = field(default_factory=Counter)
    over_max: Counter[str] = field(default_factory=Counter)
    overdue: Counter[str] = field(default_factory=Counter)
    rep_open: Counter[str] = field(default_factory=Counter)


def open_state(
    owned: list[tuple[int, PartitionFigures]], now: float, pools: list[str]
) -> OpenState:
    # Ages depend on the scrape's moment, so they are measured here, over
    # the claimable leads only: the cost follows the depth, not the log.
    state = OpenState(depth=Counter({pool: 0 for pool in pools}))
    for _, figures in owned:
        edges = figures.policy.aging_edges_s
        for pool, leads in figures.available.items():
            state.depth[pool] += len(leads)
            for lead in leads.values():
                age_s = now - lead.entered_at
                state.entered[pool] += lead.entered_at
                state.ages[pool, AGE_BUCKETS[_bucket(age_s, edges)]] += 1
                state.over_max[pool] += age_s > figures.policy.max_age_s
        for lead in figures.awaiting_contact.values():
            state.overdue[lead.pool] += now > lead.contact_due_at
        state.rep_open.update(figures.rep_open)
    return state


def config_gauges(config: LeadpoolConfig) -> Iterator[Metric]:
    """The configured targets, so rules compare against live numbers."""
    target = GaugeMetricFamily(
        "leadpool_pool_time_to_claim_target_seconds",
        "Time-to-claim target of a pool",
        labels=["pool"],
    )
    capacity = GaugeMetricFamily(
        "leadpool_pool_claim_capacity_per_day",
        "Claims a day the pool's reps can make",
        labels=["pool"],
    )
    optimal = GaugeMetricFamily(
        "leadpool_pool_optimal_depth",
        "Optimal pool size: capacity per day times the 2-3 day buffer",
        labels=["pool", "bound"],
    )
    for pool in config.pools:
        target.add_metric([pool.name], pool.time_to_claim_target_hours * HOUR_S)
        capacity.add_metric([pool.name], claim_capacity_per_day(config, pool.name))
        low, high = optimal_depth(config, pool.name)
        optimal.add_metric([pool.name, "low"], low)
        optimal.add_metric([pool.name, "high"], high)
    yield from (target, capacity, optimal)

    thresholds = GaugeMetricFamily(
        "leadpool_alert_threshold",
        "Alert thresholds from the configuration",
        labels=["check"],
    )
    for check, value in alert_thresholds(config).items():
        thresholds.add_metric([check], value)
    yield thresholds

    info = GaugeMetricFamily(
        "leadpool_config_info", "Configuration version in use", labels=["version"]
    )
    info.add_metric([config.version], 1)
    yield info


def alert_thresholds(config: LeadpoolConfig) -> dict[str, float]:
    monitoring = config.monitoring
    return {
        "claim_rate_low": monitoring.claim_rate_low,
        "claim_rate_high": monitoring.claim_rate_high,
        "abandonment": monitoring.abandonment_alert,
        "transfer_rate": monitoring.transfer_rate_alert,
        "average_age_seconds": monitoring.average_age_alert_hours * HOUR_S,
        "max_age_seconds": monitoring.max_age_hours * HOUR_S,
        "hoarding_open_leads": monitoring.hoarding_open_leads,
        "hoarding_claims_per_day": monitoring.hoarding_claims_per_day,
        "hoarding_contact_ratio": monitoring.hoarding_contact_ratio,
        "low_conversion": monitoring.low_conversion,
    }


def _bucket(age_s: float, edges: tuple[float, float, float]) -> int:
    for index, edge in enumerate(edges):
        if age_s < edge:
            return index
    return len(edges)


def _gauge(
    name: str, documentation: str, values: Mapping[str, float], label: str = "pool"
) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, documentation, labels=[label])
    for key, value in sorted(values.items()):
        family.add_metric([key], value)
    return family
