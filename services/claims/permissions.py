"""The permission matrix: which user may claim, view or manage which pool."""

from schemas.config import LeadpoolConfig
from schemas.config.access import Grant, Permission, Scope, User
from schemas.config.pools import Pool


def permissions(config: LeadpoolConfig, user: User, pool: Pool) -> set[Permission]:
    granted: set[Permission] = set()
    for grant in config.access.roles.get(user.role, []):
        if _in_scope(config, user, pool, grant):
            granted.add(grant.permission)
            granted.update(config.access.implies.get(grant.permission, []))
    return granted


def may(config: LeadpoolConfig, user: User, pool: Pool, wanted: Permission) -> bool:
    return user.active and wanted in permissions(config, user, pool)


def team_pools(config: LeadpoolConfig, user: User) -> set[str]:
    """Pools of the user's team and of every team the user manages."""
    pools: set[str] = set()
    for team in config.teams:
        if team.name == user.team or team.manager == user.id:
            pools.update(team.pools)
    return pools


def _in_scope(config: LeadpoolConfig, user: User, pool: Pool, grant: Grant) -> bool:
    match grant.scope:
        case Scope.ALL:
            return True
        case Scope.ASSIGNED:
            return pool.name in user.pools
        case Scope.TEAM:
            return pool.name in team_pools(config, user)
    return False


def claim_refusal(config: LeadpoolConfig, user: User, pool: Pool) -> str | None:
    """Why this user may never claim from this pool, or None if they may.

    Covers the static rules: the permission grant, the performance tier's
    pool qualities and the rep functions a pool is for. Time windows and
    quotas come later, in the claim step.
    """
    if not user.active:
        return "user_inactive"
    if Permission.CLAIM not in permissions(config, user, pool):
        return "permission:claim"
    return fit_refusal(config, user, pool)


def fit_refusal(config: LeadpoolConfig, user: User, pool: Pool) -> str | None:
    """The tier and function rules alone: what a widened pool still asks."""
    tiers = {access.tier: access for access in config.access.tiers}
    tier = tiers.get(user.tier)
    if tier is None or pool.quality not in tier.qualities:
        return "tier"
    if pool.functions and user.function not in pool.functions:
        return "function"
    return None


def territories(config: LeadpoolConfig, user: User) -> set[str]:
    """Territories of the geographic pools the user's grants let them claim."""
    return {
        pool.territory
        for pool in config.pools
        if pool.territory and Permission.CLAIM in permissions(config, user, pool)
    }


def crosses_into(config: LeadpoolConfig, user: User, pool: Pool) -> bool:
    """Whether the user is a rep of another territory than the pool's: one
    whom opening the pool's territory (volume rebalancing) lets claim there.
    """
    if not pool.territory or not user.active:
        return False
    if Permission.CLAIM in permissions(config, user, pool):
        return False
    return bool(territories(config, user) - {pool.territory})
