"""Request and response bodies of the claims API; the OpenAPI document's source."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from schemas.events import Outcome


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClaimNext(Body):
    count: int = Field(default=1, ge=1, le=50, description="Blind pull: a batch")


class ReturnLead(Body):
    reason: str = Field(min_length=3, description="Why the rep gives it back")


class Contact(Body):
    channel: str | None = Field(default=None, description="phone, email, ...")


class RecordOutcome(Body):
    outcome: Outcome
    deal_size: float | None = Field(default=None, ge=0)


class TransferRequest(Body):
    to_pool: str
    reason: str = Field(min_length=3)


class TransferDecision(Body):
    approved: bool
    note: str | None = None


class Presence(Body):
    away: bool


class Assign(Body):
    lead_id: str | None = Field(default=None, description="None: the best lead")
    reason: str = Field(default="forced")


class ClaimedLead(Body):
    lead_id: str
    pool: str
    rep_id: str
    event_id: str
    lead: dict[str, Any]


class Rule(Body):
    rule: str
    passed: bool
    count: int
    limit: int
    resets_at: datetime | None


class WhyNot(Body):
    rep_id: str
    would_claim: bool
    rules: list[Rule]


class Change(Body):
    outcome: str
    event_id: str
    details: dict[str, Any] = Field(default_factory=dict)


class PoolSummary(Body):
    name: str
    quality: str
    description: str
    depth: int
    mode: str
    blind_pull: bool


class Limit(Body):
    rule: str
    used: int
    limit: int | None
    resets_at: datetime | None = None


class Limits(Body):
    rep_id: str
    limits: list[Limit]
