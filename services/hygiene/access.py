"""The permission matrix as hygiene's API applies it (pure)."""

from schemas.config import LeadpoolConfig
from schemas.config.access import Permission, Scope, User


def may(config: LeadpoolConfig, user: User, pool: str, wanted: Permission) -> bool:
    """True when a grant of the user's role, in scope for `pool`, covers it."""
    if not user.active:
        return False
    for grant in config.access.roles.get(user.role, []):
        granted = {grant.permission, *config.access.implies.get(grant.permission, [])}
        if wanted in granted and _in_scope(config, user, pool, grant.scope):
            return True
    return False


def _in_scope(config: LeadpoolConfig, user: User, pool: str, scope: Scope) -> bool:
    match scope:
        case Scope.ALL:
            return True
        case Scope.ASSIGNED:
            return pool in user.pools
        case Scope.TEAM:
            return any(
                pool in team.pools
                for team in config.teams
                if team.name == user.team or team.manager == user.id
            )
    return False
