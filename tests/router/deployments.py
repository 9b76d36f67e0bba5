"""One router worker on its own namespace, for a test module's fixture."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tests.infra import unique_name
from tests.workers import Deployment, write_config


@contextmanager
def one_router(
    name: str,
    document: dict[str, Any],
    kafka_bootstrap: str,
    redis_url: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Deployment]:
    """A deployment of one router worker on `document`, stopped afterwards."""
    path = tmp_path_factory.mktemp(name) / "leadpool.yaml"
    write_config(path, document)
    deployment = Deployment(unique_name(name), kafka_bootstrap, redis_url, path)
    try:
        deployment.start("router")
        yield deployment
    finally:
        deployment.stop()
