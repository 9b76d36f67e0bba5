"""Claim quotas: daily, open-lead, velocity, ratios and cross-pool rules."""

from enum import StrEnum

from pydantic import Field

from schemas.base import Settings
from schemas.config.access import Performance
from schemas.config.pools import Quality


def seed_daily_claims() -> dict[Performance, int]:
    return {Performance.HIGH: 20, Performance.STANDARD: 15, Performance.LOW: 10}


class Velocity(Settings):
    max_claims_per_hour: int = Field(default=5, ge=1)
    consecutive_claims: int = Field(default=3, ge=1)
    cooldown_minutes: float = Field(default=15, ge=0)
    consecutive_gap_minutes: float = Field(
        default=15, gt=0, description="Claims closer than this count as a run"
    )


class ClaimRatio(Settings):
    """Each claim from `quality` needs `requires` claims from `per`."""

    quality: Quality
    per: Quality
    requires: int = Field(ge=1)
    period_days: float = Field(default=1, gt=0)


class CrossPoolRequirement(Settings):
    """At least `min_claims` from `quality` every `period_days`."""

    quality: Quality
    min_claims: int = Field(ge=1)
    period_days: float = Field(gt=0)


class AbsencePolicy(StrEnum):
    # Back from an absence a rep resumes at the team's lowest count: not
    # flooded with catch-up leads, not starved behind everyone else.
    RESUME_AT_FLOOR = "resume_at_floor"
    # The rep keeps the count from before, and catches up on return.
    KEEP_COUNT = "keep_count"


class RoundRobin(Settings):
    """Auto-assignment: fast lane, overflow and forced assignment."""

    absence_policy: AbsencePolicy = AbsencePolicy.RESUME_AT_FLOOR
    max_candidates: int = Field(
        default=50, ge=1, description="Reps tried before an assignment gives up"
    )
    overflow_backlog_per_s: int = Field(
        default=20,
        ge=1,
        description="Waiting leads a pool in round-robin overflow assigns a second",
    )


class Quotas(Settings):
    daily_claims: dict[Performance, int] = Field(default_factory=seed_daily_claims)
    auto_assigned_count: bool = Field(
        default=False, description="Whether auto-assigned leads use daily quota"
    )
    max_open_leads: int = Field(default=25, ge=1)
    velocity: Velocity = Velocity()
    ratios: list[ClaimRatio] = Field(
        default_factory=lambda: [
            ClaimRatio(quality=Quality.HOT, per=Quality.WARM, requires=2),
            ClaimRatio(quality=Quality.WARM, per=Quality.COLD, requires=3),
        ]
    )
    cross_pool: list[CrossPoolRequirement] = Field(
        default_factory=lambda: [
            CrossPoolRequirement(quality=Quality.COLD, min_claims=1, period_days=7)
        ]
    )
    round_robin: RoundRobin = RoundRobin()
    return_cooldown_hours: float = Field(
        default=72, ge=0, description="A returned lead skips that rep this long"
    )
