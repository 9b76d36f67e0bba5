"""Pool hygiene policies: aging, staleness, cleanup, rebalancing, sizing."""

from datetime import date
from enum import StrEnum
from itertools import pairwise
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from schemas.base import Settings


class AgeAction(StrEnum):
    PRIORITISE = "prioritise"  # into the top share of the pool's priority
    FLAG_MANAGER = "flag_manager"
    ALERT_MANAGER = "alert_manager"
    FORCE_ASSIGN_HIGH_VALUE = "force_assign_high_value"
    AUTO_ASSIGN_OR_NURTURE = "auto_assign_or_nurture"
    REMOVE = "remove"  # to long-term nurture, or archive without engagement


class AgeBand(Settings):
    from_hours: float = Field(ge=0)
    actions: list[AgeAction]
    priority_top_pct: float | None = Field(default=None, gt=0, le=100)
    recycle_unengaged: bool = Field(
        default=False,
        description="auto_assign_or_nurture: a lead below high value that nobody "
        "engaged with is marked for recycling instead of going to nurture",
    )
    archive_unengaged: bool = Field(
        default=True,
        description="remove: a lead nobody engaged with is archived; "
        "false: every lead goes to long-term nurture",
    )

    @model_validator(mode="after")
    def _branches_need_their_action(self) -> "AgeBand":
        if self.recycle_unengaged and AgeAction.AUTO_ASSIGN_OR_NURTURE not in (
            self.actions
        ):
            raise ValueError(
                "recycle_unengaged: only applies to a band with the "
                f"{AgeAction.AUTO_ASSIGN_OR_NURTURE.value} action"
            )
        return self


def _in_age_order(bands: list[AgeBand]) -> list[AgeBand]:
    # Aging walks bands in list order: a younger band listed after an older
    # one would fire late, at the older one's age. Refuse rather than guess.
    for index, (before, band) in enumerate(pairwise(bands)):
        if band.from_hours < before.from_hours:
            raise ValueError(
                f"[{index + 1}].from_hours: {band.from_hours:g} comes after "
                f"{before.from_hours:g}; list bands from youngest to oldest"
            )
    return bands


AgeBands = Annotated[list[AgeBand], AfterValidator(_in_age_order)]


def seed_age_bands() -> list[AgeBand]:
    return [
        AgeBand(from_hours=24, actions=[AgeAction.PRIORITISE], priority_top_pct=30),
        AgeBand(from_hours=48, actions=[AgeAction.FLAG_MANAGER]),
        AgeBand(
            from_hours=48,
            actions=[
                AgeAction.PRIORITISE,
                AgeAction.ALERT_MANAGER,
                AgeAction.FORCE_ASSIGN_HIGH_VALUE,
            ],
            priority_top_pct=10,
        ),
        AgeBand(from_hours=72, actions=[AgeAction.AUTO_ASSIGN_OR_NURTURE]),
        AgeBand(from_hours=168, actions=[AgeAction.REMOVE]),
    ]


class Aging(Settings):
    bands: AgeBands = Field(default_factory=seed_age_bands)
    pools: dict[str, AgeBands] = Field(
        default_factory=dict,
        description="A pool's own bands, used there in place of `bands`",
    )
    high_value_score: int = Field(
        default=80, ge=0, le=100, description="At or over this, a lead is high value"
    )
    sweep_interval_s: float = Field(default=60, gt=0)

    def bands_for(self, pool: str) -> list[AgeBand]:
        return self.pools.get(pool, self.bands)


class Stale(Settings):
    unclaimed_days: float = Field(default=7, gt=0)
    max_returns: int = Field(default=3, ge=1)
    low_score: int = Field(default=30, ge=0, le=100)
    inactive_days: float = Field(default=30, gt=0)
    junk_statuses: list[str] = Field(default_factory=lambda: ["junk", "unqualified"])


class Cleanup(Settings):
    daily_at: str = Field(default="02:00", pattern=r"^\d\d:\d\d$")
    weekly_on: str = Field(default="mon", pattern=r"^(mon|tue|wed|thu|fri|sat|sun)$")
    monthly_day: int = Field(default=1, ge=1, le=28)
    required_fields: list[str] = Field(
        default_factory=lambda: ["email", "company", "country"]
    )
    test_markers: list[str] = Field(
        default_factory=lambda: ["test", "example.com", "internal"]
    )
    internal_domains: list[str] = Field(default_factory=list)
    nearly_empty_depth: int = Field(default=10, ge=0)
    bad_email_markers: list[str] = Field(
        default_factory=lambda: ["noreply", "no-reply", "invalid", "mailinator."],
        description="An email containing one of these is bad data",
    )
    phone_pattern: str = Field(
        default=r"^\+[1-9]\d{7,14}$", description="A phone not matching is bad data"
    )


class VolumeRebalance(Settings):
    over: int = Field(default=300, ge=1)
    under: int = Field(default=50, ge=0)
    cross_territory_hours: float = Field(default=24, gt=0)


class AgeRebalance(Settings):
    average_age_hours: float = Field(default=36, gt=0)
    escalate_oldest_pct: float = Field(default=20, gt=0, le=100)
    priority_pool: str = "hot"
    cold_to_nurture_days: float = Field(default=7, gt=0)


class PerformanceRebalance(Settings):
    min_conversion: float = Field(default=0.15, ge=0, le=1)
    max_claim_to_contact_hours: float = Field(default=4, gt=0)
    window_days: float = Field(default=30, gt=0, description="Figures over this")
    min_claims: int = Field(
        default=20, ge=1, description="Fewer claims than this: too few to judge"
    )


class OverflowMode(StrEnum):
    AUTO_ASSIGN = "auto_assign"
    EXPAND_ACCESS = "expand_access"
    OUTSOURCE = "outsource"
    PAUSE_INTAKE = "pause_intake"


class Overflow(Settings):
    mode: OverflowMode = OverflowMode.AUTO_ASSIGN
    high_water: int = Field(default=300, ge=1)
    low_water: int = Field(default=200, ge=0)
    partner_pool: str | None = None
    expand_to_quality: str = "cold"  # cold-pool reps may claim from warm
    low_priority_sources: list[str] = Field(default_factory=list)


class DynamicSizing(Settings):
    low_depletion: float = Field(default=0.8, gt=0)
    low_depletion_days: int = Field(default=3, ge=1)
    shallow_depth: int = Field(default=50, ge=0)
    shallow_days: int = Field(default=2, ge=1)
    max_average_age_hours: float = Field(default=24, gt=0)
    threshold_step: int = Field(default=5, ge=1, description="Score points a step")


class Season(Settings):
    name: str
    start: date
    end: date
    capacity_factor: float = Field(gt=0, description="Multiplies optimal depth")
    auto_assign: bool = False


def seed_seasons() -> list[Season]:
    return [
        Season(
            name="q4-holidays",
            start=date(2026, 12, 15),
            end=date(2027, 1, 5),
            capacity_factor=0.7,
            auto_assign=True,
        ),
        Season(
            name="summer-slowdown",
            start=date(2026, 7, 1),
            end=date(2026, 8, 31),
            capacity_factor=0.8,
        ),
    ]


class Leader(Settings):
    """Pool-level jobs, run by the leader worker only."""

    interval_s: float = Field(default=60, gt=0)


class Hygiene(Settings):
    leader: Leader = Leader()
    aging: Aging = Aging()
    stale: Stale = Stale()
    cleanup: Cleanup = Cleanup()
    volume: VolumeRebalance = VolumeRebalance()
    age: AgeRebalance = AgeRebalance()
    performance: PerformanceRebalance = PerformanceRebalance()
    overflow: Overflow = Overflow()
    sizing: DynamicSizing = DynamicSizing()
    seasons: list[Season] = Field(default_factory=seed_seasons)
