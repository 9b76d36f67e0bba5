"""Repeated misses cut a rep's quota and take them out of the fast lane."""

from __future__ import annotations

from datetime import timedelta

from schemas.commands import Action
from schemas.config import LeadpoolConfig
from services.hygiene.book import LeadBook
from services.hygiene.penalties import penalty_commands
from tests.hygiene.events import START, claimed, stocked

CONFIG = LeadpoolConfig(version="test-1")


def missed(book: LeadBook, lead_id: str, hours: float, fast: bool = False) -> None:
    at = START + timedelta(hours=hours)
    reason = {"assignment_reason": "fast_lane"} if fast else {}
    book.fold(stocked(lead_id, at))
    book.fold(claimed(lead_id, at, **reason))


def test_two_fast_lane_misses_take_the_rep_out_of_the_fast_lane() -> None:
    book = LeadBook(lambda: CONFIG)
    missed(book, "l1", 0, fast=True)
    missed(book, "l2", 1, fast=True)
    now = START + timedelta(hours=2)
    commands = penalty_commands(book.open_misses(now), CONFIG, now, {})
    (out,) = [c for c in commands if c.action is Action.FAST_LANE_OUT]
    assert (out.rep_id, out.figures["fast_lane_misses"]) == ("rep-a", 2)


def test_one_fast_lane_miss_is_not_enough() -> None:
    book = LeadBook(lambda: CONFIG)
    missed(book, "l1", 0, fast=True)
    now = START + timedelta(hours=2)
    assert penalty_commands(book.open_misses(now), CONFIG, now, {}) == []


def test_a_manager_restore_forgives_earlier_misses() -> None:
    book = LeadBook(lambda: CONFIG)
    missed(book, "l1", 0, fast=True)
    missed(book, "l2", 1, fast=True)
    now = START + timedelta(hours=2)
    restored = {"rep-a": now}
    assert penalty_commands(book.open_misses(now), CONFIG, now, restored) == []


def test_three_misses_in_a_week_reduce_the_daily_quota() -> None:
    book = LeadBook(lambda: CONFIG)
    for index in range(3):
        missed(book, f"l{index}", index * 24)
    now = START + timedelta(days=3)
    (cut,) = penalty_commands(book.open_misses(now), CONFIG, now, {})
    assert cut.action is Action.PENALISE
    assert cut.figures["daily_quota_reduction"] == 5
    # One window of 7 days from the third miss's deadline (claimed at 48 h,
    # due 2 h later).
    assert cut.until == START + timedelta(hours=50, days=7)
