"""The claim step's availability rules, on real Redis."""

from __future__ import annotations

from services.claims.claiming import Claimed, Refused
from tests.claims.conftest import Parts
from tests.claims.support import MONDAY_10, config, pooled, rep


async def test_an_available_lead_is_claimed_once(parts: Parts) -> None:
    alice, bob = rep("alice"), rep("bob")
    cfg = config([alice, bob])
    await parts.inventory.stock(pooled("l1"))

    first = await parts.claims.claim(cfg, alice, MONDAY_10, lead_id="l1")
    second = await parts.claims.claim(cfg, bob, MONDAY_10, lead_id="l1")

    assert isinstance(first, Claimed) and first.rep_id == "alice"
    assert isinstance(second, Refused) and second.rule == "not_available"
    assert await parts.outbox_types() == ["stocked", "claimed"]


async def test_next_best_takes_the_highest_priority_lead(parts: Parts) -> None:
    alice = rep("alice")
    for lead_id, score in [("low", 81), ("high", 99), ("mid", 90)]:
        await parts.inventory.stock(pooled(lead_id, score=score))

    outcome = await parts.claims.claim(config([alice]), alice, MONDAY_10, pool="hot")

    assert isinstance(outcome, Claimed) and outcome.lead_id == "high"


async def test_an_empty_pool_and_an_unknown_lead_are_refused(parts: Parts) -> None:
    alice = rep("alice")
    cfg = config([alice])

    empty = await parts.claims.claim(cfg, alice, MONDAY_10, pool="warm")
    unknown = await parts.claims.claim(cfg, alice, MONDAY_10, lead_id="nope")

    assert isinstance(empty, Refused) and empty.rule == "pool_empty"
    assert isinstance(unknown, Refused) and unknown.rule == "unknown_lead"


async def test_replaying_a_pool_topic_changes_nothing(parts: Parts) -> None:
    lead = pooled("l1")

    assert await parts.inventory.stock(lead) == 1
    assert await parts.inventory.stock(lead) == 0
    assert await parts.inventory.depth("hot") == 1
    assert await parts.outbox_types() == ["stocked"]


async def test_a_rerouted_available_lead_moves_pools(parts: Parts) -> None:
    await parts.inventory.stock(pooled("l1", pool="warm", score=60))

    moved = await parts.inventory.stock(pooled("l1", pool="hot", score=88))

    assert moved == 2
    assert await parts.inventory.depth("warm") == 0
    assert await parts.inventory.depth("hot") == 1
    assert await parts.outbox_types() == ["stocked", "transferred"]
