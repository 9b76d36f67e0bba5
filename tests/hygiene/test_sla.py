"""Claim-to-contact SLAs: reminders, returns, alerts and exemptions."""

from __future__ import annotations

from datetime import timedelta

from schemas.commands import Action, HygieneCommand
from schemas.config import LeadpoolConfig
from services.common.clock import VirtualClock
from services.hygiene.book import LeadBook
from services.hygiene.decisions import sla_commands
from tests.hygiene.events import START, claimed, contacted, opportunity, stocked

CONFIG = LeadpoolConfig(version="test-1")


def claimed_book(**claim: object) -> LeadBook:
    book = LeadBook(lambda: CONFIG)
    book.fold(stocked("l1", START))
    book.fold(claimed("l1", START, **claim))
    return book


def sweep(book: LeadBook, clock: VirtualClock) -> list[HygieneCommand]:
    now = clock.now()
    return [
        command
        for due in book.sla.due(now)
        for command in sla_commands(due, book.leads.get("l1"), CONFIG, now)
    ]


def test_an_uncontacted_claim_returns_to_the_pool_at_2_hours() -> None:
    book, clock = claimed_book(), VirtualClock(START)
    clock.advance(timedelta(minutes=90))
    assert [c.action for c in sweep(book, clock)] == [Action.REMIND]
    clock.advance(timedelta(minutes=29, seconds=59))
    assert sweep(book, clock) == []
    clock.advance(timedelta(seconds=1))
    (back,) = sweep(book, clock)
    assert (back.action, back.rep_id, back.lead_id) == (Action.RETURN, "rep-a", "l1")
    assert back.figures["sla_minutes"] == 120


def test_a_contacted_claim_is_left_alone() -> None:
    book, clock = claimed_book(), VirtualClock(START)
    book.fold(contacted("l1", START + timedelta(minutes=30)))
    clock.advance(timedelta(hours=3))
    assert sweep(book, clock) == []


def test_a_fast_lane_lead_alerts_the_manager_at_30_minutes() -> None:
    book = claimed_book(auto_assigned=True, assignment_reason="fast_lane")
    clock = VirtualClock(START + timedelta(minutes=30))
    actions = [c.action for c in sweep(book, clock)]
    assert actions == [Action.REMIND, Action.ALERT]


def test_an_open_opportunity_is_never_recalled() -> None:
    book, clock = claimed_book(), VirtualClock(START)
    book.fold(opportunity("l1", START + timedelta(minutes=5)))
    clock.advance(timedelta(hours=3))
    assert Action.RETURN not in [c.action for c in sweep(book, clock)]


def test_a_manager_locked_lead_is_never_recalled() -> None:
    book, clock = claimed_book(), VirtualClock(START)
    book.leads["l1"].locked = True
    clock.advance(timedelta(hours=3))
    assert [c.action for c in sweep(book, clock)] == [Action.REMIND]


def test_business_hours_slas_are_not_late_overnight() -> None:
    sla = CONFIG.slas.claim_to_contact.model_copy(update={"business_hours": True})
    config = CONFIG.model_copy(
        update={"slas": CONFIG.slas.model_copy(update={"claim_to_contact": sla})}
    )
    book = LeadBook(lambda: config)
    evening = START.replace(hour=17, minute=50)
    book.fold(stocked("l1", evening))
    book.fold(claimed("l1", evening))
    next_morning = evening + timedelta(hours=14, minutes=15)  # 8:05 AM
    assert [d.step.action.value for d in book.sla.due(next_morning)] == []
    assert book.sla.timer("l1").deadline == next_morning.replace(hour=9, minute=50)
