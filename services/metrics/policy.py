"""What the fold needs from the configuration, resolved once per version."""

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from schemas.config import LeadpoolConfig
from schemas.config.access import Role

HOUR_S = 3600.0
DAY_S = 86400.0


@dataclass(frozen=True)
class FoldPolicy:
    pool_quality: dict[str, str]
    contact_sla_s: float
    fast_lane_sla_s: float
    timezone: ZoneInfo
    time_edges_s: tuple[float, ...]
    cycle_edges_s: tuple[float, ...]
    aging_edges_s: tuple[float, float, float]
    max_age_s: float
    remembered_event_ids: int
    bands: tuple[tuple[str, int], ...]

    def quality(self, pool: str) -> str:
        return self.pool_quality.get(pool, "other")

    def band(self, score: int) -> str:
        for name, floor in self.bands:
            if score >= floor:
                return name
        return "unbanded"


def fold_policy(config: LeadpoolConfig) -> FoldPolicy:
    monitoring = config.monitoring
    targets = {pool.time_to_claim_target_hours for pool in config.pools}
    # Each pool's target is an edge, so "claimed within target" is exact.
    time_edges = sorted({*monitoring.time_buckets_hours, *targets})
    bands = sorted(monitoring.score_bands, key=lambda band: -band.min_score)
    low, mid, high = monitoring.aging_buckets_hours
    return FoldPolicy(
        pool_quality={pool.name: pool.quality.value for pool in config.pools},
        contact_sla_s=config.slas.claim_to_contact.contact_minutes * 60,
        fast_lane_sla_s=config.slas.fast_lane.contact_minutes * 60,
        timezone=ZoneInfo(config.windows.timezone),
        time_edges_s=tuple(hours * HOUR_S for hours in time_edges),
        cycle_edges_s=tuple(
            days * DAY_S for days in monitoring.sales_cycle_buckets_days
        ),
        aging_edges_s=(low * HOUR_S, mid * HOUR_S, high * HOUR_S),
        max_age_s=monitoring.max_age_hours * HOUR_S,
        remembered_event_ids=monitoring.remembered_event_ids,
        bands=tuple((band.name, band.min_score) for band in bands),
    )


def claim_capacity_per_day(config: LeadpoolConfig, pool_name: str) -> float:
    """Claims a day the reps who may claim from the pool can make there."""
    pool = config.pool(pool_name)
    # Reps claim from their assigned pools only (the seed's role grants).
    reps = [
        user
        for user in config.users
        if user.active and user.role is Role.REP and pool_name in user.pools
    ]
    per_rep = pool.claims_per_rep_per_day
    if pool.daily_claims_per_rep is not None:
        per_rep = min(per_rep, pool.daily_claims_per_rep)
    return per_rep * len(reps)


def optimal_depth(config: LeadpoolConfig, pool_name: str) -> tuple[float, float]:
    """The seed's optimal pool size: daily claiming capacity times the buffer."""
    capacity = claim_capacity_per_day(config, pool_name)
    low_days, high_days = config.pool(pool_name).capacity_buffer_days
    return capacity * low_days, capacity * high_days
