"""An overloaded territory pool opened to reps of other territories, for a while."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from schemas.commands import Action, HygieneCommand
from services.claims.api import ClaimsApi
from services.claims.claiming import Claimed, Refused
from services.claims.commands import CommandApplier, missing_fields
from services.claims.policy import moment_policy, static_policy
from services.claims.tiers import Standings
from services.common.live_config import LiveConfig
from tests.claims.conftest import Parts
from tests.claims.support import MONDAY_10, RELAXED, config, pooled, pools, rep

UNTIL = MONDAY_10 + timedelta(hours=24)
TOKEN = "wes-token"
WEST_REP = rep(  # cold is the west pool here
    "wes", pools=["cold"], token_sha256=[hashlib.sha256(TOKEN.encode()).hexdigest()]
)
NO_TERRITORY = rep("nia", pools=["hot"])
AUTH = {"Authorization": f"Bearer {TOKEN}"}
CFG = config(
    [WEST_REP, NO_TERRITORY, rep("eli", pools=["warm"])],
    pools=pools(warm={"territory": "east"}, cold={"territory": "west"}),
    quotas=RELAXED,
)


def open_east(**fields: Any) -> HygieneCommand:
    values: dict[str, Any] = {
        "command_id": "rebalance.territory:warm:1",
        "action": Action.OPEN_TERRITORY,
        "policy": "rebalance.territory",
        "figures": {"depth": 320, "over": 300, "hours": 24},
        "issued_at": MONDAY_10,
        "config_version": "test-1",
        "pool": "warm",
        "until": UNTIL,
    }
    return HygieneCommand(**(values | fields))


@pytest.fixture
def applier(parts: Parts) -> CommandApplier:
    return parts.applier()


async def claim_east(parts: Parts, lead_id: str) -> Claimed | Refused:
    await parts.inventory.stock(pooled(lead_id, pool="warm", score=60))
    return await parts.claims.claim(CFG, WEST_REP, parts.clock.now(), lead_id=lead_id)


async def test_a_rep_of_another_territory_claims_only_while_it_is_open(
    parts: Parts, applier: CommandApplier
) -> None:
    before = await claim_east(parts, "l1")
    assert await applier.apply(CFG, open_east())
    parts.clock.advance(timedelta(hours=1))
    during = await claim_east(parts, "l2")
    parts.clock.set(UNTIL)
    after = await claim_east(parts, "l3")

    assert isinstance(before, Refused) and before.rule == "permission:claim"
    assert isinstance(during, Claimed) and during.rep_id == "wes"
    assert isinstance(after, Refused) and after.rule == "permission:claim"


async def test_only_reps_of_a_territory_cross_into_an_open_one(
    parts: Parts, applier: CommandApplier
) -> None:
    await parts.inventory.stock(pooled("l1", pool="warm", score=60))
    await applier.apply(CFG, open_east())

    refused = await parts.claims.claim(CFG, NO_TERRITORY, MONDAY_10, pool="warm")
    taken = await parts.claims.claim(CFG, WEST_REP, MONDAY_10, pool="warm")

    assert isinstance(refused, Refused) and refused.rule == "permission:claim"
    assert isinstance(taken, Claimed) and taken.lead_id == "l1"


async def test_a_replay_or_a_shorter_opening_does_not_move_the_end(
    parts: Parts, applier: CommandApplier
) -> None:
    shorter = open_east(command_id="rebalance.territory:warm:2", until=MONDAY_10)

    assert await applier.apply(CFG, open_east())
    assert not await applier.apply(CFG, open_east())
    assert await applier.apply(CFG, shorter)
    assert await parts.lifecycle.territory_open("warm", UNTIL - timedelta(seconds=1))
    assert not await parts.lifecycle.territory_open("warm", UNTIL)


@pytest.fixture
def api(parts: Parts) -> ClaimsApi:
    return ClaimsApi(
        LiveConfig(CFG),
        parts.inventory,
        parts.claims,
        parts.clock,
        parts.lifecycle,
        parts.transfers,
        parts.round_robin,
        Standings(parts.redis, parts.keys),
    )


async def test_over_http_a_rep_of_another_territory_takes_the_next_lead_while_open(
    parts: Parts, applier: CommandApplier, api: ClaimsApi
) -> None:
    for n in range(3):
        await parts.inventory.stock(pooled(f"l{n}", pool="warm", score=60))

    async with TestClient(TestServer(api.web_app())) as http:
        before = await http.post("/pools/warm/claim", headers=AUTH)
        await applier.apply(CFG, open_east())
        during = await http.post("/pools/warm/claim", headers=AUTH)
        parts.clock.set(UNTIL)
        after = await http.post("/pools/warm/claim", headers=AUTH)

        assert [before.status, during.status, after.status] == [403, 200, 403]
        assert (await after.json())["permission"] == "claim"


async def test_while_open_the_pool_is_listed_and_a_lead_taken_is_worked_after(
    parts: Parts, applier: CommandApplier, api: ClaimsApi
) -> None:
    await parts.inventory.stock(pooled("l1", pool="warm", score=60))

    async with TestClient(TestServer(api.web_app())) as http:
        hidden = await http.get("/pools/warm/leads", headers=AUTH)
        await applier.apply(CFG, open_east())
        pools = await (await http.get("/pools", headers=AUTH)).json()
        shown = await http.get("/pools/warm/leads", headers=AUTH)
        await http.post("/leads/l1/claim", headers=AUTH)
        parts.clock.set(UNTIL)
        contact = await http.post("/leads/l1/contact", headers=AUTH, json={})
        gone = await http.get("/pools/warm/leads", headers=AUTH)

        assert [p["name"] for p in pools] == ["warm", "cold"]
        assert [hidden.status, shown.status, gone.status] == [403, 200, 403]
        assert contact.status == 200


async def test_an_opening_without_its_end_is_refused_naming_the_field(
    parts: Parts, applier: CommandApplier
) -> None:
    assert missing_fields(open_east(until=None)) == "until: required for open_territory"
    assert not await applier.apply(CFG, open_east(until=None))
    assert not await parts.lifecycle.territory_open("warm", MONDAY_10)


def test_the_policy_parts_share_no_key() -> None:
    # The claim step reads one merged object: a shared key would hide a rule.
    static = static_policy(CFG, "p")
    moment = moment_policy(CFG, WEST_REP, MONDAY_10)

    assert set(static) & set(moment) == set()
