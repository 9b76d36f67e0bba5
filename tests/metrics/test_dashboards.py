"""The provisioned dashboards are well formed (their queries run in
test_scrape.py against a real Prometheus)."""

import yaml

from tests.metrics.dashboards import DASHBOARDS, GRAFANA_DIR, load


def provisioned_datasource_uid() -> str:
    path = GRAFANA_DIR / "provisioning" / "datasources" / "prometheus.yml"
    return str(yaml.safe_load(path.read_text())["datasources"][0]["uid"])


def test_the_four_dashboards_the_issue_asks_for_are_provisioned() -> None:
    titles = {load(path)["title"] for path in DASHBOARDS}

    assert titles == {
        "Leadpool: pool health overview",
        "Leadpool: pool detail",
        "Leadpool: rep claim patterns",
        "Leadpool: conversion by pool",
    }


def test_every_panel_queries_the_provisioned_prometheus() -> None:
    uid = provisioned_datasource_uid()

    for path in DASHBOARDS:
        dashboard = load(path)
        ids = [panel["id"] for panel in dashboard["panels"]]
        assert len(ids) == len(set(ids)), path.name
        for panel in dashboard["panels"]:
            assert panel["targets"], f"{path.name}: {panel['title']} has no query"
            for target in panel["targets"]:
                assert target["datasource"]["uid"] == uid
