"""Aging bands: a lead walked through every band on a virtual clock."""

from __future__ import annotations

from datetime import timedelta

from schemas.commands import Action, HygieneCommand
from schemas.config import LeadpoolConfig
from services.common.clock import VirtualClock
from services.hygiene.book import LeadBook
from services.hygiene.decisions import aging_commands
from tests.hygiene.events import START, claimed, stocked

CONFIG = LeadpoolConfig(version="test-1")


def sweep(book: LeadBook, clock: VirtualClock) -> list[HygieneCommand]:
    now = clock.now()
    return [c for r in book.aging.due(now) for c in aging_commands(r, CONFIG, now)]


def walk(score: int, hours: float) -> list[tuple[Action, str]]:
    """Actions issued between the previous sweep and `hours` of age."""
    book = LeadBook(lambda: CONFIG)
    clock = VirtualClock(START)
    book.fold(stocked("l1", START, score=score))
    sweep(book, clock)
    clock.advance(timedelta(hours=hours))
    return [(c.action, c.policy) for c in sweep(book, clock)]


def test_nothing_happens_in_the_first_24_hours() -> None:
    assert walk(score=60, hours=23.99) == []


def test_a_high_value_lead_walks_through_every_band_at_its_threshold() -> None:
    book = LeadBook(lambda: CONFIG)
    clock = VirtualClock(START)
    book.fold(stocked("l1", START, score=85))
    seen: dict[float, list[Action]] = {}
    for hours in [24, 48, 72, 168]:
        clock.set(START + timedelta(hours=hours) - timedelta(seconds=1))
        assert sweep(book, clock) == [], f"early at {hours} h"
        clock.advance(timedelta(seconds=1))
        seen[hours] = [c.action for c in sweep(book, clock)]
    assert seen[24] == [Action.ESCALATE]
    assert seen[48] == [Action.FLAG, Action.ESCALATE, Action.ALERT, Action.AUTO_ASSIGN]
    assert seen[72] == [Action.AUTO_ASSIGN]
    assert seen[168] == [Action.REMOVE]


def test_bands_escalate_into_the_top_30_then_top_10_percent() -> None:
    book = LeadBook(lambda: CONFIG)
    book.fold(stocked("l1", START))
    now = START + timedelta(hours=49)
    commands = [c for r in book.aging.due(now) for c in aging_commands(r, CONFIG, now)]
    escalations = [c.top_pct for c in commands if c.action is Action.ESCALATE]
    assert escalations == [30, 10]
    assert all(c.figures["age_hours"] == 49 for c in commands)


def test_a_low_value_lead_goes_to_nurture_at_72_hours_not_to_a_rep() -> None:
    actions = walk(score=40, hours=72)
    assert (Action.AUTO_ASSIGN, "aging.48h") not in actions
    assert (Action.REMOVE, "aging.72h") in actions


def test_a_claimed_lead_stops_aging() -> None:
    book = LeadBook(lambda: CONFIG)
    book.fold(stocked("l1", START))
    book.fold(claimed("l1", START + timedelta(hours=1)))
    assert book.aging.due(START + timedelta(days=8)) == []


def test_command_ids_are_stable_across_a_replay() -> None:
    def replay() -> list[str]:
        book = LeadBook(lambda: CONFIG)
        book.fold(stocked("l1", START, score=85))
        clock = VirtualClock(START + timedelta(hours=80))
        return [c.command_id for c in sweep(book, clock)]

    first, second = replay(), replay()
    assert first == second
    assert "l1:aging.72h:auto-assign" in first
