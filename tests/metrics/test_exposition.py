"""What a scrape shows: partitions merged, ages from the injected clock."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from schemas.config import LeadpoolConfig, load_config
from services.common.clock import VirtualClock
from services.metrics.event_log import FigureBook
from services.metrics.exposition import FiguresCollector
from services.metrics.partition import PartitionFigures
from services.metrics.policy import fold_policy, optimal_depth
from services.metrics.text_format import render
from tests.infra import REPO_ROOT
from tests.metrics.events import Timeline

START = datetime(2026, 11, 30, 9, tzinfo=UTC)


def scrape(
    partitions: dict[int, PartitionFigures], clock: VirtualClock
) -> CollectorRegistry:
    config = LeadpoolConfig(version="t")
    registry = CollectorRegistry()
    registry.register(FiguresCollector(lambda: partitions, lambda: config, clock))
    return registry


def test_ages_fall_into_the_seeds_buckets_at_scrape_time() -> None:
    day = Timeline(START)
    figures = PartitionFigures(fold_policy(LeadpoolConfig(version="t")))
    for lead, hours in [("a", 0), ("b", -13), ("c", -30), ("d", -80)]:
        figures.fold(day.stocked(lead, "cold", hours, score=10))
    registry = scrape({0: figures}, VirtualClock(START + timedelta(minutes=1)))

    def aging(bucket: str) -> float | None:
        labels = {"pool": "cold", "bucket": bucket}
        return registry.get_sample_value("leadpool_pool_aging_leads", labels)

    assert [aging(b) for b in ("0-12h", "12-24h", "24-48h", "48h+")] == [1, 1, 1, 1]
    assert registry.get_sample_value("leadpool_pool_depth", {"pool": "cold"}) == 4
    over = registry.get_sample_value(
        "leadpool_pool_leads_over_max_age", {"pool": "cold"}
    )
    assert over == 1


def test_counters_keep_one_series_per_partition() -> None:
    day = Timeline(START)
    policy = fold_policy(LeadpoolConfig(version="t"))
    partitions = {0: PartitionFigures(policy), 3: PartitionFigures(policy)}
    partitions[0].fold(day.stocked("a", "hot", 0, score=90))
    partitions[3].fold(day.stocked("b", "hot", 0, score=90))
    registry = scrape(partitions, VirtualClock(START))

    name = "leadpool_leads_added_total"
    assert registry.get_sample_value(name, {"pool": "hot", "partition": "0"}) == 1
    assert registry.get_sample_value(name, {"pool": "hot", "partition": "3"}) == 1
    assert registry.get_sample_value("leadpool_pool_depth", {"pool": "hot"}) == 2


def test_optimal_depth_is_the_assigned_reps_capacity_times_the_buffer() -> None:
    config = load_config(Path(REPO_ROOT / "deploy/config/leadpool.yaml"))

    # Three reps may claim hot, capped at 3 a day there; four claim warm at 12.
    assert optimal_depth(config, "hot") == (18, 27)
    assert optimal_depth(config, "warm") == (96, 144)


def test_the_fast_text_format_parses_to_what_prometheus_client_writes() -> None:
    day = Timeline(START)
    figures = PartitionFigures(fold_policy(LeadpoolConfig(version="t")))
    figures.fold(day.stocked("a", "hot", -1, score=90))
    figures.fold(day.claimed("a", "hot", 0, "alice"))
    registry = scrape({1: figures}, VirtualClock(START))

    def parsed(text: str) -> list[Any]:
        return sorted(
            (s.name, sorted(s.labels.items()), s.value)
            for family in text_string_to_metric_families(text)
            for s in family.samples
        )

    ours = render(registry.collect()).decode()
    assert parsed(ours) == parsed(generate_latest(registry).decode())


def test_a_message_that_is_no_lead_event_is_counted_as_refused() -> None:
    policy = fold_policy(LeadpoolConfig(version="t"))
    book = FigureBook(lambda: policy)
    book.fold_raw(2, 17, b'{"type": "promoted"}')
    book.fold_raw(2, 18, None)
    registry = scrape(book.partitions, VirtualClock(START))

    refused = {"partition": "2"}
    assert registry.get_sample_value("leadpool_events_refused_total", refused) == 2


def test_a_replayed_partition_is_published_only_once_caught_up() -> None:
    policy = fold_policy(LeadpoolConfig(version="t"))
    book = FigureBook(lambda: policy)
    day = Timeline(START)
    book.restart(1, end_offset=2)

    book.fold_raw(
        1, 0, day.stocked("l1", "hot", 0, score=90).model_dump_json().encode()
    )
    assert book.partitions == {}

    book.fold_raw(
        1, 1, day.stocked("l2", "hot", 1, score=90).model_dump_json().encode()
    )
    assert book.partitions[1].counters["added"][("hot",)] == 2


def test_an_empty_partition_is_published_at_once() -> None:
    book = FigureBook(lambda: fold_policy(LeadpoolConfig(version="t")))
    book.restart(3, end_offset=0)

    assert list(book.partitions) == [3]
