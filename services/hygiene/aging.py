"""Aging: which pooled leads cross an age band, found without a pool scan.

Leads wait in a heap ordered by the moment their next band begins, so a
sweep pops only the leads that are due: its cost grows with the due
leads, not with the size of the pool. Each pool ages on its own bands
when the configuration gives it some, on the common bands otherwise.
"""

import heapq
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from schemas.config.hygiene import AgeBand, Aging


@dataclass(order=True)
class _Due:
    at: datetime
    lead_id: str = field(compare=False)
    pool: str = field(compare=False)
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
    reached_hours: float | None = None  # the latest band reached this stay


class AgingBook:
    def __init__(self, policy: Aging) -> None:
        self.policy = policy
        self._heap: list[_Due] = []
        self._leads: dict[str, _Tracked] = {}

    def __len__(self) -> int:
        return len(self._leads)

    def track(self, lead_id: str, pool: str, score: int, pooled_at: datetime) -> None:
        """Start aging a lead that is waiting in a pool (again)."""
        self._leads[lead_id] = _Tracked(pool, score, pooled_at)
        if self.policy.bands_for(pool):
            self._schedule(lead_id, pool, pooled_at, 0)

    def follow(self, policy: Aging) -> None:
        """A new configuration: each waiting lead goes on to the first band of
        its pool's new list that is older than the last band it reached."""
        if policy is self.policy:
            return
        self.policy = policy
        self._heap = []
        for lead_id, lead in self._leads.items():
            reached = -1.0 if lead.reached_hours is None else lead.reached_hours
            bands = policy.bands_for(lead.pool)
            upcoming = (i for i, b in enumerate(bands) if b.from_hours > reached)
            band = next(upcoming, None)
            if band is not None:
                self._schedule(lead_id, lead.pool, lead.pooled_at, band)

    def forget(self, lead_id: str) -> None:
        """The lead left the pool; stale heap entries are skipped lazily."""
        self._leads.pop(lead_id, None)

    def due(self, now: datetime) -> list[BandReached]:
        reached: list[BandReached] = []
        while self._heap and self._heap[0].at <= now:
            entry = heapq.heappop(self._heap)
            lead = self._leads.get(entry.lead_id)
            if lead is None or not self._current(lead, entry):
                continue  # claimed, removed or re-pooled since it was scheduled
            bands = self.policy.bands_for(lead.pool)
            lead.reached_hours = bands[entry.band].from_hours
            reached.append(
                BandReached(
                    entry.lead_id,
                    lead.pool,
                    lead.score,
                    bands[entry.band],
                    now - lead.pooled_at,
                )
            )
            if entry.band + 1 < len(bands):
                self._schedule(entry.lead_id, lead.pool, lead.pooled_at, entry.band + 1)
        return reached

    def _current(self, lead: _Tracked, entry: _Due) -> bool:
        if entry.pool != lead.pool:
            return False
        start = _start(lead.pooled_at, self.policy.bands_for(lead.pool)[entry.band])
        return entry.at == start

    def _schedule(
        self, lead_id: str, pool: str, pooled_at: datetime, band: int
    ) -> None:
        at = _start(pooled_at, self.policy.bands_for(pool)[band])
        heapq.heappush(self._heap, _Due(at, lead_id, pool, band))


def _start(pooled_at: datetime, band: AgeBand) -> datetime:
    return pooled_at + timedelta(hours=band.from_hours)
