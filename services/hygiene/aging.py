"""Aging: which pooled leads cross an age band, found without a pool scan.

Leads wait in a heap ordered by the moment their next band begins, so a
sweep pops only the leads that are due: its cost grows with the due
leads, not with the size of the pool.
"""

import heapq
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from schemas.config.hygiene import AgeBand, Aging


@dataclass(order=True)
class _Due:
    at: datetime
    lead_id: str = field(compare=False)
    band: int = field(compare=False)


@dataclass(frozen=True)
class BandReached:
    lead_id: str
    pool: str
    score: int
    band: AgeBand
    age: timedelta


@dataclass
class _Tracked:
    pool: str
    score: int
    pooled_at: datetime


class AgingBook:
    def __init__(self, policy: Aging) -> None:
        self.policy = policy
        self._bands = sorted(policy.bands, key=lambda band: band.from_hours)
        self._heap: list[_Due] = []
        self._leads: dict[str, _Tracked] = {}

    def __len__(self) -> int:
        return len(self._leads)

    def track(self, lead_id: str, pool: str, score: int, pooled_at: datetime) -> None:
        """Start aging a lead that is waiting in a pool (again)."""
        self._leads[lead_id] = _Tracked(pool, score, pooled_at)
        if self._bands:
            self._schedule(lead_id, pooled_at, 0)

    def forget(self, lead_id: str) -> None:
        """The lead left the pool; stale heap entries are skipped lazily."""
        self._leads.pop(lead_id, None)

    def due(self, now: datetime) -> list[BandReached]:
        reached: list[BandReached] = []
        while self._heap and self._heap[0].at <= now:
            entry = heapq.heappop(self._heap)
            lead = self._leads.get(entry.lead_id)
            if lead is None or entry.at != self._band_start(lead, entry.band):
                continue  # claimed, removed or re-pooled since it was scheduled
            band = self._bands[entry.band]
            reached.append(
                BandReached(
                    entry.lead_id, lead.pool, lead.score, band, now - lead.pooled_at
                )
            )
            if entry.band + 1 < len(self._bands):
                self._schedule(entry.lead_id, lead.pooled_at, entry.band + 1)
        return reached

    def _band_start(self, lead: _Tracked, band: int) -> datetime:
        return lead.pooled_at + timedelta(hours=self._bands[band].from_hours)

    def _schedule(self, lead_id: str, pooled_at: datetime, band: int) -> None:
        at = pooled_at + timedelta(hours=self._bands[band].from_hours)
        heapq.heappush(self._heap, _Due(at, lead_id, band))
