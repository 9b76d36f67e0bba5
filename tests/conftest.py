"""Session-wide fixtures. Keep this file short: logic lives in tests/infra.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests import infra


@pytest.fixture(scope="session")
def kafka_bootstrap() -> Iterator[str]:
    """Bootstrap servers of a Kafka broker shared by the whole session."""
    with infra.kafka_service() as bootstrap:
        yield bootstrap


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """URL of a Redis server shared by the whole session."""
    with infra.redis_service() as url:
        yield url


@pytest.fixture
def unique_prefix() -> str:
    """Short unique name for this test's topics, groups and Redis keys."""
    return infra.unique_name()
