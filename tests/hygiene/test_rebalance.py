"""Rebalancing on volume, age and performance: triggered, and quiet below."""

from __future__ import annotations

from datetime import timedelta

from schemas.commands import Action
from schemas.config import LeadpoolConfig
from services.hygiene.book import LeadBook
from services.hygiene.rebalance import (
    age_commands,
    performance_commands,
    volume_commands,
)
from tests.hygiene.events import START, contacted
from tests.hygiene.pools import day_of_flows, figures, fill

CONFIG = LeadpoolConfig(version="test-1")
SOON = START + timedelta(hours=1)


def test_a_pool_over_300_moves_its_lowest_priority_leads_to_one_under_50() -> None:
    book = LeadBook(lambda: CONFIG)
    fill(book, "warm", 305)
    fill(book, "cold", 40)
    moves = volume_commands(figures(book, CONFIG), CONFIG, SOON)
    assert len(moves) == 5
    assert {(m.action, m.pool, m.target_pool) for m in moves} == {
        (Action.MOVE, "warm", "cold")
    }
    assert max(m.priority or 0 for m in moves) == 1  # priorities run 0-99, 0-99...


def test_volume_is_quiet_at_300_leads() -> None:
    book = LeadBook(lambda: CONFIG)
    fill(book, "warm", 300)
    fill(book, "cold", 40)
    assert volume_commands(figures(book, CONFIG), CONFIG, SOON) == []


def test_an_average_age_over_36_hours_moves_the_oldest_fifth_to_hot() -> None:
    book = LeadBook(lambda: CONFIG)
    fill(book, "warm", 10)
    moves = age_commands(figures(book, CONFIG), CONFIG, START + timedelta(hours=37))
    assert len(moves) == 2
    assert {m.target_pool for m in moves} == {"hot"}


def test_age_is_quiet_at_36_hours_and_cold_leads_under_7_days_stay() -> None:
    book = LeadBook(lambda: CONFIG)
    fill(book, "warm", 10)
    fill(book, "cold", 3)
    now = START + timedelta(hours=36)
    assert age_commands(figures(book, CONFIG), CONFIG, now) == []


def test_cold_leads_past_7_days_go_to_nurture() -> None:
    book = LeadBook(lambda: CONFIG)
    fill(book, "cold", 3)
    now = START + timedelta(days=7, seconds=1)
    commands = age_commands(figures(book, CONFIG), CONFIG, now)
    removals = [c for c in commands if c.policy == "rebalance.cold_nurture"]
    assert [c.action for c in removals] == [Action.REMOVE] * 3


def test_conversion_under_15_percent_pauses_the_pool_for_an_audit() -> None:
    book = LeadBook(lambda: CONFIG)
    day_of_flows(book, "warm", START, added=20, claims=20)
    (audit,) = performance_commands(figures(book, CONFIG), CONFIG, SOON)
    assert (audit.action, audit.figures["conversion"]) == (Action.AUDIT, 0.0)


def test_claim_to_contact_over_4_hours_raises_a_capacity_alert() -> None:
    book = LeadBook(lambda: CONFIG)
    day_of_flows(book, "cold", START, added=1, claims=1)
    book.fold(
        contacted("cold-02-0", START + timedelta(hours=4, minutes=2), pool="cold")
    )
    (alert,) = performance_commands(figures(book, CONFIG), CONFIG, SOON)
    assert alert.policy == "rebalance.capacity"


def test_performance_is_quiet_at_4_hours_to_contact_and_few_claims() -> None:
    book = LeadBook(lambda: CONFIG)
    day_of_flows(book, "cold", START, added=19, claims=19)
    book.fold(
        contacted("cold-02-0", START + timedelta(hours=3, minutes=59), pool="cold")
    )
    assert performance_commands(figures(book, CONFIG), CONFIG, SOON) == []
