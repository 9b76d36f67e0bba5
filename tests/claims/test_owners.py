"""A known account's lead goes to its owner, or stays claimable if it can't."""

from __future__ import annotations

from services.claims.claiming import Claimed, Refused
from services.claims.owners import assign_to_owner
from tests.claims.conftest import Parts
from tests.claims.support import MONDAY_10, config, pooled, rep


async def test_a_lead_of_an_owned_account_goes_to_its_owner(parts: Parts) -> None:
    cfg = config([rep("ann"), rep("bob")])
    lead = pooled("l1", pool="warm", score=60).model_copy(update={"owner_rep": "bob"})
    await parts.inventory.stock(lead)

    outcome = await assign_to_owner(parts.claims, cfg, lead, MONDAY_10)

    assert isinstance(outcome, Claimed) and outcome.rep_id == "bob"
    assert await parts.lifecycle.open_leads("bob") == ["l1"]
    assert await parts.inventory.depth("warm") == 0


async def test_an_owner_who_left_leaves_the_lead_in_its_pool(parts: Parts) -> None:
    cfg = config([rep("ann"), rep("bob", active=False)])
    lead = pooled("l1", pool="warm", score=60).model_copy(update={"owner_rep": "bob"})
    await parts.inventory.stock(lead)

    outcome = await assign_to_owner(parts.claims, cfg, lead, MONDAY_10)

    assert isinstance(outcome, Refused)
    assert await parts.inventory.depth("warm") == 1
