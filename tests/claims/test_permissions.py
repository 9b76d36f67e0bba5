"""User permissions and roles (seed: Access Management), as pure rules."""

from __future__ import annotations

from schemas.config.access import Permission, Role, Team
from services.claims.permissions import claim_refusal, may
from tests.claims.support import config, rep

TEAM = Team(name="east", manager="mia", pools=["warm"])


def test_a_rep_claims_only_from_assigned_pools() -> None:
    ann = rep("ann", pools=["warm"])
    cfg = config([ann])

    assert claim_refusal(cfg, ann, cfg.pool("warm")) is None
    assert claim_refusal(cfg, ann, cfg.pool("cold")) == "permission:claim"


def test_a_manager_views_all_pools_and_manages_only_team_pools() -> None:
    mia = rep("mia", role=Role.MANAGER, team="east", pools=["cold"])
    cfg = config([mia], teams=[TEAM])

    assert may(cfg, mia, cfg.pool("hot"), Permission.VIEW)
    assert may(cfg, mia, cfg.pool("warm"), Permission.MANAGE)
    assert not may(cfg, mia, cfg.pool("hot"), Permission.MANAGE)
    assert claim_refusal(cfg, mia, cfg.pool("cold")) is None


def test_ops_manage_every_pool_but_do_not_claim() -> None:
    olga = rep("olga", role=Role.OPS, pools=[])
    cfg = config([olga])

    assert all(may(cfg, olga, pool, Permission.MANAGE) for pool in cfg.pools)
    assert claim_refusal(cfg, olga, cfg.pool("hot")) == "permission:claim"


def test_executives_only_view() -> None:
    eve = rep("eve", role=Role.EXECUTIVE, pools=[])
    cfg = config([eve])

    assert may(cfg, eve, cfg.pool("cold"), Permission.VIEW)
    assert not may(cfg, eve, cfg.pool("cold"), Permission.MANAGE)
    assert claim_refusal(cfg, eve, cfg.pool("cold")) == "permission:claim"


def test_tiers_gate_pool_qualities() -> None:
    top, middle, bottom = rep("t", tier=1), rep("m", tier=2), rep("b", tier=3)
    cfg = config([top, middle, bottom])

    assert claim_refusal(cfg, top, cfg.pool("hot")) is None
    assert claim_refusal(cfg, middle, cfg.pool("hot")) == "tier"
    assert claim_refusal(cfg, middle, cfg.pool("warm")) is None
    assert claim_refusal(cfg, bottom, cfg.pool("warm")) == "tier"
    assert claim_refusal(cfg, bottom, cfg.pool("cold")) is None


def test_a_deactivated_user_may_do_nothing() -> None:
    gone = rep("gone", active=False)
    cfg = config([gone])

    assert claim_refusal(cfg, gone, cfg.pool("cold")) == "user_inactive"
    assert not may(cfg, gone, cfg.pool("cold"), Permission.VIEW)
