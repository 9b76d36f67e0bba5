"""Building blocks for the claims tests: configurations, reps, leads."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from schemas.config import LeadpoolConfig
from schemas.config.access import Role, Team, User
from schemas.config.pools import seed_pools
from schemas.events import PooledLead
from schemas.lead import Lead

# A Monday in business hours, in UTC (the test configurations' zone).
MONDAY_10 = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
ALL_POOLS = ["hot", "warm", "cold", "quarantine"]


def rep(user_id: str, **fields: Any) -> User:
    values: dict[str, Any] = {
        "id": user_id,
        "name": user_id.title(),
        "role": Role.REP,
        "tier": 1,
        "pools": ALL_POOLS,
    }
    return User(**(values | fields))


def config(
    users: list[User] | None = None, teams: list[Team] | None = None, **sections: Any
) -> LeadpoolConfig:
    """The seed's defaults in UTC, with the given users and sections."""
    document: dict[str, Any] = {
        "version": "test-1",
        "users": users or [],
        "teams": teams or [],
        "windows": {"timezone": "UTC"},
    }
    return LeadpoolConfig.model_validate(document | sections)


def pooled(
    lead_id: str,
    pool: str = "hot",
    score: int = 85,
    at: datetime = MONDAY_10,
    fast_lane: bool = False,
) -> PooledLead:
    lead = Lead(
        lead_id=lead_id,
        source="demo_request",
        email=f"{lead_id}@example.org",
        phone="+14155550100",
        score=score,
        created_at=at,
    )
    return PooledLead(
        lead=lead,
        pool=pool,
        rule=None,
        reason="test",
        config_version="test-1",
        routed_at=at,
        fast_lane=fast_lane,
    )


def pools(**changes: dict[str, Any]) -> list[dict[str, Any]]:
    """The seed's pools, with per-pool changes: `pools(hot={...})`."""
    return [
        pool.model_dump(mode="json") | changes.get(pool.name, {})
        for pool in seed_pools()
    ]


# Quotas that stay out of the way, so one test exercises one rule.
RELAXED: dict[str, Any] = {
    "velocity": {"max_claims_per_hour": 1000, "consecutive_claims": 1000},
    "ratios": [],
    "cross_pool": [],
    "max_open_leads": 1000,
}


def relaxed(users: list[User], **quotas: Any) -> LeadpoolConfig:
    return config(users, quotas=RELAXED | quotas)
