"""The Prometheus rules are valid and every alert's promtool cases pass."""

import os
import shutil
import subprocess

import pytest

from tests.infra import REPO_ROOT

PROMETHEUS_DIR = REPO_ROOT / "deploy" / "prometheus"
PROMTOOL = shutil.which("promtool") or "/usr/bin/promtool"

# Skipped only on a developer's machine without Prometheus; CI installs it,
# so there a missing promtool fails rather than hides the rules' tests.
pytestmark = pytest.mark.skipif(
    shutil.which(PROMTOOL) is None and not os.environ.get("CI"),
    reason="promtool not installed (apt prometheus)",
)


def promtool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PROMTOOL, *args],
        cwd=PROMETHEUS_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_scrape_config_and_its_rule_files_are_valid() -> None:
    done = promtool("check", "config", "prometheus.yml")

    assert done.returncode == 0, done.stdout + done.stderr


def test_every_alert_fires_in_one_case_and_stays_quiet_in_another() -> None:
    done = promtool("test", "rules", "tests/alerts_test.yml")

    assert done.returncode == 0, done.stdout + done.stderr


def test_every_recorded_figure_has_its_exact_value_from_known_counters() -> None:
    done = promtool("test", "rules", "tests/figures_test.yml")

    assert done.returncode == 0, done.stdout + done.stderr


def test_every_alert_rule_has_a_promtool_case() -> None:
    alerts = (PROMETHEUS_DIR / "rules" / "alerts.yml").read_text()
    cases = (PROMETHEUS_DIR / "tests" / "alerts_test.yml").read_text()
    names = [
        line.split(":")[1].strip() for line in alerts.splitlines() if "- alert:" in line
    ]

    assert len(names) == 11
    for name in names:
        assert cases.count(f"alertname: {name}") >= 2, name
