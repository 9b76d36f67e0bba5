"""The whole configuration document, and the checks that span sections."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, model_validator

from schemas.base import Settings
from schemas.config.access import Access, Team, User
from schemas.config.hygiene import Hygiene
from schemas.config.monitoring import Monitoring
from schemas.config.pools import Pool, seed_pools
from schemas.config.quotas import Quotas
from schemas.config.routing import Routing, seed_routing
from schemas.config.sla import Slas
from schemas.config.topics import Topics
from schemas.config.windows import Windows


class LeadpoolConfig(Settings):
    """One versioned document; every decision records the version it used."""

    version: str = Field(min_length=1)
    topics: Topics = Topics()
    pools: list[Pool] = Field(default_factory=seed_pools, min_length=1)
    routing: Routing = Field(default_factory=seed_routing)
    access: Access = Access()
    teams: list[Team] = Field(default_factory=list)
    users: list[User] = Field(default_factory=list)
    quotas: Quotas = Quotas()
    windows: Windows = Windows()
    slas: Slas = Slas()
    hygiene: Hygiene = Hygiene()
    monitoring: Monitoring = Monitoring()

    def pool(self, name: str) -> Pool:
        for pool in self.pools:
            if pool.name == name:
                return pool
        raise KeyError(name)

    def user(self, user_id: str) -> User:
        for user in self.users:
            if user.id == user_id:
                return user
        raise KeyError(user_id)

    @property
    def pool_names(self) -> list[str]:
        return [pool.name for pool in self.pools]

    @model_validator(mode="after")
    def _references_resolve(self) -> "LeadpoolConfig":
        problems = [*self._unknown_pools(), *self._unknown_teams_and_users()]
        try:
            ZoneInfo(self.windows.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(f"windows.timezone: unknown zone {self.windows.timezone!r}")
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def _unknown_pools(self) -> list[str]:
        known = set(self.pool_names)
        named = [
            ("routing.default_pool", self.routing.default_pool),
            ("routing.quarantine_pool", self.routing.quarantine_pool),
            ("hygiene.age.priority_pool", self.hygiene.age.priority_pool),
        ]
        named += [
            (f"routing.rules[{i}].pool", r.pool)
            for i, r in enumerate(self.routing.rules)
        ]
        named += [
            (f"routing.accounts[{i}].pool", a.pool)
            for i, a in enumerate(self.routing.accounts)
            if a.pool is not None
        ]
        for i, user in enumerate(self.users):
            named += [(f"users[{i}].pools", pool) for pool in user.pools]
        for i, team in enumerate(self.teams):
            named += [(f"teams[{i}].pools", pool) for pool in team.pools]
        named += [
            (f"hygiene.aging.pools.{pool}", pool) for pool in self.hygiene.aging.pools
        ]
        if self.hygiene.overflow.partner_pool:
            named.append(
                ("hygiene.overflow.partner_pool", self.hygiene.overflow.partner_pool)
            )
        return [
            f"{path}: unknown pool {name!r}"
            for path, name in named
            if name not in known
        ]

    def _unknown_teams_and_users(self) -> list[str]:
        teams = {team.name for team in self.teams}
        users = {user.id for user in self.users}
        problems = [
            f"users[{i}].team: unknown team {user.team!r}"
            for i, user in enumerate(self.users)
            if user.team is not None and user.team not in teams
        ]
        problems += [
            f"teams[{i}].manager: unknown user {team.manager!r}"
            for i, team in enumerate(self.teams)
            if team.manager is not None and team.manager not in users
        ]
        if len(users) != len(self.users):
            problems.append("users: ids must be unique")
        if len(set(self.pool_names)) != len(self.pools):
            problems.append("pools: names must be unique")
        return problems
