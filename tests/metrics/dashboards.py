"""The queries of the provisioned Grafana dashboards, ready for Prometheus."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.infra import REPO_ROOT

GRAFANA_DIR = REPO_ROOT / "deploy" / "grafana"
DASHBOARDS = sorted((GRAFANA_DIR / "dashboards").glob("*.json"))

# Template variables as a test answers them: every pool.
VARIABLES = {"$pool": ".+"}


def load(path: Path) -> dict[str, Any]:
    document = json.loads(path.read_text())
    assert isinstance(document, dict)
    return document


def panel_queries() -> list[tuple[str, str]]:
    """(dashboard / panel / refId, PromQL) for every target of every panel."""
    queries = []
    for path in DASHBOARDS:
        for panel in load(path)["panels"]:
            for target in panel["targets"]:
                expr = target["expr"]
                for name, value in VARIABLES.items():
                    expr = expr.replace(name, value)
                where = f"{path.stem} / {panel['title']} / {target['refId']}"
                queries.append((where, expr))
    return queries
