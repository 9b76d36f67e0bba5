"""docker-compose.yml cannot run here (no Docker engine); check it statically."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
SERVICES = ["router", "claims", "hygiene", "metrics"]


def compose() -> dict[str, Any]:
    document = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    assert isinstance(document, dict)
    return document


def test_compose_runs_the_infrastructure_and_all_four_services() -> None:
    names = set(compose()["services"])

    assert {"kafka", "redis", "prometheus", "grafana", *SERVICES} <= names


def test_every_service_module_it_runs_exists() -> None:
    for name, service in compose()["services"].items():
        if "build" not in service:
            continue
        module = service["command"][0]
        package = REPO / Path(*module.split("."))
        assert (package / "__main__.py").exists() or package.with_suffix(
            ".py"
        ).exists(), f"{name}: no module {module}"
    assert (REPO / "Dockerfile").exists()


def test_scalable_services_publish_no_fixed_host_port() -> None:
    for name in SERVICES:
        ports = compose()["services"][name].get("ports", [])
        assert all(":" not in str(port) for port in ports), name


def test_every_mounted_file_is_in_the_repository() -> None:
    for name, service in compose()["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (REPO / source).exists(), f"{name}: {source} is missing"


def test_redis_keeps_an_append_only_file() -> None:
    command = compose()["services"]["redis"]["command"]

    assert command[command.index("--appendonly") + 1] == "yes"
