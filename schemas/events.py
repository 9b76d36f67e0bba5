"""Events on topics: pooled leads, rejections and the lead lifecycle log.

Every event carries a stable `event_id` so a consumer that sees it twice
(at-least-once delivery) can ignore the copy, and the `config_version`
that made the decision, so any decision can be explained later.
"""

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, TypeAdapter

from schemas.base import AwareDatetime, Contract
from schemas.lead import Lead


class PooledLead(Contract):
    """A routed lead on its `pool.<name>` topic, keyed by lead id."""

    lead: Lead
    pool: str
    rule: str | None = Field(description="Routing rule that placed it; None: default")
    reason: str = Field(description="Why it is in this pool, for `explain`")
    config_version: str
    routed_at: AwareDatetime
    owner_rep: str | None = Field(
        default=None, description="Rep who owns the lead's account, if known"
    )
    fast_lane: bool = Field(default=False, description="Offered at once, not pooled")


class Problem(Contract):
    """One reason an input was refused, naming the field it concerns."""

    field: str = Field(description="Dotted path of the field, or '$' for the whole")
    reason: str


class RejectedLead(Contract):
    """An intake message that could not become a lead, with the original."""

    original: str = Field(description="The payload exactly as received (UTF-8)")
    original_encoding: Literal["utf-8", "base64"] = "utf-8"
    reasons: list[Problem] = Field(min_length=1)
    source: str | None = None
    received_at: AwareDatetime
    intake_topic: str | None = None
    intake_partition: int | None = None
    intake_offset: int | None = None


class LeadMerged(Contract):
    """A duplicate intake message folded into an existing lead (`leads.merged`).

    When the merge moved the lead to another pool, the router also sends
    the lead again on its new pool topic, with the same lead id.
    """

    event_id: str = Field(min_length=1, description="Stable per intake message")
    lead_id: str = Field(description="The existing lead it was merged into")
    matched_on: str = Field(description="external_id, email or phone")
    source: str
    score_before: int
    score_after: int
    pool_before: str
    pool_after: str
    rule: str | None
    reason: str
    config_version: str
    merged_at: AwareDatetime
    activity: Lead = Field(description="The duplicate, normalised, as activity")


class LeadOffered(Contract):
    """A fast-lane lead offered to one rep (`leads.offers`), for notifications.

    The rep accepts through the claims service's claim; the first claim wins.
    Unclaimed at `expires_at`, claims auto-assigns it round robin.
    """

    event_id: str = Field(min_length=1)
    lead_id: str
    pool: str
    rep_id: str
    offered_at: AwareDatetime
    expires_at: AwareDatetime
    contact_sla_minutes: float
    score: int
    config_version: str


class HeldLead(Contract):
    """An intake message of a paused source, kept on `leads.held` until resumed."""

    original: str = Field(description="The payload exactly as received (UTF-8)")
    source: str
    held_at: AwareDatetime
    config_version: str
    intake_topic: str | None = None
    intake_partition: int | None = None
    intake_offset: int | None = None


class ReturnReason(StrEnum):
    REP_RETURNED = "rep_returned"
    SLA_EXPIRED = "sla_expired"
    REP_DEACTIVATED = "rep_deactivated"
    TRANSFERRED = "transferred"


class Outcome(StrEnum):
    OPPORTUNITY = "opportunity"
    CLOSED_WON = "closed_won"
    CLOSED_LOST = "closed_lost"


class Removal(StrEnum):
    NURTURE = "nurture"
    ARCHIVE = "archive"
    RECYCLE = "recycle"
    REVIEW = "review"


class _LeadEvent(Contract):
    event_id: str = Field(min_length=1)
    lead_id: str
    pool: str
    occurred_at: AwareDatetime
    config_version: str


class LeadStocked(_LeadEvent):
    """The claims service took a routed lead into its pool inventory."""

    type: Literal["stocked"] = "stocked"
    score: int
    priority: float
    routed_at: AwareDatetime
    source: str


class LeadClaimed(_LeadEvent):
    type: Literal["claimed"] = "claimed"
    rep_id: str
    auto_assigned: bool = False
    assignment_reason: str | None = Field(
        default=None, description="fast_lane, overflow, forced, round_robin"
    )


class LeadReturned(_LeadEvent):
    type: Literal["returned"] = "returned"
    rep_id: str
    reason: ReturnReason
    note: str | None = None


class LeadContacted(_LeadEvent):
    type: Literal["contacted"] = "contacted"
    rep_id: str
    channel: str | None = None


class LeadOutcome(_LeadEvent):
    type: Literal["outcome"] = "outcome"
    rep_id: str
    outcome: Outcome
    deal_size: float | None = Field(default=None, ge=0)


class LeadEscalated(_LeadEvent):
    """Hygiene moved the lead up the pool's priority order."""

    type: Literal["escalated"] = "escalated"
    priority: float
    policy: str


class LeadTransferRequested(_LeadEvent):
    type: Literal["transfer_requested"] = "transfer_requested"
    transfer_id: str
    to_pool: str
    requested_by: str
    reason: str


class LeadTransferDecided(_LeadEvent):
    type: Literal["transfer_decided"] = "transfer_decided"
    transfer_id: str
    to_pool: str
    decided_by: str
    approved: bool
    note: str | None = None


class LeadTransferred(_LeadEvent):
    type: Literal["transferred"] = "transferred"
    from_pool: str
    transfer_id: str | None = None
    policy: str | None = Field(default=None, description="Set when hygiene moved it")


class LeadRemoved(_LeadEvent):
    """The lead left the active pool: to nurture, archive, recycle or review."""

    type: Literal["removed"] = "removed"
    destination: Removal
    policy: str
    reason: str


class LeadReinstated(_LeadEvent):
    """Ops fixed a lead in review and sent it back to a pool, unclaimed."""

    type: Literal["reinstated"] = "reinstated"
    from_pool: str
    policy: str
    fixes: dict[str, str] = Field(
        default_factory=dict, description="Lead fields ops corrected"
    )


LeadEvent = Annotated[
    LeadStocked
    | LeadClaimed
    | LeadReturned
    | LeadContacted
    | LeadOutcome
    | LeadEscalated
    | LeadTransferRequested
    | LeadTransferDecided
    | LeadTransferred
    | LeadRemoved
    | LeadReinstated,
    Field(discriminator="type"),
]

lead_event_adapter: TypeAdapter[LeadEvent] = TypeAdapter(LeadEvent)
