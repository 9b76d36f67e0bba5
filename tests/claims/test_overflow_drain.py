"""An overflowing pool's waiting leads are assigned round robin, a tick at a time."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import timedelta

import pytest

from schemas.config import LeadpoolConfig
from services.claims.overflow import BacklogDrain
from tests.claims.conftest import Parts
from tests.claims.support import MONDAY_10, RELAXED, config, pooled, rep

TICK_S = 1.0
CFG = config(
    [rep("ann"), rep("bob"), rep("cy")],
    quotas=RELAXED | {"round_robin": {"overflow_backlog_per_s": 40}},
)


@pytest.fixture
def drain(parts: Parts) -> BacklogDrain:
    return BacklogDrain(
        parts.redis, parts.keys, parts.inventory, parts.lifecycle, parts.round_robin
    )


async def fill(parts: Parts, pool: str, count: int) -> None:
    for n in range(count):
        await parts.inventory.stock(pooled(f"{pool}{n:03}", pool=pool, score=n % 80))


async def ticks(drain: BacklogDrain, cfg: LeadpoolConfig, n: int) -> list[int]:
    return [
        sum((await drain.drain(cfg, MONDAY_10 + timedelta(seconds=i), TICK_S)).values())
        for i in range(n)
    ]


async def test_an_overflowing_pool_drains_to_just_under_the_low_water_mark(
    parts: Parts, drain: BacklogDrain
) -> None:
    await fill(parts, "warm", 300)
    await parts.lifecycle.set_pool_mode("warm", "auto_assign")

    assert await ticks(drain, CFG, 5) == [40, 40, 21, 0, 0]

    assert await parts.inventory.depth("warm") == 199
    held = {r: await parts.lifecycle.open_leads(r) for r in ("ann", "bob", "cy")}
    assert Counter({r: len(ids) for r, ids in held.items()}) == {
        "ann": 34,
        "bob": 34,
        "cy": 33,
    }
    # Best first: nobody got a lead scoring under one still waiting.
    waiting = await parts.inventory.available("warm", 1)
    assigned = [lead for ids in held.values() for lead in ids]
    lowest = min([await parts.inventory.lead(i) for i in assigned], key=_priority)
    assert _priority(lowest) >= _priority(waiting[0])


async def test_one_tick_is_drained_once_however_many_workers_try(
    parts: Parts, drain: BacklogDrain
) -> None:
    await fill(parts, "warm", 300)
    await parts.lifecycle.set_pool_mode("warm", "auto_assign")

    first = await drain.drain(CFG, MONDAY_10, TICK_S)
    again = await drain.drain(CFG, MONDAY_10 + timedelta(milliseconds=500), TICK_S)

    assert (first, again) == ({"warm": 40}, {})


async def test_a_pool_taking_claims_is_left_alone_even_when_deep(
    parts: Parts, drain: BacklogDrain
) -> None:
    await fill(parts, "cold", 299)

    assert await ticks(drain, CFG, 2) == [0, 0]
    assert await parts.inventory.depth("cold") == 299


async def test_with_no_rep_to_take_them_the_leads_wait(
    parts: Parts, drain: BacklogDrain, caplog: pytest.LogCaptureFixture
) -> None:
    await fill(parts, "warm", 210)
    await parts.lifecycle.set_pool_mode("warm", "auto_assign")
    nobody = config([], quotas=RELAXED)

    with caplog.at_level(logging.WARNING, logger="services.claims.overflow"):
        assert await ticks(drain, nobody, 3) == [0, 0, 0]

    assert await parts.inventory.depth("warm") == 210
    stuck = [r for r in caplog.records if "not assigned" in r.getMessage()]
    assert len(stuck) == 1  # the same reason is reported once, not every tick


def _priority(lead: dict[str, str]) -> float:
    return float(lead["priority"])
