"""Aging bands: a lead walked through every band on a virtual clock."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from schemas.commands import Action, HygieneCommand
from schemas.config import LeadpoolConfig
from schemas.events import Removal
from services.common.clock import VirtualClock
from services.hygiene.book import LeadBook
from services.hygiene.decisions import aging_commands
from services.hygiene.stale import stale_commands
from tests.hygiene.events import (
    START,
    claimed,
    merged,
    removed,
    returned,
    stocked,
)

CONFIG = LeadpoolConfig(version="test-1")
COLD_BANDS: list[dict[str, Any]] = [
    {"from_hours": 12, "actions": ["prioritise"], "priority_top_pct": 50},
    {"from_hours": 24, "actions": ["flag_manager", "alert_manager"]},
    {"from_hours": 48, "actions": ["force_assign_high_value"]},
    {"from_hours": 72, "actions": ["auto_assign_or_nurture"], "recycle_unengaged": 1},
    {"from_hours": 168, "actions": ["remove"]},
]
# Cold leads age on their own bands; stale review waits two weeks here, so
# the 7-day band decides their removal itself.
COLD_OWN_BANDS = LeadpoolConfig.model_validate(
    {
        "version": "test-2",
        "hygiene": {
            "aging": {"pools": {"cold": COLD_BANDS}},
            "stale": {"unclaimed_days": 14},
        },
    }
)
Step = tuple[Action, Removal | None]


def sweep(
    book: LeadBook, clock: VirtualClock, config: LeadpoolConfig = CONFIG
) -> list[HygieneCommand]:
    now = clock.now()
    return [
        command
        for reached in book.aging_due(now)
        for command in aging_commands(reached, book.leads[reached.lead_id], config, now)
    ]


def walk(score: int, hours: float) -> list[tuple[Action, str]]:
    """Actions issued between the previous sweep and `hours` of age."""
    book = LeadBook(lambda: CONFIG)
    clock = VirtualClock(START)
    book.fold(stocked("l1", START, score=score))
    sweep(book, clock)
    clock.advance(timedelta(hours=hours))
    return [(c.action, c.policy) for c in sweep(book, clock)]


def walk_bands(
    book: LeadBook, config: LeadpoolConfig, hours: list[float]
) -> dict[float, list[Step]]:
    """What each band threshold issued; nothing may come a second early.

    A removal is answered as claims would, so the lead stops aging."""
    clock = VirtualClock(START)
    seen: dict[float, list[Step]] = {}
    for at in hours:
        clock.set(START + timedelta(hours=at) - timedelta(seconds=1))
        assert sweep(book, clock, config) == [], f"early at {at} h"
        clock.advance(timedelta(seconds=1))
        commands = sweep(book, clock, config)
        seen[at] = [(c.action, c.destination) for c in commands]
        for command in commands:
            if command.action is Action.REMOVE and command.destination:
                book.fold(removed("l1", clock.now(), command.destination, "cold"))
    return seen


def test_nothing_happens_in_the_first_24_hours() -> None:
    assert walk(score=60, hours=23.99) == []


def test_a_high_value_lead_walks_through_every_band_at_its_threshold() -> None:
    book = LeadBook(lambda: CONFIG)
    book.fold(stocked("l1", START, score=85))

    seen = walk_bands(book, CONFIG, [24, 48, 72, 168])

    assert seen[24] == [(Action.ESCALATE, None)]
    assert [action for action, _ in seen[48]] == [
        Action.FLAG,
        Action.ESCALATE,
        Action.ALERT,
        Action.AUTO_ASSIGN,
    ]
    assert seen[72] == [(Action.AUTO_ASSIGN, None)]
    # Unclaimed for 7 days is stale too: the review queue wins by default.
    assert seen[168] == [(Action.REMOVE, Removal.REVIEW)]


@pytest.mark.parametrize(
    ("score", "engaged", "at_72", "at_168"),
    [
        (85, False, (Action.AUTO_ASSIGN, None), (Action.REMOVE, Removal.ARCHIVE)),
        (85, True, (Action.AUTO_ASSIGN, None), (Action.REMOVE, Removal.NURTURE)),
        (40, False, (Action.REMOVE, Removal.RECYCLE), None),
        (40, True, (Action.REMOVE, Removal.NURTURE), None),
    ],
)
def test_a_lead_walks_through_every_band_of_its_pool_at_its_threshold(
    score: int, engaged: bool, at_72: Step, at_168: Step | None
) -> None:
    book = LeadBook(lambda: COLD_OWN_BANDS)
    book.fold(stocked("l1", START, pool="cold", score=score))
    if engaged:
        book.fold_merged(merged("l1", START + timedelta(hours=1), pool="cold"))

    seen = walk_bands(book, COLD_OWN_BANDS, [12, 24, 48, 72, 168])

    assert seen[12] == [(Action.ESCALATE, None)]
    assert seen[24] == [(Action.FLAG, None), (Action.ALERT, None)]
    assert seen[48] == ([(Action.AUTO_ASSIGN, None)] if score >= 80 else [])
    assert seen[72] == [at_72]
    assert seen[168] == ([at_168] if at_168 else [])


def test_two_pools_with_different_bands_act_differently_at_the_same_age() -> None:
    book = LeadBook(lambda: COLD_OWN_BANDS)
    book.fold(stocked("c1", START, pool="cold", score=60))
    book.fold(stocked("w1", START, pool="warm", score=60))
    clock = VirtualClock(START + timedelta(hours=13))

    commands = sweep(book, clock, COLD_OWN_BANDS)

    assert [(c.lead_id, c.action, c.top_pct) for c in commands] == [
        ("c1", Action.ESCALATE, 50)
    ]
    clock.set(START + timedelta(hours=24))
    by_lead = {(c.lead_id, c.action) for c in sweep(book, clock, COLD_OWN_BANDS)}
    assert by_lead == {
        ("c1", Action.FLAG),
        ("c1", Action.ALERT),
        ("w1", Action.ESCALATE),
    }


def test_a_new_config_version_ages_waiting_leads_on_its_bands() -> None:
    live = [CONFIG]
    book = LeadBook(lambda: live[0])
    book.fold(stocked("l1", START, pool="cold", score=40))
    clock = VirtualClock(START + timedelta(hours=25))
    assert [c.action for c in sweep(book, clock)] == [Action.ESCALATE]

    live[0] = COLD_OWN_BANDS
    # The cold bands of 12 h and 24 h are behind the lead: not sent again.
    assert sweep(book, clock, COLD_OWN_BANDS) == []
    clock.set(START + timedelta(hours=72))
    removals = [c.destination for c in sweep(book, clock, COLD_OWN_BANDS)]
    assert removals == [Removal.RECYCLE]


def test_a_removal_carries_its_policy_figures_and_reason() -> None:
    book = LeadBook(lambda: COLD_OWN_BANDS)
    book.fold(stocked("l1", START, pool="cold", score=40))
    clock = VirtualClock(START + timedelta(hours=72))

    (recycle,) = [c for c in sweep(book, clock, COLD_OWN_BANDS) if c.destination]

    assert (recycle.policy, recycle.command_id) == ("aging.72h", "l1:aging.72h:recycle")
    assert recycle.message == "no engagement: to recycling"
    assert recycle.figures | {"age_hours": 72} == {
        "age_hours": 72,
        "score": 40,
        "high_value_score": 80,
        "band_from_hours": 72,
        "engaged": "false",
        "contacts": 0,
        "merges": 0,
    }


def test_the_weekly_stale_scan_and_the_7_day_band_send_one_review() -> None:
    book = LeadBook(lambda: CONFIG)
    book.fold(stocked("l1", START, score=85))  # auto-assigned, found no rep
    clock = VirtualClock(START + timedelta(days=7))

    (by_aging,) = [c for c in sweep(book, clock) if c.action is Action.REMOVE]
    (by_scan,) = stale_commands(book.leads.values(), CONFIG, clock.now())

    assert by_aging.destination is Removal.REVIEW
    assert (by_aging.policy, by_aging.figures["found_by"]) == ("stale", "aging.168h")
    assert by_aging.command_id == by_scan.command_id


def test_a_stale_lead_goes_to_review_instead_of_nurture_at_72_hours() -> None:
    book = LeadBook(lambda: CONFIG)
    book.fold(stocked("l1", START, score=40))
    for n in range(3):
        book.fold(claimed("l1", START + timedelta(minutes=2 * n + 1)))
        book.fold(returned("l1", START + timedelta(minutes=2 * n + 2)))
    clock = VirtualClock(START + timedelta(minutes=6, hours=72))

    (removal,) = [c for c in sweep(book, clock) if c.action is Action.REMOVE]

    assert (removal.destination, removal.message) == (
        Removal.REVIEW,
        "returned 3 times",
    )


def test_bands_escalate_into_the_top_30_then_top_10_percent() -> None:
    book = LeadBook(lambda: CONFIG)
    book.fold(stocked("l1", START))
    commands = sweep(book, VirtualClock(START + timedelta(hours=49)))
    escalations = [c.top_pct for c in commands if c.action is Action.ESCALATE]
    assert escalations == [30, 10]
    assert all(c.figures["age_hours"] == 49 for c in commands)


def test_a_low_value_lead_goes_to_nurture_at_72_hours_not_to_a_rep() -> None:
    actions = walk(score=40, hours=72)
    assert (Action.AUTO_ASSIGN, "aging.48h") not in actions
    assert (Action.REMOVE, "aging.72h") in actions


def test_a_merge_counts_as_engagement_once_even_when_replayed() -> None:
    book = LeadBook(lambda: CONFIG)
    again = merged("l1", START)
    book.fold_merged(again)  # read before the lead's own events
    book.fold(stocked("l1", START))
    book.fold_merged(again)
    assert (book.leads["l1"].merges, book.leads["l1"].engaged) == (1, True)


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


def test_a_duplicate_due_for_removal_goes_to_review_like_the_weekly_scan() -> None:
    book = LeadBook(lambda: COLD_OWN_BANDS)
    book.fold(stocked("l1", START, pool="cold", score=40))
    book.fold(stocked("l2", START, pool="cold", score=40))
    now = START + timedelta(hours=168)
    due = {r.lead_id: r for r in book.aging_due(now)}
    assert set(due) == {"l1", "l2"}

    def duplicate_of(lead_id: str) -> str | None:
        return {"l2": "l1"}.get(lead_id)

    removals = {
        c.lead_id: c
        for lead_id, reached in due.items()
        for c in aging_commands(
            reached, book.leads[lead_id], COLD_OWN_BANDS, now, duplicate_of
        )
        if c.action is Action.REMOVE and c.figures.get("band_from_hours", 168) == 168
    }

    assert removals["l2"].destination is Removal.REVIEW
    assert removals["l2"].message == "duplicate of l1"
    assert removals["l1"].destination is not Removal.REVIEW
