"""A known sequence of lead events and the figures it must produce.

Times are hours before `now`, so the ages a worker measures with its wall
clock at scrape time are far from every bucket edge.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from schemas.events import LeadEvent, Outcome, ReturnReason
from tests.metrics.events import Timeline

H = 3600.0


def timeline(now: datetime) -> Timeline:
    return Timeline(now.replace(microsecond=0) - timedelta(hours=100))


def known_events(now: datetime) -> list[LeadEvent]:
    t = timeline(now)

    def ago(hours: float) -> float:
        return 100 - hours

    won, lost = Outcome.CLOSED_WON, Outcome.CLOSED_LOST
    return [
        t.stocked("h1", "hot", ago(1), score=90, source="demo_request"),
        t.claimed("h1", "hot", ago(0.5), "alice"),
        t.contacted("h1", "hot", ago(0.25), "alice"),
        t.outcome("h1", "hot", ago(0.2), "alice", Outcome.OPPORTUNITY),
        t.outcome("h1", "hot", ago(0.1), "alice", won, deal=25000),
        t.stocked("h2", "hot", ago(6), score=82, source="demo_request"),
        t.claimed("h2", "hot", ago(5), "bob"),
        t.stocked("h3", "hot", ago(2), score=88),
        t.stocked("w1", "warm", ago(30), score=60),
        t.claimed("w1", "warm", ago(20), "alice"),
        t.returned("w1", "warm", ago(19), "alice", ReturnReason.REP_RETURNED),
        t.stocked("w2", "warm", ago(50), score=55),
        t.transferred("w2", "warm", "cold", ago(40)),
        t.stocked("c1", "cold", ago(80), score=20),
        t.stocked("c2", "cold", ago(10), score=30),
        t.claimed("c2", "cold", ago(9), "carol"),
        t.returned("c2", "cold", ago(7), "carol", ReturnReason.SLA_EXPIRED),
        t.stocked("c3", "cold", ago(5), score=10),
        t.claimed("c3", "cold", ago(4), "carol"),
        t.contacted("c3", "cold", ago(1), "carol"),
        t.outcome("c3", "cold", ago(0.5), "carol", lost),
    ]


Labels = tuple[tuple[str, str], ...]


def _l(**labels: str) -> Labels:
    return tuple(sorted(labels.items()))


# metric name -> {labels without partition: value}; absent series are zero.
EXPECTED: dict[str, dict[Labels, float]] = {
    "leadpool_leads_added_total": {
        _l(pool="hot"): 3,
        _l(pool="warm"): 2,
        _l(pool="cold"): 3,
    },
    "leadpool_leads_claimed_total": {
        _l(pool="hot", how="claim"): 2,
        _l(pool="warm", how="claim"): 1,
        _l(pool="cold", how="claim"): 2,
    },
    "leadpool_leads_returned_total": {
        _l(pool="warm", reason="rep_returned"): 1,
        _l(pool="cold", reason="sla_expired"): 1,
    },
    "leadpool_leads_contacted_total": {_l(pool="hot"): 1, _l(pool="cold"): 1},
    "leadpool_contact_sla_violations_total": {_l(pool="cold"): 2},
    "leadpool_lead_outcomes_total": {
        _l(pool="hot", outcome="opportunity"): 1,
        _l(pool="hot", outcome="closed_won"): 1,
        _l(pool="cold", outcome="closed_lost"): 1,
    },
    "leadpool_won_deal_value_total": {_l(pool="hot"): 25000},
    "leadpool_leads_transferred_total": {_l(pool="warm"): 1},
    "leadpool_band_leads_added_total": {
        _l(band="hot"): 3,
        _l(band="warm"): 2,
        _l(band="cold"): 3,
    },
    "leadpool_band_outcomes_total": {
        _l(band="hot", outcome="opportunity"): 1,
        _l(band="hot", outcome="closed_won"): 1,
        _l(band="cold", outcome="closed_lost"): 1,
    },
    # h1 and h2 came from demo requests, every other lead from webinars.
    "leadpool_source_leads_added_total": {
        _l(source="demo_request"): 2,
        _l(source="webinar"): 6,
    },
    "leadpool_source_leads_claimed_total": {
        _l(source="demo_request"): 2,
        _l(source="webinar"): 3,
    },
    "leadpool_source_leads_returned_total": {
        _l(source="webinar", reason="rep_returned"): 1,
        _l(source="webinar", reason="sla_expired"): 1,
    },
    "leadpool_source_outcomes_total": {
        _l(source="demo_request", outcome="opportunity"): 1,
        _l(source="demo_request", outcome="closed_won"): 1,
        _l(source="webinar", outcome="closed_lost"): 1,
    },
    "leadpool_rep_claims_total": {
        _l(rep="alice"): 2,
        _l(rep="bob"): 1,
        _l(rep="carol"): 2,
    },
    "leadpool_rep_contacts_total": {_l(rep="alice"): 1, _l(rep="carol"): 1},
    "leadpool_rep_open_leads": {
        _l(rep="alice"): 0,
        _l(rep="bob"): 1,
        _l(rep="carol"): 0,
    },
    "leadpool_pool_depth": {
        _l(pool="hot"): 1,
        _l(pool="warm"): 1,
        _l(pool="cold"): 3,
        _l(pool="quarantine"): 0,
    },
    "leadpool_pool_aging_leads": {
        _l(pool="hot", bucket="0-12h"): 1,
        _l(pool="warm", bucket="12-24h"): 1,
        _l(pool="cold", bucket="0-12h"): 1,
        _l(pool="cold", bucket="24-48h"): 1,
        _l(pool="cold", bucket="48h+"): 1,
    },
    "leadpool_pool_leads_over_max_age": {_l(pool="cold"): 1},
    "leadpool_pool_contact_overdue": {_l(pool="hot"): 1},
    "leadpool_time_to_claim_seconds_count": {
        _l(pool="hot"): 2,
        _l(pool="warm"): 1,
        _l(pool="cold"): 2,
    },
    "leadpool_time_to_claim_seconds_sum": {
        _l(pool="hot"): 1.5 * H,
        _l(pool="warm"): 10 * H,
        _l(pool="cold"): 2 * H,
    },
    "leadpool_claim_to_contact_seconds_sum": {
        _l(pool="hot"): 0.25 * H,
        _l(pool="cold"): 3 * H,
    },
    "leadpool_sales_cycle_seconds_sum": {_l(pool="hot"): 0.9 * H},
    "leadpool_events_refused_total": {(): 1},
}

NOT_AN_EVENT = b'{"type": "promoted", "lead_id": "h1"}'


def entry_sums(now: datetime) -> dict[Labels, float]:
    """Sum of the claimable leads' pool entry times, per pool (average age)."""
    t = timeline(now)

    def entered(*hours_ago: float) -> float:
        return sum(t.at(100 - hours).timestamp() for hours in hours_ago)

    return {
        _l(pool="hot"): entered(2),
        _l(pool="warm"): entered(19),
        _l(pool="cold"): entered(40, 80, 7),
    }
