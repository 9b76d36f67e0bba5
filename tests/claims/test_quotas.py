"""Claim quotas and limits (seed: Access Management), checked in the Lua step."""

from __future__ import annotations

from datetime import datetime, timedelta

from schemas.config import LeadpoolConfig
from schemas.config.access import Performance, User
from schemas.config.quotas import Quotas
from services.claims.claiming import Claimed, Refused
from services.claims.policy import Assignment
from tests.claims.conftest import Parts
from tests.claims.support import MONDAY_10, pooled, relaxed, rep

MINUTE = timedelta(minutes=1)


async def claim_run(
    parts: Parts,
    cfg: LeadpoolConfig,
    user: User,
    pool: str,
    n: int,
    start: datetime = MONDAY_10,
    step: timedelta = MINUTE,
) -> list[Claimed | Refused]:
    """Stock n leads in `pool`, then claim them one by one, `step` apart."""
    outcomes: list[Claimed | Refused] = []
    for i in range(n):
        lead_id = f"{user.id}-{pool}-{start.timestamp():.0f}-{i}"
        await parts.inventory.stock(pooled(lead_id, pool=pool, score=40))
        at = start + step * i
        outcomes.append(await parts.claims.claim(cfg, user, at, lead_id=lead_id))
    return outcomes


def refusal(outcome: Claimed | Refused) -> Refused:
    assert isinstance(outcome, Refused), outcome
    return outcome


async def test_daily_quota_follows_performance_level(parts: Parts) -> None:
    std, low = rep("std"), rep("low", performance=Performance.LOW)
    cfg = relaxed([std, low])

    std_run = await claim_run(parts, cfg, std, "cold", 16)
    low_run = await claim_run(parts, cfg, low, "cold", 11)

    assert all(isinstance(o, Claimed) for o in std_run[:15] + low_run[:10])
    refused = refusal(std_run[15])
    assert (refused.rule, refused.count, refused.limit) == ("daily_quota", 15, 15)
    assert refused.resets_at == MONDAY_10.replace(hour=0) + timedelta(days=1)
    assert refusal(low_run[10]).limit == 10


async def test_auto_assigned_leads_do_not_use_the_quota(parts: Parts) -> None:
    low = rep("low", performance=Performance.LOW)
    cfg = relaxed([low])
    for i in range(12):
        await parts.inventory.stock(pooled(f"a{i}", pool="cold", score=30))
        auto = Assignment("forced")
        await parts.claims.claim(cfg, low, MONDAY_10, lead_id=f"a{i}", assignment=auto)

    manual = await claim_run(parts, cfg, low, "cold", 1)

    assert isinstance(manual[0], Claimed)


async def test_no_claims_while_carrying_25_open_leads(parts: Parts) -> None:
    ann = rep("ann", performance=Performance.HIGH)
    cfg = relaxed([ann], max_open_leads=25, daily_claims={"high": 100})

    run = await claim_run(parts, cfg, ann, "cold", 26)

    assert all(isinstance(o, Claimed) for o in run[:25])
    refused = refusal(run[25])
    assert (refused.rule, refused.count, refused.limit) == ("max_open_leads", 25, 25)


async def test_no_hot_claims_while_carrying_15_open_leads(parts: Parts) -> None:
    ann = rep("ann", performance=Performance.HIGH)
    cfg = relaxed([ann], daily_claims={"high": 100})
    await claim_run(parts, cfg, ann, "cold", 14)

    first_hot = await claim_run(
        parts, cfg, ann, "hot", 2, start=MONDAY_10 + MINUTE * 30
    )

    assert isinstance(first_hot[0], Claimed)
    refused = refusal(first_hot[1])
    assert (refused.rule, refused.count, refused.limit) == (
        "pool_max_open_leads",
        15,
        15,
    )


async def test_at_most_five_claims_an_hour(parts: Parts) -> None:
    ann = rep("ann")
    cfg = relaxed([ann], velocity={"max_claims_per_hour": 5, "consecutive_claims": 99})

    run = await claim_run(parts, cfg, ann, "cold", 6, step=MINUTE * 5)
    later = await claim_run(parts, cfg, ann, "cold", 1, start=MONDAY_10 + MINUTE * 61)

    refused = refusal(run[5])
    assert (refused.rule, refused.count, refused.limit) == ("hourly_velocity", 5, 5)
    assert refused.resets_at == MONDAY_10 + timedelta(hours=1)
    assert isinstance(later[0], Claimed)


async def test_three_consecutive_claims_start_a_15_minute_cooldown(
    parts: Parts,
) -> None:
    ann = rep("ann")
    cfg = relaxed([ann], velocity={"max_claims_per_hour": 99})

    run = await claim_run(parts, cfg, ann, "cold", 4)
    after = await claim_run(parts, cfg, ann, "cold", 1, start=MONDAY_10 + MINUTE * 18)

    assert all(isinstance(o, Claimed) for o in run[:3])
    refused = refusal(run[3])
    assert refused.rule == "cooldown"
    assert refused.resets_at == MONDAY_10 + MINUTE * 17
    assert isinstance(after[0], Claimed)


async def test_hot_pool_allows_three_claims_a_day_cold_is_unlimited(
    parts: Parts,
) -> None:
    ann = rep("ann", performance=Performance.HIGH)
    cfg = relaxed([ann], daily_claims={"high": 100})

    hot = await claim_run(parts, cfg, ann, "hot", 4)
    cold = await claim_run(parts, cfg, ann, "cold", 30, start=MONDAY_10 + MINUTE * 9)

    refused = refusal(hot[3])
    assert (refused.rule, refused.count, refused.limit) == ("pool_daily_cap", 3, 3)
    assert all(isinstance(o, Claimed) for o in cold)


async def test_one_hot_needs_two_warm_and_one_warm_three_cold(
    parts: Parts,
) -> None:
    ann = rep("ann")
    cfg = relaxed([ann], ratios=Quotas().model_dump(mode="json")["ratios"])
    at = [MONDAY_10 + MINUTE * i for i in range(10)]

    hot = await claim_run(parts, cfg, ann, "hot", 2, start=at[0])
    warm = await claim_run(parts, cfg, ann, "warm", 2, start=at[2])
    await claim_run(parts, cfg, ann, "cold", 3, start=at[4])
    second_warm = await claim_run(parts, cfg, ann, "warm", 1, start=at[7])
    second_hot = await claim_run(parts, cfg, ann, "hot", 1, start=at[8])

    refused = refusal(hot[1])
    assert (refused.rule, refused.count, refused.limit) == ("claim_ratio:warm", 0, 2)
    refused = refusal(warm[1])
    assert (refused.rule, refused.count, refused.limit) == ("claim_ratio:cold", 0, 3)
    assert isinstance(second_warm[0], Claimed)
    assert isinstance(second_hot[0], Claimed)


async def test_a_weekly_cold_claim_is_required(parts: Parts) -> None:
    ann = rep("ann")
    cfg = relaxed(
        [ann], cross_pool=[{"quality": "cold", "min_claims": 1, "period_days": 7}]
    )
    next_week = MONDAY_10 + timedelta(days=7, minutes=1)

    await claim_run(parts, cfg, ann, "warm", 1)
    overdue = await claim_run(parts, cfg, ann, "warm", 1, start=next_week)
    await claim_run(parts, cfg, ann, "cold", 1, start=next_week + MINUTE)
    caught_up = await claim_run(
        parts, cfg, ann, "warm", 1, start=next_week + MINUTE * 2
    )

    refused = refusal(overdue[0])
    assert (refused.rule, refused.count, refused.limit) == ("cross_pool:cold", 0, 1)
    assert isinstance(caught_up[0], Claimed)
