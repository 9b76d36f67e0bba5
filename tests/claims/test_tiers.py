"""Tiers recalculated from conversion and quota attainment."""

from __future__ import annotations

from datetime import timedelta

from schemas.events import Outcome
from services.claims.tiers import Standings, rank_tiers
from tests.claims.conftest import Parts
from tests.claims.support import MONDAY_10, config, pooled, rep


def test_the_top_quarter_is_tier_one_and_the_bottom_quarter_tier_three() -> None:
    cfg = config([rep(f"r{i}") for i in range(8)])
    conversion = {f"r{i}": i / 10 for i in range(8)}
    attainment = {f"r{i}": i / 4 for i in range(8)}

    tiers = rank_tiers(cfg, conversion, attainment)

    assert [tiers[f"r{i}"] for i in range(8)] == [3, 3, 2, 2, 2, 2, 1, 1]


async def test_a_recalculation_runs_once_a_period_and_overrides_the_tier(
    parts: Parts,
) -> None:
    ann = rep("ann", tier=3, quota_attainment=0.9)
    bob = rep("bob", tier=1, quota_attainment=0.1)
    cfg = config([ann, bob])
    await parts.inventory.stock(pooled("l1", pool="cold", score=40))
    await parts.claims.claim(cfg, ann, MONDAY_10, lead_id="l1")
    await parts.lifecycle.record_outcome(
        cfg, "l1", "ann", MONDAY_10, Outcome.CLOSED_WON
    )
    standings = Standings(parts.redis, parts.keys)

    assert await standings.recalculate_if_due(cfg, MONDAY_10)
    assert not await standings.recalculate_if_due(cfg, MONDAY_10 + timedelta(days=6))
    assert standings.apply(ann).tier == 1
    assert standings.apply(bob).tier == 3
