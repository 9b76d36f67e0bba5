"""Router throughput and latency against a bare aiokafka relay, same run.

Both move the same ~1 KB leads from an intake topic to an output topic on
the same broker. The router runs as one worker process with twenty rule
conditions; the relay consumes and produces without looking at the bytes.
Figures: `router_vs_relay` (rate ratio), `router_p99_ms` (intake to pool,
at half the router's peak rate), `router_startup_s` (launch to consuming).
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from bench.latency import percentile
from tests.infra import unique_name
from tests.workers import Deployment, example_config, write_config

LEADS = 20_000
LATENCY_LEADS = 2_000
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
            p99 = await _router_p99_ms(deployment, router_rate / 2)
        finally:
            deployment.stop()
    return {
        "router_leads_per_s": round(router_rate),
        "relay_leads_per_s": round(relay_rate),
        "router_vs_relay": round(router_rate / relay_rate, 3),
        "router_p99_ms": round(p99, 2),
        "router_startup_s": round(startup_s, 2),
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
    seen: dict[str, tuple[float, int]] = {}
    deadline = time.monotonic() + 120
    while len(seen) < count and time.monotonic() < deadline:
        batches = await consumer.getmany(timeout_ms=100)
        now = time.perf_counter()
        for records in batches.values():
            for record in records:
                body = json.loads(record.value)["lead"]
                sent_at = float(body["attributes"]["sent_at"])
                seen[body["external_id"]] = (now - sent_at, record.timestamp)
    await consumer.stop()
    return [s[0] for s in seen.values()], [s[1] for s in seen.values()]


async def _relay_rate(bootstrap: str) -> float:
    source, sink = unique_name("bench-in"), unique_name("bench-out")
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    await admin.create_topics([NewTopic(source, 4, 1), NewTopic(sink, 4, 1)])
    await admin.close()
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


async def _router_p99_ms(deployment: Deployment, rate_per_s: float) -> float:
    intake = deployment.topic("leads.intake")
    pools = [deployment.topic(f"pool.{p}") for p in ("warm", "cold")]
    producer = AIOKafkaProducer(
        bootstrap_servers=deployment.kafka_bootstrap, acks="all", linger_ms=1
    )
    await producer.start()
    drain = asyncio.create_task(
        _drain(deployment.kafka_bootstrap, pools, LEADS + LATENCY_LEADS)
    )
    interval = 1 / rate_per_s
    next_at = time.perf_counter()
    for n in range(LEADS, LEADS + LATENCY_LEADS):
        await producer.send(intake, lead(n))
        next_at += interval
        await asyncio.sleep(max(0.0, next_at - time.perf_counter()))  # pacing
    await producer.flush()
    await producer.stop()
    latencies, _ = await drain
    latencies = latencies[-LATENCY_LEADS:]
    return percentile(latencies, 99) * 1000
