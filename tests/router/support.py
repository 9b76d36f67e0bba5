"""Builders shared by the router tests: configurations and intake records."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from schemas.config import LeadpoolConfig
from services.router.decide import IntakeRecord

NOW = datetime(2026, 12, 7, 14, 0, tzinfo=UTC)

POOLS = [
    {"name": n}
    for n in [
        "hot",
        "warm",
        "cold",
        "quarantine",
        "enterprise",
        "smb",
        "demo",
        "events",
        "na",
        "emea",
        "apac",
        "mid-market",
        "accounts",
    ]
]

SEGMENTATION_RULES: list[dict[str, Any]] = [
    {
        "name": "enterprise-demo-na",
        "pool": "enterprise",
        "when": [
            {"field": "account_tier", "op": "==", "value": "enterprise"},
            {"field": "source", "op": "==", "value": "demo_request"},
            {"field": "country", "op": "in", "value": ["US", "CA", "MX"]},
        ],
    },
    {
        "name": "hot-demo-request",
        "pool": "hot",
        "when": [
            {"field": "score", "op": ">=", "value": 80},
            {"field": "source", "op": "==", "value": "demo_request"},
        ],
    },
    {
        "name": "warm-mql",
        "pool": "warm",
        "when": [
            {"field": "score", "op": ">=", "value": 50},
            {"field": "status", "op": "==", "value": "MQL"},
        ],
    },
    {
        "name": "product-smb",
        "pool": "smb",
        "when": [
            {"field": "product_interest", "op": "==", "value": "Small Business"},
        ],
    },
    {
        "name": "channel-events",
        "pool": "events",
        "when": [
            {"field": "source", "op": "in", "value": ["webinar", "conference"]},
        ],
    },
    {
        "name": "geo-emea",
        "pool": "emea",
        "when": [
            {"field": "country", "op": "in", "value": ["GB", "DE", "FR"]},
        ],
    },
    {
        "name": "tier-mid-market",
        "pool": "mid-market",
        "when": [
            {"field": "account_tier", "op": "==", "value": "mid_market"},
        ],
    },
    {
        "name": "no-score-band",
        "pool": "cold",
        "when": [
            {"field": "score", "op": "<", "value": 50},
            {"field": "campaign", "op": "missing"},
        ],
    },
]


def make_config(**routing: Any) -> LeadpoolConfig:
    return LeadpoolConfig.model_validate(config_document(**routing))


def config_document(**routing: Any) -> dict[str, Any]:
    """Every segmentation strategy as rules, over the pools they need."""
    return {
        "version": routing.pop("version", "test.1"),
        "pools": POOLS,
        "routing": {"rules": SEGMENTATION_RULES, "default_pool": "na", **routing},
        "teams": [{"name": "na-sales", "pools": ["hot", "enterprise"]}],
        "users": [
            {"id": rep, "name": rep, "role": "rep", "team": "na-sales"}
            for rep in ["ann", "ben", "cat", "dan"]
        ],
    }


def intake(**fields: Any) -> dict[str, Any]:
    lead = {
        "source": "web",
        "email": "Pat.Doe@Initech.example",
        "score": 60,
        "company": "Initech",
        "country": "US",
    }
    lead.update(fields)
    return {key: value for key, value in lead.items() if value is not None}


def record(document: Any, offset: int = 0) -> IntakeRecord:
    raw = document if isinstance(document, bytes) else json.dumps(document).encode()
    return IntakeRecord(raw, NOW, topic="leads.intake", partition=0, offset=offset)
