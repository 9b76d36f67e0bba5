"""The hot-lead fast lane: offers to several eligible reps at once."""

import hashlib
from datetime import timedelta

from schemas.config import LeadpoolConfig
from schemas.config.access import Role, User
from schemas.events import LeadOffered, PooledLead
from services.common.availability import at_work


def eligible_reps(config: LeadpoolConfig, pool: str) -> list[User]:
    """Active reps who may claim from the pool, directly or through a team."""
    team_pools = {team.name: set(team.pools) for team in config.teams}
    return [
        user
        for user in config.users
        if user.role is Role.REP
        and user.active
        and (pool in user.pools or pool in team_pools.get(user.team or "", set()))
    ]


def offers_for(pooled: PooledLead, config: LeadpoolConfig) -> list[LeadOffered]:
    """One offer per chosen rep at work when the lead was routed; the choice
    rotates with the lead id, so offers spread over the team yet a replay
    offers to the same reps."""
    lane = config.routing.fast_lane
    reps = [
        rep
        for rep in eligible_reps(config, pooled.pool)
        if at_work(config, rep, pooled.routed_at)
    ]
    if not reps:
        return []

    lead_id = pooled.lead.lead_id
    start = int(hashlib.sha256(lead_id.encode()).hexdigest()[:8], 16) % len(reps)
    chosen = [
        reps[(start + i) % len(reps)] for i in range(min(lane.offer_to_reps, len(reps)))
    ]
    expires_at = pooled.routed_at + timedelta(seconds=lane.accept_within_s)
    return [
        LeadOffered(
            event_id=f"offer:{lead_id}:{rep.id}:{pooled.config_version}",
            lead_id=lead_id,
            pool=pooled.pool,
            rep_id=rep.id,
            offered_at=pooled.routed_at,
            expires_at=expires_at,
            contact_sla_minutes=lane.contact_sla_minutes,
            score=pooled.lead.score,
            config_version=pooled.config_version,
        )
        for rep in chosen
    ]
