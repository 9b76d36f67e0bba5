"""Return, contact and outcome of a claimed lead, each with its event."""

from __future__ import annotations

from datetime import timedelta

from schemas.events import Outcome, ReturnReason
from services.claims.claiming import Claimed, Refused
from services.claims.lifecycle import Done, Rejected
from tests.claims.conftest import Parts
from tests.claims.support import MONDAY_10, config, pooled, rep


async def test_a_returned_lead_skips_its_rep_for_the_cooldown(parts: Parts) -> None:
    ann, bob = rep("ann"), rep("bob")
    cfg = config([ann, bob])
    await parts.inventory.stock(pooled("l1", pool="cold", score=40))
    await parts.claims.claim(cfg, ann, MONDAY_10, lead_id="l1")

    back = await parts.lifecycle.give_back(
        cfg, "l1", MONDAY_10, reason=ReturnReason.REP_RETURNED, rep_id="ann"
    )
    again = await parts.claims.claim(cfg, ann, MONDAY_10, lead_id="l1")

    assert isinstance(back, Done)
    assert isinstance(again, Refused) and again.rule == "return_cooldown"
    assert again.resets_at == MONDAY_10 + timedelta(hours=72)
    assert isinstance(
        await parts.claims.claim(cfg, bob, MONDAY_10, pool="cold"), Claimed
    )


async def test_only_the_holder_returns_contacts_or_closes_a_lead(parts: Parts) -> None:
    ann = rep("ann")
    cfg = config([ann])
    await parts.inventory.stock(pooled("l1", pool="cold", score=40))
    await parts.claims.claim(cfg, ann, MONDAY_10, lead_id="l1")
    life = parts.lifecycle

    assert await life.contact(cfg, "l1", "bob", MONDAY_10) == Rejected("not_holder")
    back = await life.give_back(
        cfg, "l1", MONDAY_10, reason=ReturnReason.REP_RETURNED, rep_id="bob"
    )
    assert back == Rejected("not_holder")


async def test_first_contact_is_logged_once_and_a_win_closes_the_lead(
    parts: Parts,
) -> None:
    ann = rep("ann")
    cfg = config([ann])
    await parts.inventory.stock(pooled("l1", pool="cold", score=40))
    await parts.claims.claim(cfg, ann, MONDAY_10, lead_id="l1")

    first = await parts.lifecycle.contact(cfg, "l1", "ann", MONDAY_10, "phone")
    second = await parts.lifecycle.contact(cfg, "l1", "ann", MONDAY_10)
    won = await parts.lifecycle.record_outcome(
        cfg, "l1", "ann", MONDAY_10, Outcome.CLOSED_WON, deal_size=25_000
    )

    assert isinstance(first, Done) and first.details["first"] is True
    assert isinstance(second, Done) and second.details["first"] is False
    assert isinstance(won, Done) and won.details["state"] == "closed"
    assert await parts.lifecycle.open_leads("ann") == []
    assert await parts.outbox_types() == ["stocked", "claimed", "contacted", "outcome"]


async def test_an_approved_transfer_moves_the_lead_unclaimed(parts: Parts) -> None:
    ann, olga = rep("ann"), rep("olga")
    cfg = config([ann, olga])
    await parts.inventory.stock(pooled("l1", pool="cold", score=40))
    await parts.claims.claim(cfg, ann, MONDAY_10, lead_id="l1")

    transfer_id, asked = await parts.transfers.request(
        cfg, "l1", "warm", "ann", "score rose to 70", MONDAY_10
    )
    decided = await parts.transfers.decide(cfg, transfer_id, "olga", True, MONDAY_10)
    twice = await parts.transfers.decide(cfg, transfer_id, "olga", False, MONDAY_10)

    assert isinstance(asked, Done) and isinstance(decided, Done)
    assert twice == Rejected("already_decided")
    assert (await parts.inventory.lead("l1"))["pool"] == "warm"
    assert await parts.inventory.depth("warm") == 1
    assert await parts.outbox_types() == [
        "stocked",
        "claimed",
        "transfer_requested",
        "transfer_decided",
        "returned",
        "transferred",
    ]


async def test_a_rejected_transfer_leaves_the_lead_alone(parts: Parts) -> None:
    cfg = config([rep("ann")])
    await parts.inventory.stock(pooled("l1", pool="cold", score=40))

    transfer_id, _ = await parts.transfers.request(
        cfg, "l1", "warm", "ann", "wrong product", MONDAY_10
    )
    decided = await parts.transfers.decide(cfg, transfer_id, "olga", False, MONDAY_10)

    assert isinstance(decided, Done) and decided.outcome == "rejected"
    assert (await parts.inventory.lead("l1"))["pool"] == "cold"
    assert await parts.transfers.pending() == []
