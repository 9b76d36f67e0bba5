"""Targets the metrics and alert rules compare pool health against."""

from pydantic import Field

from schemas.base import Settings


class AgingShare(Settings):
    """Healthy share of the pool per age bucket (hours)."""

    upto_12h_min: float = 0.60
    h12_24: float = 0.25
    h24_48: float = 0.10
    over_48h_max: float = 0.05


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
    max_age_hours: float = 72
    average_age_alert_hours: float = 36
    aging: AgingShare = AgingShare()
    depth_low: int = 100
    depth_high: int = 300
