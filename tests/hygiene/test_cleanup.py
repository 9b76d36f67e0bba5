"""Cleanup automation: its schedules, and what each run changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from schemas.config import LeadpoolConfig
from services.hygiene.book import LeadBook
from services.hygiene.cleanup import RunKind, due_runs, run_cleanup
from services.hygiene.pool_figures import pool_figures
from tests.hygiene.events import START, pooled, stocked

CONFIG = LeadpoolConfig(version="test-1")
SUNDAY_NOON = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)  # Monday is March 2


def run(book: LeadBook, kind: RunKind) -> dict[str, int]:
    records = list(book.leads.values())
    figures = pool_figures([book], CONFIG.pool_names)
    return run_cleanup(kind, records, figures, CONFIG, START).summary()


def lead(book: LeadBook, lead_id: str, **fields: object) -> None:
    book.fold_pooled(pooled(lead_id, START, **fields))
    book.fold(stocked(lead_id, START))


def test_daily_weekly_and_monthly_runs_fall_due_at_02_00() -> None:
    runs = due_runs(CONFIG, SUNDAY_NOON, SUNDAY_NOON + timedelta(days=1))
    assert runs == [
        (RunKind.DAILY, datetime(2026, 3, 2, 2, 0, tzinfo=UTC)),
        (RunKind.WEEKLY, datetime(2026, 3, 2, 2, 0, tzinfo=UTC)),
    ]
    march_31 = datetime(2026, 3, 31, 3, tzinfo=UTC)
    monthly = due_runs(CONFIG, march_31, march_31 + timedelta(days=1))
    assert (RunKind.MONTHLY, datetime(2026, 4, 1, 2, tzinfo=UTC)) in monthly
    assert not due_runs(CONFIG, SUNDAY_NOON, SUNDAY_NOON.replace(hour=23))


def test_the_daily_run_archives_duplicates_and_junk_and_flags_gaps() -> None:
    book = LeadBook(lambda: CONFIG)
    lead(book, "l1", email="ann@acme.org")
    lead(book, "l2", email="ann@acme.org")
    lead(book, "l3", status="unqualified")
    lead(book, "l4", country=None)
    assert run(book, RunKind.DAILY) == {
        "cleanup.duplicate": 1,
        "cleanup.junk": 1,
        "cleanup.missing_fields": 1,
    }


def test_the_weekly_run_archives_bad_email_and_phone() -> None:
    book = LeadBook(lambda: CONFIG)
    lead(book, "l1", email="noreply@acme.org")
    lead(book, "l2", phone="12345")
    lead(book, "l3", phone="+14155550100")
    found = run(book, RunKind.WEEKLY)
    assert (found["cleanup.bad_email"], found["cleanup.bad_phone"]) == (1, 1)


def test_the_monthly_run_archives_test_records_and_reviews_every_pool() -> None:
    book = LeadBook(lambda: CONFIG)
    lead(book, "l1", email="qa@example.com")
    lead(book, "l2")
    assert run(book, RunKind.MONTHLY) == {
        "cleanup.test_record": 1,
        "cleanup.pool_review": 4,
    }
