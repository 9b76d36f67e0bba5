"""The dedupe window on a real Redis: merges, redeliveries, contention."""

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
import redis.asyncio as aioredis

from schemas.events import LeadMerged, PooledLead
from services.common.clock import VirtualClock
from services.router.pipeline import Router
from services.router.window import DedupeWindow
from tests.infra import unique_name
from tests.router.support import NOW, intake, make_config, record

pytestmark = pytest.mark.redis
CONFIG = make_config()


@pytest.fixture
async def window(redis_url: str) -> AsyncIterator[DedupeWindow]:
    client = aioredis.from_url(redis_url, decode_responses=True, protocol=2)
    prefix = f"lp:{unique_name('router')}:router"
    yield DedupeWindow(client, prefix)
    keys = [key async for key in client.scan_iter(f"{prefix}:*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


def router(window: DedupeWindow) -> Router:
    return Router(window, VirtualClock(NOW))


async def test_a_duplicate_in_the_same_batch_merges_and_moves_the_lead(
    window: DedupeWindow,
) -> None:
    cold = intake(source="demo_request", score=30, external_id="c-9")
    hot = intake(
        source="demo_request", score=85, external_id="c-9", email="o@x.example"
    )
    result = await router(window).handle([record(cold, 1), record(hot, 2)], CONFIG)

    assert result.outcomes == {"pooled": 1, "merged": 1}
    topics = [e.topic for e in result.emissions]
    assert topics == ["pool.cold", "leads.merged", "pool.hot"]
    merged = LeadMerged.model_validate_json(result.emissions[1].value)
    assert merged.matched_on == "external_id"
    assert (merged.pool_before, merged.pool_after) == ("cold", "hot")


async def test_a_redelivered_message_repeats_its_first_outcome(
    window: DedupeWindow,
) -> None:
    first = await router(window).handle([record(intake(), 5)], CONFIG)
    again = await router(window).handle([record(intake(), 5)], CONFIG)

    assert first.outcomes == again.outcomes == {"pooled": 1}
    lead = PooledLead.model_validate_json(again.emissions[0].value)
    assert (
        lead.lead.lead_id
        == PooledLead.model_validate_json(first.emissions[0].value).lead.lead_id
    )


async def test_concurrent_workers_merge_every_copy_into_one_lead(
    window: DedupeWindow,
) -> None:
    copies = [record(intake(score=10 + i, phone="+14155550100"), i) for i in range(12)]
    results = await asyncio.gather(
        *(router(window).handle([copy], CONFIG) for copy in copies)
    )

    total = sum((r.outcomes for r in results), start=type(results[0].outcomes)())
    assert total == {"pooled": 1, "merged": 11}
    pooled = next(r for r in results if r.outcomes["pooled"])
    lead_id = json.loads(pooled.emissions[0].value)["lead"]["lead_id"]
    stored = await window.placement(lead_id)
    assert stored is not None
    assert stored[0].lead.score == 21 and stored[1] == 11


async def test_the_window_is_measured_on_the_routers_clock(
    window: DedupeWindow,
) -> None:
    clock = VirtualClock(NOW)
    routing = Router(window, clock)
    days = CONFIG.routing.dedupe.window_days
    await routing.handle([record(intake(external_id="w-1"), 1)], CONFIG)

    clock.advance(timedelta(days=days) - timedelta(seconds=1))
    inside = await routing.handle([record(intake(external_id="w-1"), 2)], CONFIG)
    # The merge at the edge restarts the window from that intake.
    clock.advance(timedelta(days=days) - timedelta(seconds=1))
    still = await routing.handle([record(intake(external_id="w-1"), 3)], CONFIG)
    clock.advance(timedelta(days=days))
    after = await routing.handle([record(intake(external_id="w-1"), 4)], CONFIG)

    assert inside.outcomes == still.outcomes == {"merged": 1}
    assert after.outcomes == {"pooled": 1}
