"""A deactivated user's open leads return to the pool at once."""

from __future__ import annotations

from schemas.events import ReturnReason
from services.claims.app import deactivated
from tests.claims.conftest import Parts
from tests.claims.support import MONDAY_10, config, pooled, rep


def test_deactivated_users_are_those_no_longer_active() -> None:
    before = config([rep("ann"), rep("bob"), rep("cy", active=False)])
    after = config([rep("ann", active=False), rep("cy")])

    assert deactivated(before, after) == ["ann", "bob"]


async def test_every_open_lead_of_a_deactivated_rep_goes_back(parts: Parts) -> None:
    ann = rep("ann")
    cfg = config([ann])
    for i in range(3):
        await parts.inventory.stock(pooled(f"l{i}", pool="cold", score=40))
        await parts.claims.claim(cfg, ann, MONDAY_10, lead_id=f"l{i}")

    returned = await parts.lifecycle.give_back_all(
        cfg, "ann", MONDAY_10, ReturnReason.REP_DEACTIVATED
    )

    assert returned == 3
    assert await parts.lifecycle.open_leads("ann") == []
    assert await parts.inventory.depth("cold") == 3
    assert (await parts.outbox_types()).count("returned") == 3
