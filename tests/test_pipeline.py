"""The thin slice end to end: intake to pool to claim to event to metrics.

Real Kafka, real Redis, the four services as real worker processes.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from tests.infra import unique_name, wait_until
from tests.workers import Deployment, example_config, write_config

pytestmark = [pytest.mark.kafka, pytest.mark.redis]

HOT_LEAD = {
    "source": "demo_request",
    "external_id": "crm-1001",
    "email": "Ann.Lee@Example.org",
    "score": 88,
    "country": "United States",
    "company": "Acme",
}


def always_open(document: dict[str, Any]) -> dict[str, Any]:
    """The example config, with claiming open at any hour of any day."""
    days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    document["windows"] = {
        "timezone": "UTC",
        "business_hours": {"start": "00:00", "end": "23:59:59.999", "days": days},
    }
    return document


@pytest.fixture(scope="module")
def pipeline(
    kafka_bootstrap: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    namespace = unique_name("slice")
    config_path: Path = tmp_path_factory.mktemp("config") / "leadpool.yaml"
    write_config(config_path, always_open(example_config()))
    deployment = Deployment(namespace, kafka_bootstrap, redis_url, config_path)
    try:
        deployment.start_all("router", "claims", "hygiene", "metrics")
        yield deployment
    finally:
        deployment.stop()


@pytest.fixture
async def producer(kafka_bootstrap: str) -> AsyncIterator[AIOKafkaProducer]:
    producer = AIOKafkaProducer(
        bootstrap_servers=kafka_bootstrap, acks="all", enable_idempotence=True
    )
    await producer.start()
    yield producer
    await producer.stop()


async def read_topic(bootstrap: str, topic: str, want: int) -> list[Any]:
    """Every record of `topic` from the start, once at least `want` arrived."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest"
    )
    await consumer.start()
    records: list[Any] = []
    try:

        async def enough() -> bool:
            batches = await consumer.getmany(timeout_ms=200)
            records.extend(r for batch in batches.values() for r in batch)
            return len(records) >= want

        await wait_until(enough, timeout_s=30, message=f"{want} records on {topic}")
    finally:
        await consumer.stop()
    return records


def depth(metrics_url: str, pool: str) -> float | None:
    text = httpx.get(f"{metrics_url}/metrics").text
    for line in text.splitlines():
        if line.startswith(f'leadpool_pool_depth{{pool="{pool}"}}'):
            return float(line.split()[-1])
    return None


def by_service(pipeline: Deployment, service: str) -> str:
    return next(w.url for w in pipeline.workers if w.service == service)


async def test_a_hot_lead_is_claimed_by_exactly_one_of_two_racing_reps(
    pipeline: Deployment, producer: AIOKafkaProducer, kafka_bootstrap: str
) -> None:
    claims = by_service(pipeline, "claims")
    metrics = by_service(pipeline, "metrics")
    await producer.send_and_wait(
        pipeline.topic("leads.intake"), json.dumps(HOT_LEAD).encode()
    )

    async with httpx.AsyncClient(base_url=claims) as http:
        alice = {"Authorization": "Bearer demo-alice"}
        dave = {"Authorization": "Bearer demo-dave"}

        async def listed() -> list[Any]:
            # 503 while the claims view is still being rebuilt: keep polling.
            answer = await http.get("/pools/hot/leads", headers=alice)
            return list(answer.json()) if answer.status_code == 200 else []

        leads = await wait_until(listed, message="lead never reached the hot pool")
        lead_id = leads[0]["lead_id"]
        assert leads[0]["lead"]["email"] == "hidden until claimed"
        await wait_until(lambda: depth(metrics, "hot") == 1.0, message="depth 1")

        first, second = await asyncio.gather(
            http.post(f"/leads/{lead_id}/claim", headers=alice),
            http.post(f"/leads/{lead_id}/claim", headers=dave),
        )

    statuses = sorted([first.status_code, second.status_code])
    assert statuses == [200, 409]
    won = first if first.status_code == 200 else second
    lost = second if won is first else first
    assert won.json()["lead"]["email"] == "ann.lee@example.org"
    assert lost.json()["rule"] == "not_available"
    assert lost.headers["Content-Type"].startswith("application/problem+json")

    events = await read_topic(kafka_bootstrap, pipeline.topic("leads.events"), 2)
    kinds = [json.loads(r.value)["type"] for r in events if r.key == lead_id.encode()]
    assert kinds == ["stocked", "claimed"]
    claimed = json.loads(events[-1].value)
    assert claimed["rep_id"] == won.json()["rep_id"]
    await wait_until(lambda: depth(metrics, "hot") == 0.0, message="depth back to 0")


async def test_bad_intake_lands_on_rejected_with_payload_and_reason(
    pipeline: Deployment, producer: AIOKafkaProducer, kafka_bootstrap: str
) -> None:
    bad = [
        b"{not json",
        json.dumps({"source": "web", "score": 40}).encode(),
        json.dumps({"source": "web", "email": "a@b.example", "score": 140}).encode(),
    ]
    for payload in bad:
        await producer.send_and_wait(pipeline.topic("leads.intake"), payload)

    records = await read_topic(kafka_bootstrap, pipeline.topic("leads.rejected"), 3)
    rejected = {json.loads(r.value)["original"]: json.loads(r.value) for r in records}

    assert rejected["{not json"]["reasons"][0]["field"] == "$"
    assert "not valid JSON" in rejected["{not json"]["reasons"][0]["reason"]
    missing = rejected[bad[1].decode()]["reasons"]
    assert [(p["field"], p["reason"]) for p in missing] == [("email", "Field required")]
    too_high = rejected[bad[2].decode()]["reasons"]
    assert too_high[0]["field"] == "score"
    assert "less than or equal to 100" in too_high[0]["reason"]


async def test_every_endpoint_but_health_and_metrics_requires_a_token(
    pipeline: Deployment,
) -> None:
    claims = by_service(pipeline, "claims")
    async with httpx.AsyncClient(base_url=claims) as http:
        assert (await http.get("/health")).status_code == 200
        for method, path in [
            ("GET", "/me"),
            ("GET", "/pools"),
            ("POST", "/leads/L1/claim"),
            ("POST", "/pools/hot/claim"),
        ]:
            answer = await http.request(method, path)
            assert answer.status_code == 401, path
            assert answer.json()["status"] == 401
        wrong = await http.get("/pools", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
