"""How a refused claim is explained over HTTP (problem details)."""

from typing import Any

from services.claims.claiming import Refused
from services.common.http import Problem

_NOT_FOUND = {"unknown_lead"}
_CONFLICT = {"not_available", "pool_empty", "no_eligible_rep"}
_LIMITS = {
    "daily_quota",
    "pool_daily_cap",
    "hourly_velocity",
    "cooldown",
    "max_open_leads",
    "pool_max_open_leads",
    "return_cooldown",
}

_TITLES = {
    "unknown_lead": "No such lead",
    "not_available": "Lead already taken",
    "pool_empty": "Pool is empty",
    "daily_quota": "Daily claim quota reached",
    "pool_daily_cap": "Daily claim cap of this pool reached",
    "hourly_velocity": "Too many claims this hour",
    "cooldown": "Cooling down after consecutive claims",
    "max_open_leads": "Too many open leads",
    "pool_max_open_leads": "Too many open leads for this pool",
    "return_cooldown": "You returned this lead recently",
    "permission:claim": "Missing permission: claim",
    "tier": "Your performance tier cannot claim from this pool",
    "function": "This pool is for other rep functions",
    "user_inactive": "Your user is deactivated",
    "availability:away": "You are marked away",
    "availability:absent": "You are out of office",
    "blind_pull": "This pool hands out its next best lead; do not choose",
    "pool_mode:auto_assign": "This pool is auto-assigning; claims are paused",
    "no_eligible_rep": "No eligible rep with capacity",
}


def status_for(rule: str) -> int:
    if rule in _NOT_FOUND:
        return 404
    if rule in _CONFLICT:
        return 409
    if rule in _LIMITS or rule.startswith(("claim_ratio:", "cross_pool:")):
        return 429
    return 403


def title_for(rule: str) -> str:
    if rule in _TITLES:
        return _TITLES[rule]
    if rule.startswith("window:"):
        return "Claiming is closed for you at this time"
    if rule.startswith("claim_ratio:"):
        return f"Claim ratio: claim more {rule.split(':', 1)[1]} leads first"
    if rule.startswith("cross_pool:"):
        return f"Claim from the {rule.split(':', 1)[1]} pool first"
    return "Claim refused"


def refusal_problem(refused: Refused) -> Problem:
    resets = refused.resets_at.isoformat() if refused.resets_at else None
    detail = f"refused by rule {refused.rule!r}"
    if refused.limit:
        detail += f": {refused.count} of {refused.limit}"
    if resets:
        detail += f", resets at {resets}"
    extensions: dict[str, Any] = {}
    if refused.rule.startswith("permission:"):
        extensions["permission"] = refused.rule.split(":", 1)[1]
    return Problem(
        status_for(refused.rule),
        title_for(refused.rule),
        detail,
        kind=f"https://leadpool.dev/problems/claim-refused/{refused.rule}",
        rule=refused.rule,
        count=refused.count,
        limit=refused.limit,
        resets_at=resets,
        **extensions,
    )


_REJECTIONS = {
    "not_holder": (403, "You do not hold this lead"),
    "unknown_lead": (404, "No such lead"),
    "unknown_transfer": (404, "No such transfer"),
    "not_claimed": (409, "The lead is not claimed"),
    "not_available": (409, "The lead is not available"),
    "not_movable": (409, "The lead can no longer move"),
    "already_decided": (409, "The transfer was decided already"),
    "same_pool": (409, "The lead is in that pool already"),
}


def rejection_problem(rule: str) -> Problem:
    """A lifecycle change that could not be made, as problem details."""
    status, title = _REJECTIONS.get(rule, (409, "Change refused"))
    return Problem(
        status,
        title,
        f"refused by rule {rule!r}",
        kind=f"https://leadpool.dev/problems/lead/{rule}",
        rule=rule,
    )
