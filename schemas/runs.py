"""Hygiene's cleanup run log, one record a run, on `hygiene.cleanup-runs`.

The commands themselves go on `hygiene.actions`; a run record says which of
them one scheduled run sent, per policy, so that ops can read what a night's
cleanup changed whichever hygiene worker they ask, after any leader change.
"""

from enum import StrEnum

from pydantic import Field

from schemas.base import AwareDatetime, Contract
from schemas.commands import Action
from schemas.events import Removal


class CleanupSchedule(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


class RunChange(Contract):
    """One command a run sent: on a lead, or on a pool when `lead_id` is None."""

    command_id: str = Field(min_length=1)
    action: Action
    lead_id: str | None = None
    pool: str | None = None
    destination: Removal | None = Field(
        default=None, description="Where a removal sent the lead"
    )


class CleanupRunRecord(Contract):
    run_id: str = Field(
        min_length=1, description="Schedule and scheduled moment: a re-run is a copy"
    )
    schedule: CleanupSchedule
    scheduled_at: AwareDatetime = Field(description="The schedule's moment it ran for")
    decided_at: AwareDatetime = Field(description="Hygiene's (event) time of the run")
    started_at: AwareDatetime = Field(description="Wall time the run began")
    finished_at: AwareDatetime = Field(description="Wall time its commands were sent")
    config_version: str
    issued_by: str | None = Field(default=None, description="The leader that ran it")
    changes: dict[str, list[RunChange]] = Field(
        default_factory=dict, description="Per policy, the commands the run sent"
    )

    def counts(self) -> dict[str, int]:
        return {policy: len(changes) for policy, changes in self.changes.items()}
