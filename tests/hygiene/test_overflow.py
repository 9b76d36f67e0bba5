"""Overflow: round robin at 300 until the pool drops below 200."""

from __future__ import annotations

from datetime import timedelta

from schemas.commands import Action
from schemas.config import LeadpoolConfig
from services.hygiene.book import LeadBook
from services.hygiene.ops_log import OpsLog
from services.hygiene.overflow import OverflowGuard
from tests.hygiene.events import START, claimed
from tests.hygiene.pools import figures, fill

CONFIG = LeadpoolConfig(version="test-1")
SOON = START + timedelta(hours=1)


def test_a_pool_at_300_switches_to_auto_assignment() -> None:
    book = LeadBook(lambda: CONFIG)
    fill(book, "warm", 300)
    (switch,) = OverflowGuard().commands(figures(book, CONFIG), CONFIG, SOON)
    assert (switch.action, switch.mode) == (Action.SET_POOL_MODE, "auto_assign")


def test_overflow_is_quiet_at_299() -> None:
    book = LeadBook(lambda: CONFIG)
    fill(book, "warm", 299)
    assert OverflowGuard().commands(figures(book, CONFIG), CONFIG, SOON) == []


def test_auto_assignment_holds_until_the_pool_drops_below_200() -> None:
    book, guard = LeadBook(lambda: CONFIG), OverflowGuard()
    ids = fill(book, "warm", 300)
    guard.commands(figures(book, CONFIG), CONFIG, SOON)
    for lead_id in ids[:100]:
        book.fold(claimed(lead_id, SOON))
    assert guard.commands(figures(book, CONFIG), CONFIG, SOON) == []  # at 200
    book.fold(claimed(ids[100], SOON))
    (back,) = guard.commands(figures(book, CONFIG), CONFIG, SOON)
    assert back.mode == "claim"


def test_outsourcing_routes_the_excess_to_the_partner_pool() -> None:
    overflow = {"mode": "outsource", "partner_pool": "cold"}
    config = LeadpoolConfig(version="t", hygiene={"overflow": overflow})
    book = LeadBook(lambda: config)
    fill(book, "warm", 300)
    moves = OverflowGuard().commands(figures(book, config), config, SOON)
    assert len(moves) == 100
    assert {m.target_pool for m in moves} == {"cold"}


def test_pausing_intake_pauses_each_low_priority_source() -> None:
    overflow = {"mode": "pause_intake", "low_priority_sources": ["list", "ads"]}
    config = LeadpoolConfig(version="t", hygiene={"overflow": overflow})
    book = LeadBook(lambda: config)
    fill(book, "warm", 300)
    pauses = OverflowGuard().commands(figures(book, config), config, SOON)
    assert [(p.action, p.source) for p in pauses] == [
        (Action.PAUSE_SOURCE, "list"),
        (Action.PAUSE_SOURCE, "ads"),
    ]


def test_a_new_leader_switches_back_a_pool_the_old_leader_put_in_overflow() -> None:
    book, old_leader = LeadBook(lambda: CONFIG), OverflowGuard()
    ids = fill(book, "warm", 300)
    ops = OpsLog()
    for command in old_leader.commands(figures(book, CONFIG), CONFIG, SOON):
        ops.fold(command)  # every worker reads what the leader sent
    for lead_id in ids[:101]:
        book.fold(claimed(lead_id, SOON))

    new_leader = OverflowGuard()
    new_leader.restore(ops.overflowing)
    (back,) = new_leader.commands(figures(book, CONFIG), CONFIG, SOON)

    assert (back.action, back.pool, back.mode) == (
        Action.SET_POOL_MODE,
        "warm",
        "claim",
    )
    assert new_leader.commands(figures(book, CONFIG), CONFIG, SOON) == []
