"""Leads of a known account go straight to the rep who owns the account.

The router marks such a lead with its owner; the claims service assigns it
as it stocks it, through the claim step (so the owner's capacity still
counts). An owner who cannot take it (inactive, unknown, at capacity)
leaves it claimable in its pool, and the log says why.
"""

import logging
from datetime import datetime

from schemas.config import LeadpoolConfig
from schemas.events import PooledLead
from services.claims.claiming import Claimed, Claims, Refused
from services.claims.policy import Assignment

log = logging.getLogger(__name__)

KNOWN_ACCOUNT = "known_account"  # the assignment reason on the claimed event


async def assign_to_owner(
    claims: Claims, config: LeadpoolConfig, pooled: PooledLead, now: datetime
) -> Claimed | Refused:
    lead_id, owner_id = pooled.lead.lead_id, pooled.owner_rep or ""
    owner = next((user for user in config.users if user.id == owner_id), None)
    if owner is None:
        outcome: Claimed | Refused = Refused("unknown_owner", 0, 0, None)
    else:
        outcome = await claims.claim(
            config, owner, now, lead_id=lead_id, assignment=Assignment(KNOWN_ACCOUNT)
        )

    if isinstance(outcome, Claimed):
        log.info("lead assigned to its account owner", extra={"lead_id": lead_id})
    else:
        log.warning(
            "account owner cannot take the lead; it stays claimable in its pool",
            extra={"lead_id": lead_id, "owner": owner_id, "rule": outcome.rule},
        )
    return outcome
