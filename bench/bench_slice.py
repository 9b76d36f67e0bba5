"""The thin slice: how long from intake until a lead is claimable.

Baseline in the same run: one bare Kafka hop (produce, consume) on the same
broker. The slice is two hops plus a Redis step and the outbox relay, so a
ratio near 2-4 means the services add little beyond the hops themselves.
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
from services.router.normalise import lead_id_for
from tests.infra import unique_name
from tests.workers import Deployment, example_config, write_config

LEADS = 300
RATE_PER_S = 100  # a steady trickle: latency, not throughput


def run(ctx: Any) -> dict[str, float]:
    return asyncio.run(_run(ctx))


async def _run(ctx: Any) -> dict[str, float]:
    baseline = await _bare_hop_p99_ms(ctx.kafka_bootstrap)
    slice_p50, slice_p99 = await _slice_latency_ms(ctx)
    return {
        "slice_p50_ms": round(slice_p50, 2),
        "slice_p99_ms": round(slice_p99, 2),
        "bare_hop_p99_ms": round(baseline, 2),
        "slice_vs_bare_hop_p99": round(slice_p99 / baseline, 2),
    }


async def _paced(send: Any) -> dict[str, float]:
    sent_at: dict[str, float] = {}
    for index in range(LEADS):
        key = f"lead-{index}"
        sent_at[key] = time.perf_counter()
        await send(index, key)
        await asyncio.sleep(1 / RATE_PER_S)  # pacing the load, not waiting
    return sent_at


async def _bare_hop_p99_ms(bootstrap: str) -> float:
    topic = unique_name("bench-hop")
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    await admin.create_topics([NewTopic(topic, 4, 1)])
    await admin.close()
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, fetch_max_wait_ms=10
    )
    await producer.start()
    await consumer.start()
    await consumer.seek_to_end()
    received: dict[str, float] = {}

    async def drain() -> None:
        while len(received) < LEADS:
            batches = await consumer.getmany(timeout_ms=100)
            for records in batches.values():
                for record in records:
                    received[record.value.decode()] = time.perf_counter()

    async def send(index: int, key: str) -> None:
        await producer.send(topic, key.encode(), key=key.encode())

    drainer = asyncio.create_task(drain())
    sent_at = await _paced(send)
    await asyncio.wait_for(drainer, timeout=60)
    await producer.stop()
    await consumer.stop()
    return percentile([(received[k] - sent_at[k]) * 1000 for k in sent_at], 99)


async def _slice_latency_ms(ctx: Any) -> tuple[float, float]:
    config_path = Path(tempfile.mkdtemp()) / "leadpool.yaml"
    write_config(config_path, example_config())
    deployment = Deployment(
        unique_name("bench"), ctx.kafka_bootstrap, ctx.redis_url, config_path
    )
    try:
        deployment.start_all("router", "claims")
        return await _measure_slice(deployment, ctx.kafka_bootstrap)
    finally:
        deployment.stop()


async def _measure_slice(deployment: Deployment, bootstrap: str) -> tuple[float, float]:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    consumer = AIOKafkaConsumer(
        deployment.topic("leads.events"),
        bootstrap_servers=bootstrap,
        fetch_max_wait_ms=10,
        auto_offset_reset="earliest",
    )
    await producer.start()
    await consumer.start()
    stocked: dict[str, float] = {}

    async def drain() -> None:
        while len(stocked) < LEADS:
            batches = await consumer.getmany(timeout_ms=100)
            for records in batches.values():
                for record in records:
                    event = json.loads(record.value)
                    stocked[event["lead_id"]] = time.perf_counter()

    lead_ids: dict[str, str] = {}

    async def send(index: int, key: str) -> None:
        lead = {
            "source": "bench",
            "external_id": key,
            "score": 60,
            "status": "MQL",
            "email": f"{key}@bench.example",
        }
        await producer.send(deployment.topic("leads.intake"), json.dumps(lead).encode())

    drainer = asyncio.create_task(drain())
    sent_at = await _paced(send)
    await asyncio.wait_for(drainer, timeout=120)
    await producer.stop()
    await consumer.stop()

    for key in sent_at:
        lead_ids[key] = lead_id_for("bench", key, f"{key}@bench.example")
    samples = [(stocked[lead_ids[k]] - sent_at[k]) * 1000 for k in sent_at]
    return percentile(samples, 50), percentile(samples, 99)
