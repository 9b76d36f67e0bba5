"""The cleanup run log: what each run changed, per policy and lead."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from schemas.commands import Action
from schemas.config import LeadpoolConfig
from schemas.events import Removal
from schemas.runs import CleanupRunRecord, CleanupSchedule
from services.hygiene.book import LeadBook
from services.hygiene.cleanup import run_cleanup
from services.hygiene.pool_figures import pool_figures
from services.hygiene.run_log import RunLog, run_record
from tests.hygiene.events import START, pooled, stocked

CONFIG = LeadpoolConfig(version="test-1")


def daily_record(book: LeadBook, scheduled_at: datetime = START) -> CleanupRunRecord:
    figures = pool_figures([book], CONFIG.pool_names)
    run = run_cleanup(
        CleanupSchedule.DAILY, list(book.leads.values()), figures, CONFIG, START
    )
    return run_record(run, scheduled_at, START, START, CONFIG.version, "worker-1")


def junk_book() -> LeadBook:
    book = LeadBook(lambda: CONFIG)
    for lead_id, status in [("l1", "unqualified"), ("l2", "MQL"), ("l3", "junk")]:
        book.fold_pooled(pooled(lead_id, START, status=status))
        book.fold(stocked(lead_id, START))
    return book


def test_a_run_record_names_each_lead_and_the_command_sent_per_policy() -> None:
    record = daily_record(junk_book())

    junk = record.changes["cleanup.junk"]
    assert [(c.lead_id, c.action, c.destination) for c in junk] == [
        ("l1", Action.REMOVE, Removal.ARCHIVE),
        ("l3", Action.REMOVE, Removal.ARCHIVE),
    ]
    assert junk[0].command_id == f"cleanup.junk:l1:{START:%s}"
    assert record.counts() == {"cleanup.junk": 2}
    assert record.run_id == f"daily:{START.isoformat()}"


def test_the_log_keeps_the_newest_runs_and_a_copy_replaces_its_run() -> None:
    log = RunLog(kept=2)
    first, second, third = (
        daily_record(junk_book()).model_copy(update={"run_id": f"r{n}"})
        for n in range(3)
    )
    for record in (first, second, first, third):
        log.fold(record)

    assert [r.run_id for r in log.recent()] == ["r0", "r2"]


def test_a_record_that_is_not_one_is_skipped() -> None:
    log = RunLog(kept=5)
    log.fold_raw(b'{"run_id": ""}', 0, 7)
    log.fold_raw(daily_record(junk_book()).model_dump_json().encode(), 0, 8)

    assert len(log.recent()) == 1


def test_a_log_keeping_nothing_is_refused_naming_the_field() -> None:
    with pytest.raises(ValueError, match="kept"):
        RunLog(kept=0)


def test_the_record_survives_its_trip_through_json() -> None:
    record = daily_record(junk_book(), START + timedelta(hours=1))
    assert CleanupRunRecord.model_validate_json(record.model_dump_json()) == record
