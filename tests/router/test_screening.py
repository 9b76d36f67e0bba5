"""Quarantine of questionable leads, known accounts, pause and fast lane."""

from schemas.config import LeadpoolConfig
from schemas.events import HeldLead, PooledLead
from services.router.decide import decide
from services.router.offers import offers_for
from tests.router.support import config_document, intake, make_config, record

ACCOUNT = {
    "name": "Globex",
    "owner_rep": "ben",
    "domains": ["globex.example"],
    "companies": ["Globex"],
}


def test_a_missing_company_quarantines_with_the_reason() -> None:
    placed = decide(record(intake(company=None)), make_config())
    assert isinstance(placed, PooledLead)
    assert placed.pool == "quarantine"
    assert "missing optional field 'company'" in placed.reason


def test_free_mail_on_an_enterprise_form_and_junk_names_quarantine() -> None:
    config = make_config()
    free = decide(record(intake(email="x@gmail.com", employees=5000)), config)
    junk = decide(record(intake(first_name="asdf", last_name="Zzzz")), config)

    assert free.pool == "quarantine"  # type: ignore[union-attr]
    assert "free-mail domain 'gmail.com'" in free.reason  # type: ignore[union-attr]
    assert "first_name 'asdf' looks like junk" in junk.reason  # type: ignore[union-attr]
    assert "last_name 'Zzzz' looks like junk" in junk.reason  # type: ignore[union-attr]


def test_a_known_account_goes_to_its_owner_instead_of_the_open_pool() -> None:
    config = make_config(accounts=[ACCOUNT])
    placed = decide(record(intake(email="Jo@Globex.example", score=85)), config)

    assert isinstance(placed, PooledLead)
    assert placed.owner_rep == "ben"
    assert placed.rule == "account:Globex"
    assert not placed.fast_lane


def test_a_known_account_can_go_to_the_owners_team_pool() -> None:
    team = {**ACCOUNT, "deliver": "team_pool", "pool": "accounts"}
    placed = decide(record(intake(company="GLOBEX")), make_config(accounts=[team]))

    assert placed.pool == "accounts"  # type: ignore[union-attr]
    assert placed.owner_rep is None  # type: ignore[union-attr]


def test_a_paused_source_is_held_with_its_original_payload() -> None:
    config = make_config(paused_sources=["webinar"])
    held = decide(record(intake(source="webinar"), offset=3), config)

    assert isinstance(held, HeldLead)
    assert held.source == "webinar"
    assert held.intake_offset == 3
    assert decide(record(intake()), config).pool == "na"  # type: ignore[union-attr]


def test_over_90_is_fast_lane_and_offered_to_n_eligible_reps() -> None:
    config = make_config(fast_lane={"offer_to_reps": 3, "accept_within_s": 60})
    placed = decide(
        record(intake(source="demo_request", score=95, country="GB")), config
    )
    assert isinstance(placed, PooledLead) and placed.fast_lane

    offers = offers_for(placed, config)
    assert len({o.rep_id for o in offers}) == 3
    assert all((o.expires_at - o.offered_at).total_seconds() == 60 for o in offers)
    assert offers[0].contact_sla_minutes == 30
    assert offers == offers_for(placed, config)  # a replay offers the same


def test_exactly_90_is_not_fast_lane() -> None:
    placed = decide(record(intake(source="demo_request", score=90)), make_config())
    assert placed.pool == "hot"  # type: ignore[union-attr]
    assert not placed.fast_lane  # type: ignore[union-attr]


def test_fast_lane_offers_go_only_to_reps_at_work_when_routed() -> None:
    document = config_document()
    for user in document["users"]:
        if user["id"] == "cat":
            user["shifts"] = [{"days": ["mon"], "start": "00:00", "end": "01:00"}]
        if user["id"] == "dan":
            user["absences"] = [{"start": "2026-12-07", "end": "2026-12-08"}]
    config = LeadpoolConfig.model_validate(document)
    placed = decide(record(intake(source="demo_request", score=95)), config)
    assert isinstance(placed, PooledLead) and placed.fast_lane

    offered = {offer.rep_id for offer in offers_for(placed, config)}

    assert offered == {"ann", "ben"}  # cat is off shift, dan away
