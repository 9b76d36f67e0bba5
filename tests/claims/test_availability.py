"""Availability gates, blind pull, release cutoffs and pool modes in the Lua step."""

from __future__ import annotations

from datetime import timedelta

from services.claims.claiming import Claimed, Refused
from tests.claims.conftest import Parts
from tests.claims.support import MONDAY_10, config, pooled, pools, rep


async def test_an_away_rep_claims_nothing_until_back(parts: Parts) -> None:
    ann = rep("ann")
    cfg = config([ann])
    await parts.inventory.stock(pooled("l1", pool="cold", score=40))

    await parts.lifecycle.set_away("ann", True)
    away = await parts.claims.claim(cfg, ann, MONDAY_10, pool="cold")
    await parts.lifecycle.set_away("ann", False)
    back = await parts.claims.claim(cfg, ann, MONDAY_10, pool="cold")

    assert isinstance(away, Refused) and away.rule == "availability:away"
    assert isinstance(back, Claimed)


async def test_a_blind_pull_pool_hands_out_the_next_best_only(parts: Parts) -> None:
    ann = rep("ann")
    cfg = config([ann], pools=pools(cold={"blind_pull": True}))
    for i in range(3):
        await parts.inventory.stock(pooled(f"l{i}", pool="cold", score=40 + i))

    chosen = await parts.claims.claim(cfg, ann, MONDAY_10, lead_id="l0")
    taken, stop = await parts.claims.claim_batch(cfg, ann, MONDAY_10, "cold", 2)

    assert isinstance(chosen, Refused) and chosen.rule == "blind_pull"
    assert [c.lead_id for c in taken] == ["l2", "l1"] and stop is None


async def test_a_release_pool_holds_leads_stocked_after_the_release(
    parts: Parts,
) -> None:
    ann = rep("ann")
    cfg = config([ann], pools=pools(hot={"release_windows": True}))
    await parts.inventory.stock(pooled("early"))
    parts.clock.set(MONDAY_10 + timedelta(minutes=5))
    await parts.inventory.stock(pooled("late", score=99))
    moment = parts.clock.now()

    late = await parts.claims.claim(cfg, ann, moment, lead_id="late")
    best = await parts.claims.claim(cfg, ann, moment, pool="hot")

    assert isinstance(late, Refused) and late.rule == "window:release:not_released"
    assert isinstance(best, Claimed) and best.lead_id == "early"


async def test_expanded_access_lets_lower_tiers_claim_for_a_while(
    parts: Parts,
) -> None:
    cold_rep = rep("cal", tier=3)
    cfg = config([cold_rep])
    await parts.inventory.stock(pooled("w1", pool="warm", score=60))

    before = await parts.claims.claim(cfg, cold_rep, MONDAY_10, lead_id="w1")
    await parts.lifecycle.set_pool_mode("warm", "expand_access")
    during = await parts.claims.claim(cfg, cold_rep, MONDAY_10, lead_id="w1")

    assert isinstance(before, Refused) and before.rule == "tier"
    assert isinstance(during, Claimed)


async def test_an_auto_assign_pool_refuses_manual_claims(parts: Parts) -> None:
    ann = rep("ann")
    cfg = config([ann])
    await parts.inventory.stock(pooled("l1", pool="cold", score=40))

    await parts.lifecycle.set_pool_mode("cold", "auto_assign")
    refused = await parts.claims.claim(cfg, ann, MONDAY_10, lead_id="l1")

    assert isinstance(refused, Refused) and refused.rule == "pool_mode:auto_assign"
