"""Hygiene's commands applied to lead state, once each, with their events."""

from __future__ import annotations

from typing import Any

import pytest

from schemas.commands import Action, HygieneCommand
from schemas.events import Removal
from services.claims.commands import CommandApplier
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


async def test_a_removal_applies_once(parts: Parts, applier: CommandApplier) -> None:
    cfg = config([rep("ann")])
    await parts.inventory.stock(pooled("l1", pool="cold", score=40))
    remove = command(Action.REMOVE, destination=Removal.NURTURE)

    assert await applier.apply(cfg, remove) is True
    assert await applier.apply(cfg, remove) is False
    assert await parts.inventory.depth("cold") == 0
    assert await parts.outbox_types() == ["stocked", "removed"]


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
