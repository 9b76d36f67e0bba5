"""Duplicates: which identities a lead is known by, and how a copy merges.

A duplicate never becomes a second lead: it is folded into the existing
one as an activity. Its score may rise, which can move the lead to a
better pool; missing fields are filled from the copy.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from schemas.config import LeadpoolConfig
from schemas.events import LeadMerged, PooledLead
from schemas.lead import Lead
from services.router.decide import route

_FILLABLE = ("phone", "first_name", "last_name", "company", "country", "employees")


@dataclass(frozen=True)
class Identity:
    kind: str  # external_id, email or phone
    digest: str  # hashed, so Redis keys carry no personal data

    @classmethod
    def of(cls, kind: str, value: str) -> "Identity":
        return cls(kind, hashlib.sha256(value.encode()).hexdigest()[:32])


@dataclass(frozen=True)
class Merge:
    placement: PooledLead  # the lead as it stands after the merge
    event: LeadMerged
    moved: bool  # the merge changed its pool: send it again there


def identities(lead: Lead, match_on: Sequence[str]) -> list[Identity]:
    """The lead's identities in match order; an external id is per source."""
    values = {
        "external_id": f"{lead.source}\x00{lead.external_id}"
        if lead.external_id
        else None,
        "email": lead.email,
        "phone": lead.phone,
    }
    return [
        Identity.of(kind, value)
        for kind in match_on
        if (value := values.get(kind)) is not None
    ]


def merge(
    existing: PooledLead,
    duplicate: Lead,
    matched_on: str,
    config: LeadpoolConfig,
    at: datetime,
    event_id: str,
) -> Merge:
    before = existing.lead
    filled = {
        field: getattr(duplicate, field)
        for field in _FILLABLE
        if getattr(before, field) is None and getattr(duplicate, field) is not None
    }
    if "employees" in filled:
        filled["account_tier"] = duplicate.account_tier
    lead = before.model_copy(
        update={"score": max(before.score, duplicate.score), **filled}
    )

    rerouted = route(lead, config, at)
    moved = rerouted.pool != existing.pool
    placement = rerouted if moved else existing.model_copy(update={"lead": lead})
    event = LeadMerged(
        event_id=event_id,
        lead_id=before.lead_id,
        matched_on=matched_on,
        source=duplicate.source,
        score_before=before.score,
        score_after=lead.score,
        pool_before=existing.pool,
        pool_after=placement.pool,
        rule=placement.rule,
        reason=placement.reason,
        config_version=config.version,
        merged_at=at,
        activity=duplicate,
    )
    return Merge(placement=placement, event=event, moved=moved)
