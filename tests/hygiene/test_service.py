"""A real hygiene worker on event time (its default): commands out, recovery."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest

from schemas.commands import Action, HygieneCommand
from schemas.events import Removal
from tests.hygiene.events import START, claimed, merged, stocked
from tests.hygiene.kafka_io import (
    commands_until,
    hygiene_config,
    one_worker,
    produce,
    tick,
)
from tests.infra import wait_until
from tests.workers import Deployment, Worker

pytestmark = [pytest.mark.kafka]

COLD_AGING = {
    "sweep_interval_s": 0.2,
    "pools": {
        "cold": [
            {
                "from_hours": 72,
                "actions": ["auto_assign_or_nurture"],
                "recycle_unengaged": True,
            }
        ]
    },
}


@pytest.fixture(scope="module")
def deployment(
    kafka_bootstrap: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    config_path = hygiene_config(
        tmp_path_factory.mktemp("hygiene") / "leadpool.yaml", aging=COLD_AGING
    )
    # Only the test's ticks move time: no wall-clock heartbeat.
    yield from one_worker(
        "hyg", kafka_bootstrap, redis_url, config_path, LEADPOOL_CLOCK_TICK_S="0"
    )


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


async def test_a_lead_its_prospect_came_back_to_is_nurtured_not_recycled(
    deployment: Deployment,
) -> None:
    later = START + timedelta(days=10)
    bootstrap = deployment.kafka_bootstrap
    leads = [stocked(f"m{n}", later, pool="cold", score=40) for n in (1, 2)]
    await produce(bootstrap, deployment.topic("leads.events"), *leads)
    came_back = merged("m1", later + timedelta(hours=1), pool="cold")
    await produce(bootstrap, deployment.topic("leads.merged"), came_back)
    await reached(deployment.workers[0], came_back.merged_at.isoformat())
    await tick(deployment, later + timedelta(hours=72))

    def removals(commands: list[HygieneCommand]) -> dict[str, Removal | None]:
        return {
            c.lead_id or "": c.destination
            for c in commands
            if c.action is Action.REMOVE and c.lead_id in {"m1", "m2"}
        }

    commands = await commands_until(deployment, lambda seen: len(removals(seen)) == 2)
    assert removals(commands) == {"m1": Removal.NURTURE, "m2": Removal.RECYCLE}
