"""Filling books with pooled leads for pool-level hygiene tests."""

from __future__ import annotations

from datetime import datetime, timedelta

from schemas.config import LeadpoolConfig
from services.hygiene.book import LeadBook
from services.hygiene.pool_figures import PoolFigures, pool_figures
from tests.hygiene.events import START, claimed, stocked


def fill(
    book: LeadBook, pool: str, count: int, at: datetime = START, prefix: str = ""
) -> list[str]:
    ids = [f"{prefix or pool}-{n}" for n in range(count)]
    for n, lead_id in enumerate(ids):
        book.fold(stocked(lead_id, at, pool=pool, score=n % 100))
    return ids


def day_of_flows(
    book: LeadBook, pool: str, day: datetime, added: int, claims: int
) -> None:
    ids = fill(book, pool, added, at=day, prefix=f"{pool}-{day:%d}")
    for lead_id in ids[:claims]:
        book.fold(claimed(lead_id, day + timedelta(minutes=1), pool=pool))


def figures(book: LeadBook, config: LeadpoolConfig) -> dict[str, PoolFigures]:
    return pool_figures([book], config.pool_names)
