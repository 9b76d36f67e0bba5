"""Dynamic sizing on whole days: triggered, and quiet just below."""

from __future__ import annotations

from datetime import timedelta

from schemas.commands import Action
from schemas.config import LeadpoolConfig
from services.hygiene.book import LeadBook
from services.hygiene.sizing import season_commands, sizing_commands
from tests.hygiene.events import START
from tests.hygiene.pools import day_of_flows, figures, fill

CONFIG = LeadpoolConfig(version="test-1")
DAY = timedelta(days=1)


def three_days(claims: list[int]) -> LeadBook:
    book = LeadBook(lambda: CONFIG)
    fill(book, "warm", 60, at=START - DAY)  # deep enough not to be shallow
    for n, count in enumerate(claims):
        day_of_flows(book, "warm", START + n * DAY, added=10, claims=count)
    return book


def policies(book: LeadBook, now_days: int) -> list[str]:
    now = START.replace(hour=12) + now_days * DAY
    found = sizing_commands(figures(book, CONFIG), CONFIG, now)
    return [c.policy for c in found if c.pool == "warm"]


def test_depletion_under_0_8_for_3_days_shrinks_intake() -> None:
    book = three_days([7, 7, 7])
    assert policies(book, 3) == ["sizing.depletion"]


def test_depletion_at_0_8_on_one_of_the_days_is_quiet() -> None:
    assert policies(three_days([7, 8, 7]), 3) == []


def test_depth_under_50_for_2_days_grows_intake() -> None:
    book = LeadBook(lambda: CONFIG)
    fill(book, "cold", 49, at=START - 2 * DAY)
    now = START.replace(hour=1)
    (grow,) = sizing_commands(figures(book, CONFIG), CONFIG, now)
    assert (grow.action, grow.threshold_delta) == (Action.ADJUST_INTAKE, -5)


def test_depth_of_50_is_quiet() -> None:
    book = LeadBook(lambda: CONFIG)
    fill(book, "cold", 50, at=START - 2 * DAY)
    assert sizing_commands(figures(book, CONFIG), CONFIG, START.replace(hour=1)) == []


def test_an_average_age_over_24_hours_pauses_low_priority_sources() -> None:
    config = LeadpoolConfig(
        version="t", hygiene={"overflow": {"low_priority_sources": ["ads"]}}
    )
    book = LeadBook(lambda: config)
    fill(book, "warm", 60)
    late, early = START + timedelta(hours=24, seconds=1), START + timedelta(hours=24)
    assert sizing_commands(figures(book, config), config, early) == []
    (pause,) = sizing_commands(figures(book, config), config, late)
    assert (pause.action, pause.source) == (Action.PAUSE_SOURCE, "ads")
    assert pause.until == late + timedelta(days=1)


def test_the_q4_season_adjusts_every_pool_while_it_is_on() -> None:
    book = LeadBook(lambda: CONFIG)
    on = START.replace(year=2026, month=12, day=20)
    assert len(season_commands(figures(book, CONFIG), CONFIG, on)) == 4
    assert season_commands(figures(book, CONFIG), CONFIG, START) == []
