"""A real Prometheus for tests, started by deploy/local/prometheus.sh."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import httpx
import yaml

from tests.infra import DEPLOY_LOCAL, REPO_ROOT

RULES_DIR = REPO_ROOT / "deploy" / "prometheus" / "rules"


class Prometheus:
    """One Prometheus in its own run directory, scraping the given targets."""

    def __init__(self, run_dir: Path, port: int, targets: list[str]) -> None:
        self.run_dir = run_dir
        self.port = port
        self.config_path = run_dir / "prometheus.yml"
        self.url = f"http://127.0.0.1:{port}"
        run_dir.mkdir(parents=True, exist_ok=True)
        document = {
            "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
            "rule_files": [str(path) for path in sorted(RULES_DIR.glob("*.yml"))],
            "scrape_configs": [
                {
                    "job_name": "leadpool-metrics",
                    "static_configs": [{"targets": targets}],
                }
            ],
        }
        self.config_path.write_text(yaml.safe_dump(document))

    def _script(self, command: str) -> None:
        env = {
            **os.environ,
            "LEADPOOL_RUN_DIR": str(self.run_dir),
            "PROMETHEUS_PORT": str(self.port),
            "PROMETHEUS_CONFIG": str(self.config_path),
        }
        done = subprocess.run(
            ["bash", str(DEPLOY_LOCAL / "prometheus.sh"), command],
            env=env,
            capture_output=True,
            text=True,
            timeout=90,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"prometheus.sh {command}: {done.stdout}{done.stderr}")

    def start(self) -> Prometheus:
        self._script("start")
        return self

    def stop(self) -> None:
        self._script("stop")

    def query(self, promql: str) -> list[dict[str, Any]]:
        """The instant vector (or scalar as one sample) `promql` evaluates to."""
        answer = httpx.get(
            f"{self.url}/api/v1/query", params={"query": promql}, timeout=10
        ).json()
        if answer.get("status") != "success":
            raise AssertionError(f"{promql}: {answer}")
        data = answer["data"]
        if data["resultType"] == "scalar":
            return [{"metric": {}, "value": data["result"]}]
        return list(data["result"])
