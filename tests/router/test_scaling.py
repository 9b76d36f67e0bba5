"""Two router workers share the intake; killing one loses and doubles nothing."""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator

import pytest
from aiokafka import AIOKafkaProducer

from tests.infra import unique_name
from tests.router.kafka_io import distinct_leads, read_all, values
from tests.workers import Deployment, example_config, write_config

pytestmark = [pytest.mark.kafka, pytest.mark.redis]

PER_PHASE = 150


@pytest.fixture(scope="module")
def pair(
    kafka_bootstrap: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    path = write_config(
        tmp_path_factory.mktemp("scaling") / "lp.yaml", example_config()
    )
    deployment = Deployment(unique_name("rscale"), kafka_bootstrap, redis_url, path)
    try:
        deployment.start_all("router", "router")
        yield deployment
    finally:
        deployment.stop()


def cold_lead(n: int) -> bytes:
    lead = {"source": "web", "external_id": f"s-{n}", "email": f"p{n}@a.example"}
    return json.dumps({**lead, "score": 20, "company": "Acme"}).encode()


async def produce(deployment: Deployment, numbers: range) -> None:
    producer = AIOKafkaProducer(
        bootstrap_servers=deployment.kafka_bootstrap, acks="all", linger_ms=5
    )
    await producer.start()
    try:
        for n in numbers:
            await producer.send(deployment.topic("leads.intake"), cold_lead(n))
        await producer.flush()
    finally:
        await producer.stop()


async def test_killing_a_worker_loses_no_lead_and_routes_none_twice(
    pair: Deployment,
) -> None:
    pool = pair.topic("pool.cold")
    await produce(pair, range(PER_PHASE))
    await read_all(pair.kafka_bootstrap, pool, PER_PHASE // 2)
    pair.workers[1].stop(signal.SIGKILL)
    await produce(pair, range(PER_PHASE, 2 * PER_PHASE))

    routed = values(
        await read_all(pair.kafka_bootstrap, pool, 2 * PER_PHASE, 60, distinct_leads)
    )
    by_lead = {r["lead"]["lead_id"]: r["lead"]["external_id"] for r in routed}
    assert len(by_lead) == 2 * PER_PHASE
    assert sorted(by_lead.values()) == sorted(f"s-{n}" for n in range(2 * PER_PHASE))


async def test_the_dedupe_window_survives_a_fresh_worker(pair: Deployment) -> None:
    pair.workers[0].stop()
    pair.start("router")
    await produce(pair, range(5))

    merged = values(await read_all(pair.kafka_bootstrap, pair.topic("leads.merged"), 5))
    assert {m["activity"]["external_id"] for m in merged} == {
        f"s-{n}" for n in range(5)
    }
