"""The Prometheus text format, written fast from collected metric families.

prometheus-client's `generate_latest` escapes and sorts every label of
every sample; with 50 pools, 500 reps and a partition label that took most
of a 100 ms scrape budget (bench/bench_metrics.py). Our label names are
fixed identifiers and our values are checked ids, so values are escaped
only when they hold a character that needs it.
"""

import math
from collections.abc import Iterable

from prometheus_client.core import Metric

_NEEDS_ESCAPE = ("\\", "\n", '"')


def render(metrics: Iterable[Metric]) -> bytes:
    lines: list[str] = []
    for metric in metrics:
        name = metric.name + "_total" if metric.type == "counter" else metric.name
        help_text = metric.documentation.replace("\\", r"\\").replace("\n", r"\n")
        lines.append(f"# HELP {name} {help_text}\n# TYPE {name} {metric.type}\n")
        for sample in metric.samples:
            labels = ",".join(
                f'{key}="{_escape(value)}"' for key, value in sample.labels.items()
            )
            lines.append(
                f"{sample.name}{{{labels}}} {_number(sample.value)}\n"
                if labels
                else f"{sample.name} {_number(sample.value)}\n"
            )
    return "".join(lines).encode()


def _escape(value: str) -> str:
    if any(char in value for char in _NEEDS_ESCAPE):
        return value.replace("\\", r"\\").replace("\n", r"\n").replace('"', r"\"")
    return value


def _number(value: float) -> str:
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if math.isnan(value):
        return "NaN"
    return repr(float(value))
