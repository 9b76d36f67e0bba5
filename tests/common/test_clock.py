"""Injected time: the virtual clock moves only when told to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from services.common.clock import VirtualClock, from_ms, to_ms

START = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


def test_a_week_of_aging_passes_in_one_call() -> None:
    clock = VirtualClock(START)

    clock.advance(timedelta(days=7))

    assert clock.now() == START + timedelta(days=7)


def test_virtual_time_never_runs_backwards() -> None:
    clock = VirtualClock(START)

    with pytest.raises(ValueError, match="delta"):
        clock.advance(timedelta(seconds=-1))


def test_a_naive_start_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        VirtualClock(datetime(2026, 12, 4, 9, 0))


def test_times_are_kept_in_utc() -> None:
    paris = timezone(timedelta(hours=1))
    clock = VirtualClock(datetime(2026, 12, 4, 10, 0, tzinfo=paris))

    assert clock.now() == START and clock.now().tzinfo == UTC


def test_epoch_milliseconds_round_trip() -> None:
    assert from_ms(to_ms(START)) == START
