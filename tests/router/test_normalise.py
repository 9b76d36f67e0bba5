"""Validation and normalisation of what marketing systems send."""

from schemas.events import PooledLead, RejectedLead
from schemas.lead import AccountTier
from services.router.decide import decide
from tests.router.support import intake, make_config, record

CONFIG = make_config()


def test_email_phone_country_and_tier_are_normalised() -> None:
    fields = intake(phone="(415) 555-0100", employees="1,200", country="United States")
    placed = decide(record(fields), CONFIG)

    assert isinstance(placed, PooledLead)
    assert placed.lead.email == "pat.doe@initech.example"
    assert placed.lead.phone == "+14155550100"
    assert placed.lead.country == "US"
    assert placed.lead.account_tier is AccountTier.ENTERPRISE


def test_tier_boundaries_follow_the_seed() -> None:
    tiers = {
        n: decide(record(intake(employees=n)), CONFIG).lead.account_tier  # type: ignore[union-attr]
        for n in [99, 100, 999, 1000]
    }
    assert tiers == {
        99: AccountTier.SMB,
        100: AccountTier.MID_MARKET,
        999: AccountTier.MID_MARKET,
        1000: AccountTier.ENTERPRISE,
    }


def test_a_rejection_carries_the_payload_and_every_reason() -> None:
    bad = intake(email="not-an-email", phone="12", country="Atlantis", score=101)
    rejected = decide(record(bad, offset=7), CONFIG)

    assert isinstance(rejected, RejectedLead)
    fields = {p.field for p in rejected.reasons}
    assert fields == {"score", "email", "phone", "country"}
    assert rejected.intake_offset == 7
    assert '"Atlantis"' in rejected.original


def test_normalisation_problems_are_all_named_together() -> None:
    bad = intake(email="not-an-email", phone="12", country="Atlantis")
    rejected = decide(record(bad), CONFIG)

    assert isinstance(rejected, RejectedLead)
    assert {p.field for p in rejected.reasons} == {"email", "phone", "country"}


def test_a_source_can_require_more_fields() -> None:
    config = make_config(required_fields={"partner": ["phone", "last_name"]})
    rejected = decide(record(intake(source="partner")), config)

    assert isinstance(rejected, RejectedLead)
    assert [p.field for p in rejected.reasons] == ["phone", "last_name"]
    assert "required for source 'partner'" in rejected.reasons[0].reason


def test_contract_required_and_format_problems_come_in_one_rejection() -> None:
    config = make_config(required_fields={"partner": ["phone", "last_name"]})
    bad = intake(source="partner", email="nope", score="high", employees="many")
    rejected = decide(record(bad), config)

    assert isinstance(rejected, RejectedLead)
    reasons = {p.field: p.reason for p in rejected.reasons}
    assert set(reasons) == {"score", "phone", "last_name", "email", "employees"}
    assert "required for source 'partner'" in reasons["last_name"]
    assert len(rejected.reasons) == len(reasons)  # each reason named once
