"""The claim policy of one rep at one moment, as the claim step reads it.

Everything that depends only on configuration and time is decided here;
everything that depends on Redis state (counts, availability) is decided
atomically inside the claim script.
"""

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from schemas.config import LeadpoolConfig
from schemas.config.access import User
from schemas.config.pools import Pool
from services.claims.permissions import claim_refusal, crosses_into, fit_refusal
from services.claims.windows import Closed, Open, access_window
from services.common.availability import local
from services.common.clock import to_ms

_DAY_MS = 86_400_000
SCAN = 50  # leads looked at for the best claimable one: cooldowns, releases


@dataclass(frozen=True)
class Assignment:
    """An auto-assignment: why, and the round-robin ledger it counts on."""

    reason: str
    ledger_key: str | None = None
    weight: float = 1.0


def claim_policy(
    config: LeadpoolConfig,
    user: User,
    moment: datetime,
    prefix: str,
    *,
    assignment: Assignment | None = None,
    dry_run: bool = False,
) -> dict[str, Any]:
    return static_policy(config, prefix) | moment_policy(
        config, user, moment, assignment=assignment, dry_run=dry_run
    )


def static_policy(config: LeadpoolConfig, prefix: str) -> dict[str, Any]:
    """The part that depends on the configuration alone: cached per version."""
    quotas = config.quotas
    velocity = quotas.velocity
    periods = [r.period_days for r in quotas.ratios] + [
        c.period_days for c in quotas.cross_pool
    ]
    return {
        "prefix": prefix,
        "blind": {p.name: True for p in config.pools if p.blind_pull},
        "count_auto": quotas.auto_assigned_count,
        "max_open": quotas.max_open_leads,
        "pool_open": _caps(config, "max_open_leads_to_claim"),
        "pool_daily": _caps(config, "daily_claims_per_rep"),
        "per_hour": velocity.max_claims_per_hour,
        "run_length": velocity.consecutive_claims,
        "run_gap_ms": int(velocity.consecutive_gap_minutes * 60_000),
        "cooldown_ms": int(velocity.cooldown_minutes * 60_000),
        "ratios": [
            {
                "quality": r.quality.value,
                "per": r.per.value,
                "requires": r.requires,
                "period_ms": int(r.period_days * _DAY_MS),
            }
            for r in quotas.ratios
        ],
        "cross": [
            {
                "quality": c.quality.value,
                "min_claims": c.min_claims,
                "period_ms": int(c.period_days * _DAY_MS),
            }
            for c in quotas.cross_pool
        ],
        "keep_ms": int((max(periods, default=1) + 1) * _DAY_MS),
        "scan": SCAN,
    }


def moment_policy(
    config: LeadpoolConfig,
    user: User,
    moment: datetime,
    *,
    assignment: Assignment | None = None,
    dry_run: bool = False,
) -> dict[str, Any]:
    """The part that depends on the rep and the moment."""
    auto = assignment is not None
    day_start = local(config, moment).replace(hour=0, minute=0, second=0, microsecond=0)
    policy: dict[str, Any] = {
        **_pool_gates(config, user, moment, auto),
        "auto": auto,
        "reason": assignment.reason if assignment else None,
        "daily_limit": config.quotas.daily_claims[user.performance],
        "day_start_ms": to_ms(day_start),
        "day_end_ms": to_ms(day_start + timedelta(days=1)),
        "dry_run": dry_run,
    }
    if assignment is not None and assignment.ledger_key is not None:
        policy["ledger"] = assignment.ledger_key
        policy["ledger_step"] = 1 / assignment.weight if assignment.weight else 1
    return policy


class PolicyEncoder:
    """Encodes policies, reusing the static part's JSON while the version holds."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self._version: str | None = None
        self._static = ""

    def encode(
        self,
        config: LeadpoolConfig,
        user: User,
        moment: datetime,
        *,
        assignment: Assignment | None = None,
        dry_run: bool = False,
    ) -> str:
        if config.version != self._version:
            self._static = encode(static_policy(config, self.prefix))[1:-1]
            self._version = config.version
        dynamic = moment_policy(
            config, user, moment, assignment=assignment, dry_run=dry_run
        )
        return "{" + self._static + "," + encode(dynamic)[1:]


def encode(policy: dict[str, Any]) -> str:
    # Lua's cjson turns an empty JSON object into an array; the script only
    # indexes these by key, so either decodes the same.
    return json.dumps(policy, separators=(",", ":"))


def _pool_gates(
    config: LeadpoolConfig, user: User, moment: datetime, auto: bool
) -> dict[str, dict[str, Any]]:
    """Per pool: open (with its quality), widenable, or closed and why."""
    pools: dict[str, str] = {}
    widen: dict[str, str] = {}
    territory: dict[str, str] = {}
    release: dict[str, int] = {}
    denied: dict[str, dict[str, Any]] = {}
    for pool in config.pools:
        rule = claim_refusal(config, user, pool)
        if auto:
            # Assignment skips permission, tier and windows, never activity.
            rule = "user_inactive" if rule == "user_inactive" else None
        if rule is not None:
            denied[pool.name] = {"rule": rule}
            if rule == "tier" and _open_now(config, user, pool, moment):
                widen[pool.name] = pool.quality.value
            crossing = _crossing(config, user, pool, moment, rule)
            if crossing is not None:
                territory[pool.name] = pool.quality.value
                if crossing.release_at is not None:
                    release[pool.name] = to_ms(crossing.release_at)
            continue
        window = None if auto else access_window(config, user, pool, moment)
        if isinstance(window, Closed):
            opens = to_ms(window.opens_at) if window.opens_at else None
            denied[pool.name] = {"rule": window.rule, "reset_ms": opens}
            continue
        pools[pool.name] = pool.quality.value
        if window is not None and window.release_at is not None:
            release[pool.name] = to_ms(window.release_at)
    return {
        "pools": pools,
        "widen": widen,
        "territory": territory,
        "release": release,
        "denied": denied,
    }


def _crossing(
    config: LeadpoolConfig, user: User, pool: Pool, moment: datetime, rule: str
) -> Open | None:
    """The window a rep of another territory meets while the pool's territory
    is open; None when opening it would not let them in."""
    # Opening a territory lifts the territory grant only: tier, function and
    # the rep's access windows still hold.
    if rule != "permission:claim" or not crosses_into(config, user, pool):
        return None
    if fit_refusal(config, user, pool) is not None:
        return None
    window = access_window(config, user, pool, moment)
    return None if isinstance(window, Closed) else window


def _open_now(config: LeadpoolConfig, user: User, pool: Pool, moment: datetime) -> bool:
    return not isinstance(access_window(config, user, pool, moment), Closed)


def _caps(config: LeadpoolConfig, field: str) -> dict[str, int]:
    return {
        pool.name: getattr(pool, field)
        for pool in config.pools
        if getattr(pool, field) is not None
    }
