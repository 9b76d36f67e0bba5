"""The cleanup run log on Kafka: a restarted worker still lists each run."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from tests.hygiene.events import START, pooled, stocked
from tests.hygiene.kafka_io import TOKENS, hygiene_config, one_worker, produce, tick
from tests.hygiene.test_service import reached
from tests.infra import wait_until
from tests.workers import Deployment, Worker

pytestmark = [pytest.mark.kafka]

OPS = {"Authorization": f"Bearer {TOKENS['olga']}"}
NEXT_DAY = START + timedelta(days=1)  # past 02:00 in New York: a daily run


@pytest.fixture(scope="module")
def deployment(
    kafka_bootstrap: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    config_path = hygiene_config(tmp_path_factory.mktemp("runs") / "leadpool.yaml")
    yield from one_worker(
        "hrun", kafka_bootstrap, redis_url, config_path, LEADPOOL_CLOCK_TICK_S="0"
    )


async def pool_junk(deployment: Deployment, lead_id: str) -> None:
    """A junk lead pooled and stocked, keyed by its id as router and claims do."""
    junk = pooled(lead_id, START, status="unqualified").model_dump_json()
    producer = AIOKafkaProducer(bootstrap_servers=deployment.kafka_bootstrap)
    await producer.start()
    try:
        topic = deployment.topic("pool.warm")
        await producer.send_and_wait(topic, junk.encode(), key=lead_id.encode())
    finally:
        await producer.stop()
    events = deployment.topic("leads.events")
    await produce(deployment.kafka_bootstrap, events, stocked(lead_id, START))


async def runs_of(worker: Worker, **query: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=worker.url, timeout=2) as http:
        return await http.get("/cleanup/runs", headers=OPS, params=query)


async def daily_runs(worker: Worker) -> list[Any]:
    answer = await runs_of(worker)
    runs = answer.json()["runs"] if answer.status_code == 200 else []
    return [run for run in runs if run["schedule"] == "daily"]


async def test_a_restarted_worker_lists_the_last_run_with_its_lead_ids(
    deployment: Deployment,
) -> None:
    await pool_junk(deployment, "junk-1")
    first = deployment.workers[0]
    await tick(deployment, START)
    await reached(first, START.isoformat())
    await wait_until(lambda: "leader job ran" in first.log_path.read_text())
    await tick(deployment, NEXT_DAY)
    (ran,) = await wait_until(lambda: daily_runs(first), message="no daily run")

    first.stop()
    second = deployment.start("hygiene", LEADPOOL_CLOCK_TICK_S="0")
    (listed,) = await wait_until(lambda: daily_runs(second), message="run lost")

    assert listed["run_id"] == ran["run_id"] == "daily:2026-03-03T07:00:00+00:00"
    (archived,) = listed["changes"]["cleanup.junk"]
    assert (archived["lead_id"], archived["action"]) == ("junk-1", "remove")
    assert archived["destination"] == "archive"
    assert listed["changed"] == {"cleanup.junk": 1}


async def test_the_run_log_needs_a_token_and_a_known_schedule(
    deployment: Deployment,
) -> None:
    worker = deployment.workers[-1]
    async with httpx.AsyncClient(base_url=worker.url, timeout=2) as http:
        anonymous = await http.get("/cleanup/runs")
    unknown = await runs_of(worker, schedule="hourly")

    assert anonymous.status_code == 401
    assert unknown.status_code == 422 and "schedule" in unknown.json()["detail"]
