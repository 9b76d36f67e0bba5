"""Pools: what they hold and the per-pool rules reps meet there."""

from enum import StrEnum

from pydantic import Field

from schemas.base import Settings


class Quality(StrEnum):
    """Score tier of a pool; access tiers and claim ratios speak of these."""

    HOT = "hot"
    WARM = "warm"
    COLD = "cold"
    OTHER = "other"


class Pool(Settings):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    quality: Quality = Quality.OTHER
    description: str = ""
    daily_claims_per_rep: int | None = Field(
        default=None, ge=0, description="Per-rep daily cap here; None: unlimited"
    )
    max_open_leads_to_claim: int | None = Field(
        default=None,
        ge=0,
        description="No claims here while a rep carries this many open leads",
    )
    time_to_claim_target_hours: float = Field(default=24, gt=0)
    functions: list[str] = Field(
        default_factory=list,
        description="Rep functions (sdr, ae, specialist) allowed; empty: any",
    )
    territory: str | None = Field(default=None, description="Geographic pool tag")
    blind_pull: bool = Field(
        default=False, description="Reps take the next best lead, never choose"
    )
    hidden_fields: list[str] = Field(
        default_factory=lambda: ["email", "phone", "last_name"],
        description="Lead fields shown only to the rep who claimed it",
    )
    release_windows: bool = Field(
        default=False, description="New leads become claimable only at releases"
    )
    capacity_buffer_days: tuple[float, float] = Field(
        default=(2, 3), description="Optimal depth: team daily capacity times this"
    )
    claims_per_rep_per_day: float = Field(
        default=12, gt=0, description="Average claims a rep makes here a day"
    )
    paused: bool = Field(default=False, description="Refuse new entries (audit)")


def seed_pools() -> list[Pool]:
    return [
        Pool(
            name="hot",
            quality=Quality.HOT,
            description="Scores 80+, demo requests, high intent",
            daily_claims_per_rep=3,
            max_open_leads_to_claim=15,
            time_to_claim_target_hours=2,
        ),
        Pool(
            name="warm",
            quality=Quality.WARM,
            description="Scores 50-79, MQLs, engaged prospects",
            time_to_claim_target_hours=8,
        ),
        Pool(
            name="cold",
            quality=Quality.COLD,
            description="Scores under 50, early stage, recycled",
            time_to_claim_target_hours=48,
        ),
        Pool(
            name="quarantine",
            description="Questionable leads that ops review before release",
            time_to_claim_target_hours=48,
        ),
    ]
