"""Stale detection: each criterion sends a pooled lead to review, with why."""

from __future__ import annotations

from datetime import timedelta

from schemas.config import LeadpoolConfig
from schemas.events import Removal
from services.hygiene.book import LeadBook
from services.hygiene.stale import stale_commands
from tests.hygiene.events import (
    START,
    claimed,
    pooled,
    reinstated,
    returned,
    stocked,
    to_review,
)

CONFIG = LeadpoolConfig(version="test-1")


def reasons(book: LeadBook, days: float) -> dict[str, str]:
    now = START + timedelta(days=days)
    found = stale_commands(book.leads.values(), CONFIG, now)
    assert all(c.destination is Removal.REVIEW for c in found)
    return {c.lead_id or "": c.message or "" for c in found}


def test_a_lead_unclaimed_for_7_days_goes_to_review_but_not_before() -> None:
    book = LeadBook(lambda: CONFIG)
    book.fold(stocked("l1", START))
    assert reasons(book, 6.99) == {}
    assert reasons(book, 7) == {"l1": "unclaimed 7+ days"}


def test_a_lead_returned_3_times_goes_to_review() -> None:
    book = LeadBook(lambda: CONFIG)
    book.fold(stocked("l1", START))
    for n in range(3):
        book.fold(claimed("l1", START + timedelta(hours=n, minutes=1)))
        book.fold(returned("l1", START + timedelta(hours=n, minutes=2)))
    assert reasons(book, 1) == {"l1": "returned 3 times"}


def test_a_low_score_lead_inactive_for_30_days_goes_to_review() -> None:
    book = LeadBook(lambda: CONFIG)
    book.fold(stocked("l1", START, score=20))
    assert "score 20 with no activity 30+ days" in reasons(book, 30)["l1"]


def test_duplicates_and_junk_go_to_review_naming_the_original() -> None:
    book = LeadBook(lambda: CONFIG)
    book.fold_pooled(pooled("l1", START, email="ann@acme.org"))
    book.fold_pooled(pooled("l2", START, email="Ann@acme.org", status="junk"))
    book.fold(stocked("l1", START))
    book.fold(stocked("l2", START + timedelta(minutes=1)))
    assert reasons(book, 1) == {"l2": "duplicate of l1; marked junk"}


def test_a_reinstated_lead_starts_a_fresh_stay_with_its_returns_forgiven() -> None:
    book = LeadBook(lambda: CONFIG)
    book.fold(stocked("l1", START))
    for n in range(3):
        book.fold(claimed("l1", START + timedelta(hours=n, minutes=1)))
        book.fold(returned("l1", START + timedelta(hours=n, minutes=2)))
    book.fold(to_review("l1", START + timedelta(days=1)))
    assert reasons(book, 2) == {}

    book.fold(reinstated("l1", START + timedelta(days=2)))

    assert reasons(book, 8.99) == {}
    assert reasons(book, 9) == {"l1": "unclaimed 7+ days"}
