"""The pool health figures of one partition of the lead event log (pure).

Every lead's events share one partition, so the figures of a partition
depend on nothing else: a worker holds one `PartitionFigures` per partition
it owns, drops it when the partition moves away, and the new owner rebuilds
it by replaying the partition. Prometheus sums the partitions' series.
"""

from collections import Counter, OrderedDict, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from schemas.events import (
    LeadClaimed,
    LeadContacted,
    LeadEscalated,
    LeadEvent,
    LeadOutcome,
    LeadReinstated,
    LeadRemoved,
    LeadReturned,
    LeadStocked,
    LeadTransferDecided,
    LeadTransferred,
    LeadTransferRequested,
    Outcome,
    ReturnReason,
)
from services.metrics.histogram import Histogram
from services.metrics.policy import FoldPolicy

AVAILABLE = "available"
CLAIMED = "claimed"
CLOSED = "closed"
REMOVED = "removed"


@dataclass
class TrackedLead:
    pool: str
    status: str
    band: str
    entered_at: float  # epoch seconds it became claimable in its pool
    pooled_at: float  # epoch seconds it was first routed, for the sales cycle
    rep: str | None = None
    source: str = "unknown"  # the marketing system it came from
    claimed_at: float = 0.0
    contact_due_at: float = 0.0
    contacted: bool = False
    outcomes: set[str] = field(default_factory=set)


def _s(moment: datetime) -> float:
    return moment.timestamp()


class PartitionFigures:
    def __init__(self, policy: FoldPolicy) -> None:
        self.policy = policy
        self.leads: dict[str, TrackedLead] = {}
        self.available: dict[str, dict[str, TrackedLead]] = {}
        self.awaiting_contact: dict[str, TrackedLead] = {}
        self.rep_open: Counter[str] = Counter()
        self.counters: dict[str, defaultdict[tuple[str, ...], float]] = {
            name: defaultdict(float) for name in COUNTERS
        }
        self.histograms: dict[str, dict[str, Histogram]] = {
            name: {} for name in HISTOGRAMS
        }
        self._seen: OrderedDict[str, None] = OrderedDict()

    def fold(self, event: LeadEvent) -> bool:
        """Apply one event; False when it is a copy already applied."""
        if event.event_id in self._seen:
            return False
        self._seen[event.event_id] = None
        if len(self._seen) > self.policy.remembered_event_ids:
            self._seen.popitem(last=False)

        match event:
            case LeadStocked():
                self._stocked(event)
            case LeadClaimed():
                self._claimed(event)
            case LeadReturned():
                self._returned(event)
            case LeadContacted():
                self._contacted(event)
            case LeadOutcome():
                self._outcome(event)
            case LeadTransferred():
                self._transferred(event)
            case LeadRemoved():
                self._removed(event)
            case LeadReinstated():
                self._reinstated(event)
            case LeadEscalated(pool=pool):
                self._count("escalated", pool)
            case LeadTransferRequested(pool=pool):
                self._count("transfer_requests", pool)
            case LeadTransferDecided(pool=pool, approved=approved):
                self._count("transfer_decisions", pool, str(approved).lower())
        return True

    def _stocked(self, event: LeadStocked) -> None:
        at = _s(event.routed_at)
        band = self.policy.band(event.score)
        lead = TrackedLead(event.pool, AVAILABLE, band, at, at, source=event.source)
        self._leave(event.lead_id)
        self.leads[event.lead_id] = lead
        self.available.setdefault(event.pool, {})[event.lead_id] = lead

        self._count("added", event.pool)
        self._count("band_added", band)
        self._count("source_added", lead.source)
        self._count_when("added", event.pool, event.occurred_at)

    def _claimed(self, event: LeadClaimed) -> None:
        at = _s(event.occurred_at)
        lead = self.leads.get(event.lead_id)
        if lead is not None and lead.status == AVAILABLE:
            self._observe("time_to_claim", event.pool, at - lead.entered_at)
        if lead is None:
            # Stocked before the log's retention: count it, age unknown.
            lead = TrackedLead(event.pool, CLAIMED, "unbanded", at, at)
        self._leave(event.lead_id)
        fast_lane = event.assignment_reason == "fast_lane"
        sla_s = self.policy.fast_lane_sla_s if fast_lane else self.policy.contact_sla_s
        lead.pool, lead.status, lead.rep = event.pool, CLAIMED, event.rep_id
        lead.claimed_at, lead.contact_due_at = at, at + sla_s
        lead.contacted = False
        self.leads[event.lead_id] = lead
        self.awaiting_contact[event.lead_id] = lead
        self.rep_open[event.rep_id] += 1

        self._count("claimed", event.pool, "auto" if event.auto_assigned else "claim")
        self._count("source_claimed", lead.source)
        self._count("rep_claims", event.rep_id)
        self._count_when("claimed", event.pool, event.occurred_at)

    def _returned(self, event: LeadReturned) -> None:
        lead = self.leads.get(event.lead_id)
        uncontacted = lead is not None and lead.status == CLAIMED and not lead.contacted
        if uncontacted and event.reason is ReturnReason.SLA_EXPIRED:
            self._count("contact_violations", event.pool)
        self._count("returned", event.pool, event.reason.value)
        if lead is None:
            return
        self._count("source_returned", lead.source, event.reason.value)
        self._leave(event.lead_id)
        self._make_available(event.lead_id, lead, event.pool, event.occurred_at)

    def _contacted(self, event: LeadContacted) -> None:
        lead = self.leads.get(event.lead_id)
        if lead is None or lead.status != CLAIMED or lead.contacted:
            return  # a follow-up contact: compliance counts the first one
        at = _s(event.occurred_at)
        lead.contacted = True
        self.awaiting_contact.pop(event.lead_id, None)
        self._observe("claim_to_contact", event.pool, at - lead.claimed_at)
        if at > lead.contact_due_at:
            self._count("contact_violations", event.pool)

        self._count("contacted", event.pool)
        self._count("rep_contacts", event.rep_id)

    def _outcome(self, event: LeadOutcome) -> None:
        lead = self.leads.get(event.lead_id)
        band = lead.band if lead is not None else "unbanded"
        source = lead.source if lead is not None else "unknown"
        reached = {event.outcome.value}
        if event.outcome is Outcome.CLOSED_WON:
            reached.add(Outcome.OPPORTUNITY.value)  # a won deal was an opportunity
        known = lead.outcomes if lead is not None else set()
        for outcome in sorted(reached - known):
            self._count("outcomes", event.pool, outcome)
            self._count("band_outcomes", band, outcome)
            self._count("source_outcomes", source, outcome)
        if event.outcome is Outcome.CLOSED_WON and Outcome.CLOSED_WON not in known:
            self._count("won_value", event.pool, amount=event.deal_size or 0.0)
            if lead is not None:
                cycle_s = _s(event.occurred_at) - lead.pooled_at
                self._observe("sales_cycle", event.pool, cycle_s)
        if lead is None:
            return

        lead.outcomes |= reached
        if event.outcome is not Outcome.OPPORTUNITY:
            self._leave(event.lead_id)
            lead.status = CLOSED

    def _transferred(self, event: LeadTransferred) -> None:
        self._count("transfers", event.from_pool)
        self._repool(event.lead_id, event.pool, event.occurred_at)

    def _removed(self, event: LeadRemoved) -> None:
        self._count("removed", event.pool, event.destination.value)
        lead = self.leads.get(event.lead_id)
        if lead is not None:
            self._leave(event.lead_id)
            lead.status = REMOVED

    def _reinstated(self, event: LeadReinstated) -> None:
        # Back from review into a pool: it adds to that pool like a new lead.
        self._count("reinstated", event.pool)
        self._repool(event.lead_id, event.pool, event.occurred_at)

    def _repool(self, lead_id: str, pool: str, at: datetime) -> None:
        """The lead waits, unclaimed, in `pool` from `at` on."""
        lead = self.leads.get(lead_id)
        if lead is None:
            return
        self._leave(lead_id)
        self._make_available(lead_id, lead, pool, at)

    def _make_available(
        self, lead_id: str, lead: TrackedLead, pool: str, at: datetime
    ) -> None:
        lead.pool, lead.status, lead.rep = pool, AVAILABLE, None
        lead.entered_at = _s(at)
        self.available.setdefault(pool, {})[lead_id] = lead

    def _leave(self, lead_id: str) -> None:
        """Take the lead out of whatever open state it was counted in."""
        lead = self.leads.get(lead_id)
        if lead is None:
            return
        if lead.status == AVAILABLE:
            self.available.get(lead.pool, {}).pop(lead_id, None)
        elif lead.status == CLAIMED and lead.rep is not None:
            self.rep_open[lead.rep] -= 1
            self.awaiting_contact.pop(lead_id, None)

    def _count(self, name: str, *labels: str, amount: float = 1.0) -> None:
        self.counters[name][labels] += amount

    def _count_when(self, name: str, pool: str, moment: datetime) -> None:
        local = moment.astimezone(self.policy.timezone)
        quality = self.policy.quality(pool)
        self._count(f"{name}_by_weekday", quality, WEEKDAYS[local.weekday()])
        self._count(f"{name}_by_hour", quality, f"{local.hour:02d}")

    def _observe(self, name: str, pool: str, seconds: float) -> None:
        per_pool = self.histograms[name]
        histogram = per_pool.get(pool)
        if histogram is None:
            edges = (
                self.policy.cycle_edges_s
                if name == "sales_cycle"
                else self.policy.time_edges_s
            )
            histogram = per_pool[pool] = Histogram(edges)
        histogram.observe(max(seconds, 0.0))


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

COUNTERS = (
    "added",
    "claimed",
    "returned",
    "contacted",
    "contact_violations",
    "outcomes",
    "won_value",
    "transfers",
    "transfer_requests",
    "transfer_decisions",
    "removed",
    "reinstated",
    "escalated",
    "band_added",
    "band_outcomes",
    "source_added",
    "source_claimed",
    "source_returned",
    "source_outcomes",
    "rep_claims",
    "rep_contacts",
    "added_by_weekday",
    "added_by_hour",
    "claimed_by_weekday",
    "claimed_by_hour",
    "refused",
)
HISTOGRAMS = ("time_to_claim", "claim_to_contact", "sales_cycle")
