"""`leadpool report`: weekly and monthly pool figures, as a table or CSV.

The figures come from Prometheus's HTTP API, which keeps the history the
metrics service does not: each figure is a counter's growth over the
period, taken as the difference from its value one period ago. The metrics
service rebuilds its counters from the event log, so they are log totals
and the difference is exact (no `increase()` extrapolation).
"""

import csv
import sys
from collections.abc import Callable
from dataclasses import dataclass

import click
import httpx
from rich.console import Console
from rich.table import Table

PERIODS = {"week": "7d", "month": "30d"}
SECONDS_PER_HOUR = 3600.0
SECONDS_PER_DAY = 86400.0

# counter name (and selector) -> report figure, summed by pool or band
POOL_COUNTERS = {
    "added": "leadpool_leads_added_total",
    "claimed": "leadpool_leads_claimed_total",
    "abandoned": 'leadpool_leads_returned_total{reason=~"rep_returned|sla_expired"}',
    "transferred": "leadpool_leads_transferred_total",
    "violations": "leadpool_contact_sla_violations_total",
    "opportunities": 'leadpool_lead_outcomes_total{outcome="opportunity"}',
    "won": 'leadpool_lead_outcomes_total{outcome="closed_won"}',
    "won_value": "leadpool_won_deal_value_total",
    "claim_wait_s": "leadpool_time_to_claim_seconds_sum",
    "claim_waits": "leadpool_time_to_claim_seconds_count",
    "cycle_s": "leadpool_sales_cycle_seconds_sum",
    "cycles": "leadpool_sales_cycle_seconds_count",
}
BAND_COUNTERS = {
    "added": "leadpool_band_leads_added_total",
    "opportunities": 'leadpool_band_outcomes_total{outcome="opportunity"}',
    "won": 'leadpool_band_outcomes_total{outcome="closed_won"}',
}

Figures = dict[str, dict[str, float]]  # group (pool or band) -> figure -> value


class Prometheus:
    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")

    def vector(self, promql: str, by: str) -> dict[str, float]:
        try:
            answer = httpx.get(
                f"{self.url}/api/v1/query", params={"query": promql}, timeout=10
            ).json()
        except (httpx.HTTPError, ValueError) as err:
            raise click.ClickException(
                f"--prometheus-url {self.url}: no answer from Prometheus ({err})"
            ) from err
        if answer.get("status") != "success":
            raise click.ClickException(f"Prometheus refused {promql}: {answer}")
        return {
            sample["metric"].get(by, ""): float(sample["value"][1])
            for sample in answer["data"]["result"]
        }


def growth(selector: str, by: str, window: str) -> str:
    """PromQL for a counter's growth over the window; series born inside
    the window count from zero."""
    now = f"sum by ({by}) ({selector})"
    before = f"sum by ({by}) ({selector} offset {window})"
    return f"{now} - ({before} or 0 * {now})"


def collect(
    prometheus: Prometheus, counters: dict[str, str], by: str, window: str
) -> Figures:
    figures: Figures = {}
    for figure, selector in counters.items():
        for group, value in prometheus.vector(growth(selector, by, window), by).items():
            figures.setdefault(group, {})[figure] = value
    return figures


@dataclass(frozen=True)
class Column:
    title: str
    value: Callable[[dict[str, float]], float | None]
    fmt: str = "{:.0f}"


def _ratio(top: str, bottom: str, scale: float = 1.0) -> Callable[..., float | None]:
    def ratio(row: dict[str, float]) -> float | None:
        below = row.get(bottom, 0.0)
        return row.get(top, 0.0) / below / scale if below else None

    return ratio


def _get(name: str) -> Callable[[dict[str, float]], float | None]:
    return lambda row: row.get(name, 0.0)


POOL_COLUMNS = [
    Column("depth", _get("depth")),
    Column("added", _get("added")),
    Column("claimed", _get("claimed")),
    Column("depletion", _ratio("claimed", "added"), "{:.2f}"),
    Column("abandonment", _ratio("abandoned", "claimed"), "{:.1%}"),
    Column("transfer rate", _ratio("transferred", "added"), "{:.1%}"),
    Column(
        "time to claim h",
        _ratio("claim_wait_s", "claim_waits", SECONDS_PER_HOUR),
        "{:.2f}",
    ),
    Column("contact violations", _get("violations")),
    Column("to opportunity", _ratio("opportunities", "added"), "{:.1%}"),
    Column("to closed-won", _ratio("won", "added"), "{:.1%}"),
    Column("average deal", _ratio("won_value", "won"), "{:.0f}"),
    Column("sales cycle d", _ratio("cycle_s", "cycles", SECONDS_PER_DAY), "{:.1f}"),
]
BAND_COLUMNS = [
    Column("added", _get("added")),
    Column("opportunities", _get("opportunities")),
    Column("closed-won", _get("won")),
    Column("to opportunity", _ratio("opportunities", "added"), "{:.1%}"),
    Column("to closed-won", _ratio("won", "added"), "{:.1%}"),
]


Row = tuple[str, list[float | None]]


def rows(figures: Figures, columns: list[Column]) -> list[Row]:
    return [
        (group, [column.value(figures[group]) for column in columns])
        for group in sorted(figures)
    ]


def _shown(column: Column, value: float | None) -> str:
    return "-" if value is None else column.fmt.format(value)


def _raw(value: float | None) -> str:
    return "" if value is None else f"{value:.6g}"


@click.command()
@click.option(
    "--period", type=click.Choice(sorted(PERIODS)), default="week", show_default=True
)
@click.option(
    "--prometheus-url",
    envvar="LEADPOOL_PROMETHEUS_URL",
    default="http://127.0.0.1:9090",
    show_default=True,
)
@click.option("--csv", "as_csv", is_flag=True, help="CSV on stdout instead of tables")
def report(period: str, prometheus_url: str, as_csv: bool) -> None:
    """Pool figures over the last week or month, and conversion by score band."""
    prometheus = Prometheus(prometheus_url)
    window = PERIODS[period]
    pools = collect(prometheus, POOL_COUNTERS, "pool", window)
    depth = prometheus.vector("sum by (pool) (leadpool_pool_depth)", "pool")
    for pool, leads in depth.items():
        pools.setdefault(pool, {})["depth"] = leads
    bands = collect(prometheus, BAND_COUNTERS, "band", window)

    sections = [
        ("pool", POOL_COLUMNS, rows(pools, POOL_COLUMNS)),
        ("score band", BAND_COLUMNS, rows(bands, BAND_COLUMNS)),
    ]
    if as_csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(["section", "group", "figure", "value"])
        for name, columns, table in sections:
            for group, values in table:
                for column, value in zip(columns, values, strict=True):
                    writer.writerow([name, group, column.title, _raw(value)])
        return

    console = Console()
    for name, columns, table in sections:
        rich_table = Table(title=f"Leadpool by {name}, last {period} ({window})")
        rich_table.add_column(name)
        for column in columns:
            rich_table.add_column(column.title, justify="right")
        for group, values in table:
            shown = [_shown(c, v) for c, v in zip(columns, values, strict=True)]
            rich_table.add_row(group, *shown)
        console.print(rich_table)
