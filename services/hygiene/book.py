"""What hygiene knows of the leads of one partition, folded from events.

The book is rebuilt by replaying `leads.events` (and the pool topics, for
the lead's own fields): Kafka is the source of truth, the book a view.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from schemas.config import LeadpoolConfig
from schemas.events import (
    LeadClaimed,
    LeadContacted,
    LeadEscalated,
    LeadEvent,
    LeadMerged,
    LeadOutcome,
    LeadReinstated,
    LeadRemoved,
    LeadReturned,
    LeadStocked,
    LeadTransferred,
    Outcome,
    PooledLead,
    Removal,
)
from schemas.lead import Lead
from services.hygiene.aging import AgingBook, BandReached
from services.hygiene.business_time import BusinessCalendar
from services.hygiene.sla import ClaimTimer, SlaTimers

FAST_LANE = "fast_lane"  # LeadClaimed.assignment_reason of fast-lane offers


class LeadState(StrEnum):
    POOLED = "pooled"
    CLAIMED = "claimed"
    CONTACTED = "contacted"
    REMOVED = "removed"


@dataclass
class LeadRecord:
    lead_id: str
    pool: str
    score: int
    priority: float
    source: str
    state: LeadState
    pooled_at: datetime
    last_activity: datetime
    returns: int = 0
    rep_id: str | None = None
    claimed_at: datetime | None = None
    fast_lane: bool = False
    open_opportunity: bool = False
    locked: bool = False
    removed_to: Removal | None = None
    removed_at: datetime | None = None
    removed_reason: str = ""
    lead: Lead | None = None
    contacts: int = 0
    outcomes: int = 0
    merges: int = 0  # duplicates folded into the lead: the prospect came back

    @property
    def engaged(self) -> bool:
        """Anyone touched the lead, or the prospect showed up again."""
        return self.contacts > 0 or self.outcomes > 0 or self.merges > 0


@dataclass(frozen=True)
class Miss:
    """A claim whose contact deadline passed before it was contacted."""

    rep_id: str
    lead_id: str
    claimed_at: datetime
    deadline: datetime
    fast_lane: bool


@dataclass
class PoolDay:
    """One pool's flows on one day of event time."""

    added: int = 0
    claimed: int = 0
    contacted: int = 0
    contact_hours: float = 0.0
    opportunities: int = 0
    net_depth: int = 0  # leads that entered the pool minus those that left


class LeadBook:
    def __init__(self, config: Callable[[], LeadpoolConfig]) -> None:
        self._config = config
        self.aging = AgingBook(config().hygiene.aging)
        self.sla = SlaTimers()
        self.leads: dict[str, LeadRecord] = {}
        self.misses: list[Miss] = []
        self.days: dict[tuple[str, str], PoolDay] = {}
        self.details: dict[str, Lead] = {}
        self.merged: dict[str, set[str]] = {}  # lead id -> merge event ids
        self.newest: datetime | None = None

    def fold(self, event: LeadEvent) -> None:
        self._observe(event.occurred_at)
        record = self.leads.get(event.lead_id)
        match event:
            case LeadStocked():
                self._stock(event)
            case LeadClaimed() if record is not None:
                self._claim(record, event)
            case LeadReturned() if record is not None:
                self._end_claim(record, event.occurred_at)
                record.returns += 1
                self._repool(record, event.pool, event.occurred_at)
            case LeadContacted() if record is not None:
                timer = self._end_claim(record, event.occurred_at)
                if timer is not None:
                    day = self._day(record.pool, event.occurred_at)
                    day.contacted += 1
                    waited = event.occurred_at - timer.claimed_at
                    day.contact_hours += waited.total_seconds() / 3600
                record.state = LeadState.CONTACTED
                record.last_activity = event.occurred_at
                record.contacts += 1
            case LeadOutcome() if record is not None:
                record.last_activity = event.occurred_at
                record.outcomes += 1
                if event.outcome is Outcome.OPPORTUNITY:
                    record.open_opportunity = True
                    self._day(record.pool, event.occurred_at).opportunities += 1
                else:
                    record.open_opportunity = False
            case LeadEscalated() if record is not None:
                record.priority = event.priority
            case LeadTransferred() if record is not None:
                self._end_claim(record, event.occurred_at)
                self._repool(record, event.pool, event.occurred_at)
            case LeadRemoved() if record is not None:
                self._end_claim(record, event.occurred_at)
                self.aging.forget(record.lead_id)
                self._leave_pool(record, event.occurred_at)
                record.state = LeadState.REMOVED
                record.removed_to = event.destination
                record.removed_at = event.occurred_at
                record.removed_reason = event.reason
            case LeadReinstated() if record is not None:
                # Back from review: a fresh stay in the pool, returns forgiven.
                self._repool(record, event.pool, event.occurred_at)
                record.returns = 0
                record.removed_to = None
                record.removed_at = None
                record.removed_reason = ""

    def fold_pooled(self, pooled: PooledLead) -> None:
        """The lead's own fields, for cleanup checks (email, phone, status)."""
        self._observe(pooled.routed_at)
        self.details[pooled.lead.lead_id] = pooled.lead
        record = self.leads.get(pooled.lead.lead_id)
        if record is not None:
            record.lead = pooled.lead

    def fold_merged(self, merged: LeadMerged) -> None:
        """A duplicate folded into a lead: engagement and fresh activity."""
        self._observe(merged.merged_at)
        # A merge is repeated with its event id when the router replays it.
        ids = self.merged.setdefault(merged.lead_id, set())
        ids.add(merged.event_id)
        record = self.leads.get(merged.lead_id)
        if record is not None:
            record.merges = len(ids)
            record.last_activity = max(record.last_activity, merged.merged_at)

    def aging_due(self, now: datetime) -> list[BandReached]:
        """Leads that reached a band by now, on the current version's bands."""
        self.aging.follow(self._config().hygiene.aging)
        return self.aging.due(now)

    def open_misses(self, now: datetime) -> list[Miss]:
        """Misses so far: ended late, plus claims still open past the deadline."""
        overdue = [
            _miss(timer, self.leads[lead_id].fast_lane)
            for lead_id, timer in self.sla.open_timers()
            if timer.deadline <= now
        ]
        return [*self.misses, *overdue]

    def pooled(self) -> list[LeadRecord]:
        return [r for r in self.leads.values() if r.state is LeadState.POOLED]

    def _stock(self, event: LeadStocked) -> None:
        known = self.leads.get(event.lead_id)
        if known is not None and known.pooled_at == event.occurred_at:
            return  # the same event delivered again
        record = LeadRecord(
            lead_id=event.lead_id,
            pool=event.pool,
            score=event.score,
            priority=event.priority,
            source=event.source,
            state=LeadState.POOLED,
            pooled_at=event.occurred_at,
            last_activity=event.occurred_at,
            lead=self.details.get(event.lead_id),
            merges=len(self.merged.get(event.lead_id, ())),
        )
        if known is not None:  # stocked again: its history stays with it
            record.contacts, record.outcomes = known.contacts, known.outcomes
        self.leads[event.lead_id] = record
        self.aging.track(event.lead_id, event.pool, event.score, event.occurred_at)
        day = self._day(event.pool, event.occurred_at)
        day.added += 1
        day.net_depth += 1

    def _claim(self, record: LeadRecord, event: LeadClaimed) -> None:
        config = self._config()
        self._leave_pool(record, event.occurred_at)
        record.state = LeadState.CLAIMED
        record.rep_id = event.rep_id
        record.claimed_at = event.occurred_at
        record.fast_lane = event.assignment_reason == FAST_LANE
        record.last_activity = event.occurred_at
        self.aging.forget(record.lead_id)
        self._day(record.pool, event.occurred_at).claimed += 1

        sla = (
            config.slas.fast_lane if record.fast_lane else config.slas.claim_to_contact
        )
        calendar = BusinessCalendar.from_config(config)
        self.sla.start(
            record.lead_id, record.pool, event.rep_id, event.occurred_at, sla, calendar
        )

    def _end_claim(self, record: LeadRecord, at: datetime) -> ClaimTimer | None:
        timer = self.sla.stop(record.lead_id)
        if timer is not None and at >= timer.deadline:
            self.misses.append(_miss(timer, record.fast_lane))
        return timer

    def _leave_pool(self, record: LeadRecord, at: datetime) -> None:
        if record.state is LeadState.POOLED:
            self._day(record.pool, at).net_depth -= 1

    def _repool(self, record: LeadRecord, pool: str, at: datetime) -> None:
        self._leave_pool(record, at)
        self._day(pool, at).net_depth += 1
        record.pool = pool
        record.state = LeadState.POOLED
        record.pooled_at = at
        record.last_activity = at
        record.rep_id = None
        record.claimed_at = None
        self.aging.track(record.lead_id, pool, record.score, at)

    def _day(self, pool: str, at: datetime) -> PoolDay:
        key = (pool, at.date().isoformat())
        day = self.days.get(key)
        if day is None:
            day = self.days[key] = PoolDay()
        return day

    def _observe(self, moment: datetime) -> None:
        if self.newest is None or moment > self.newest:
            self.newest = moment


def _miss(timer: ClaimTimer, fast_lane: bool) -> Miss:
    return Miss(
        timer.rep_id, timer.lead_id, timer.claimed_at, timer.deadline, fast_lane
    )
