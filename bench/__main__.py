"""`make bench`: run every `bench/bench_*.py` and merge their figures.

Each module exposes `run(ctx) -> dict[str, float]` and measures its own
baseline in the same run, so the figures that matter are ratios. Results go
to `bench/results.json`; `python -m bench router claims` runs a subset.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import platform
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.infra import kafka_service, redis_service

log = logging.getLogger("bench")
HERE = Path(__file__).parent
RESULTS = HERE / "results.json"


@dataclass(frozen=True)
class BenchContext:
    kafka_bootstrap: str
    redis_url: str


def bench_modules(wanted: list[str]) -> list[str]:
    names = sorted(path.stem for path in HERE.glob("bench_*.py"))
    if wanted:
        names = [name for name in names if name.removeprefix("bench_") in wanted]
    return names


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    results: dict[str, Any] = {}
    if RESULTS.exists():
        results = json.loads(RESULTS.read_text()).get("figures", {})

    with kafka_service() as kafka, redis_service() as redis_url:
        ctx = BenchContext(kafka_bootstrap=kafka, redis_url=redis_url)
        for name in bench_modules(argv):
            started = time.monotonic()
            log.info("benchmark %s: starting", name)
            figures = importlib.import_module(f"bench.{name}").run(ctx)
            log.info(
                "benchmark %s: %s (%.0f s)", name, figures, time.monotonic() - started
            )
            results.update(figures)

    RESULTS.write_text(
        json.dumps(
            {
                "measured_at": datetime.now(UTC).isoformat(),
                "machine": {"cpus": _cpus(), "python": platform.python_version()},
                "figures": results,
            },
            indent=2,
            sort_keys=True,
        )
        + "\n"
    )
    log.info("wrote %s", RESULTS)
    return 0


def _cpus() -> int:
    return os.cpu_count() or 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
