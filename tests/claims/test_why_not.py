""" "Why not me": every rule evaluated for a rep and a lead, nothing written."""

from __future__ import annotations

from services.claims.claiming import Refused
from tests.claims.conftest import Parts
from tests.claims.support import MONDAY_10, config, pooled, rep


async def test_why_not_lists_every_rule_with_its_figures(parts: Parts) -> None:
    bob = rep("bob", tier=2)
    cfg = config([bob])
    await parts.inventory.stock(pooled("l1", pool="hot"))

    checks = await parts.claims.why_not(cfg, bob, MONDAY_10, lead_id="l1")

    assert isinstance(checks, list)
    by_rule = {check.rule: check for check in checks}
    assert by_rule["tier"].passed is False
    quota = by_rule["daily_quota"]
    assert (quota.passed, quota.count, quota.limit) == (True, 0, 15)
    assert {"max_open_leads", "hourly_velocity", "pool_daily_cap"} <= set(by_rule)
    assert await parts.outbox_types() == ["stocked"]


async def test_why_not_on_an_empty_pool_says_so(parts: Parts) -> None:
    bob = rep("bob")

    answer = await parts.claims.why_not(config([bob]), bob, MONDAY_10, pool="warm")

    assert isinstance(answer, Refused) and answer.rule == "pool_empty"


async def test_why_not_shows_access_passed_when_the_pool_is_open(parts: Parts) -> None:
    ann = rep("ann")
    await parts.inventory.stock(pooled("l1", pool="hot"))

    checks = await parts.claims.why_not(config([ann]), ann, MONDAY_10, lead_id="l1")

    assert isinstance(checks, list)
    by_rule = {check.rule: check for check in checks}
    assert by_rule["pool_access"].passed is True
    assert "tier" not in by_rule
    assert all(check.passed for check in checks)
