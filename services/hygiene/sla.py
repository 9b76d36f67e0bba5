"""SLA timers on claimed leads: escalation steps found without a scan.

Each claim schedules its SLA's steps (remind before the deadline, alert or
return at it, reassign after it) in a heap ordered by when they are due,
so a sweep pops only the steps that are due. A step's moment is measured
on the business-hours clock when the SLA says so.
"""

import heapq
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from schemas.config.sla import EscalationStep, Sla
from services.hygiene.business_time import BusinessCalendar


@dataclass(order=True)
class _Due:
    at: datetime
    lead_id: str = field(compare=False)
    claimed_at: datetime = field(compare=False)
    step: int = field(compare=False)


@dataclass(frozen=True)
class ClaimTimer:
    lead_id: str
    pool: str
    rep_id: str
    claimed_at: datetime
    sla: Sla
    deadline: datetime


@dataclass(frozen=True)
class StepDue:
    timer: ClaimTimer
    step: EscalationStep
    at: datetime


def deadline_after(
    sla: Sla, claimed_at: datetime, minutes: float, calendar: BusinessCalendar
) -> datetime:
    """`minutes` after the claim, on the business clock when the SLA uses it."""
    offset = timedelta(minutes=minutes)
    if sla.business_hours:
        return calendar.add(claimed_at, max(offset, timedelta(0)))
    return claimed_at + offset


class SlaTimers:
    def __init__(self) -> None:
        self._heap: list[_Due] = []
        self._open: dict[str, ClaimTimer] = {}

    def __len__(self) -> int:
        return len(self._open)

    def timer(self, lead_id: str) -> ClaimTimer | None:
        return self._open.get(lead_id)

    def start(
        self,
        lead_id: str,
        pool: str,
        rep_id: str,
        claimed_at: datetime,
        sla: Sla,
        calendar: BusinessCalendar,
    ) -> ClaimTimer:
        deadline = deadline_after(sla, claimed_at, sla.contact_minutes, calendar)
        timer = ClaimTimer(lead_id, pool, rep_id, claimed_at, sla, deadline)
        self._open[lead_id] = timer
        for index, step in enumerate(sla.steps):
            minutes = sla.contact_minutes + step.at_minutes
            at = deadline_after(sla, claimed_at, minutes, calendar)
            heapq.heappush(self._heap, _Due(at, lead_id, claimed_at, index))
        return timer

    def open_timers(self) -> list[tuple[str, ClaimTimer]]:
        return list(self._open.items())

    def stop(self, lead_id: str) -> ClaimTimer | None:
        """Contacted, returned or gone: later steps are skipped lazily."""
        return self._open.pop(lead_id, None)

    def due(self, now: datetime) -> list[StepDue]:
        steps: list[StepDue] = []
        while self._heap and self._heap[0].at <= now:
            entry = heapq.heappop(self._heap)
            timer = self._open.get(entry.lead_id)
            if timer is None or timer.claimed_at != entry.claimed_at:
                continue  # that claim ended; a newer claim has its own entries
            steps.append(StepDue(timer, timer.sla.steps[entry.step], entry.at))
        return steps
