"""The metrics service: event throughput and the cost of a scrape.

Baseline in the same run: a bare aiokafka consume-and-produce relay of the
same messages on the same broker. The metrics fold (decode, validate, fold
per partition) runs through the service's own `EventLog` and `FigureBook`,
in process. Target: `metrics_vs_relay` >= 0.25, `scrape_ms` < 100 with 50
pools and 500 reps.
"""

from __future__ import annotations

import asyncio
import statistics
import time
import zlib
from datetime import UTC, datetime, timedelta
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from prometheus_client import CollectorRegistry

from schemas.config import LeadpoolConfig
from schemas.events import LeadEvent, Outcome, ReturnReason
from services.common.clock import WallClock
from services.metrics.event_log import EventLog, FigureBook
from services.metrics.exposition import FiguresCollector
from services.metrics.policy import fold_policy
from services.metrics.text_format import render
from tests.infra import unique_name
from tests.metrics.events import Timeline

POOLS = 50
REPS = 500
LEADS = 15_000  # about four events each: 60,000 messages
PARTITIONS = 4
SCRAPES = 20
DEADLINE_S = 120.0


def run(ctx: Any) -> dict[str, float]:
    return asyncio.run(_run(ctx.kafka_bootstrap))


async def _run(bootstrap: str) -> dict[str, float]:
    config = _config()
    events = _events()
    topic = unique_name("bench-metrics")
    await _create_topics(bootstrap, [topic, f"{topic}-out"])
    await _produce(bootstrap, topic, events)

    relay_rate = await _relay_rate(bootstrap, topic, len(events))
    fold_rate = await _fold_rate(bootstrap, topic, len(events), config)
    scrape_ms, samples = _scrape_ms(config, events)
    return {
        "metrics_events_per_s": round(fold_rate),
        "relay_events_per_s": round(relay_rate),
        "metrics_vs_relay": round(fold_rate / relay_rate, 3),
        "scrape_ms": round(scrape_ms, 2),
        "scrape_samples": samples,
    }


def _config() -> LeadpoolConfig:
    pools = [{"name": f"pool-{index}"} for index in range(POOLS)]
    users = [
        {"id": f"rep-{index}", "name": f"Rep {index}", "role": "rep", "pools": [p]}
        for index, p in enumerate(pool["name"] for pool in pools * (REPS // POOLS))
    ]
    return LeadpoolConfig.model_validate(
        {
            "version": "bench",
            "pools": pools,
            "users": users,
            "routing": {
                "default_pool": "pool-0",
                "quarantine_pool": "pool-1",
                "rules": [],
            },
            "hygiene": {"age": {"priority_pool": "pool-0"}},
        }
    )


def _events() -> list[LeadEvent]:
    """A lifecycle mix touching every pool, rep, reason and outcome."""
    day = Timeline(datetime.now(UTC) - timedelta(days=3))
    reasons = list(ReturnReason)
    events: list[LeadEvent] = []
    for index in range(LEADS):
        lead, pool = f"lead-{index}", f"pool-{index % POOLS}"
        rep = f"rep-{index % REPS}"
        hours = (index % 60) / 2
        events.append(day.stocked(lead, pool, hours, score=index % 100))
        events.append(day.claimed(lead, pool, hours + 1, rep))
        if index % 5 == 0:
            reason = reasons[index % len(reasons)]
            events.append(day.returned(lead, pool, hours + 2, rep, reason))
        else:
            events.append(day.contacted(lead, pool, hours + 1.5, rep))
        if index % 7 == 0:
            other = f"pool-{(index + 1) % POOLS}"
            events.append(day.transferred(lead, pool, other, hours + 3))
        else:
            outcome = list(Outcome)[index % 3]
            events.append(day.outcome(lead, pool, hours + 40, rep, outcome, 1000.0))
    return events


async def _create_topics(bootstrap: str, names: list[str]) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(n, PARTITIONS, 1) for n in names])
    finally:
        await admin.close()


async def _produce(bootstrap: str, topic: str, events: list[LeadEvent]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    await producer.start()
    try:
        for event in events:
            await producer.send(
                topic, event.model_dump_json().encode(), key=event.lead_id.encode()
            )
        await producer.flush()
    finally:
        await producer.stop()


async def _relay_rate(bootstrap: str, topic: str, count: int) -> float:
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=unique_name("bench-relay"),
        auto_offset_reset="earliest",
        fetch_max_wait_ms=10,
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    await consumer.start()
    await producer.start()
    relayed = 0
    started = time.perf_counter()
    try:
        while relayed < count and time.perf_counter() - started < DEADLINE_S:
            batches = await consumer.getmany(timeout_ms=200, max_records=5000)
            for records in batches.values():
                for record in records:
                    await producer.send(f"{topic}-out", record.value, key=record.key)
                relayed += len(records)
        await producer.flush()
        return relayed / (time.perf_counter() - started)
    finally:
        await producer.stop()
        await consumer.stop()


async def _fold_rate(
    bootstrap: str, topic: str, count: int, config: LeadpoolConfig
) -> float:
    policy = fold_policy(config)
    book = _CountingBook(lambda: policy, count)
    event_log = EventLog(bootstrap, topic, unique_name("bench-fold"), book)
    started = time.perf_counter()
    folding = asyncio.create_task(event_log.run())
    try:
        await asyncio.wait_for(book.done.wait(), DEADLINE_S)
        return book.read / (time.perf_counter() - started)
    finally:
        folding.cancel()
        await asyncio.gather(folding, return_exceptions=True)


class _CountingBook(FigureBook):
    """Tells when it has read `count` events."""

    def __init__(self, policy: Any, count: int) -> None:
        super().__init__(policy)
        self.count = count
        self.done = asyncio.Event()

    def fold_raw(self, partition: int, offset: int, raw: bytes | None) -> None:
        super().fold_raw(partition, offset, raw)
        if self.read >= self.count:
            self.done.set()


def _scrape_ms(config: LeadpoolConfig, events: list[LeadEvent]) -> tuple[float, int]:
    policy = fold_policy(config)
    book = FigureBook(lambda: policy)
    for offset, event in enumerate(events):
        partition = zlib.crc32(event.lead_id.encode()) % PARTITIONS
        book.fold_raw(partition, offset, event.model_dump_json().encode())
    registry = CollectorRegistry()
    collector = FiguresCollector(lambda: book.partitions, lambda: config, WallClock())
    registry.register(collector)

    timings = []
    for _ in range(SCRAPES):
        started = time.perf_counter()
        body = render(registry.collect())
        timings.append((time.perf_counter() - started) * 1000)
    samples = sum(1 for line in body.splitlines() if not line.startswith(b"#"))
    return statistics.median(timings), samples
