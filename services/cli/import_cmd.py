"""`leadpool import FILE`: send a CSV or JSON-lines file to the router webhook.

Leads go in batches; a batch the router refuses names each bad lead, which
is written to the rejects file (same format, fixable and re-importable)
while the rest of the batch is sent again.
"""

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import httpx

BATCH = 500  # leads per request; the router accepts up to its max_batch
_NUMERIC_FIELDS = {"score", "employees"}


@dataclass(frozen=True)
class Unreadable:
    """A JSON-lines line that is no JSON: rejected here, kept for fixing."""

    text: str
    reason: str


@click.command(name="import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--router",
    "router_url",
    default="http://127.0.0.1:8081",
    envvar="LEADPOOL_ROUTER_URL",
    show_default=True,
)
@click.option(
    "--api-key",
    envvar="LEADPOOL_SOURCE_KEY",
    required=True,
    help="The source's webhook API key",
)
@click.option(
    "--rejects",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where refused leads go (default: PATH.rejects.<ext>)",
)
def import_leads(
    path: Path, router_url: str, api_key: str, rejects: Path | None
) -> None:
    """Import leads from PATH (.csv or .jsonl) and print a summary."""
    read = list(_read(path))
    rows = [row for row in read if not isinstance(row, Unreadable)]
    unreadable = [row for row in read if isinstance(row, Unreadable)]
    rejects = rejects or path.with_suffix(f".rejects{path.suffix}")
    totals = {"accepted": 0, "duplicates": 0, "rejected": len(unreadable)}
    refused: list[tuple[dict[str, Any] | Unreadable, str]] = [
        (row, row.reason) for row in unreadable
    ]

    with (
        httpx.Client(
            base_url=router_url, headers={"X-Api-Key": api_key}, timeout=60
        ) as http,
        click.progressbar(length=len(rows), label="importing") as bar,
    ):
        for line in unreadable:
            _report_unreadable(http, line)
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            accepted, bad = _send(http, batch)
            totals["accepted"] += accepted["accepted"]
            totals["duplicates"] += sum(
                1 for lead in accepted["leads"] if lead["duplicate_of"]
            )
            totals["rejected"] += len(bad)
            refused += bad
            bar.update(len(batch))

    for row, reason in refused:
        click.echo(f"rejected {_label(row)}: {reason}", err=True)
    if refused:
        _write(rejects, [row for row, _ in refused])
        click.echo(f"rejects written to {rejects}")
    click.echo(
        f"accepted {totals['accepted']}, duplicates {totals['duplicates']}, "
        f"rejected {totals['rejected']}"
    )


def _report_unreadable(http: httpx.Client, line: "Unreadable") -> None:
    # Sent as it is, so the router refuses it like any other unreadable body
    # and publishes it on leads.rejected: every refusal is seen there.
    answer = http.post(
        "/leads",
        content=line.text.encode(),
        headers={"Content-Type": "application/json"},
    )
    if answer.status_code != 422:
        raise click.ClickException(f"router answered {answer.status_code} to {line!r}")


def _send(
    http: httpx.Client, batch: list[dict[str, Any]]
) -> tuple[dict[str, Any], list[tuple[dict[str, Any], str]]]:
    bad: list[tuple[dict[str, Any], str]] = []
    while batch:
        answer = http.post("/leads", json=batch)
        if answer.status_code == 202:
            return answer.json(), bad
        body = answer.json()
        if answer.status_code != 422 or not body.get("errors"):
            raise click.ClickException(f"{body.get('title')}: {body.get('detail')}")
        reasons: dict[int, list[str]] = {}
        for error in body["errors"]:
            index, _, field = error["field"].partition("].")
            reasons.setdefault(int(index.lstrip("[").rstrip("]")), []).append(
                f"{field or '$'}: {error['reason']}"
            )
        bad += [(batch[i], "; ".join(r)) for i, r in reasons.items()]
        batch = [row for i, row in enumerate(batch) if i not in reasons]
    return {"accepted": 0, "leads": []}, bad


def _read(path: Path) -> Iterator[dict[str, Any] | Unreadable]:
    with path.open(newline="", encoding="utf-8") as handle:
        if path.suffix == ".csv":
            for row in csv.DictReader(handle):
                yield {k: _cell(k, v) for k, v in row.items() if v not in ("", None)}
            return
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as err:
                yield Unreadable(line.rstrip("\n"), f"line {number}: not JSON ({err})")


def _cell(field: str, value: str) -> Any:
    # CSV has no types: only the numeric fields of a lead become numbers, so
    # an external id or a phone made of digits stays text.
    return int(value) if field in _NUMERIC_FIELDS and value.isdecimal() else value


def _label(row: dict[str, Any] | Unreadable) -> str:
    if isinstance(row, Unreadable):
        return repr(row.text[:60])
    return str(row.get("external_id") or row.get("email") or row)


def _write(path: Path, rows: list[dict[str, Any] | Unreadable]) -> None:
    # The rejects keep the input's format, so a fixed file imports as is.
    with path.open("w", newline="", encoding="utf-8") as handle:
        if path.suffix == ".csv":
            records = [row for row in rows if isinstance(row, dict)]
            fields = sorted({key for row in records for key in row})
            writer = csv.DictWriter(handle, fieldnames=fields)
            writer.writeheader()
            writer.writerows(records)
            return
        for row in rows:
            text = row.text if isinstance(row, Unreadable) else json.dumps(row)
            handle.write(text + "\n")
