"""Who may call the router: sources by API key, users by token and grant."""

import hashlib

from schemas.config import LeadpoolConfig
from schemas.config.access import Permission, Scope, User
from schemas.config.routing import IntakeSource


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def source_for_key(api_key: str, config: LeadpoolConfig) -> IntakeSource | None:
    # Only digests are stored; comparing digests leaks nothing useful by timing.
    wanted = digest(api_key)
    for source in config.routing.sources:
        if wanted in source.api_key_sha256:
            return source
    return None


def user_for_token(token: str, config: LeadpoolConfig) -> User | None:
    wanted = digest(token)
    return next((u for u in config.users if wanted in u.token_sha256), None)


def may(user: User, permission: Permission, pool: str, config: LeadpoolConfig) -> bool:
    """Whether the user's role grants `permission` (directly or implied) here."""
    team_pools = {
        p for team in config.teams if team.name == user.team for p in team.pools
    }
    for grant in config.access.roles.get(user.role, []):
        granted = {grant.permission, *config.access.implies.get(grant.permission, [])}
        if permission not in granted:
            continue
        if grant.scope is Scope.ALL:
            return True
        if grant.scope is Scope.TEAM and pool in team_pools:
            return True
        if grant.scope is Scope.ASSIGNED and pool in user.pools:
            return True
    return False
