"""Building lead events for hygiene tests: one line per lifecycle step."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from schemas.events import (
    LeadClaimed,
    LeadContacted,
    LeadMerged,
    LeadOutcome,
    LeadReinstated,
    LeadRemoved,
    LeadReturned,
    LeadStocked,
    Outcome,
    PooledLead,
    Removal,
    ReturnReason,
)
from schemas.lead import Lead

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday morning
VERSION = "test-1"


def _base(lead_id: str, pool: str, at: datetime, kind: str) -> dict[str, Any]:
    return {
        "event_id": f"{lead_id}:{kind}:{at.isoformat()}",
        "lead_id": lead_id,
        "pool": pool,
        "occurred_at": at,
        "config_version": VERSION,
    }


def stocked(
    lead_id: str, at: datetime, pool: str = "warm", score: int = 60, **extra: Any
) -> LeadStocked:
    fields = {"priority": float(score), "routed_at": at, "source": "web", **extra}
    return LeadStocked(**_base(lead_id, pool, at, "stocked"), score=score, **fields)


def claimed(
    lead_id: str, at: datetime, rep: str = "rep-a", pool: str = "warm", **extra: Any
) -> LeadClaimed:
    return LeadClaimed(**_base(lead_id, pool, at, "claimed"), rep_id=rep, **extra)


def contacted(
    lead_id: str, at: datetime, rep: str = "rep-a", pool: str = "warm"
) -> LeadContacted:
    return LeadContacted(**_base(lead_id, pool, at, "contacted"), rep_id=rep)


def returned(
    lead_id: str, at: datetime, rep: str = "rep-a", pool: str = "warm"
) -> LeadReturned:
    return LeadReturned(
        **_base(lead_id, pool, at, "returned"),
        rep_id=rep,
        reason=ReturnReason.REP_RETURNED,
    )


def opportunity(lead_id: str, at: datetime, rep: str = "rep-a") -> LeadOutcome:
    return LeadOutcome(
        **_base(lead_id, "warm", at, "outcome"),
        rep_id=rep,
        outcome=Outcome.OPPORTUNITY,
    )


def pooled(lead_id: str, at: datetime, pool: str = "warm", **lead: Any) -> PooledLead:
    """The router's copy of a lead, with the fields cleanup checks."""
    fields = {"email": f"{lead_id}@acme.org", "company": "Acme", "country": "US"}
    return PooledLead(
        lead=Lead(
            lead_id=lead_id,
            source="web",
            score=60,
            created_at=at,
            **(fields | lead),
        ),
        pool=pool,
        rule=None,
        reason="test",
        config_version=VERSION,
        routed_at=at,
    )


def to_review(lead_id: str, at: datetime, pool: str = "warm") -> LeadRemoved:
    reason = "returned 3 times"
    return removed(lead_id, at, Removal.REVIEW, pool, policy="stale", reason=reason)


def removed(
    lead_id: str,
    at: datetime,
    destination: Removal,
    pool: str = "warm",
    policy: str = "test",
    reason: str = "test",
) -> LeadRemoved:
    return LeadRemoved(
        **_base(lead_id, pool, at, "removed"),
        destination=destination,
        policy=policy,
        reason=reason,
    )


def reinstated(lead_id: str, at: datetime, pool: str = "warm") -> LeadReinstated:
    return LeadReinstated(
        **_base(lead_id, pool, at, "reinstated"),
        from_pool=pool,
        policy="review:fix_and_return",
        fixes={"company": "Acme Ltd"},
    )


def merged(lead_id: str, at: datetime, pool: str = "warm") -> LeadMerged:
    """The prospect came back: a duplicate folded into the lead by the router."""
    activity = pooled(f"{lead_id}-again", at, pool=pool).lead
    unchanged = {
        "score_before": activity.score,
        "score_after": activity.score,
        "pool_before": pool,
        "pool_after": pool,
        "rule": None,
    }
    return LeadMerged(
        event_id=f"{lead_id}:merged:{at.isoformat()}",
        lead_id=lead_id,
        matched_on="email",
        source="web",
        reason="test",
        config_version=VERSION,
        merged_at=at,
        activity=activity,
        **unchanged,
    )
