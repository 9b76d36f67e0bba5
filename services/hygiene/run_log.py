"""The cleanup run log: each run's record on Kafka, read back by every worker.

The leader publishes one `CleanupRunRecord` a run; every worker follows the
topic from its start, so the log survives a leader change or a restart and
any worker serves it.
"""

from collections import OrderedDict
from datetime import UTC, datetime

from schemas.commands import HygieneCommand
from schemas.runs import CleanupRunRecord, RunChange
from services.hygiene.actions_log import parse_or_log
from services.hygiene.cleanup import CleanupRun


def run_record(
    run: CleanupRun,
    scheduled_at: datetime,
    started_at: datetime,
    finished_at: datetime,
    config_version: str,
    issued_by: str | None,
) -> CleanupRunRecord:
    """The record of `run`: every command it sent, per policy."""
    changes: dict[str, list[RunChange]] = {}
    for command in run.commands:
        changes.setdefault(command.policy, []).append(_change(command))
    return CleanupRunRecord(
        # In UTC: every leader names the same scheduled moment the same way.
        run_id=f"{run.kind.value}:{scheduled_at.astimezone(UTC).isoformat()}",
        schedule=run.kind,
        scheduled_at=scheduled_at,
        decided_at=run.at,
        started_at=started_at,
        finished_at=finished_at,
        config_version=config_version,
        issued_by=issued_by,
        changes=changes,
    )


def _change(command: HygieneCommand) -> RunChange:
    return RunChange(
        command_id=command.command_id,
        action=command.action,
        lead_id=command.lead_id,
        pool=command.pool,
        destination=command.destination,
    )


class RunLog:
    """The most recent runs by id, oldest first; a copy of a run replaces it."""

    def __init__(self, kept: int) -> None:
        if kept < 1:
            raise ValueError(f"kept: must be at least 1, got {kept}")
        self.kept = kept
        self._runs: OrderedDict[str, CleanupRunRecord] = OrderedDict()

    def fold(self, record: CleanupRunRecord) -> None:
        self._runs.pop(record.run_id, None)
        self._runs[record.run_id] = record
        while len(self._runs) > self.kept:
            self._runs.popitem(last=False)

    def fold_raw(self, raw: bytes | None, partition: int, offset: int) -> None:
        record = parse_or_log(CleanupRunRecord, raw, partition, offset)
        if record is not None:
            self.fold(record)

    def recent(self) -> list[CleanupRunRecord]:
        return list(self._runs.values())
