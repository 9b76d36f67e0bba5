"""Rebalancing on volume, age and performance: triggered, and quiet below."""

from __future__ import annotations

from datetime import timedelta

from schemas.commands import Action, HygieneCommand
from schemas.config import LeadpoolConfig
from schemas.events import Removal
from services.hygiene.book import LeadBook
from services.hygiene.rebalance import (
    age_commands,
    performance_commands,
    volume_commands,
)
from services.hygiene.stale import stale_commands
from tests.hygiene.events import START, contacted
from tests.hygiene.pools import day_of_flows, figures, fill

CONFIG = LeadpoolConfig(version="test-1")
# Stale review waits two weeks here, so a week-old cold lead is not yet stale.
STALE_AT_14_DAYS = LeadpoolConfig.model_validate(
    {"version": "test-2", "hygiene": {"stale": {"unclaimed_days": 14}}}
)
SOON = START + timedelta(hours=1)
WEEK_ON = START + timedelta(days=7, seconds=1)  # just past cold_to_nurture_days


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


def cold_removals(
    config: LeadpoolConfig, duplicate_of: dict[str, str] | None = None
) -> tuple[LeadBook, list[HygieneCommand]]:
    """Three cold leads pooled a week and a second ago, and age's removals."""
    book = LeadBook(lambda: config)
    fill(book, "cold", 3)
    commands = age_commands(figures(book, config), config, WEEK_ON, duplicate_of)
    return book, [c for c in commands if c.action is Action.REMOVE]


def test_cold_leads_past_7_days_not_due_for_review_go_to_nurture() -> None:
    _, removals = cold_removals(STALE_AT_14_DAYS)
    assert [(c.policy, c.destination) for c in removals] == [
        ("rebalance.cold_nurture", Removal.NURTURE)
    ] * 3


def test_cold_leads_due_for_review_go_there_once_not_to_nurture() -> None:
    # By default a lead unclaimed for 7 days is stale: the stale review wins.
    book, by_rebalance = cold_removals(CONFIG)
    by_scan = stale_commands(book.leads.values(), CONFIG, WEEK_ON)

    assert {c.destination for c in by_rebalance} == {Removal.REVIEW}
    assert {c.figures["found_by"] for c in by_rebalance} == {"rebalance.cold_nurture"}
    assert [c.command_id for c in by_rebalance] == [c.command_id for c in by_scan]


def test_a_cold_duplicate_goes_to_review_and_the_others_to_nurture() -> None:
    _, removals = cold_removals(STALE_AT_14_DAYS, {"cold-1": "cold-0"})
    assert [(c.lead_id, c.destination) for c in removals] == [
        ("cold-0", Removal.NURTURE),
        ("cold-1", Removal.REVIEW),
        ("cold-2", Removal.NURTURE),
    ]
    assert removals[1].message == "duplicate of cold-0"


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
