"""Each segmentation strategy of the seed, as rules that are data."""

from schemas.events import PooledLead
from services.router.decide import decide
from tests.router.support import intake, make_config, record

CONFIG = make_config()


def pool_of(**fields: object) -> PooledLead:
    outcome = decide(record(intake(**fields)), CONFIG)
    assert isinstance(outcome, PooledLead), outcome
    return outcome


def test_quality_tier_sends_demo_requests_over_80_hot_and_mqls_warm() -> None:
    assert pool_of(source="demo_request", score=85, country="GB").pool == "hot"
    assert pool_of(score=55, status="mql").pool == "warm"
    assert pool_of(score=30).pool == "cold"


def test_product_interest_and_channel_pick_their_pools() -> None:
    assert (
        pool_of(product_interest="Small Business", score=40, campaign="x").pool == "smb"
    )
    assert pool_of(source="webinar", score=45, campaign="q4").pool == "events"


def test_geography_and_account_tier_pick_their_pools() -> None:
    assert pool_of(country="Germany", score=60).pool == "emea"
    assert pool_of(employees="250", score=60).pool == "mid-market"


def test_a_combined_rule_of_tier_source_and_country_wins_when_first() -> None:
    placed = pool_of(
        source="demo_request", score=85, employees="5,000", country="Canada"
    )
    assert placed.pool == "enterprise"
    assert placed.rule == "enterprise-demo-na"
    assert "account_tier == 'enterprise'" in placed.reason


def test_a_lead_no_rule_places_goes_to_the_default_pool_with_the_reason() -> None:
    placed = pool_of(score=60, country="US")
    assert placed.pool == "na"
    assert placed.rule is None
    assert "no routing rule matched" in placed.reason
    assert placed.config_version == "test.1"
