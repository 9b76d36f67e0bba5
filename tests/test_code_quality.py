"""Lint and type checks run with the tests, so a red check fails `make test`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SOURCES = ["services", "schemas", "tests", "bench"]


def run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.timeout(600)
def test_ruff_finds_no_lint_errors() -> None:
    done = run_tool("ruff", "check", *SOURCES)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.timeout(600)
def test_code_is_formatted() -> None:
    done = run_tool("ruff", "format", "--check", *SOURCES)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.timeout(600)
def test_mypy_strict_passes() -> None:
    done = run_tool("mypy", "services", "schemas")
    assert done.returncode == 0, done.stdout + done.stderr
