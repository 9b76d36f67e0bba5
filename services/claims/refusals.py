"""How a refused claim is explained over HTTP (problem details)."""

from services.claims.claiming import Refused
from services.common.http import Problem

_NOT_FOUND = {"unknown_lead"}
_CONFLICT = {"not_available", "pool_empty"}
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
    return Problem(
        status_for(refused.rule),
        title_for(refused.rule),
        detail,
        kind=f"https://leadpool.dev/problems/claim-refused/{refused.rule}",
        rule=refused.rule,
        count=refused.count,
        limit=refused.limit,
        resets_at=resets,
    )
