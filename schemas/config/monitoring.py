"""Targets the metrics and alert rules compare pool health against.

The metrics service publishes these numbers as gauges, so the Prometheus
rules read them live instead of copying them: a new config version moves
every alert threshold without a rules deploy.
"""

from pydantic import Field

from schemas.base import Settings


class AgingShare(Settings):
    """Healthy share of the pool per age bucket (hours)."""

    upto_12h_min: float = 0.60
    h12_24: float = 0.25
    h24_48: float = 0.10
    over_48h_max: float = 0.05


class ScoreBand(Settings):
    """A score range reported on its own, to calibrate the routing thresholds."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    min_score: int = Field(description="Lowest score in the band (inclusive)")


def seed_score_bands() -> list[ScoreBand]:
    # The seed's hot, warm and cold tiers: 80+, 50-79, under 50.
    return [
        ScoreBand(name="hot", min_score=80),
        ScoreBand(name="warm", min_score=50),
        ScoreBand(name="cold", min_score=-(10**9)),
    ]


class Monitoring(Settings):
    claim_rate_target: tuple[float, float] = (0.30, 0.50)
    claim_rate_low: float = Field(default=0.20, ge=0, le=1)
    claim_rate_high: float = Field(default=0.70, ge=0, le=1)
    abandonment_target: float = 0.10
    abandonment_alert: float = 0.20
    low_quality_abandonment: float = 0.25
    low_conversion: float = 0.10
    transfer_rate_alert: float = 0.05
    hoarding_open_leads: int = 30
    hoarding_claims_per_day: float = Field(
        default=12,
        gt=0,
        description="A rep claiming this many a day claims at a high rate "
        "(the seed's average claims per rep per day)",
    )
    hoarding_contact_ratio: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="Contacts per claim under this, at a high claim rate: hoarding",
    )
    max_age_hours: float = 72
    average_age_alert_hours: float = 36
    aging: AgingShare = AgingShare()
    aging_buckets_hours: tuple[float, float, float] = Field(
        default=(12, 24, 48), description="Bucket edges: 0-12, 12-24, 24-48, 48+"
    )
    depth_low: int = 100
    depth_high: int = 300
    score_bands: list[ScoreBand] = Field(default_factory=seed_score_bands, min_length=1)
    time_buckets_hours: tuple[float, ...] = Field(
        default=(0.25, 0.5, 1, 2, 4, 8, 24, 48, 72, 168),
        min_length=1,
        description="Histogram edges for time to claim, contact and close; "
        "each pool's own time-to-claim target is added to its edges",
    )
    sales_cycle_buckets_days: tuple[float, ...] = Field(
        default=(7, 14, 30, 60, 90, 180), min_length=1
    )
    remembered_event_ids: int = Field(
        default=100_000, ge=1, description="Per partition, to drop redelivered copies"
    )

    def band(self, score: int) -> str:
        """The name of the highest band whose floor `score` reaches."""
        for band in sorted(self.score_bands, key=lambda b: -b.min_score):
            if score >= band.min_score:
                return band.name
        return "unbanded"
