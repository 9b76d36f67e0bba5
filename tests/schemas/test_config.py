"""The configuration document: seed defaults, and refusals that name paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemas.config import ConfigError, LeadpoolConfig, load_config, parse_config
from schemas.config.access import Performance
from schemas.config.pools import Quality

EXAMPLE = Path(__file__).parents[2] / "deploy" / "config" / "leadpool.yaml"


def test_defaults_are_the_seed_numbers() -> None:
    config = LeadpoolConfig(version="v1")

    assert config.quotas.daily_claims == {
        Performance.STANDARD: 15,
        Performance.HIGH: 20,
        Performance.LOW: 10,
    }
    assert config.quotas.max_open_leads == 25
    assert config.pool("hot").max_open_leads_to_claim == 15
    assert config.pool("hot").daily_claims_per_rep == 3
    assert config.pool("cold").daily_claims_per_rep is None
    assert config.quotas.velocity.max_claims_per_hour == 5
    assert config.quotas.velocity.consecutive_claims == 3
    assert config.quotas.velocity.cooldown_minutes == 15
    assert config.slas.claim_to_contact.contact_minutes == 120
    assert config.slas.fast_lane.contact_minutes == 30
    assert config.routing.fast_lane.score_over == 90
    assert config.hygiene.overflow.high_water == 300
    assert config.hygiene.overflow.low_water == 200


def test_default_routing_follows_the_seed_score_tiers() -> None:
    rules = {rule.name: rule for rule in LeadpoolConfig(version="v1").routing.rules}

    hot = rules["hot-demo-request"].when
    assert [(c.field, c.op.value, c.value) for c in hot] == [
        ("score", ">=", 80),
        ("source", "==", "demo_request"),
    ]
    assert rules["cold-low-score"].pool == "cold"


def test_tier_access_gives_hot_pools_to_tier_one_only() -> None:
    tiers = {t.tier: t.qualities for t in LeadpoolConfig(version="v1").access.tiers}

    assert Quality.HOT in tiers[1]
    assert Quality.HOT not in tiers[2] and Quality.WARM in tiers[2]
    assert tiers[3] == [Quality.COLD, Quality.OTHER]


def test_the_example_file_is_valid() -> None:
    config = load_config(EXAMPLE)

    assert config.pool_names == ["hot", "warm", "cold", "quarantine"]
    assert {user.role.value for user in config.users} >= {"rep", "manager", "ops"}


def test_an_invalid_document_is_refused_with_every_error_by_path() -> None:
    text = """
version: v2
pools: [{name: hot, quality: boiling}]
quotas: {max_open_leads: 0, velocity: {max_claims_per_hour: many}}
"""
    with pytest.raises(ConfigError) as refused:
        parse_config(text, origin="bad.yaml")

    paths = [error.split(":")[0] for error in refused.value.errors]
    assert paths == [
        "pools[0].quality",
        "quotas.max_open_leads",
        "quotas.velocity.max_claims_per_hour",
    ]
    assert "bad.yaml" in str(refused.value)


def test_references_to_unknown_pools_and_teams_are_named() -> None:
    text = """
version: v3
routing:
  default_pool: nowhere
  rules: [{name: r, pool: hot, when: [{field: score, op: ">=", value: 1}]}]
users: [{id: ann, name: Ann, role: rep, team: ghosts, pools: [hot, attic]}]
"""
    with pytest.raises(ConfigError) as refused:
        parse_config(text)

    assert refused.value.errors == [
        "routing.default_pool: unknown pool 'nowhere'",
        "users[0].pools: unknown pool 'attic'",
        "users[0].team: unknown team 'ghosts'",
    ]


def test_an_operator_without_a_value_is_refused() -> None:
    text = """
version: v4
routing:
  rules: [{name: r, pool: hot, when: [{field: score, op: ">="}]}]
"""
    with pytest.raises(ConfigError) as refused:
        parse_config(text)

    assert refused.value.errors == [
        "routing.rules[0].when[0]: operator '>=' needs a single value"
    ]


def test_a_file_that_is_not_yaml_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"\$: not valid YAML"):
        parse_config("version: [unclosed")


def test_a_pool_ages_on_its_own_bands_and_others_on_the_common_ones() -> None:
    text = """
version: v6
hygiene:
  aging:
    pools:
      cold: [{from_hours: 96, actions: [remove]}]
"""
    aging = parse_config(text).hygiene.aging

    assert [band.from_hours for band in aging.bands_for("cold")] == [96]
    assert aging.bands_for("warm") == aging.bands


def test_aging_bands_out_of_age_order_are_refused_naming_the_band() -> None:
    text = """
version: v7
hygiene:
  aging:
    pools:
      cold:
        - {from_hours: 72, actions: [auto_assign_or_nurture]}
        - {from_hours: 24, actions: [prioritise], priority_top_pct: 30}
    bands:
      - {from_hours: 24, actions: [prioritise], recycle_unengaged: true}
"""
    with pytest.raises(ConfigError) as refused:
        parse_config(text)

    assert refused.value.errors == [
        "hygiene.aging.bands[0]: recycle_unengaged: only applies to a band with "
        "the auto_assign_or_nurture action",
        "hygiene.aging.pools.cold: [1].from_hours: 24 comes after 72; "
        "list bands from youngest to oldest",
    ]


def test_aging_bands_for_an_unknown_pool_are_refused() -> None:
    text = """
version: v8
hygiene: {aging: {pools: {attic: []}}}
"""
    with pytest.raises(ConfigError) as refused:
        parse_config(text)

    assert refused.value.errors == ["hygiene.aging.pools.attic: unknown pool 'attic'"]
