"""Router throughput and latency against a bare aiokafka relay, same run.

Both move the same ~1 KB leads from an intake topic to an output topic on
the same broker. The router runs as one worker process with twenty rule
conditions; the relay consumes and produces without looking at the bytes.
Figures: `router_vs_relay` (rate ratio), `router_p99_ms` (intake to pool,
at half the router's peak rate), `router_startup_s` (launch to consuming).

A second baseline, `faust_ceiling_vs_relay`, is a Faust worker built as the
services are that only forwards the bytes (`bench/faust_ceiling.py`): the
most any Faust service can reach here, so `router_vs_faust_ceiling` is the
share of it that routing leaves.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from bench.latency import percentile
from tests.infra import REPO_ROOT, TEST_RUN_DIR, unique_name
from tests.workers import Deployment, example_config, write_config

LEADS = 20_000
LATENCY_S = 5  # steady load at half the peak rate, this long
FILLER = "x" * 700  # pads a lead to about 1 KB, like a real form payload


def lead(n: int) -> bytes:
    return json.dumps(
        {
            "source": "webinar",
            "external_id": f"b-{n}",
            "email": f"p{n}@corp.example",
            "score": n % 100,
            "company": "Corp",
            "country": "Germany",
            "employees": "250",
            "status": "MQL",
            "notes": FILLER,
            "sent_at": time.perf_counter(),
        }
    ).encode()


def twenty_conditions() -> list[dict[str, Any]]:
    # Nineteen conditions that rarely hold, then the one that places.
    rules = [
        {
            "name": f"r{i}",
            "pool": "warm",
            "when": [
                {"field": "country", "op": "in", "value": ["US", "CA"]},
                {"field": "score", "op": ">=", "value": 101 - i},
                {"field": "product_interest", "op": "==", "value": f"p{i}"},
            ],
        }
        for i in range(6)
    ]
    rules.append(
        {
            "name": "emea",
            "pool": "cold",
            "when": [
                {"field": "country", "op": "in", "value": ["DE", "FR", "GB"]},
                {"field": "campaign", "op": "missing"},
            ],
        }
    )
    return rules


def run(ctx: Any) -> dict[str, float]:
    return asyncio.run(_run(ctx))


async def _run(ctx: Any) -> dict[str, float]:
    relay_rate = await _relay_rate(ctx.kafka_bootstrap)
    with tempfile.TemporaryDirectory() as tmp:
        document = example_config()
        document["routing"]["rules"] = twenty_conditions()
        config = write_config(Path(tmp) / "lp.yaml", document)
        deployment = Deployment(
            unique_name("bench-router"), ctx.kafka_bootstrap, ctx.redis_url, config
        )
        started = time.monotonic()
        deployment.start("router", LEADPOOL_LOG_LEVEL="WARNING")
        startup_s = time.monotonic() - started
        try:
            router_rate = await _router_rate(deployment)
            p50, p99 = await _router_latency_ms(deployment, router_rate / 2)
        finally:
            deployment.stop()
        ceiling_rate, ceiling_p50, ceiling_p99 = await _ceiling(
            ctx, config, router_rate / 2
        )
    return {
        "router_leads_per_s": round(router_rate),
        "relay_leads_per_s": round(relay_rate),
        "faust_ceiling_leads_per_s": round(ceiling_rate),
        "router_vs_relay": round(router_rate / relay_rate, 3),
        "faust_ceiling_vs_relay": round(ceiling_rate / relay_rate, 3),
        "router_vs_faust_ceiling": round(router_rate / ceiling_rate, 3),
        "router_p50_ms": round(p50, 2),
        "router_p99_ms": round(p99, 2),
        "router_startup_s": round(startup_s, 2),
        "faust_ceiling_p50_ms": round(ceiling_p50, 2),
        "faust_ceiling_p99_ms": round(ceiling_p99, 2),
    }


async def _fill(bootstrap: str, topic: str, numbers: range) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    await producer.start()
    for n in numbers:
        await producer.send(topic, lead(n))
    await producer.flush()
    await producer.stop()


async def _drain(
    bootstrap: str, topics: list[str], count: int
) -> tuple[list[float], list[int]]:
    """Per lead: seconds from send to arrival, and the output record's broker
    timestamp (ms), once `count` distinct leads arrived."""
    consumer = AIOKafkaConsumer(
        *topics,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        fetch_max_wait_ms=10,
    )
    await consumer.start()
    seen = await _collect(consumer, count, timeout_s=120)
    await consumer.stop()
    return [s[0] for s in seen.values()], [s[1] for s in seen.values()]


async def _relay_rate(bootstrap: str) -> float:
    source, sink = unique_name("bench-in"), unique_name("bench-out")
    await _create_topics(bootstrap, [source, sink])
    await _fill(bootstrap, source, range(LEADS))

    consumer = AIOKafkaConsumer(
        source,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        fetch_max_wait_ms=10,
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    await consumer.start()
    await producer.start()
    started, moved = time.perf_counter(), 0
    while moved < LEADS:
        batches = await consumer.getmany(timeout_ms=100)
        pending = [
            await producer.send(sink, r.value, key=r.key)
            for records in batches.values()
            for r in records
        ]
        await asyncio.gather(*pending)
        moved += len(pending)
    rate = LEADS / (time.perf_counter() - started)
    await consumer.stop()
    await producer.stop()
    return rate


async def _ceiling(
    ctx: Any, config: Path, rate_per_s: float
) -> tuple[float, float, float]:
    """Leads per second through the do-nothing Faust worker, backlog first;
    then its p50 and p99 at the load the router's latency was measured at."""
    namespace = unique_name("bench-ceiling")
    source, sink = f"{namespace}.in", f"{namespace}.out"
    await _create_topics(ctx.kafka_bootstrap, [source, sink])
    await _fill(ctx.kafka_bootstrap, source, range(LEADS))

    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("LEADPOOL_")},
        "KAFKA_BOOTSTRAP_SERVERS": ctx.kafka_bootstrap,
        "REDIS_URL": ctx.redis_url,
        "LEADPOOL_NAMESPACE": f"{namespace}.",
        "LEADPOOL_CONFIG_PATH": str(config),
        "LEADPOOL_DATA_DIR": str(TEST_RUN_DIR / "data" / namespace),
        "LEADPOOL_LOG_LEVEL": "WARNING",
        "CEILING_SOURCE": source,
        "CEILING_SINK": sink,
    }
    worker = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.faust_ceiling",
        cwd=REPO_ROOT,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        stamps = await _output_stamps(ctx.kafka_bootstrap, sink, LEADS)
        p50, p99 = await _latency_ms(ctx.kafka_bootstrap, source, [sink], rate_per_s)
    finally:
        worker.send_signal(signal.SIGTERM)
        await asyncio.wait_for(worker.wait(), timeout=30)
    return (len(stamps) - 1) / ((max(stamps) - min(stamps)) / 1000), p50, p99


async def _output_stamps(bootstrap: str, topic: str, count: int) -> list[int]:
    """Broker timestamps (ms) of the first `count` records of `topic`."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        fetch_max_wait_ms=10,
    )
    await consumer.start()
    stamps: list[int] = []
    deadline = time.monotonic() + 120
    while len(stamps) < count and time.monotonic() < deadline:
        batches = await consumer.getmany(timeout_ms=100)
        stamps += [r.timestamp for records in batches.values() for r in records]
    await consumer.stop()
    if len(stamps) < count:
        raise RuntimeError(f"only {len(stamps)} of {count} records reached {topic}")
    return stamps


async def _create_topics(bootstrap: str, names: list[str]) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    await admin.create_topics([NewTopic(name, 4, 1) for name in names])
    await admin.close()


async def _router_rate(deployment: Deployment) -> float:
    # Fill first, then time the router draining the backlog to its pools.
    intake = deployment.topic("leads.intake")
    pools = [deployment.topic(f"pool.{p}") for p in ("warm", "cold")]
    deployment.workers[0].stop()
    await _fill(deployment.kafka_bootstrap, intake, range(LEADS))
    deployment.workers[0].start()
    _, stamps = await _drain(deployment.kafka_bootstrap, pools, LEADS)
    # From the first routed lead to the last: the worker's start is excluded.
    return (len(stamps) - 1) / ((max(stamps) - min(stamps)) / 1000)


async def _router_latency_ms(
    deployment: Deployment, rate_per_s: float
) -> tuple[float, float]:
    """p50 and p99 from intake to pool under a steady load of `rate_per_s`."""
    intake = deployment.topic("leads.intake")
    pools = [deployment.topic(f"pool.{p}") for p in ("warm", "cold")]
    return await _latency_ms(deployment.kafka_bootstrap, intake, pools, rate_per_s)


async def _latency_ms(
    bootstrap: str, intake: str, outputs: list[str], rate_per_s: float
) -> tuple[float, float]:
    """p50 and p99 from `intake` to `outputs` under a steady load."""
    count = max(500, round(rate_per_s * LATENCY_S))
    first = LEADS  # numbers after the backlog's: no lead is measured twice
    consumer = await _tail(bootstrap, outputs)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=1)
    await producer.start()
    arrivals = asyncio.create_task(_arrivals(consumer, count))
    interval = 1 / rate_per_s
    next_at = time.perf_counter()
    for n in range(first, first + count):
        await producer.send(intake, lead(n))
        next_at += interval
        await asyncio.sleep(max(0.0, next_at - time.perf_counter()))  # pacing
    await producer.flush()
    await producer.stop()
    latencies = await arrivals
    await consumer.stop()
    return percentile(latencies, 50) * 1000, percentile(latencies, 99) * 1000


async def _tail(bootstrap: str, topics: list[str]) -> AIOKafkaConsumer:
    """A consumer at the end of `topics`: it sees only leads sent from now."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, fetch_max_wait_ms=10)
    await consumer.start()
    partitions = [
        TopicPartition(topic, p)
        for topic in topics
        for p in sorted(await _partitions(consumer, topic))
    ]
    consumer.assign(partitions)
    await consumer.seek_to_end(*partitions)
    for tp in partitions:
        await consumer.position(tp)  # resolves the lazy seek before any send
    return consumer


async def _partitions(consumer: AIOKafkaConsumer, topic: str) -> set[int]:
    for _ in range(50):
        found = consumer.partitions_for_topic(topic)
        if found:
            return set(found)
        await consumer._client.force_metadata_update()
    raise RuntimeError(f"topic {topic} has no partitions")


async def _arrivals(consumer: AIOKafkaConsumer, count: int) -> list[float]:
    """Seconds from send to arrival in a pool, per lead, for `count` leads."""
    seen = await _collect(consumer, count, timeout_s=60)
    return [latency for latency, _ in seen.values()]


async def _collect(
    consumer: AIOKafkaConsumer, count: int, timeout_s: float
) -> dict[str, tuple[float, int]]:
    """Per routed lead: seconds from send to arrival and the broker timestamp
    (ms) of its pool record, until `count` distinct leads arrived."""
    seen: dict[str, tuple[float, int]] = {}
    deadline = time.monotonic() + timeout_s
    while len(seen) < count and time.monotonic() < deadline:
        batches = await consumer.getmany(timeout_ms=100)
        now = time.perf_counter()
        for records in batches.values():
            for record in records:
                value = json.loads(record.value)
                # A routed lead keeps unknown fields as attributes; the
                # ceiling forwards the intake message as it came.
                body = value.get("lead", value)
                sent_at = float(body.get("attributes", body)["sent_at"])
                seen[body["external_id"]] = (now - sent_at, record.timestamp)
    return seen
