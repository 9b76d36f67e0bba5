"""The fast lane: offered reps may accept first; then round robin takes it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.claims.claiming import Claimed
from services.claims.fastlane import FastLaneOffers
from tests.claims.conftest import Parts
from tests.claims.support import MONDAY_10, config, pooled, rep

WINDOW_S = 120  # the default offer window


@pytest.fixture
def offers(parts: Parts) -> FastLaneOffers:
    return FastLaneOffers(parts.redis, parts.keys, parts.round_robin)


async def test_an_unanswered_offer_goes_round_robin_when_it_expires(
    parts: Parts, offers: FastLaneOffers
) -> None:
    cfg = config([rep("ann")])
    lead = pooled("f1", fast_lane=True)
    await parts.inventory.stock(lead)

    expires = await offers.open(lead, cfg)
    assert expires == MONDAY_10 + timedelta(seconds=WINDOW_S)
    assert await offers.assign_expired(cfg, expires - timedelta(seconds=1)) == 0
    assert await parts.lifecycle.open_leads("ann") == []

    assert await offers.assign_expired(cfg, expires) == 1
    assert await parts.lifecycle.open_leads("ann") == ["f1"]
    assert await offers.assign_expired(cfg, expires + timedelta(minutes=5)) == 0


async def test_the_first_offered_rep_to_accept_keeps_the_lead(
    parts: Parts, offers: FastLaneOffers
) -> None:
    ann, bob = rep("ann"), rep("bob")
    cfg = config([ann, bob])
    lead = pooled("f1", fast_lane=True)
    await parts.inventory.stock(lead)
    expires = await offers.open(lead, cfg)

    accepted = await parts.claims.claim(cfg, bob, MONDAY_10, lead_id="f1")
    late = await parts.claims.claim(cfg, ann, MONDAY_10, lead_id="f1")

    assert isinstance(accepted, Claimed) and not isinstance(late, Claimed)
    assert await offers.assign_expired(cfg, expires) == 0
    assert await parts.lifecycle.open_leads("bob") == ["f1"]
    assert await parts.lifecycle.open_leads("ann") == []
