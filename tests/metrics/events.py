"""Building lead events for the metrics tests, on a timeline of hours."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from schemas.events import (
    LeadClaimed,
    LeadContacted,
    LeadOutcome,
    LeadReinstated,
    LeadRemoved,
    LeadReturned,
    LeadStocked,
    LeadTransferred,
    Outcome,
    Removal,
    ReturnReason,
)


class Timeline:
    """Events for leads, each stamped `hours` after a start moment."""

    def __init__(self, start: datetime) -> None:
        self.start = start

    def at(self, hours: float) -> datetime:
        return self.start + timedelta(hours=hours)

    def _base(self, lead: str, pool: str, hours: float) -> dict[str, Any]:
        return {
            "event_id": uuid.uuid4().hex,
            "lead_id": lead,
            "pool": pool,
            "occurred_at": self.at(hours),
            "config_version": "test",
        }

    def stocked(
        self, lead: str, pool: str, hours: float, score: int, source: str = "webinar"
    ) -> LeadStocked:
        return LeadStocked(
            **self._base(lead, pool, hours),
            score=score,
            priority=0.0,
            routed_at=self.at(hours),
            source=source,
        )

    def claimed(
        self, lead: str, pool: str, hours: float, rep: str, auto: bool = False
    ) -> LeadClaimed:
        return LeadClaimed(
            **self._base(lead, pool, hours), rep_id=rep, auto_assigned=auto
        )

    def returned(
        self, lead: str, pool: str, hours: float, rep: str, reason: ReturnReason
    ) -> LeadReturned:
        return LeadReturned(**self._base(lead, pool, hours), rep_id=rep, reason=reason)

    def contacted(self, lead: str, pool: str, hours: float, rep: str) -> LeadContacted:
        return LeadContacted(**self._base(lead, pool, hours), rep_id=rep)

    def outcome(
        self,
        lead: str,
        pool: str,
        hours: float,
        rep: str,
        outcome: Outcome,
        deal: float | None = None,
    ) -> LeadOutcome:
        return LeadOutcome(
            **self._base(lead, pool, hours), rep_id=rep, outcome=outcome, deal_size=deal
        )

    def transferred(
        self, lead: str, from_pool: str, to_pool: str, hours: float
    ) -> LeadTransferred:
        return LeadTransferred(**self._base(lead, to_pool, hours), from_pool=from_pool)

    def removed(self, lead: str, pool: str, hours: float) -> LeadRemoved:
        return LeadRemoved(
            **self._base(lead, pool, hours),
            destination=Removal.REVIEW,
            policy="stale",
            reason="returned 3 times",
        )

    def reinstated(
        self, lead: str, from_pool: str, to_pool: str, hours: float
    ) -> LeadReinstated:
        return LeadReinstated(
            **self._base(lead, to_pool, hours),
            from_pool=from_pool,
            policy="review:fix_and_return",
        )
