"""The fold of one partition: counts, open state and histograms."""

from datetime import UTC, datetime

import pytest

from schemas.config import LeadpoolConfig
from schemas.events import Outcome, ReturnReason
from services.metrics.partition import PartitionFigures
from services.metrics.policy import HOUR_S, fold_policy
from tests.metrics.events import Timeline

MONDAY = datetime(2026, 11, 30, 9, tzinfo=UTC)


@pytest.fixture
def figures() -> PartitionFigures:
    config = LeadpoolConfig(version="t", windows={"timezone": "UTC"})
    return PartitionFigures(fold_policy(config))


@pytest.fixture
def day() -> Timeline:
    return Timeline(MONDAY)


def test_a_redelivered_event_is_counted_once(
    figures: PartitionFigures, day: Timeline
) -> None:
    event = day.stocked("l1", "hot", 0, score=90)

    assert figures.fold(event) is True
    assert figures.fold(event) is False
    assert figures.counters["added"][("hot",)] == 1
    assert len(figures.available["hot"]) == 1


def test_a_claim_leaves_the_pool_and_records_its_wait(
    figures: PartitionFigures, day: Timeline
) -> None:
    figures.fold(day.stocked("l1", "hot", 0, score=90))
    figures.fold(day.claimed("l1", "hot", 1.5, "alice"))

    assert figures.available["hot"] == {}
    assert figures.rep_open["alice"] == 1
    histogram = figures.histograms["time_to_claim"]["hot"]
    assert histogram.total == 1.5 * HOUR_S
    assert dict(histogram.cumulative())["7200.0"] == 1
    assert figures.counters["claimed_by_weekday"][("hot", "mon")] == 1
    assert figures.counters["claimed_by_hour"][("hot", "10")] == 1


def test_a_return_puts_the_lead_back_and_frees_the_rep(
    figures: PartitionFigures, day: Timeline
) -> None:
    figures.fold(day.stocked("l1", "warm", 0, score=60))
    figures.fold(day.claimed("l1", "warm", 1, "bob"))
    figures.fold(day.returned("l1", "warm", 4, "bob", ReturnReason.SLA_EXPIRED))

    assert list(figures.available["warm"]) == ["l1"]
    assert figures.available["warm"]["l1"].entered_at == day.at(4).timestamp()
    assert figures.rep_open["bob"] == 0
    assert figures.counters["returned"][("warm", "sla_expired")] == 1
    assert figures.counters["contact_violations"][("warm",)] == 1


def test_a_late_first_contact_is_a_violation_and_later_ones_are_ignored(
    figures: PartitionFigures, day: Timeline
) -> None:
    figures.fold(day.stocked("l1", "cold", 0, score=20))
    figures.fold(day.claimed("l1", "cold", 1, "carol"))
    figures.fold(day.contacted("l1", "cold", 4, "carol"))
    figures.fold(day.contacted("l1", "cold", 5, "carol"))

    assert figures.counters["contacted"][("cold",)] == 1
    assert figures.counters["rep_contacts"][("carol",)] == 1
    assert figures.counters["contact_violations"][("cold",)] == 1
    assert figures.histograms["claim_to_contact"]["cold"].total == 3 * HOUR_S
    assert figures.awaiting_contact == {}


def test_a_won_deal_counts_as_opportunity_once_with_its_value_and_cycle(
    figures: PartitionFigures, day: Timeline
) -> None:
    figures.fold(day.stocked("l1", "hot", 0, score=85))
    figures.fold(day.claimed("l1", "hot", 1, "alice"))
    figures.fold(day.outcome("l1", "hot", 24, "alice", Outcome.OPPORTUNITY))
    figures.fold(day.outcome("l1", "hot", 240, "alice", Outcome.CLOSED_WON, 25000))

    outcomes = figures.counters["outcomes"]
    assert outcomes[("hot", "opportunity")] == 1
    assert outcomes[("hot", "closed_won")] == 1
    assert figures.counters["band_outcomes"][("hot", "closed_won")] == 1
    assert figures.counters["won_value"][("hot",)] == 25000
    assert figures.histograms["sales_cycle"]["hot"].total == 240 * HOUR_S
    assert figures.rep_open["alice"] == 0


def test_a_transfer_moves_the_lead_between_pools(
    figures: PartitionFigures, day: Timeline
) -> None:
    figures.fold(day.stocked("l1", "cold", 0, score=40))
    figures.fold(day.transferred("l1", "cold", "warm", 2))

    assert figures.available["cold"] == {}
    assert list(figures.available["warm"]) == ["l1"]
    assert figures.counters["transfers"][("cold",)] == 1
    assert figures.counters["band_added"][("cold",)] == 1


def test_a_lead_back_from_review_is_available_in_its_new_pool(
    figures: PartitionFigures, day: Timeline
) -> None:
    figures.fold(day.stocked("l1", "cold", 0, score=40))
    figures.fold(day.removed("l1", "cold", 1))
    assert figures.available["cold"] == {}

    figures.fold(day.reinstated("l1", "cold", "warm", 2))

    assert list(figures.available["warm"]) == ["l1"]
    assert figures.counters["reinstated"][("warm",)] == 1
    assert figures.counters["removed"][("cold", "review")] == 1
