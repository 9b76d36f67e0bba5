"""A real hygiene worker on event time: commands out, and restart recovery."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest

from schemas.commands import Action, HygieneCommand
from tests.hygiene.events import START, claimed, stocked
from tests.hygiene.kafka_io import commands_until, hygiene_config, produce, tick
from tests.infra import unique_name, wait_until
from tests.workers import Deployment, Worker

pytestmark = [pytest.mark.kafka]


@pytest.fixture(scope="module")
def deployment(
    kafka_bootstrap: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    config_path = hygiene_config(tmp_path_factory.mktemp("hygiene") / "leadpool.yaml")
    deployment = Deployment(unique_name("hyg"), kafka_bootstrap, redis_url, config_path)
    try:
        deployment.start("hygiene", LEADPOOL_CLOCK="event")
        yield deployment
    finally:
        deployment.stop()


def returns_of(lead_id: str) -> object:
    def found(commands: list[HygieneCommand]) -> bool:
        return any(c.lead_id == lead_id and c.action is Action.RETURN for c in commands)

    return found


async def reached(worker: Worker, moment: object) -> None:
    async with httpx.AsyncClient(base_url=worker.url, timeout=1) as client:

        async def now_is_there() -> bool:
            health = (await client.get("/health")).json()
            return bool(health["caught_up"]) and health["now"] >= str(moment)

        await wait_until(now_is_there, message="worker never read up to the event")


async def test_an_uncontacted_claim_is_returned_at_2_hours_of_event_time(
    deployment: Deployment,
) -> None:
    events = deployment.topic("leads.events")
    await produce(deployment.kafka_bootstrap, events, stocked("e1", START))
    await produce(deployment.kafka_bootstrap, events, claimed("e1", START))
    await tick(deployment, START + timedelta(minutes=119))
    await reached(deployment.workers[0], (START + timedelta(minutes=119)).isoformat())
    await tick(deployment, START + timedelta(hours=2))
    commands = await commands_until(deployment, returns_of("e1"))  # type: ignore[arg-type]
    (back,) = [c for c in commands if c.action is Action.RETURN]
    assert (back.rep_id, back.policy) == (
        "rep-a",
        "sla.claim_to_contact.return_to_pool",
    )
    assert next(c.action for c in commands if c.lead_id == "e1") is Action.REMIND


async def test_a_restarted_worker_rebuilds_its_claims_from_kafka(
    deployment: Deployment,
) -> None:
    later = START + timedelta(days=1)
    events = deployment.topic("leads.events")
    await produce(
        deployment.kafka_bootstrap, events, stocked("r1", later), claimed("r1", later)
    )
    worker = deployment.workers[0]
    await reached(worker, later.isoformat())
    worker.stop()
    worker.start()
    await tick(deployment, later + timedelta(hours=2))
    assert await commands_until(deployment, returns_of("r1"))  # type: ignore[arg-type]
