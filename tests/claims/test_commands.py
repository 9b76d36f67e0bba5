"""Hygiene's commands applied to lead state, once each, with their events."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from typing import Any

import pytest

from schemas.commands import Action, HygieneCommand
from schemas.config import LeadpoolConfig
from schemas.config.access import User
from schemas.events import Removal
from services.claims.claiming import Claimed, Refused
from services.claims.commands import CommandApplier
from services.claims.limits import remaining_limits
from services.claims.roundrobin import FAST_LANE
from tests.claims.conftest import Parts
from tests.claims.support import MONDAY_10, config, pooled, rep


@pytest.fixture
def applier(parts: Parts) -> CommandApplier:
    return CommandApplier(
        parts.redis,
        parts.keys,
        parts.inventory,
        parts.lifecycle,
        parts.round_robin,
        parts.clock,
    )


def command(action: Action, **fields: Any) -> HygieneCommand:
    values: dict[str, Any] = {
        "command_id": f"{action.value}-1",
        "action": action,
        "policy": "test-policy",
        "issued_at": MONDAY_10,
        "config_version": "test-1",
        "lead_id": "l1",
    }
    return HygieneCommand(**(values | fields))


def ops_decision(destination: Removal) -> HygieneCommand:
    """A review decision as hygiene's review API sends it."""
    return command(
        Action.REMOVE,
        command_id="review:l1",
        policy=f"review.{destination.value}",
        destination=destination,
    )


async def test_a_removal_applies_once(parts: Parts, applier: CommandApplier) -> None:
    cfg = config([rep("ann")])
    await parts.inventory.stock(pooled("l1", pool="cold", score=40))
    remove = command(Action.REMOVE, destination=Removal.NURTURE)

    assert await applier.apply(cfg, remove) is True
    assert await applier.apply(cfg, remove) is False
    assert await parts.inventory.depth("cold") == 0
    assert await parts.outbox_types() == ["stocked", "removed"]


@pytest.mark.parametrize("destination", [Removal.RECYCLE, Removal.ARCHIVE])
async def test_an_aging_removal_lands_where_hygiene_sent_it_with_why(
    parts: Parts, applier: CommandApplier, destination: Removal
) -> None:
    await parts.inventory.stock(pooled("l1", pool="cold", score=40))
    remove = command(
        Action.REMOVE, policy="aging.72h", destination=destination, message="idle"
    )

    assert await applier.apply(config([rep("ann")]), remove) is True

    (*_, (_, event)) = await parts.redis.xrange(parts.keys.outbox)
    body = json.loads(event["body"])
    assert (body["destination"], body["policy"], body["reason"]) == (
        destination.value,
        "aging.72h",
        "idle",
    )
    assert await parts.inventory.depth("cold") == 0


async def test_a_move_and_an_auto_assignment(
    parts: Parts, applier: CommandApplier
) -> None:
    cfg = config([rep("ann")])
    await parts.inventory.stock(pooled("l1", pool="cold", score=40))

    assert await applier.apply(cfg, command(Action.MOVE, target_pool="warm"))
    assert await applier.apply(cfg, command(Action.AUTO_ASSIGN))
    assert not await applier.apply(cfg, command(Action.AUTO_ASSIGN))
    assert await parts.lifecycle.open_leads("ann") == ["l1"]
    assert await parts.outbox_types() == ["stocked", "transferred", "claimed"]


async def test_an_sla_return_takes_the_lead_back(
    parts: Parts, applier: CommandApplier
) -> None:
    ann = rep("ann")
    cfg = config([ann])
    await parts.inventory.stock(pooled("l1", pool="cold", score=40))
    await parts.claims.claim(cfg, ann, MONDAY_10, lead_id="l1")

    assert await applier.apply(cfg, command(Action.RETURN))
    assert not await applier.apply(cfg, command(Action.RETURN))
    assert await parts.lifecycle.open_leads("ann") == []
    assert await parts.inventory.depth("cold") == 1


async def test_pool_mode_and_bad_commands(
    parts: Parts, applier: CommandApplier
) -> None:
    cfg = config([rep("ann")])
    mode = command(Action.SET_POOL_MODE, lead_id=None, pool="cold", mode="auto_assign")

    assert await applier.apply(cfg, mode)
    assert await parts.lifecycle.pool_mode("cold") == "auto_assign"
    assert not await applier.apply(cfg, command(Action.MOVE, target_pool="nowhere"))
    assert not await applier.apply(cfg, command(Action.ESCALATE))


async def test_an_ops_decision_settles_a_lead_waiting_in_review(
    parts: Parts, applier: CommandApplier
) -> None:
    cfg = config([rep("ann")])
    await parts.inventory.stock(pooled("l1", pool="cold", score=40))
    to_review = command(Action.REMOVE, destination=Removal.REVIEW)

    assert await applier.apply(cfg, to_review)
    assert await applier.apply(cfg, ops_decision(Removal.ARCHIVE))
    assert await parts.redis.hget(parts.keys.lead("l1"), "destination") == "archive"
    assert await parts.outbox_types() == ["stocked", "removed", "removed"]


@pytest.mark.parametrize("policy", ["rebalance.cold_nurture", "aging.168h"])
async def test_a_late_removal_leaves_a_lead_in_review_and_stays_applied(
    parts: Parts,
    applier: CommandApplier,
    policy: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="services.claims.commands")
    cfg = config([rep("ann")])
    await parts.inventory.stock(pooled("l1", pool="cold", score=40))
    await applier.apply(cfg, command(Action.REMOVE, destination=Removal.REVIEW))
    late = command(
        Action.REMOVE, command_id="late", policy=policy, destination=Removal.NURTURE
    )

    assert not await applier.apply(cfg, late)
    assert await parts.redis.hget(parts.keys.lead("l1"), "destination") == "review"
    assert await parts.redis.zscore(parts.keys.applied_commands, "late") is not None
    assert await parts.outbox_types() == ["stocked", "removed"]
    assert "removal ignored: the lead waits in review" in caplog.text

    # Ops' decision still settles it; the late id stays a no-op afterwards.
    assert await applier.apply(cfg, ops_decision(Removal.NURTURE))
    assert not await applier.apply(cfg, late)
    assert await parts.outbox_types() == ["stocked", "removed", "removed"]


async def test_a_reinstated_lead_is_claimable_again_with_its_data_fixed(
    parts: Parts, applier: CommandApplier
) -> None:
    ann = rep("ann")
    cfg = config([ann])
    await parts.inventory.stock(pooled("l1", pool="cold", score=40))
    await applier.apply(cfg, command(Action.REMOVE, destination=Removal.REVIEW))
    reinstate = command(
        Action.REINSTATE,
        target_pool="warm",
        figures={"fix.company": "Fixed Co", "reason": "bad data"},
    )

    assert await applier.apply(cfg, reinstate)
    assert not await applier.apply(cfg, reinstate)
    assert await parts.inventory.depth("warm") == 1
    claimed = await parts.claims.claim(cfg, ann, MONDAY_10, lead_id="l1")
    assert isinstance(claimed, Claimed)
    assert json.loads(claimed.lead_json or "{}")["company"] == "Fixed Co"
    assert (await parts.outbox_types())[-2:] == ["reinstated", "claimed"]


async def test_a_fix_that_breaks_the_lead_leaves_it_in_review(
    parts: Parts, applier: CommandApplier
) -> None:
    cfg = config([rep("ann")])
    await parts.inventory.stock(pooled("l1", pool="cold", score=40))
    await applier.apply(cfg, command(Action.REMOVE, destination=Removal.REVIEW))
    broken = command(Action.REINSTATE, figures={"fix.email": "not an address"})

    assert not await applier.apply(cfg, broken)
    assert await parts.redis.hget(parts.keys.lead("l1"), "state") == "removed"
    assert await parts.inventory.depth("cold") == 0


async def test_only_a_lead_in_review_can_be_reinstated(
    parts: Parts, applier: CommandApplier
) -> None:
    cfg = config([rep("ann")])
    await parts.inventory.stock(pooled("l1", pool="cold", score=40))
    await applier.apply(cfg, command(Action.REMOVE, destination=Removal.NURTURE))

    assert not await applier.apply(cfg, command(Action.REINSTATE))
    assert await parts.inventory.depth("cold") == 0


async def test_a_penalty_shrinks_the_daily_quota_until_it_ends(
    parts: Parts, applier: CommandApplier
) -> None:
    ann = rep("ann")
    cfg = config([ann])
    await parts.inventory.stock(pooled("l1", pool="cold", score=40))
    penalty = command(
        Action.PENALISE, rep_id="ann", until=MONDAY_10 + timedelta(days=7)
    )

    assert await applier.apply(cfg, penalty)
    assert not await applier.apply(cfg, penalty)
    assert await quota_limit(parts, cfg, ann, MONDAY_10) == 15 - 5
    assert await quota_limit(parts, cfg, ann, MONDAY_10 + timedelta(days=8)) == 15


async def test_a_suspending_penalty_refuses_claims_but_not_assignments(
    parts: Parts, applier: CommandApplier
) -> None:
    ann = rep("ann")
    cfg = config([ann], slas={"penalties": {"suspend_pool_access": True}})
    for lead_id in ("l1", "l2"):
        await parts.inventory.stock(pooled(lead_id, pool="cold", score=40))
    await applier.apply(
        cfg, command(Action.PENALISE, rep_id="ann", until=MONDAY_10 + timedelta(1))
    )

    refused = await parts.claims.claim(cfg, ann, MONDAY_10, lead_id="l1")
    assert isinstance(refused, Refused)
    assert refused.rule == "sla_penalty:suspended"
    assert await applier.apply(cfg, command(Action.AUTO_ASSIGN, lead_id="l2"))
    later = MONDAY_10 + timedelta(days=1, minutes=1)
    assert isinstance(await parts.claims.claim(cfg, ann, later, lead_id="l1"), Claimed)


async def test_a_rep_out_of_the_fast_lane_gets_no_fast_lane_lead_until_restored(
    parts: Parts, applier: CommandApplier
) -> None:
    cfg = config([rep("ann"), rep("bob")])
    out = command(Action.FAST_LANE_OUT, rep_id="ann", lead_id=None)
    assert await applier.apply(cfg, out)

    for n in range(3):
        await parts.inventory.stock(pooled(f"f{n}", fast_lane=True))
        await parts.round_robin.assign(cfg, "hot", MONDAY_10, FAST_LANE, f"f{n}")
    assert await parts.lifecycle.open_leads("ann") == []
    assert len(await parts.lifecycle.open_leads("bob")) == 3

    restore = command(Action.FAST_LANE_RESTORE, rep_id="ann", lead_id=None)
    assert await applier.apply(cfg, restore)
    await parts.inventory.stock(pooled("f9", fast_lane=True))
    await parts.round_robin.assign(cfg, "hot", MONDAY_10, FAST_LANE, "f9")
    assert await parts.lifecycle.open_leads("ann") == ["f9"]


async def quota_limit(
    parts: Parts, cfg: LeadpoolConfig, user: User, moment: datetime
) -> int:
    """The daily quota as the claim step and the limits view both see it."""
    checks = await parts.claims.why_not(cfg, user, moment, lead_id="l1")
    assert not isinstance(checks, Refused)
    in_step = next(c.limit for c in checks if c.rule == "daily_quota")
    limits = await remaining_limits(parts.redis, parts.keys, cfg, user, moment)
    shown = next(limit.limit for limit in limits if limit.rule == "daily_quota")
    assert in_step == shown
    return in_step


async def test_an_sla_reassignment_takes_the_lead_from_the_late_rep(
    parts: Parts, applier: CommandApplier
) -> None:
    ann, bob = rep("ann"), rep("bob")
    cfg = config([ann, bob])
    await parts.inventory.stock(pooled("l1", pool="cold", score=40))
    await parts.claims.claim(cfg, ann, MONDAY_10, lead_id="l1")
    reassign = command(Action.AUTO_ASSIGN, rep_id="ann", policy="sla.reassign")

    assert await applier.apply(cfg, reassign)
    assert await parts.lifecycle.open_leads("ann") == []
    assert await parts.lifecycle.open_leads("bob") == ["l1"]
    assert await parts.outbox_types() == ["stocked", "claimed", "returned", "claimed"]
